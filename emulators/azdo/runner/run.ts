/**
 * run — one pipeline run on the local agent, as the service orchestrates it: compile, then stages
 * in dependsOn order and the jobs of a stage in dependsOn order (one at a time), each gated by its
 * condition; a stage's environments checked first (exclusive lock, then approval) with Checkpoint
 * records; output variables passed on through `dependencies` and `stageDependencies`; results
 * rolled up from task to job to stage to run. Every side effect goes through the RunHost.
 */
import { randomUUID } from "node:crypto";
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { compilePipeline, type CompiledPipeline, type JobDef, type StageDef, type VariableDef } from "./compile";
import {
  evaluate,
  ExpressionError,
  parseExpression,
  toBoolean,
  toStringValue,
  type ExpressionContext,
  type Value,
} from "./expressions";
import type { BuildResult, JobRef, RunHost, TaskResult } from "./host";
import { JobRunner } from "./job";
import { SecretMasker } from "./logging-commands";
import type { TaskCatalog } from "./task-catalog";
import { CompileErrors, type CompileIssue } from "./template";
import { VariableSet } from "./variables";

export interface BuildInfo {
  buildId: number;
  buildNumber: string;
  definitionId: number;
  definitionName: string;
  /** The orchestration plan's id (also the build timeline's id). */
  planId: string;
  collectionUri: string;
  project: string;
  projectId: string;
  repository: { id: string; name: string; uri: string };
  sourceBranch: string;
  sourceVersion: string;
  reason: string;
  requestedFor: string;
}

export interface RunRequest {
  yaml: string;
  /** The YAML's path in the repository, for messages ("/azure-pipelines.yml (Line: 3)"). */
  yamlPath?: string;
  templateParameters?: Record<string, string | number | boolean>;
  /** Queue-time variables. Variables the YAML defines take precedence over them. */
  variables?: Record<string, { value: string; isSecret?: boolean }>;
  build: BuildInfo;
  tasks: TaskCatalog;
  /** The agent's work folder (_work): one build directory per job below it, and _temp. */
  workDirectory: string;
  /** How long a cancelled task has after SIGTERM before SIGKILL (default 5000 ms). */
  killGraceMs?: number;
  /** The environment tasks inherit (PATH, HOME, NODE_EXTRA_CA_CERTS, …); default process.env. */
  baseEnv?: Record<string, string | undefined>;
}

type Status = "Succeeded" | "SucceededWithIssues" | "Failed" | "Canceled" | "Skipped";

interface Dependency {
  result: Status;
  outputs: Record<string, string>;
}

export interface RunOutcome {
  result: BuildResult;
  /** The problems that stopped the run before it started (empty when it ran). */
  issues: CompileIssue[];
  stages: Record<
    string,
    { result: TaskResult; jobs: Record<string, { result: TaskResult; outputs: Record<string, string> }> }
  >;
}

const statusOf: Record<TaskResult, Status> = {
  succeeded: "Succeeded",
  succeededWithIssues: "SucceededWithIssues",
  failed: "Failed",
  canceled: "Canceled",
  skipped: "Skipped",
  abandoned: "Failed",
};

function statusFunctions(
  dependencies: Record<string, Dependency>,
  names: string[],
  canceled: () => boolean,
): ExpressionContext["functions"] {
  const pick = (args: (() => Value)[]) => {
    const wanted = args.length ? args.map((a) => toStringValue(a()).toLowerCase()) : names.map((n) => n.toLowerCase());
    return Object.entries(dependencies)
      .filter(([k]) => wanted.includes(k.toLowerCase()))
      .map(([, v]) => v.result);
  };
  return {
    succeeded: {
      min: 0,
      max: Infinity,
      fn: (a) => !canceled() && pick(a).every((r) => r === "Succeeded" || r === "SucceededWithIssues"),
    },
    failed: { min: 0, max: Infinity, fn: (a) => !canceled() && pick(a).some((r) => r === "Failed") },
    succeededOrFailed: { min: 0, max: Infinity, fn: () => !canceled() },
    always: { min: 0, max: 0, fn: () => true },
    canceled: { min: 0, max: 0, fn: () => canceled() },
  };
}

const worst = (results: TaskResult[]): TaskResult => {
  if (results.length === 0 || results.every((r) => r === "skipped")) return "skipped";
  for (const r of ["canceled", "failed", "succeededWithIssues"] as TaskResult[]) if (results.includes(r)) return r;
  return "succeeded";
};

function order<T extends { name: string; dependsOn: string[] }>(items: T[]): T[] {
  const done = new Set<string>();
  const out: T[] = [];
  while (out.length < items.length) {
    const next = items.find((i) => !done.has(i.name) && i.dependsOn.every((d) => done.has(d)));
    if (!next) break;
    done.add(next.name);
    out.push(next);
  }
  return out;
}

class Run {
  private readonly masker = new SecretMasker();
  private readonly stageResults: Record<
    string,
    { result: TaskResult; jobs: Record<string, Dependency & { taskResult: TaskResult }> }
  > = {};
  private jobCounter = 0;
  private readonly canceled = () => this.host.isCancelRequested();

  constructor(
    private readonly request: RunRequest,
    private readonly pipeline: CompiledPipeline,
    private readonly host: RunHost,
  ) {}

  private iso(): string {
    return new Date(this.host.now()).toISOString();
  }

  /** Evaluates a condition or `$[ ]`; an error fails the stage or job with the line. */
  private evaluate(text: string, context: ExpressionContext): Value {
    return evaluate(parseExpression(text), context);
  }

  private addVariables(set: VariableSet, defs: VariableDef[], context: ExpressionContext): void {
    for (const def of defs) {
      const runtime = /^\s*\$\[([\s\S]*)\]\s*$/.exec(def.value);
      const value = runtime ? toStringValue(this.evaluate(runtime[1], context)) : set.expand(def.value);
      set.set(def.name, value, { readonly: def.readonly });
    }
  }

  private baseVariables(): VariableSet {
    const b = this.request.build;
    const set = new VariableSet();
    for (const [name, v] of Object.entries(this.request.variables ?? {})) {
      set.set(name, v.value, { secret: v.isSecret });
      if (v.isSecret) this.masker.add(v.value);
    }
    const branchName = b.sourceBranch.replace(/^refs\/(heads|tags)\//, "");
    const predefined: Record<string, string> = {
      "System.CollectionUri": b.collectionUri,
      "System.TeamFoundationCollectionUri": b.collectionUri,
      "System.CollectionId": b.projectId,
      "System.TeamProject": b.project,
      "System.TeamProjectId": b.projectId,
      "System.DefinitionId": String(b.definitionId),
      "System.PlanId": b.planId,
      "System.TimelineId": b.planId,
      "System.HostType": "build",
      "System.ServerType": "Hosted",
      "System.PullRequest.IsFork": "False",
      "Build.BuildId": String(b.buildId),
      "Build.BuildNumber": b.buildNumber,
      "Build.BuildUri": `vstfs:///Build/Build/${b.buildId}`,
      "Build.DefinitionName": b.definitionName,
      "Build.Reason": b.reason,
      "Build.SourceBranch": b.sourceBranch,
      "Build.SourceBranchName": branchName.split("/").at(-1) ?? branchName,
      "Build.SourceVersion": b.sourceVersion,
      "Build.Repository.ID": b.repository.id,
      "Build.Repository.Name": b.repository.name,
      "Build.Repository.Uri": b.repository.uri,
      "Build.Repository.Provider": "TfsGit",
      "Build.RequestedFor": b.requestedFor,
      "Build.QueuedBy": b.requestedFor,
      "Agent.OS": "Linux",
      "Agent.OSArchitecture": "X64",
      "Agent.Name": "Local Agent",
      "Agent.MachineName": "localhost",
      "Agent.Id": "1",
      "Agent.WorkFolder": this.request.workDirectory,
      "Agent.TempDirectory": join(this.request.workDirectory, "_temp"),
      "Agent.HomeDirectory": this.request.workDirectory,
    };
    for (const [k, v] of Object.entries(predefined)) set.set(k, v, { readonly: true });
    return set;
  }

  async execute(): Promise<RunOutcome> {
    const { host } = this;
    const records = new Map<string, { stage: string; phases: Map<string, { phase: string; job: string }> }>();
    this.pipeline.stages.forEach((stage, i) => {
      const stageId = randomUUID();
      host.addRecord({
        id: stageId,
        parentId: null,
        type: "Stage",
        name: stage.displayName,
        identifier: stage.name,
        order: i + 1,
        state: "pending",
      });
      const phases = new Map<string, { phase: string; job: string }>();
      stage.jobs.forEach((job, j) => {
        const phase = randomUUID();
        const jobId = randomUUID();
        host.addRecord({
          id: phase,
          parentId: stageId,
          type: "Phase",
          name: job.displayName,
          identifier: `${stage.name}.${job.name}`,
          order: j + 1,
          state: "pending",
        });
        host.addRecord({
          id: jobId,
          parentId: phase,
          type: "Job",
          name: job.displayName,
          identifier: `${stage.name}.${job.name}.__default`,
          order: 1,
          state: "pending",
        });
        phases.set(job.name, { phase, job: jobId });
      });
      records.set(stage.name, { stage: stageId, phases });
    });
    const pipelineVariables = this.baseVariables();
    this.addVariables(pipelineVariables, this.pipeline.variables, {
      named: (n) => (n.toLowerCase() === "variables" ? pipelineVariables.asObject() : undefined),
    });

    for (const stage of order(this.pipeline.stages)) {
      const ids = records.get(stage.name)!;
      const dependencies: Record<string, Dependency> = {};
      for (const d of stage.dependsOn) {
        const r = this.stageResults[d];
        const outputs: Record<string, string> = {};
        for (const [job, j] of Object.entries(r.jobs))
          for (const [k, v] of Object.entries(j.outputs)) outputs[`${job}.${k}`] = v;
        dependencies[d] = { result: statusOf[r.result], outputs };
      }
      const stageVariables = new VariableSet(pipelineVariables);
      const context: ExpressionContext = {
        named: (n) => {
          const lower = n.toLowerCase();
          if (lower === "variables") return stageVariables.asObject();
          if (lower === "dependencies") return dependencies as unknown as Value;
          return undefined;
        },
        functions: statusFunctions(dependencies, stage.dependsOn, this.canceled),
      };
      let go: boolean;
      try {
        go = toBoolean(this.evaluate(stage.condition.text, context));
        if (go) this.addVariables(stageVariables, stage.variables, context);
      } catch (e) {
        if (!(e instanceof ExpressionError)) throw e;
        this.skipStage(stage, ids, "failed");
        host.addBuildIssue({
          type: "error",
          message: `Stage ${stage.name} (line ${stage.condition.line}): ${e.message}`,
        });
        continue;
      }
      if (!go) {
        this.skipStage(stage, ids, "skipped");
        continue;
      }
      await this.runStage(stage, ids, stageVariables);
    }
    const results = Object.values(this.stageResults).map((s) => s.result);
    const result: BuildResult = this.canceled()
      ? "canceled"
      : results.includes("failed") || results.includes("canceled")
        ? results.includes("failed")
          ? "failed"
          : "canceled"
        : results.includes("succeededWithIssues")
          ? "partiallySucceeded"
          : "succeeded";
    host.setBuildStatus("completed", result);
    return {
      result,
      issues: [],
      stages: Object.fromEntries(
        Object.entries(this.stageResults).map(([name, s]) => [
          name,
          {
            result: s.result,
            jobs: Object.fromEntries(
              Object.entries(s.jobs).map(([j, v]) => [j, { result: v.taskResult, outputs: v.outputs }]),
            ),
          },
        ]),
      ),
    };
  }

  private skipStage(
    stage: StageDef,
    ids: { stage: string; phases: Map<string, { phase: string; job: string }> },
    result: TaskResult,
  ): void {
    const finishTime = this.iso();
    for (const { phase, job } of ids.phases.values()) {
      this.host.updateRecord(job, { state: "completed", result: "skipped", finishTime });
      this.host.updateRecord(phase, { state: "completed", result: "skipped", finishTime });
    }
    this.host.updateRecord(ids.stage, { state: "completed", result, finishTime });
    this.stageResults[stage.name] = {
      result,
      jobs: Object.fromEntries(
        stage.jobs.map((j) => [
          j.name,
          { result: "Skipped" as Status, outputs: {}, taskResult: "skipped" as TaskResult },
        ]),
      ),
    };
  }

  /** The stage's checks: the exclusive lock, then the approval, of each environment its deployment jobs use. */
  private async checks(stage: StageDef, stageRecordId: string, held: string[]): Promise<TaskResult> {
    const environments = [...new Set(stage.jobs.filter((j) => j.environment).map((j) => j.environment!.text))];
    let checkpoint: string | undefined;
    const checkpointRecord = () => {
      if (!checkpoint) {
        checkpoint = randomUUID();
        this.host.addRecord({
          id: checkpoint,
          parentId: stageRecordId,
          type: "Checkpoint",
          name: "Checkpoint",
          identifier: "Checkpoint",
          order: 1,
          state: "inProgress",
        });
        this.host.updateRecord(checkpoint, { startTime: this.iso() });
      }
      return checkpoint;
    };
    let result: TaskResult = "succeeded";
    let order = 1;
    for (const environment of environments) {
      if (result !== "succeeded") break;
      const checks = this.host.environment(environment);
      if (checks.exclusiveLock) {
        checkpointRecord();
        const lock = await this.host.acquireLock(environment, this.pipeline.lockBehavior);
        if (lock === "canceled") {
          result = "canceled";
          break;
        }
        held.push(environment);
      }
      if (checks.approval) {
        const parent = checkpointRecord();
        const approvalId = randomUUID();
        this.host.addRecord({
          id: approvalId,
          parentId: parent,
          type: "Checkpoint.Approval",
          name: "Checkpoint.Approval",
          identifier: approvalId,
          order: order++,
          state: "inProgress",
        });
        this.host.updateRecord(approvalId, { startTime: this.iso() });
        const outcome = await this.host.awaitApproval({
          approvalId,
          checkpointRecordId: parent,
          stageRecordId,
          stage: stage.name,
          environment,
          approval: checks.approval,
        });
        // A timed-out approval fails the stage like a rejection: the deployment did not get its approval.
        const approvalResult: TaskResult =
          outcome === "approved" ? "succeeded" : outcome === "canceled" ? "canceled" : "failed";
        this.host.updateRecord(approvalId, { state: "completed", result: approvalResult, finishTime: this.iso() });
        result = approvalResult;
      }
    }
    if (checkpoint) this.host.updateRecord(checkpoint, { state: "completed", result, finishTime: this.iso() });
    return result;
  }

  private async runStage(
    stage: StageDef,
    ids: { stage: string; phases: Map<string, { phase: string; job: string }> },
    stageVariables: VariableSet,
  ): Promise<void> {
    const { host } = this;
    host.updateRecord(ids.stage, { state: "inProgress", startTime: this.iso() });
    const held: string[] = [];
    const jobs: Record<string, Dependency & { taskResult: TaskResult }> = {};
    this.stageResults[stage.name] = { result: "succeeded", jobs };
    const checked = await this.checks(stage, ids.stage, held);
    if (checked !== "succeeded") {
      held.forEach((e) => host.releaseLock(e));
      this.skipStage(stage, ids, checked);
      return;
    }
    const stageDependencies: Record<string, Record<string, Dependency>> = {};
    for (const d of stage.dependsOn) {
      stageDependencies[d] = Object.fromEntries(
        Object.entries(this.stageResults[d].jobs).map(([k, v]) => [k, { result: v.result, outputs: v.outputs }]),
      );
    }
    for (const job of order(stage.jobs)) {
      const { phase, job: jobRecordId } = ids.phases.get(job.name)!;
      const dependencies: Record<string, Dependency> = Object.fromEntries(
        job.dependsOn.map((d) => [d, { result: jobs[d].result, outputs: jobs[d].outputs }]),
      );
      const jobVariables = new VariableSet(stageVariables);
      const context: ExpressionContext = {
        named: (n) => {
          const lower = n.toLowerCase();
          if (lower === "variables") return jobVariables.asObject();
          if (lower === "dependencies") return dependencies as unknown as Value;
          if (lower === "stagedependencies") return stageDependencies as unknown as Value;
          return undefined;
        },
        functions: statusFunctions(dependencies, job.dependsOn, this.canceled),
      };
      let result: TaskResult;
      let outputs: Record<string, string> = {};
      try {
        const go = toBoolean(this.evaluate(job.condition.text, context));
        if (go) this.addVariables(jobVariables, job.variables, context);
        if (!go) {
          result = "skipped";
          host.updateRecord(jobRecordId, { state: "completed", result, finishTime: this.iso() });
        } else {
          const outcome = await this.runJob(stage, job, jobRecordId, jobVariables);
          result = outcome.result;
          outputs = outcome.outputs;
        }
      } catch (e) {
        if (!(e instanceof ExpressionError)) throw e;
        host.updateRecord(jobRecordId, {
          state: "completed",
          result: "failed",
          finishTime: this.iso(),
          issues: [{ type: "error", message: `Line ${job.condition.line}: ${e.message}` }],
          errorCount: 1,
        });
        result = "failed";
      }
      host.updateRecord(phase, { state: "completed", result, finishTime: this.iso() });
      jobs[job.name] = { result: statusOf[result], outputs, taskResult: result };
    }
    held.forEach((e) => host.releaseLock(e));
    const result = worst(Object.values(jobs).map((j) => j.taskResult));
    this.stageResults[stage.name].result = result;
    host.updateRecord(ids.stage, { state: "completed", result, finishTime: this.iso() });
  }

  private async runJob(stage: StageDef, job: JobDef, jobRecordId: string, variables: VariableSet) {
    const { host } = this;
    const jobRef: JobRef = { jobId: jobRecordId, stage: stage.name, job: job.name };
    const token = host.jobToken(jobRef);
    this.masker.add(token);
    const n = ++this.jobCounter;
    const buildDir = join(this.request.workDirectory, String(n));
    const temp = join(this.request.workDirectory, "_temp");
    // Each job starts on a clean machine, as on a hosted agent.
    rmSync(buildDir, { recursive: true, force: true });
    rmSync(temp, { recursive: true, force: true });
    const dirs = { sources: join(buildDir, "s"), workspace: buildDir, temp };
    for (const d of [dirs.sources, join(buildDir, "a"), join(buildDir, "b"), temp]) mkdirSync(d, { recursive: true });
    const jobVars: Record<string, string> = {
      "System.StageName": stage.name,
      "System.StageDisplayName": stage.displayName,
      "System.StageAttempt": "1",
      "System.PhaseName": job.name,
      "System.PhaseDisplayName": job.displayName,
      "System.JobName": "__default",
      "System.JobDisplayName": job.displayName,
      "System.JobIdentifier": `${stage.name}.${job.name}.__default`,
      "System.JobAttempt": "1",
      "System.JobId": jobRecordId,
      "System.OidcRequestUri": host.oidcRequestUri(jobRef),
      "System.DefaultWorkingDirectory": dirs.sources,
      "System.ArtifactsDirectory": join(buildDir, "a"),
      "Build.SourcesDirectory": dirs.sources,
      "Build.Repository.LocalPath": dirs.sources,
      "Build.ArtifactStagingDirectory": join(buildDir, "a"),
      "Build.StagingDirectory": join(buildDir, "a"),
      "Build.BinariesDirectory": join(buildDir, "b"),
      "Agent.BuildDirectory": buildDir,
      "Agent.JobName": job.displayName,
      "Pipeline.Workspace": buildDir,
      ...(job.environment ? { "Environment.Name": job.environment.text } : {}),
    };
    for (const [k, v] of Object.entries(jobVars)) variables.set(k, v, { readonly: true });
    variables.set("System.AccessToken", token, { secret: true, readonly: true });
    host.updateRecord(jobRecordId, { state: "inProgress", startTime: this.iso() });
    const outcome = await new JobRunner({
      host,
      masker: this.masker,
      job,
      jobRef,
      jobRecordId,
      variables,
      collectionUri: this.request.build.collectionUri,
      jobToken: token,
      baseEnv: this.request.baseEnv ?? process.env,
      killGraceMs: this.request.killGraceMs ?? 5000,
      dirs,
    }).run();
    host.updateRecord(jobRecordId, { state: "completed", result: outcome.result, finishTime: this.iso() });
    // A runOnce deployment names its outputs after the lifecycle hook too: <job>.<step>.<variable>.
    const outputs =
      job.kind === "deployment"
        ? Object.fromEntries(Object.entries(outcome.outputs).map(([k, v]) => [`${job.name}.${k}`, v]))
        : outcome.outputs;
    return { result: outcome.result, outputs };
  }
}

/** Service connections the steps name literally, checked before the run starts (as the service authorizes resources). */
function unknownConnections(pipeline: CompiledPipeline, host: RunHost): CompileIssue[] {
  const issues: CompileIssue[] = [];
  for (const stage of pipeline.stages)
    for (const job of stage.jobs)
      for (const step of job.steps) {
        if (step.kind !== "task") continue;
        for (const input of step.task.inputs.filter((i) => i.type.startsWith("connectedService:"))) {
          const key = Object.keys(step.inputs).find((k) => k.toLowerCase() === input.name.toLowerCase());
          const value = key ? step.inputs[key] : undefined;
          if (!value || value.includes("$(")) continue;
          if (!host.serviceConnection(value))
            issues.push({
              line: step.line,
              message: `Job ${job.name}: Step ${step.name} input ${input.name} references service connection ${value} which could not be found. The service connection does not exist, has been disabled or has not been authorized for use.`,
            });
        }
      }
  return issues;
}

/** The variables a template expression may read at compile time. */
function compileTimeVariables(request: RunRequest): Record<string, string> {
  const b = request.build;
  const vars: Record<string, string> = {
    "Build.SourceBranch": b.sourceBranch,
    "Build.SourceBranchName": b.sourceBranch.split("/").at(-1) ?? b.sourceBranch,
    "Build.Reason": b.reason,
    "Build.Repository.Name": b.repository.name,
    "Build.BuildId": String(b.buildId),
    "System.TeamProject": b.project,
    "System.TeamProjectId": b.projectId,
    "System.CollectionUri": b.collectionUri,
  };
  for (const [k, v] of Object.entries(request.variables ?? {})) if (!v.isSecret) vars[k] = v.value;
  return vars;
}

/**
 * Runs a pipeline to its end and reports its result. A pipeline that does not compile (or names a
 * service connection the host does not know) ends failed before any stage, with build issues that
 * give the line.
 */
export async function runPipeline(request: RunRequest, host: RunHost): Promise<RunOutcome> {
  host.setBuildStatus("inProgress");
  let pipeline: CompiledPipeline;
  let issues: CompileIssue[];
  try {
    pipeline = compilePipeline({
      yaml: request.yaml,
      templateParameters: request.templateParameters,
      variables: compileTimeVariables(request),
      tasks: request.tasks,
    });
    issues = unknownConnections(pipeline, host);
  } catch (e) {
    if (!(e instanceof CompileErrors)) throw e;
    issues = e.issues;
    pipeline = undefined as never;
  }
  if (issues.length) {
    const path = request.yamlPath ?? "/azure-pipelines.yml";
    for (const issue of issues)
      host.addBuildIssue({ type: "error", message: `${path} (Line: ${issue.line}): ${issue.message}` });
    host.setBuildStatus("completed", "failed");
    return { result: "failed", issues, stages: {} };
  }
  return new Run(request, pipeline, host).execute();
}
