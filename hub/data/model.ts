/**
 * model — what the hub's data layer hands its views, and what the views call back: one row per
 * tenant (its derived status and the facts shown beside it), a tenant's detail loaded on demand
 * (the run's steps, the plan, history), and the actions a person takes. No React and no SDK here:
 * the data layer fills these from the REST API, the views only read them and call HubActions.
 */
import type { PlanFact } from "../../src/core/status/run-facts";
import type { TenantStatus } from "../../src/core/status/derive";

/** A run as the hub shows it (a build of the tenant's pipeline). */
export interface RunSummary {
  id: number;
  buildNumber: string;
  status: "notStarted" | "inProgress" | "completed" | "cancelling" | "postponed";
  result?: "succeeded" | "partiallySucceeded" | "failed" | "canceled";
  queueTime?: string;
  startTime?: string;
  finishTime?: string;
  requestedFor?: string;
  reason?: string;
  /** The run's page in Azure DevOps (logs view). */
  webUrl: string;
}

export interface OverviewRow {
  /** The tenant's short name (the pipeline's `tenant` parameter). */
  tenant: string;
  definition: { id: number; name: string; path: string; queueStatus: "enabled" | "paused" | "disabled" };
  status: TenantStatus;
  latestRun?: RunSummary;
  /** The latest plan's counts and summary, when the run published one. */
  plan?: PlanFact;
}

/** Groups of the overview's tiles; each filters the table when clicked. */
export type TileGroup = "running" | "waiting" | "issues" | "failed" | "neverRun" | "paused";

export interface Overview {
  rows: OverviewRow[];
  tiles: Record<TileGroup, number>;
  /** When the data was read (ISO). */
  refreshedAt: string;
  /** Whether anything runs or waits (the page refreshes by itself while it does). */
  isActive: boolean;
  /** The REST calls this read cost (constant whatever the number of tenants, plus a few details). */
  calls: number;
}

/** One step of a run as the run detail shows it. */
export type StepName = "Authenticate" | "Backup" | "Import drift" | "Plan" | "Approval" | "Deploy" | "Settle";
export type StepState = "done" | "failed" | "running" | "waiting" | "skipped" | "notStarted";

export interface RunStepView {
  name: StepName;
  state: StepState;
  startTime?: string;
  finishTime?: string;
  /** Milliseconds. */
  duration?: number;
  /** Job and task record ids, for "View job" links to the log at that place. */
  jobRecordId?: string;
  taskRecordId?: string;
  issues: { type: "error" | "warning"; message: string }[];
}

/** One field change of the plan (from plan.json), before → after. */
export interface PlanFieldChange {
  pointer: string;
  before?: unknown;
  after?: unknown;
  /** A secret value changed: neither value is shown. */
  secret?: boolean;
}

export interface PlanChange {
  action: "add" | "change" | "delete";
  type: string;
  name: string;
  fields: PlanFieldChange[];
}

export interface PlanView {
  digest?: string;
  counts: { add: number; change: number; delete: number };
  countsByType: Record<string, { add: number; change: number; delete: number }>;
  changes: PlanChange[];
  /** Gates the plan needs and whether the run gives their confirmation. */
  gates: { gate: "deletes" | "mass" | "secrets"; confirmed: boolean; reason: string }[];
  blocked: boolean;
}

export interface HistoryPoint {
  run: RunSummary;
  changes: number;
}

export interface TenantDetail {
  tenant: string;
  run?: RunSummary;
  steps: RunStepView[];
  /** The plan of the run waiting for approval (or the latest one), read from its artifact. */
  plan?: PlanView;
  history: HistoryPoint[];
  /** Whether the signed-in user is an assigned approver of the pending approval. */
  canApprove: boolean;
  /** Who may approve (display names), for people who may not. */
  approvers: string[];
  /** Signed (token-free) links where the pipelines API offers them. */
  downloads: { logsZip?: string; artifacts: { name: string; url?: string }[] };
  /** The status derived again with the run's timeline: exact (the failed job's link, a rejection). */
  status?: TenantStatus;
  /** Why the run's plan could not be shown (an unreadable artifact), when it has one. */
  planError?: string;
  /** The REST calls the detail cost. */
  calls?: number;
}

/** Parameters of "Run sync now", as the template declares them. */
export interface RunParameters {
  mode: "sync" | "backupOnly" | "revert";
  confirmDeletes: boolean;
  confirmMassChanges: boolean;
  confirmSecrets: boolean;
  conflictPolicy: "config" | "stop" | "repo-wins" | "tenant-wins";
}

/** What a person does from the hub. Each resolves when the service accepted it (or rejects with an actionable error). */
export interface HubActions {
  refresh(): Promise<void>;
  loadDetail(tenant: string): Promise<TenantDetail>;
  approve(tenants: string[], comment: string): Promise<void>;
  reject(tenants: string[], comment: string): Promise<void>;
  /** Reject, then queue a revert run (mode revert) for each tenant. */
  rejectAndRevert(tenants: string[], comment: string): Promise<void>;
  runNow(tenant: string, parameters: RunParameters): Promise<RunSummary>;
  pause(tenant: string): Promise<void>;
  resume(tenant: string): Promise<void>;
  /** Saves all logs of the run as a zip (signed link, else bearer fetch + blob). */
  downloadLogs(tenant: string, runId: number): Promise<void>;
  downloadArtifact(tenant: string, runId: number, artifact: string): Promise<void>;
  copy(text: string): Promise<void>;
}
