/**
 * host — everything the local pipeline runner needs from the service around it, as one narrow
 * interface: the timeline, logs, the build record, artifacts and attachments, the checkout, service
 * connections, environments with their checks, and the job's tokens. The runner never touches a
 * store or the network itself; the Azure DevOps emulator (or a test's in-memory host) implements it.
 */

export type RecordType = "Stage" | "Phase" | "Job" | "Task" | "Checkpoint" | "Checkpoint.Approval";
export type RecordState = "pending" | "inProgress" | "completed";
export type TaskResult = "succeeded" | "succeededWithIssues" | "failed" | "canceled" | "skipped" | "abandoned";
export type BuildResult = "succeeded" | "partiallySucceeded" | "failed" | "canceled";

export interface Issue {
  type: "error" | "warning";
  category?: string;
  message: string;
  /** sourcepath, linenumber, columnnumber, code, as the logging command gave them. */
  data?: Record<string, string>;
}

export interface NewRecord {
  id: string;
  parentId: string | null;
  type: RecordType;
  name: string;
  /** The YAML name (stage, job, step name), unique among siblings. */
  identifier: string | null;
  order: number;
  state: RecordState;
  /** The task a Task record runs (absent for checkout and download steps). */
  task?: { id: string; name: string; version: string };
}

export interface RecordPatch {
  state?: RecordState;
  result?: TaskResult | null;
  startTime?: string;
  finishTime?: string;
  percentComplete?: number;
  currentOperation?: string;
  errorCount?: number;
  warningCount?: number;
  /** The record's issues so far (the whole list, not a delta). */
  issues?: Issue[];
  log?: { id: number };
}

/** A service connection as a task receives it (the host resolves a connection's name or id). */
export interface ServiceEndpoint {
  id: string;
  name: string;
  url: string;
  /** e.g. WorkloadIdentityFederation; parameters e.g. tenantid, serviceprincipalid, workloadIdentityFederationIssuer/Subject. */
  scheme: string;
  parameters: Record<string, string>;
  data: Record<string, string>;
}

export interface EnvironmentChecks {
  /** The approval check of the environment, if it has one. */
  approval?: { approvers: string[]; instructions?: string; minRequiredApprovers?: number; timeoutMinutes?: number };
  exclusiveLock: boolean;
}

export interface ApprovalRequest {
  /** The approval's id, which is also the Checkpoint.Approval record's id. */
  approvalId: string;
  checkpointRecordId: string;
  stageRecordId: string;
  stage: string;
  environment: string;
  approval: NonNullable<EnvironmentChecks["approval"]>;
}

export type ApprovalOutcome = "approved" | "rejected" | "timedOut" | "canceled";

/** Identifies a job to the host (for its token and OIDC URL). */
export interface JobRef {
  jobId: string;
  stage: string;
  job: string;
}

export interface RunHost {
  /** Milliseconds since the epoch (the emulator's clock). */
  now(): number;

  addRecord(record: NewRecord): void;
  updateRecord(id: string, patch: RecordPatch): void;
  /** A new log for a record; the runner links it with updateRecord({log}). */
  createLog(recordId: string): number;
  /** Lines already masked and time-stamped by the runner. */
  appendLog(logId: number, lines: string[]): void;

  setBuildStatus(status: "inProgress" | "completed", result?: BuildResult): void;
  addBuildTag(tag: string): void;
  setBuildNumber(buildNumber: string): void;
  /** Problems of the run itself (not of a record), e.g. a YAML that does not compile. */
  addBuildIssue(issue: Issue): void;

  /** Files keyed by their path inside the artifact ("/" separators). Uploading to an existing name adds files. */
  uploadArtifact(artifact: { name: string; containerFolder: string; files: Map<string, Buffer> }): Promise<void>;
  /** undefined: the run has no artifact of that name. */
  downloadArtifact(name: string): Promise<Map<string, Buffer> | undefined>;
  listArtifacts(): Promise<string[]>;
  /** An artifact published elsewhere (artifact.associate): a link, not files. */
  associateArtifact(artifact: { name: string; type: string; data: string }): void;
  /** Build summary sections are type "DistributedTask.Core.Summary", named by the file's name. */
  addAttachment(recordId: string, type: string, name: string, bytes: Buffer): void;

  /** Clones the run's repository at its commit into dir; returns the lines for the step's log. */
  checkout(
    dir: string,
    options: { fetchDepth?: number; persistCredentials: boolean; clean?: boolean },
    job: JobRef,
  ): Promise<string[]>;

  /** Resolves a connection by name or id; undefined when it does not exist or the pipeline may not use it. */
  serviceConnection(nameOrId: string): ServiceEndpoint | undefined;
  /** The environment's checks; the host creates a missing environment (without checks) as the service does. */
  environment(name: string): EnvironmentChecks;
  awaitApproval(request: ApprovalRequest): Promise<ApprovalOutcome>;
  acquireLock(environment: string, lockBehavior: "sequential" | "runLatest"): Promise<"granted" | "canceled">;
  releaseLock(environment: string): void;

  /** The job's access token (System.AccessToken); masked in every log. */
  jobToken(job: JobRef): string;
  /** System.OidcRequestUri of the job (up to …/oidctoken). */
  oidcRequestUri(job: JobRef): string;
  /** Values the host issued during the run that must never appear in a log (e.g. OIDC tokens). */
  secretValues?(): readonly string[];

  isCancelRequested(): boolean;
  /** Calls back once when the run is cancelled; returns the unsubscribe function. */
  onCancelRequested(listener: () => void): () => void;
}
