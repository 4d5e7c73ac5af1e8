/**
 * run-task — the frame of every Tenant Sync task and the only place that sets a task's result: parse
 * the inputs, run the task's body with a logger, a publisher, sign-in and the repository's branches,
 * and end Succeeded, SucceededWithIssues or Failed as the body's outcome (or the error) says. Errors
 * become one clear message, with the object and what to do, and an error fact for the hub; nothing is
 * thrown past this function.
 */
import { readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import * as tl from "azure-pipelines-task-lib/task";
import {
  acquireLock,
  acquireRepositoryLock,
  type HeldLock,
  isSyncError,
  planLockPath,
  redact,
  safeText,
  SyncError,
} from "../core/index";
import { agentEnvironment } from "./agent-environment";
import { fetchTenantSyncBranches, pushTenantSyncBranches } from "./git-push";
import { createPipelineLogger, type PipelineLogger } from "./pipeline-logger";
import { describeFailure, type TaskOutcome } from "./reports";
import { connectGraph, type GraphConnection } from "./service-connection";
import type { CommonInputs, GetInput } from "./task-inputs";
import { buildFactsSink, TaskPublisher } from "./task-publisher";

export type { TaskOutcome } from "./reports";

export interface Repository {
  /** Pushes the Tenant Sync branches, and the run's own commits, when the inputs say so. */
  push(): Promise<void>;
}

export interface TaskContext<I extends CommonInputs> {
  inputs: I;
  log: PipelineLogger;
  publish: TaskPublisher;
  /** Signs in to the tenant (publishing the device code while a person is awaited). */
  connect(): Promise<GraphConnection>;
  /**
   * Locks the repository at `path` until the task ends (waiting for another run holding it), then
   * fetches the Tenant Sync branches into it (when pushing) and remembers its HEAD.
   */
  repository(path: string): Promise<Repository>;
  /** Locks a plan file until the task ends, so two deploys of one plan never run at once. */
  lockPlan(planPath: string): Promise<void>;
  /** Registers a value as a secret: the agent masks it in every log line from now on. */
  setSecret(value: string): void;
}

export type TaskBody<I extends CommonInputs> = (context: TaskContext<I>) => Promise<TaskOutcome>;

const taskResult: Record<TaskOutcome["result"], tl.TaskResult> = {
  succeeded: tl.TaskResult.Succeeded,
  succeededWithIssues: tl.TaskResult.SucceededWithIssues,
  failed: tl.TaskResult.Failed,
};

/**
 * Runs a task: parse → body → result. Resolves with the result set (it never rejects), so an entry is
 * `void runTask(parseXInputs, async ({ inputs, log, publish }) => …)`.
 */
export async function runTask<I extends CommonInputs>(
  parse: (getInput: GetInput) => I,
  body: TaskBody<I>,
  getInput: GetInput = (name) => tl.getInput(name),
): Promise<TaskOutcome> {
  const log = createPipelineLogger();
  const registered = new Set<string>();
  const setSecret = (value: string) => {
    if (registered.has(value)) return;
    registered.add(value);
    tl.setSecret(value);
  };
  let publish: TaskPublisher | undefined;
  let outcome: TaskOutcome;
  const locks = new TaskLocks(log);
  try {
    const inputs = parse(getInput);
    if (inputs.connection.clientSecret) setSecret(inputs.connection.clientSecret);
    publish = new TaskPublisher(buildFactsSink(log), log, inputs);
    await publish.start();
    const publisher = publish;
    outcome = await body({
      inputs,
      log,
      publish: publisher,
      setSecret,
      async connect() {
        await publisher.enterStep("authenticate");
        const connection = await connectGraph(inputs.connection, {
          env: agentEnvironment,
          log,
          setSecret,
          onPrompt: (prompt) => publisher.deviceCodeWaiting(prompt),
        });
        await publisher.signedIn();
        return connection;
      },
      async repository(path) {
        await locks.repository(path);
        const state = await fetchTenantSyncBranches(path, inputs.git, log);
        return { push: async () => void (await pushTenantSyncBranches(state, inputs.git, log)) };
      },
      lockPlan: (planPath) => locks.plan(planPath),
    });
  } catch (e) {
    const failure = describeFailure(e, publish?.step ?? "authenticate");
    if (!isSyncError(e) && e instanceof Error && e.stack) log.debug(redact(e.stack));
    await publish?.failed(failure.fact);
    outcome = { result: "failed", message: failure.message };
  } finally {
    locks.release();
  }
  // The facts are for the hub; a sink that hangs must not hold the result back.
  await Promise.race([publish?.flush(), new Promise((resolve) => setTimeout(resolve, 30_000).unref())]);
  tl.setResult(taskResult[outcome.result], safeText(outcome.message));
  return outcome;
}

/** Pipeline variable: how long (seconds) a task waits for another run's repository or plan lock. */
export const lockWaitVariable = "TenantSync.LockWaitSeconds";
const defaultTaskLockWaitSeconds = 600;

/** The locks a task holds, released when it ends. */
class TaskLocks {
  private held: HeldLock[] = [];
  constructor(private readonly log: PipelineLogger) {}

  async repository(path: string): Promise<void> {
    this.held.push(await acquireRepositoryLock(path, this.options()));
  }

  async plan(planPath: string): Promise<void> {
    this.held.push(await acquireLock(planLockPath(planPath), `The plan ${planPath}`, this.options()));
  }

  release(): void {
    for (const lock of this.held.reverse()) lock.release();
    this.held = [];
  }

  private options() {
    const raw = agentEnvironment.variable(lockWaitVariable);
    const seconds = raw === undefined || raw.trim() === "" ? defaultTaskLockWaitSeconds : Number(raw);
    if (!Number.isFinite(seconds) || seconds < 0)
      throw new SyncError(
        "config.invalid",
        `The pipeline variable ${lockWaitVariable} must be a number of seconds (0 or more); got '${raw}'.`,
        {
          hint: `Set ${lockWaitVariable} to e.g. 600, or remove it for the default (${defaultTaskLockWaitSeconds} s).`,
        },
      );
    const build = agentEnvironment.variable("Build.BuildNumber");
    return {
      command: `${taskName()} task${build ? ` (run ${build})` : ""}`,
      waitMs: seconds * 1000,
      log: this.log,
      waitHint: `the pipeline variable ${lockWaitVariable}`,
    };
  }
}

/** The running task's name, from the task.json beside its script (the folder name, failing that). */
function taskName(): string {
  const dir = dirname(process.argv[1] ?? "");
  try {
    const name = (JSON.parse(readFileSync(join(dir, "task.json"), "utf8")) as { name?: unknown }).name;
    if (typeof name === "string" && name) return name;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT" && !(e instanceof SyntaxError)) throw e;
  }
  return `Tenant Sync ${basename(dir)}`;
}
