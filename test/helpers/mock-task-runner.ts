/**
 * mock-task-runner — the test side of the task tests: runs tasks/<task>/test/<scenario>.run.ts with
 * task-lib's MockTestRunner (offline: see mock-runner-offline.ts) and reads what the task told the
 * agent: every ##vso command, the result, the issues and the output variables. The scenario is
 * TypeScript, so its node loads tsx first (NODE_OPTIONS), as the bundled task never needs to.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MockTestRunner } from "azure-pipelines-task-lib/mock-test";
import { commandFromString, type TaskCommand } from "azure-pipelines-task-lib/taskcommand";
import { scenarioVariable } from "./task-scenario";

export interface TaskRun {
  stdout: string;
  stderr: string;
  commands: TaskCommand[];
  /** task.complete's result: Succeeded, SucceededWithIssues or Failed. */
  result?: string;
  resultMessage?: string;
  /** task.issue and task.logissue, in order. */
  issues: { type: string; message: string; code?: string }[];
  /** Output variables (task.setvariable …;isOutput=true). */
  outputs: Record<string, string>;
  commandsNamed(name: string): TaskCommand[];
}

const root = join(__dirname, "..", "..");

export function parseTaskOutput(stdout: string, stderr = ""): TaskRun {
  const commands = stdout
    .split(/\r?\n/)
    .filter((line) => line.includes("##vso["))
    .map((line) => commandFromString(line.slice(line.indexOf("##vso["))));
  const complete = commands.filter((c) => c.command === "task.complete").at(-1);
  return {
    stdout,
    stderr,
    commands,
    result: complete?.properties.result,
    resultMessage: complete?.message,
    issues: commands
      .filter((c) => c.command === "task.issue" || c.command === "task.logissue")
      .map((c) => ({
        type: c.properties.type,
        message: c.message,
        ...(c.properties.code ? { code: c.properties.code } : {}),
      })),
    outputs: Object.fromEntries(
      commands
        .filter((c) => c.command === "task.setvariable" && c.properties.isOutput === "true")
        .map((c) => [c.properties.variable, c.message]),
    ),
    commandsNamed: (name) => commands.filter((c) => c.command === name),
  };
}

let temp: string | undefined;
const agentTemp = () => (temp ??= mkdtempSync(join(tmpdir(), "tenant-sync-agent-temp-")));

/** Runs one scenario of a task with `values` (see task-scenario.ts) and returns what it printed. */
export async function runTaskScenario(
  task: string,
  scenario: string,
  values: Record<string, string> = {},
): Promise<TaskRun> {
  const runner = new MockTestRunner();
  await runner.LoadAsync(
    join(root, "tasks", task, "test", `${scenario}.run.ts`),
    join(root, "tasks", task, "task.json"),
  );
  const saved = {
    options: process.env.NODE_OPTIONS,
    scenario: process.env[scenarioVariable],
    temp: process.env.AGENT_TEMPDIRECTORY,
  };
  process.env.NODE_OPTIONS = `${saved.options ?? ""} --require ${JSON.stringify(require.resolve("tsx/cjs"))}`.trim();
  process.env[scenarioVariable] = JSON.stringify(values);
  // task-lib keeps the key of its input vault in agent.TempDirectory (else the working directory):
  // one folder per test process, so test files run in parallel never read each other's key.
  process.env.AGENT_TEMPDIRECTORY = saved.temp ?? agentTemp();
  try {
    await runner.runAsync();
  } finally {
    for (const [key, value] of [
      ["NODE_OPTIONS", saved.options],
      [scenarioVariable, saved.scenario],
      ["AGENT_TEMPDIRECTORY", saved.temp],
    ] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
  return parseTaskOutput(runner.stdout, runner.stderr);
}

/** The run as text for an assertion message. */
export function describeRun(run: TaskRun): string {
  return `result ${run.result ?? "(none)"}: ${run.resultMessage ?? ""}\n--- stdout ---\n${run.stdout}\n--- stderr ---\n${run.stderr}`;
}

/** The output variables tasks/<task>/task.json declares, sorted. */
export function declaredOutputs(task: string): string[] {
  const taskJson = JSON.parse(readFileSync(join(root, "tasks", task, "task.json"), "utf8")) as {
    outputVariables?: { name: string }[];
  };
  return (taskJson.outputVariables ?? []).map((o) => o.name).sort();
}
