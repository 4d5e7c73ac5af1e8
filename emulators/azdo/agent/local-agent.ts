/**
 * local-agent — the emulator's build agent: it takes queued builds (the store's scheduler hook),
 * reads the pipeline's YAML from the definition's repository at the run's branch, and runs it with
 * the local runner over a BuildHost, up to `parallelJobs` runs at once (the others wait, notStarted,
 * as runs wait for a free agent); a run waiting at an environment's checks holds no agent. Cancelling a run that waits ends it at once; a running one is told,
 * and the runner stops its task. Definitions can be held: their runs stay queued until released
 * (an agent pool with no free agent for them), which is how a scenario keeps a run "Starting".
 */
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { AzdoContext } from "../context";
import { remoteUrl } from "../routes/git";
import { runPipeline, type RunOutcome } from "../runner/run";
import { loadTaskCatalog, type TaskCatalog } from "../runner/task-catalog";
import type { Build, BuildScheduler } from "../state/builds";
import { BuildHost } from "./build-host";

export interface LocalAgentOptions {
  ctx: AzdoContext;
  /** Folders of task bundles (each with task.json and its entry), e.g. dist/tasks. */
  taskRoots: string[];
  /** The agent's work folder: one folder per build below it. */
  workDirectory: string;
  /** The CA certificate the tasks and git trust (NODE_EXTRA_CA_CERTS, GIT_SSL_CAINFO). */
  caCertPath: string;
  /** Runs at once (default 2); the others wait in the queue. */
  parallelJobs?: number;
  /** Environment the tasks inherit; default process.env. */
  baseEnv?: Record<string, string | undefined>;
  /** Keep each build's work folder after it ends (default: removed). */
  keepWorkFolders?: boolean;
  log?: (line: string) => void;
}

interface Running {
  build: Build;
  host?: BuildHost;
  done: Promise<void>;
}

export class LocalAgent implements BuildScheduler {
  private readonly waiting: Build[] = [];
  private readonly running = new Map<number, Running>();
  private readonly held = new Set<number>();
  private readonly parked = new Set<number>();
  private readonly resuming: (() => void)[] = [];
  private readonly finished = new Map<number, RunOutcome | Error>();
  private readonly idleListeners = new Set<() => void>();
  private tasks?: TaskCatalog;

  constructor(private readonly o: LocalAgentOptions) {}

  queued(build: Build): void {
    if (!this.waiting.includes(build) && !this.running.has(build.id)) this.waiting.push(build);
    this.pump();
  }

  cancelRequested(build: Build): void {
    const waitingAt = this.waiting.indexOf(build);
    if (waitingAt >= 0) {
      this.waiting.splice(waitingAt, 1);
      this.o.ctx.store.builds.update(build, { status: "completed", result: "canceled" }, this.o.ctx.clock.now());
      this.notifyIdle();
      return;
    }
    this.running.get(build.id)?.host?.cancel();
  }

  /** Runs of this definition stay queued until release(). */
  hold(definitionId: number): void {
    this.held.add(definitionId);
  }

  release(definitionId: number): void {
    this.held.delete(definitionId);
    this.pump();
  }

  /** What the runner answered for a build that ended (an Error when the agent itself failed). */
  outcome(buildId: number): RunOutcome | Error | undefined {
    return this.finished.get(buildId);
  }

  /** Builds running or waiting for the agent (held ones included). */
  get busy(): number {
    return this.running.size + this.waiting.length;
  }

  /** Resolves once nothing runs and nothing that may start waits (held runs do not count). */
  whenIdle(): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (this.running.size === 0 && this.waiting.every((b) => this.held.has(b.definitionId))) {
          this.idleListeners.delete(check);
          resolve();
        }
      };
      this.idleListeners.add(check);
      check();
    });
  }

  /** Resolves when the build is no longer waiting or running. */
  async whenDone(buildId: number): Promise<void> {
    for (;;) {
      const run = this.running.get(buildId);
      if (run) await run.done;
      else if (!this.waiting.some((b) => b.id === buildId)) return;
      else await new Promise<void>((resolve) => this.idleListeners.add(resolve));
    }
  }

  /** Cancels every run and waits for them to end. */
  async stop(): Promise<void> {
    for (const build of [...this.waiting]) this.cancelRequested(build);
    for (const run of this.running.values()) run.host?.cancel();
    await Promise.all([...this.running.values()].map((r) => r.done));
  }

  /** Runs that hold an agent: running ones, less those waiting at an environment's checks. */
  private get active(): number {
    return this.running.size - this.parked.size;
  }

  /** The run waits at checks (approval, exclusive lock): as on the service, that holds no agent. */
  private park(build: Build): void {
    this.parked.add(build.id);
    this.pump();
  }

  /** The run's checks passed: it goes on once an agent is free again. */
  private unpark(build: Build): Promise<void> {
    return new Promise((resolve) => {
      this.resuming.push(() => {
        this.parked.delete(build.id);
        resolve();
      });
      this.pump();
    });
  }

  private pump(): void {
    const limit = this.o.parallelJobs ?? 2;
    while (this.active < limit) {
      const resume = this.resuming.shift();
      if (resume) {
        resume();
        continue;
      }
      const next = this.waiting.find((b) => !this.held.has(b.definitionId));
      if (!next) break;
      this.waiting.splice(this.waiting.indexOf(next), 1);
      const entry: Running = { build: next, done: Promise.resolve() };
      this.running.set(next.id, entry);
      entry.done = this.run(next, entry)
        .then(
          (outcome) => void this.finished.set(next.id, outcome),
          (e: unknown) => {
            const error = e instanceof Error ? e : new Error(String(e));
            this.finished.set(next.id, error);
            this.o.log?.(`local agent: build ${next.id} failed to run: ${error.stack ?? error.message}`);
            this.failBuild(next, error.message);
          },
        )
        .finally(() => {
          this.running.delete(next.id);
          this.parked.delete(next.id);
          this.pump();
          this.notifyIdle();
        });
    }
    this.notifyIdle();
  }

  private notifyIdle(): void {
    for (const listener of [...this.idleListeners]) listener();
  }

  private async run(build: Build, entry: Running): Promise<RunOutcome> {
    const { store, urls } = this.o.ctx;
    const definition = store.builds.definitionOf(build);
    const project = store.projects.find(build.projectId);
    if (!project) throw new Error(`Project ${build.projectId} of build ${build.id} does not exist.`);
    const repository = definition.repositoryId
      ? store.git.list.find((r) => r.id === definition.repositoryId)
      : undefined;
    if (!repository)
      return this.refuse(
        build,
        `The pipeline ${definition.name} has no repository: create it from a repository's YAML file.`,
      );
    const commit = await store.git.resolveCommit(repository, build.sourceBranch);
    if (!commit)
      return this.refuse(
        build,
        `The branch ${build.sourceBranch} does not exist in repository ${repository.name}: push it, or queue the run on another branch.`,
      );
    build.sourceVersion = commit;
    const yamlPath = definition.yamlPath ?? "/azure-pipelines.yml";
    const item = await store.git.item(repository, commit, yamlPath);
    if (!item?.content)
      return this.refuse(
        build,
        `File ${yamlPath} not found in repository ${repository.name} branch ${build.sourceBranch} version ${commit}.`,
      );
    const host = new BuildHost({
      ctx: this.o.ctx,
      build,
      project,
      repository,
      caCertPath: this.o.caCertPath,
      cancelBuild: (other) => store.builds.requestCancel(other, this.o.ctx.clock.now()),
      checks: { park: () => this.park(build), unpark: () => this.unpark(build) },
    });
    entry.host = host;
    if (build.status === "cancelling") host.cancel();
    const workDirectory = join(this.o.workDirectory, String(build.id));
    mkdirSync(workDirectory, { recursive: true });
    this.tasks ??= loadTaskCatalog(...this.o.taskRoots);
    try {
      return await runPipeline(
        {
          yaml: item.content.toString("utf8"),
          yamlPath,
          templateParameters: build.templateParameters,
          variables: build.variables,
          build: {
            buildId: build.id,
            buildNumber: build.buildNumber,
            definitionId: definition.id,
            definitionName: definition.name,
            planId: build.planId,
            collectionUri: urls.collectionUri,
            project: project.name,
            projectId: project.id,
            repository: { id: repository.id, name: repository.name, uri: remoteUrl(this.o.ctx, project, repository) },
            sourceBranch: build.sourceBranch,
            sourceVersion: commit,
            reason: build.reason,
            requestedFor: build.requestedFor,
          },
          tasks: this.tasks,
          workDirectory,
          baseEnv: {
            ...(this.o.baseEnv ?? process.env),
            NODE_EXTRA_CA_CERTS: this.o.caCertPath,
            GIT_SSL_CAINFO: this.o.caCertPath,
          },
        },
        host,
      );
    } finally {
      if (!this.o.keepWorkFolders) rmSync(workDirectory, { recursive: true, force: true });
    }
  }

  /** Ends a build that cannot start with the reason on the build, as the service fails such a run. */
  private refuse(build: Build, message: string): RunOutcome {
    this.failBuild(build, message);
    return { result: "failed", issues: [{ line: 0, message }], stages: {} };
  }

  private failBuild(build: Build, message: string): void {
    build.validationResults = [...(build.validationResults ?? []), { result: "error", message }];
    if (build.status !== "completed")
      this.o.ctx.store.builds.update(build, { status: "completed", result: "failed" }, this.o.ctx.clock.now());
  }
}
