/**
 * job — one job on the local agent: its steps in order (checkout through the host, artifact
 * downloads, and each task as its own Node process of the bundled task), every step a Task record
 * with its own log. A task's output is read line by line as the agent reads it: logging commands
 * act (variables, secrets, issues, artifacts, attachments, tags), other lines are masked and
 * stored. Cancellation stops the running process (SIGTERM, then SIGKILL after a grace period).
 */
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { evaluate, parseExpression, toBoolean, type ExpressionContext } from "./expressions";
import type { CheckoutStep, DownloadStep, JobDef, StepDef, TaskStep } from "./compile";
import type { Issue, JobRef, RunHost, TaskResult } from "./host";
import { parseLoggingCommand, type LoggingCommand, type SecretMasker } from "./logging-commands";
import { envName, variablesEnv, type VariableSet } from "./variables";

export interface JobEnvironment {
  host: RunHost;
  masker: SecretMasker;
  job: JobDef;
  jobRef: JobRef;
  jobRecordId: string;
  variables: VariableSet;
  collectionUri: string;
  jobToken: string;
  /** The agent's own environment (PATH, HOME, …) that tasks inherit. */
  baseEnv: Record<string, string | undefined>;
  killGraceMs: number;
  dirs: { sources: string; workspace: string; temp: string };
}

export interface JobOutcome {
  result: TaskResult;
  /** `<step>.<variable>` → value, from task.setvariable isOutput=true. */
  outputs: Record<string, string>;
}

const summaryType = "DistributedTask.Core.Summary";

/** The agent's timestamp: ISO 8601 with seven fractional digits. */
export function logTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, ".$10000Z");
}

const worse = (a: TaskResult, b: TaskResult): TaskResult => {
  const rank: TaskResult[] = ["skipped", "succeeded", "succeededWithIssues", "failed", "canceled", "abandoned"];
  return rank.indexOf(b) > rank.indexOf(a) ? b : a;
};

const agentStatus: Record<string, string> = {
  succeeded: "Succeeded",
  succeededWithIssues: "SucceededWithIssues",
  failed: "Failed",
  canceled: "Canceled",
  skipped: "Succeeded",
  abandoned: "Failed",
};

/** The status functions of a step's condition, read from the job's status so far. */
function stepConditionContext(variables: VariableSet, status: TaskResult, canceled: boolean): ExpressionContext {
  const ok = status === "succeeded" || status === "succeededWithIssues" || status === "skipped";
  return {
    named: (name) => (name.toLowerCase() === "variables" ? variables.asObject() : undefined),
    functions: {
      succeeded: { min: 0, max: 0, fn: () => ok && !canceled },
      failed: { min: 0, max: 0, fn: () => status === "failed" && !canceled },
      succeededOrFailed: { min: 0, max: 0, fn: () => !canceled },
      always: { min: 0, max: 0, fn: () => true },
      canceled: { min: 0, max: 0, fn: () => canceled },
    },
  };
}

/** The files of a folder (or one file) keyed by their path below it, "/"-separated. */
function readTree(path: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  if (statSync(path).isFile()) {
    files.set(basename(path), readFileSync(path));
    return files;
  }
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) files.set(relative(path, full).split(sep).join("/"), readFileSync(full));
    }
  };
  walk(path);
  return files;
}

class StepLog {
  private logId: number | undefined;
  readonly issues: Issue[] = [];

  constructor(
    private readonly env: JobEnvironment,
    private readonly recordId: string,
  ) {}

  write(...lines: string[]): void {
    const { host, masker } = this.env;
    if (this.logId === undefined) {
      this.logId = host.createLog(this.recordId);
      host.updateRecord(this.recordId, { log: { id: this.logId } });
    }
    const extra = host.secretValues?.() ?? [];
    const stamp = logTime(host.now());
    host.appendLog(
      this.logId,
      lines.flatMap((l) => l.split(/\r?\n/)).map((l) => `${stamp} ${masker.mask(l, extra)}`),
    );
  }

  issue(issue: Issue): void {
    const extra = this.env.host.secretValues?.() ?? [];
    const masked = { ...issue, message: this.env.masker.mask(issue.message, extra) };
    this.issues.push(masked);
    this.write(`##[${issue.type}]${issue.message}`);
    this.env.host.updateRecord(this.recordId, {
      issues: [...this.issues],
      errorCount: this.issues.filter((i) => i.type === "error").length,
      warningCount: this.issues.filter((i) => i.type === "warning").length,
    });
  }
}

/** Runs a task's process; resolves with its exit code (null when killed). */
class TaskProcess {
  private completeResult: TaskResult | undefined;
  private readonly pending: Promise<void>[] = [];

  constructor(
    private readonly env: JobEnvironment,
    private readonly step: TaskStep,
    private readonly recordId: string,
    private readonly log: StepLog,
    private readonly outputs: Record<string, string>,
  ) {}

  async run(processEnv: Record<string, string>): Promise<TaskResult> {
    const { host, killGraceMs } = this.env;
    const child = spawn(process.execPath, [this.step.task.entry], {
      cwd: this.env.dirs.sources,
      env: processEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let canceled = false;
    let killTimer: NodeJS.Timeout | undefined;
    const stop = () => {
      if (canceled || child.exitCode !== null) return;
      canceled = true;
      this.log.write("##[error]The operation was canceled.");
      child.kill("SIGTERM");
      killTimer = setTimeout(() => child.kill("SIGKILL"), killGraceMs);
    };
    const unsubscribe = host.onCancelRequested(stop);
    if (host.isCancelRequested()) stop();
    const readers = [child.stdout!, child.stderr!].map((stream) => {
      const reader = { rest: "" };
      stream.setEncoding("utf8");
      stream.on("data", (chunk: string) => {
        const lines = (reader.rest + chunk).split("\n");
        reader.rest = lines.pop()!;
        for (const line of lines) this.line(line.replace(/\r$/, ""));
      });
      return reader;
    });
    let error: Error | undefined;
    const code = await new Promise<number | null>((done) => {
      child.on("error", (e) => {
        error = e;
        done(null);
      });
      child.on("close", (c) => done(c));
    });
    for (const reader of readers) if (reader.rest) this.line(reader.rest.replace(/\r$/, ""));
    unsubscribe();
    if (killTimer) clearTimeout(killTimer);
    await Promise.allSettled(this.pending);
    if (error) {
      this.log.issue({ type: "error", message: `The task could not start: ${error.message}` });
      return "failed";
    }
    if (canceled) return "canceled";
    if (this.completeResult) return this.completeResult;
    if (code !== 0) {
      this.log.issue({
        type: "error",
        message: `Exit code ${code} returned from process: file name '${process.execPath}', arguments '"${this.step.task.entry}"'.`,
      });
      return "failed";
    }
    return "succeeded";
  }

  private line(line: string): void {
    const parsed = parseLoggingCommand(line);
    if (parsed === undefined) {
      this.log.write(line);
      return;
    }
    if (parsed instanceof Error) {
      this.unprocessed(line, parsed.message);
      return;
    }
    try {
      this.command(parsed, line);
    } catch (e) {
      this.unprocessed(line, (e as Error).message);
    }
  }

  private unprocessed(line: string, reason: string): void {
    this.log.write(
      `##[warning]Unable to process command '${line}' successfully. Please reference documentation (http://go.microsoft.com/fwlink/?LinkId=817296)`,
      `##[warning]${reason}`,
    );
  }

  private file(path: string): { path: string; bytes: Buffer } {
    const full = resolve(this.env.dirs.sources, path.trim());
    if (!existsSync(full)) throw new Error(`The file '${full}' does not exist.`);
    return { path: full, bytes: readFileSync(full) };
  }

  private command(c: LoggingCommand, line: string): void {
    const { host, masker, variables } = this.env;
    const p = c.properties;
    switch (c.command) {
      case "task.setvariable": {
        const name = p.variable;
        if (!name) throw new Error("task.setvariable needs the property 'variable'.");
        const secret = p.issecret?.toLowerCase() === "true";
        const isOutput = p.isoutput?.toLowerCase() === "true";
        if (secret) masker.add(c.message);
        const allowed = this.step.task.settableVariables;
        if (allowed && !allowed.some((a) => a.toLowerCase() === name.toLowerCase())) {
          this.log.issue({
            type: "warning",
            message: `The task may not set the variable '${name}' (restrictions.settableVariables of ${this.step.task.name}).`,
          });
          return;
        }
        const key = isOutput ? `${this.step.name}.${name}` : name;
        if (!variables.set(key, c.message, { secret, readonly: p.isreadonly?.toLowerCase() === "true" })) {
          this.log.issue({ type: "warning", message: `The variable '${key}' is read-only and was not changed.` });
          return;
        }
        if (isOutput) this.outputs[key] = c.message;
        return;
      }
      case "task.setsecret":
        masker.add(c.message);
        return;
      case "task.debug":
        // The agent keeps debug lines only when the run asks for them (System.Debug).
        if ((variables.value("System.Debug") ?? "").toLowerCase() === "true") this.log.write(`##[debug]${c.message}`);
        return;
      case "task.setprogress": {
        const value = Number(p.value);
        host.updateRecord(this.recordId, {
          ...(Number.isFinite(value) ? { percentComplete: Math.max(0, Math.min(100, Math.round(value))) } : {}),
          currentOperation: masker.mask(c.message),
        });
        return;
      }
      case "task.logissue":
      case "task.issue": {
        const type = p.type?.toLowerCase();
        if (type !== "error" && type !== "warning")
          throw new Error(`The issue type '${p.type ?? ""}' is not error or warning.`);
        const data = Object.fromEntries(Object.entries(p).filter(([k]) => k !== "type"));
        this.log.issue({
          type,
          category: "General",
          message: c.message,
          ...(Object.keys(data).length ? { data } : {}),
        });
        return;
      }
      case "task.complete": {
        const result = (p.result ?? "Succeeded").toLowerCase();
        const map: Record<string, TaskResult> = {
          succeeded: "succeeded",
          succeededwithissues: "succeededWithIssues",
          failed: "failed",
          canceled: "canceled",
          skipped: "skipped",
        };
        if (!map[result]) throw new Error(`The result '${p.result}' is not a task result.`);
        this.completeResult = map[result];
        if (c.message) this.log.write(c.message);
        return;
      }
      case "task.uploadsummary": {
        const f = this.file(c.message);
        host.addAttachment(this.recordId, summaryType, basename(f.path), f.bytes);
        return;
      }
      case "task.addattachment": {
        if (!p.type || !p.name) throw new Error("task.addattachment needs the properties 'type' and 'name'.");
        host.addAttachment(this.recordId, p.type, p.name, this.file(c.message).bytes);
        return;
      }
      case "task.uploadfile": {
        const f = this.file(c.message);
        host.addAttachment(this.recordId, "DistributedTask.Core.FileAttachment", basename(f.path), f.bytes);
        return;
      }
      case "build.uploadlog": {
        const f = this.file(c.message);
        host.addAttachment(this.recordId, "DistributedTask.Core.Log", basename(f.path), f.bytes);
        return;
      }
      case "artifact.upload": {
        const name = p.artifactname;
        if (!name) throw new Error("artifact.upload needs the property 'artifactname'.");
        const path = resolve(this.env.dirs.sources, c.message.trim());
        if (!existsSync(path)) throw new Error(`The path '${path}' to upload as artifact '${name}' does not exist.`);
        const files = readTree(path);
        this.pending.push(
          host.uploadArtifact({ name, containerFolder: p.containerfolder || name, files }).catch((e: Error) => {
            this.log.issue({ type: "error", message: `Uploading the artifact '${name}' failed: ${e.message}` });
          }),
        );
        return;
      }
      case "artifact.associate": {
        if (!p.artifactname) throw new Error("artifact.associate needs the property 'artifactname'.");
        host.associateArtifact({ name: p.artifactname, type: p.type ?? "Container", data: c.message });
        return;
      }
      case "build.addbuildtag":
        if (!c.message.trim()) throw new Error("build.addbuildtag needs a tag.");
        host.addBuildTag(c.message.trim());
        return;
      case "build.updatebuildnumber":
        if (!c.message.trim()) throw new Error("build.updatebuildnumber needs a build number.");
        host.setBuildNumber(c.message.trim());
        variables.set("Build.BuildNumber", c.message.trim());
        return;
      default:
        void line;
        throw new Error(`'##vso[${c.command}]' is not a command this agent knows.`);
    }
  }
}

export class JobRunner {
  private status: TaskResult = "succeeded";
  private readonly outputs: Record<string, string> = {};

  constructor(private readonly env: JobEnvironment) {}

  /** The job's steps as the agent runs them, with the implicit checkout and download added. */
  private steps(): StepDef[] {
    const steps = [...this.env.job.steps];
    const base = {
      condition: { text: "succeeded()", line: this.env.job.line },
      continueOnError: false,
      enabled: true,
      line: this.env.job.line,
    };
    if (this.env.job.kind === "job" && !steps.some((s) => s.kind === "checkout"))
      steps.unshift({
        kind: "checkout",
        name: "checkout",
        displayName: "Checkout self",
        persistCredentials: false,
        ...base,
      });
    if (this.env.job.kind === "deployment" && !steps.some((s) => s.kind === "download"))
      steps.unshift({ kind: "download", name: "download", displayName: "Download artifact - current", ...base });
    return steps.filter((s) => s.enabled);
  }

  async run(): Promise<JobOutcome> {
    const { host } = this.env;
    const steps = this.steps();
    const records = steps.map((step, i) => {
      const id = randomUUID();
      host.addRecord({
        id,
        parentId: this.env.jobRecordId,
        type: "Task",
        name: step.displayName,
        identifier: step.name,
        order: i + 1,
        state: "pending",
        ...(step.kind === "task"
          ? {
              task: {
                id: step.task.id,
                name: step.task.name,
                version: `${step.task.version.Major}.${step.task.version.Minor}.${step.task.version.Patch}`,
              },
            }
          : {}),
      });
      return id;
    });
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i];
      const recordId = records[i];
      const canceled = host.isCancelRequested();
      this.env.variables.set("Agent.JobStatus", agentStatus[this.status]);
      const run = toBoolean(
        evaluate(parseExpression(step.condition.text), stepConditionContext(this.env.variables, this.status, canceled)),
      );
      if (!run) {
        host.updateRecord(recordId, {
          state: "completed",
          result: "skipped",
          finishTime: new Date(host.now()).toISOString(),
        });
        continue;
      }
      host.updateRecord(recordId, { state: "inProgress", startTime: new Date(host.now()).toISOString() });
      const log = new StepLog(this.env, recordId);
      log.write(`##[section]Starting: ${step.displayName}`);
      let result: TaskResult;
      try {
        result = await this.step(step, recordId, log);
      } catch (e) {
        log.issue({ type: "error", message: (e as Error).message });
        result = "failed";
      }
      if (result === "failed" && step.continueOnError) result = "succeededWithIssues";
      log.write(`##[section]Finishing: ${step.displayName}`);
      host.updateRecord(recordId, { state: "completed", result, finishTime: new Date(host.now()).toISOString() });
      this.status = worse(this.status, result);
    }
    return { result: host.isCancelRequested() ? worse(this.status, "canceled") : this.status, outputs: this.outputs };
  }

  private async step(step: StepDef, recordId: string, log: StepLog): Promise<TaskResult> {
    if (step.kind === "checkout") return this.checkout(step, log);
    if (step.kind === "download") return this.download(step, log);
    return this.task(step, recordId, log);
  }

  private async checkout(step: CheckoutStep, log: StepLog): Promise<TaskResult> {
    const lines = await this.env.host.checkout(
      this.env.dirs.sources,
      { fetchDepth: step.fetchDepth, persistCredentials: step.persistCredentials, clean: step.clean },
      this.env.jobRef,
    );
    log.write(...lines);
    return "succeeded";
  }

  private async download(step: DownloadStep, log: StepLog): Promise<TaskResult> {
    const { host } = this.env;
    const names = step.artifact ? [step.artifact] : await host.listArtifacts();
    for (const name of names) {
      const files = await host.downloadArtifact(name);
      if (!files) {
        log.issue({
          type: "error",
          message: `Artifact ${name} was not found for build ${this.env.variables.value("Build.BuildId")}.`,
        });
        return "failed";
      }
      const root = join(this.env.dirs.workspace, name);
      for (const [path, bytes] of files) {
        const target = resolve(root, path);
        if (!target.startsWith(root + sep))
          throw new Error(`The artifact ${name} holds a path outside its folder: ${path}`);
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, bytes);
      }
      log.write(`Downloaded ${files.size} file(s) of artifact ${name} to ${root}`);
    }
    return "succeeded";
  }

  private async task(step: TaskStep, recordId: string, log: StepLog): Promise<TaskResult> {
    const { host, variables } = this.env;
    const t = step.task;
    log.write(
      "==============================================================================",
      `Task         : ${t.friendlyName}`,
      `Description  : ${t.description}`,
      `Version      : ${t.version.Major}.${t.version.Minor}.${t.version.Patch}`,
      `Author       : ${t.author}`,
      "==============================================================================",
    );
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(this.env.baseEnv))
      if (v !== undefined && !/^(INPUT|ENDPOINT|SECRET|VSTS|SYSTEM|BUILD|AGENT|PIPELINE)_/i.test(k)) env[k] = v;
    Object.assign(env, variablesEnv(variables));
    const given = new Map(Object.entries(step.inputs).map(([k, v]) => [k.toLowerCase(), v]));
    const inputs = new Map<string, string>();
    for (const input of t.inputs) {
      const names = [input.name, ...(input.aliases ?? [])].map((n) => n.toLowerCase());
      const key = names.find((n) => given.has(n));
      const raw = key !== undefined ? given.get(key)! : (input.defaultValue ?? "");
      if (key !== undefined) names.forEach((n) => given.delete(n));
      inputs.set(input.name, variables.expand(raw));
    }
    for (const [k, v] of given) inputs.set(k, variables.expand(v));
    for (const input of t.inputs.filter((i) => i.type.startsWith("connectedService:"))) {
      const value = inputs.get(input.name);
      if (!value) continue;
      const endpoint = host.serviceConnection(value);
      if (!endpoint) {
        log.issue({
          type: "error",
          message: `Input '${input.name}' references the service connection '${value}', which could not be found. It does not exist, has been disabled or is not authorized for this pipeline.`,
        });
        return "failed";
      }
      inputs.set(input.name, endpoint.id);
      env[`ENDPOINT_URL_${endpoint.id}`] = endpoint.url;
      env[`ENDPOINT_AUTH_${endpoint.id}`] = JSON.stringify({
        parameters: endpoint.parameters,
        scheme: endpoint.scheme,
      });
      env[`ENDPOINT_AUTH_SCHEME_${endpoint.id}`] = endpoint.scheme;
      for (const [k, v] of Object.entries(endpoint.parameters))
        env[`ENDPOINT_AUTH_PARAMETER_${endpoint.id}_${k.toUpperCase()}`] = v;
      env[`ENDPOINT_DATA_${endpoint.id}`] = JSON.stringify(endpoint.data);
      for (const [k, v] of Object.entries(endpoint.data)) env[`ENDPOINT_DATA_${endpoint.id}_${k.toUpperCase()}`] = v;
    }
    for (const [name, value] of inputs) env[`INPUT_${envName(name)}`] = value;
    env.ENDPOINT_URL_SYSTEMVSSCONNECTION = this.env.collectionUri;
    env.ENDPOINT_AUTH_SYSTEMVSSCONNECTION = JSON.stringify({
      parameters: { AccessToken: this.env.jobToken },
      scheme: "OAuth",
    });
    env.ENDPOINT_AUTH_SCHEME_SYSTEMVSSCONNECTION = "OAuth";
    env.ENDPOINT_AUTH_PARAMETER_SYSTEMVSSCONNECTION_ACCESSTOKEN = this.env.jobToken;
    for (const [k, v] of Object.entries(step.env)) env[k] = variables.expand(v);
    env.SYSTEM_TASKINSTANCEID = recordId;
    env.SYSTEM_TASKDISPLAYNAME = step.displayName;
    env.SYSTEM_TASKINSTANCENAME = step.name;
    return new TaskProcess(this.env, step, recordId, log, this.outputs).run(env);
  }
}
