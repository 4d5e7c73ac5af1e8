/**
 * memory-host — a RunHost for the runner's tests that keeps everything in memory: the timeline,
 * logs, build status, tags, artifacts, attachments; approvals answered by a function the test
 * gives; checkout runs a function the test gives (default: an empty folder); cancellation on demand.
 */
import type {
  ApprovalOutcome,
  ApprovalRequest,
  BuildResult,
  EnvironmentChecks,
  Issue,
  JobRef,
  NewRecord,
  RecordPatch,
  RunHost,
  ServiceEndpoint,
} from "../../emulators/azdo/runner/host";

export type MemoryRecord = NewRecord & RecordPatch;

export interface MemoryHostOptions {
  connections?: ServiceEndpoint[];
  environments?: Record<string, EnvironmentChecks>;
  approve?: (request: ApprovalRequest) => Promise<ApprovalOutcome> | ApprovalOutcome;
  checkout?: (
    dir: string,
    options: { fetchDepth?: number; persistCredentials: boolean },
    job: JobRef,
  ) => Promise<string[]> | string[];
  now?: () => number;
  /** Sees every stored log line (masked, without the timestamp), e.g. to cancel when a task is running. */
  onLog?: (line: string, host: MemoryHost) => void;
}

export class MemoryHost implements RunHost {
  readonly records = new Map<string, MemoryRecord>();
  readonly logs = new Map<number, { recordId: string; lines: string[] }>();
  status: "notStarted" | "inProgress" | "completed" = "notStarted";
  result: BuildResult | undefined;
  readonly tags: string[] = [];
  buildNumber: string | undefined;
  readonly buildIssues: Issue[] = [];
  readonly artifacts = new Map<string, Map<string, Buffer>>();
  readonly associated: { name: string; type: string; data: string }[] = [];
  readonly attachments: { recordId: string; type: string; name: string; bytes: Buffer }[] = [];
  readonly approvals: ApprovalRequest[] = [];
  readonly locks: string[] = [];
  readonly checkouts: { dir: string; options: { fetchDepth?: number; persistCredentials: boolean } }[] = [];
  private cancelRequested = false;
  private readonly cancelListeners = new Set<() => void>();
  private nextLog = 1;

  constructor(private readonly options: MemoryHostOptions = {}) {}

  now(): number {
    return this.options.now?.() ?? Date.now();
  }
  addRecord(record: NewRecord): void {
    this.records.set(record.id, { ...record });
  }
  updateRecord(id: string, patch: RecordPatch): void {
    const record = this.records.get(id);
    if (!record) throw new Error(`updateRecord: no record ${id}`);
    Object.assign(record, patch);
  }
  createLog(recordId: string): number {
    const id = this.nextLog++;
    this.logs.set(id, { recordId, lines: [] });
    return id;
  }
  appendLog(logId: number, lines: string[]): void {
    this.logs.get(logId)!.lines.push(...lines);
    for (const line of lines) this.options.onLog?.(line.replace(/^\S+ /, ""), this);
  }
  setBuildStatus(status: "inProgress" | "completed", result?: BuildResult): void {
    this.status = status;
    this.result = result;
  }
  addBuildTag(tag: string): void {
    this.tags.push(tag);
  }
  setBuildNumber(buildNumber: string): void {
    this.buildNumber = buildNumber;
  }
  addBuildIssue(issue: Issue): void {
    this.buildIssues.push(issue);
  }
  uploadArtifact(artifact: { name: string; containerFolder: string; files: Map<string, Buffer> }): Promise<void> {
    const files = this.artifacts.get(artifact.name) ?? new Map<string, Buffer>();
    for (const [k, v] of artifact.files) files.set(k, v);
    this.artifacts.set(artifact.name, files);
    return Promise.resolve();
  }
  downloadArtifact(name: string): Promise<Map<string, Buffer> | undefined> {
    return Promise.resolve(this.artifacts.get(name));
  }
  listArtifacts(): Promise<string[]> {
    return Promise.resolve([...this.artifacts.keys()]);
  }
  associateArtifact(artifact: { name: string; type: string; data: string }): void {
    this.associated.push(artifact);
  }
  addAttachment(recordId: string, type: string, name: string, bytes: Buffer): void {
    this.attachments.push({ recordId, type, name, bytes });
  }
  async checkout(
    dir: string,
    options: { fetchDepth?: number; persistCredentials: boolean },
    job: JobRef,
  ): Promise<string[]> {
    this.checkouts.push({ dir, options });
    return this.options.checkout ? this.options.checkout(dir, options, job) : [`Checked out into ${dir}`];
  }
  serviceConnection(nameOrId: string): ServiceEndpoint | undefined {
    return this.options.connections?.find((c) => c.name === nameOrId || c.id === nameOrId);
  }
  environment(name: string): EnvironmentChecks {
    return this.options.environments?.[name] ?? { exclusiveLock: false };
  }
  async awaitApproval(request: ApprovalRequest): Promise<ApprovalOutcome> {
    this.approvals.push(request);
    return this.options.approve ? this.options.approve(request) : "approved";
  }
  acquireLock(environment: string): Promise<"granted" | "canceled"> {
    this.locks.push(`acquire ${environment}`);
    return Promise.resolve("granted");
  }
  releaseLock(environment: string): void {
    this.locks.push(`release ${environment}`);
  }
  jobToken(job: JobRef): string {
    return `job-token-${job.stage}-${job.job}-secret`;
  }
  oidcRequestUri(job: JobRef): string {
    return `https://127.0.0.1:1/org/project/_apis/distributedtask/hubs/build/plans/plan/jobs/${job.jobId}/oidctoken`;
  }
  isCancelRequested(): boolean {
    return this.cancelRequested;
  }
  onCancelRequested(listener: () => void): () => void {
    this.cancelListeners.add(listener);
    return () => this.cancelListeners.delete(listener);
  }
  cancel(): void {
    this.cancelRequested = true;
    for (const l of [...this.cancelListeners]) l();
  }

  // ---- reading back ----

  /** The records of a type, e.g. "Stage", by identifier. */
  byType(type: string): MemoryRecord[] {
    return [...this.records.values()].filter((r) => r.type === type);
  }
  record(type: string, identifier: string): MemoryRecord {
    const r = this.byType(type).find((x) => x.identifier === identifier);
    if (!r)
      throw new Error(
        `no ${type} record ${identifier}; have ${this.byType(type)
          .map((x) => x.identifier)
          .join(", ")}`,
      );
    return r;
  }
  /** A Task record's log lines without their timestamps. */
  logOf(record: MemoryRecord): string[] {
    if (!record.log) return [];
    return this.logs.get(record.log.id)!.lines.map((l) => l.replace(/^\S+ /, ""));
  }
  allLogText(): string {
    return [...this.logs.values()].flatMap((l) => l.lines).join("\n");
  }
}
