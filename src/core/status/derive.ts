/**
 * derive — the one status of a tenant, shown by the hub and the command line alike, worked out from
 * what the overview reads anyway: the pipeline definition, its latest run or two (with the facts and
 * tags the tasks published), the pending approvals and, when loaded, the latest run's timeline. Pure:
 * no I/O, no node:* (it ships in the hub bundle). Both wire forms are accepted (enums as names or as
 * numbers, dates as ISO text, "/Date(ms)/" or Date) and normalised once, on the way in.
 *
 * Choices where the evidence is ambiguous:
 * - A paused or disabled pipeline keeps the status its runs give (pausing stops new runs, not the one
 *   waiting for an approval or a sign-in); `paused` is shown alongside it, and a next action that
 *   would start a run (run a sync, or a queued run that cannot start) becomes "resume".
 * - A rejected approval is not an error: the run ends Failed only because the Deploy stage was
 *   rejected. Unless an error fact says otherwise it shows Idle with `detail.rejected` (who, when,
 *   the comment) — the last plan was not deployed and its changes stay pending in the repository.
 *   Evidence is the approval (when the caller passes non-pending ones), a failed Checkpoint.Approval
 *   record of the timeline, or, without either, facts that end at a plan with changes and no error
 *   (evidence "facts": a guess the timeline can confirm, so `needsTimeline` is set).
 * - An older run waiting for approval while a newer one is queued or running (the newer waits for the
 *   environment's exclusive lock) shows Pending approval of the older run, with `queuedBehind` naming
 *   the newer: the approver is the one who can move things on. A newer run that itself waits for a
 *   person (sign-in) or failed wins instead.
 * - A cancelled run is not an error: the status comes from the runs before it (Not run when there
 *   are none), with `lastRunCanceled` naming it.
 * - Pending admin consent wins over Partially successful and Idle (their detail is kept); a failed run
 *   shows New error unless its error is the missing consent itself.
 * - A device code past its expiry while the run still goes stays Pending authentication with
 *   `expired: true`; once the run failed it is New error.
 * - An error fact on a run that has not finished yet is already New error: the stage failed and the
 *   run is only winding down (every task clears the error fact when it starts).
 * - Starting means no task of the run has started: by the timeline when given, else by the marks the
 *   Tenant Sync task sets first (its tags and step), since the builds list may lack property bags.
 * - Pending authentication began when the code was shown (the fact's shownAt; without it, the running
 *   task's start, then the run's).
 * - `needsTimeline` says where the three overview calls leave the status a guess or without the job
 *   link; the hub reads the timeline for those few tenants and derives again.
 */
import {
  type ConsentFact,
  type DeviceCodeFact,
  type ErrorFact,
  parseFacts,
  type RunFacts,
  type RunStep,
  runTag,
} from "./run-facts";

export const tenantStatusKinds = [
  "notRun",
  "idle",
  "starting",
  "inProgress",
  "newError",
  "pendingAuthentication",
  "pendingApproval",
  "partiallySuccessful",
  "pendingAdminConsent",
] as const;
export type TenantStatusKind = (typeof tenantStatusKinds)[number];

export const tenantStatusLabels: Record<TenantStatusKind, string> = {
  notRun: "Not run",
  idle: "Idle",
  starting: "Starting",
  inProgress: "In progress",
  newError: "New error",
  pendingAuthentication: "Pending authentication",
  pendingApproval: "Pending approval",
  partiallySuccessful: "Partially successful",
  pendingAdminConsent: "Pending admin consent",
};

export type NextActionKind =
  "approve" | "enterCode" | "grantConsent" | "fixError" | "reviewRun" | "wait" | "runSync" | "resume";

// ---- Inputs: the REST shapes, only the fields read; numbers or names for enums.

type EnumValue = string | number;
/** ISO text, "/Date(ms)/" (msDateFormat=true) or a Date (the REST clients turn the former into one). */
type DateValue = string | Date;

export interface IdentityView {
  id?: string;
  displayName?: string;
  uniqueName?: string;
}

export interface DefinitionView {
  id: number;
  name: string;
  path: string;
  /** enabled 0, paused 1, disabled 2. */
  queueStatus?: EnumValue;
}

/** A Build as the builds list returns it (properties as {Key: {$type, $value}} or plain strings). */
export interface RunView {
  id: number | string;
  buildNumber?: string;
  status: EnumValue;
  result?: EnumValue | null;
  queueTime?: DateValue | null;
  startTime?: DateValue | null;
  finishTime?: DateValue | null;
  tags?: string[];
  properties?: Record<string, unknown>;
}

export interface ApprovalView {
  id: string;
  /** Approval status; usually pending (2). */
  status: EnumValue;
  createdOn?: DateValue;
  lastModifiedOn?: DateValue;
  instructions?: string;
  minRequiredApprovers?: number;
  steps?: {
    assignedApprover?: IdentityView;
    actualApprover?: IdentityView;
    status?: EnumValue;
    comment?: string;
    lastModifiedOn?: DateValue;
  }[];
  /** owner.id is the build id (sometimes as text). */
  pipeline?: { owner?: { id?: number | string; name?: string }; id?: number | string; name?: string };
  _links?: Record<string, { href?: string } | undefined>;
}

export interface TimelineRecordView {
  id: string;
  parentId?: string | null;
  type: string;
  name?: string;
  identifier?: string | null;
  state?: EnumValue | null;
  result?: EnumValue | null;
  startTime?: DateValue | null;
  finishTime?: DateValue | null;
  issues?: { type?: EnumValue; category?: string; message?: string }[] | null;
}

export interface TenantStatusInput {
  definition: DefinitionView;
  /** Newest first: usually the latest run and the latest completed one. */
  runs: RunView[];
  /** Pending approvals (the one list call, any pipeline's: they are joined to runs by pipeline.owner.id). */
  approvals: ApprovalView[];
  /** The timeline of runs[0], when loaded; used only when the status is that run's. */
  timeline?: TimelineRecordView[];
  now: number;
}

// ---- Output.

export interface RunRef {
  id: number;
  buildNumber?: string;
}

export interface StatusError {
  code: string;
  message: string;
  hint?: string;
  object?: string;
  step?: RunStep;
  /** Timeline record ids, for the job link (…&j=<job>&t=<task>); only with the timeline. */
  jobRecordId?: string;
  taskRecordId?: string;
}

export interface StatusDeviceCode {
  userCode: string;
  verificationUri: string;
  expiresAt: string;
  expired: boolean;
}

export interface StatusApproval {
  id: string;
  /** The run waiting at the gate. */
  runId: number;
  instructions?: string;
  approvers: string[];
  minRequired?: number;
  createdOn?: string;
}

export interface StatusPartial {
  /** Resource types that could not be backed up. */
  failedTypes: string[];
  /** Changes the deploy could not apply. */
  deployFailed: number;
  planBlocked: boolean;
}

export interface StatusRejection {
  by?: string;
  comment?: string;
  at?: string;
  evidence: "approval" | "timeline" | "facts";
}

export interface TenantStatus {
  status: TenantStatusKind;
  label: string;
  /** The pipeline's queue status is paused or disabled: shown alongside the status. */
  paused: boolean;
  queueStatus: "enabled" | "paused" | "disabled";
  definition: { id: number; name: string; path: string };
  /** The run the status is about. */
  run?: RunRef;
  /** ISO time the status began. */
  since?: string;
  /** Of the status's run, in ms: so far while it goes, queue wait while it has not started. */
  duration?: number;
  step?: RunStep;
  lastSuccess?: RunRef & { finishTime?: string };
  lastRunCanceled?: RunRef & { finishTime?: string };
  /** A newer run waiting behind the approval of `run`. */
  queuedBehind?: RunRef & { status: "starting" | "inProgress" };
  planCounts?: { add: number; change: number; delete: number };
  planSummary?: string;
  detail: {
    error?: StatusError;
    deviceCode?: StatusDeviceCode;
    approval?: StatusApproval;
    consent?: ConsentFact;
    partial?: StatusPartial;
    rejected?: StatusRejection;
  };
  nextAction: { kind: NextActionKind; text: string };
  /** The run's timeline would make this status exact (job link, rejection, whether a job started). */
  needsTimeline: boolean;
}

// ---- Normalised forms.

const buildStatuses = [
  "none",
  "inProgress",
  "completed",
  "cancelling",
  "postponed",
  "abandoned",
  "notStarted",
] as const;
type BuildStatus = (typeof buildStatuses)[number];
const buildResults = ["none", "succeeded", "partiallySucceeded", "failed", "canceled"] as const;
type BuildResult = (typeof buildResults)[number];
const recordStates = ["pending", "inProgress", "completed"] as const;
const taskResults = ["succeeded", "succeededWithIssues", "failed", "canceled", "skipped", "abandoned"] as const;
/** Approval statuses are flags: pending 2, approved 4, rejected 8, canceled 32, timedOut 64 are seen in use. */
const approvalStatuses = [
  "undefined",
  "uninitiated",
  "pending",
  "approved",
  "rejected",
  "skipped",
  "canceled",
  "timedOut",
  "deferred",
  "failed",
  "completed",
] as const;
type ApprovalStatus = (typeof approvalStatuses)[number];
const queueStatuses = ["enabled", "paused", "disabled"] as const;

const numbers = {
  buildStatus: {
    0: "none",
    1: "inProgress",
    2: "completed",
    4: "cancelling",
    8: "postponed",
    16: "abandoned",
    32: "notStarted",
  } as Record<number, BuildStatus>,
  buildResult: { 0: "none", 2: "succeeded", 4: "partiallySucceeded", 8: "failed", 32: "canceled" } as Record<
    number,
    BuildResult
  >,
  approval: Object.fromEntries(approvalStatuses.map((s, i) => [i === 0 ? 0 : 2 ** (i - 1), s])) as Record<
    number,
    ApprovalStatus
  >,
};

/** An enum value by name (any case) or by number: positional unless a table of numbers is given. */
function enumOf<T extends string>(
  value: EnumValue | null | undefined,
  names: readonly T[],
  byNumber?: Record<number, T>,
): T | undefined {
  if (typeof value === "number") return byNumber ? byNumber[value] : names[value];
  if (typeof value !== "string") return undefined;
  return names.find((n) => n.toLowerCase() === value.toLowerCase());
}

/** Epoch ms; the service's "never" (0001-01-01) and unparseable text are undefined. */
function timeOf(value: DateValue | null | undefined): number | undefined {
  if (value === null || value === undefined) return undefined;
  const ms =
    value instanceof Date
      ? value.getTime()
      : /^\/Date\((-?\d+)/.test(value)
        ? Number(/^\/Date\((-?\d+)/.exec(value)![1])
        : Date.parse(value);
  return Number.isFinite(ms) && ms > 0 ? ms : undefined;
}

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

interface Run {
  ref: RunRef;
  status: BuildStatus;
  result?: BuildResult;
  queueTime?: number;
  startTime?: number;
  finishTime?: number;
  tags: Set<string>;
  facts: RunFacts;
}

function normaliseRun(view: RunView): Run {
  return {
    ref: { id: Number(view.id), ...(view.buildNumber ? { buildNumber: view.buildNumber } : {}) },
    status: enumOf(view.status, buildStatuses, numbers.buildStatus) ?? "none",
    result: enumOf(view.result, buildResults, numbers.buildResult),
    queueTime: timeOf(view.queueTime),
    startTime: timeOf(view.startTime),
    finishTime: timeOf(view.finishTime),
    tags: new Set(view.tags ?? []),
    facts: parseFacts(view.properties),
  };
}

interface Approval {
  view: ApprovalView;
  status?: ApprovalStatus;
  runId?: number;
}

function normaliseApproval(view: ApprovalView): Approval {
  const owner = view.pipeline?.owner?.id;
  const href = view._links?.build?.href ?? "";
  const fromLink = /[?&]buildId=(\d+)/i.exec(href) ?? /\/builds\/(\d+)/i.exec(href);
  const runId = owner !== undefined && owner !== "" ? Number(owner) : fromLink ? Number(fromLink[1]) : undefined;
  return { view, status: enumOf(view.status, approvalStatuses, numbers.approval), runId };
}

interface TimelineRecord {
  view: TimelineRecordView;
  type: string;
  state?: (typeof recordStates)[number];
  result?: (typeof taskResults)[number];
}

const normaliseRecord = (view: TimelineRecordView): TimelineRecord => ({
  view,
  type: view.type.toLowerCase(),
  state: enumOf(view.state, recordStates),
  result: enumOf(view.result, taskResults),
});

const isActive = (run: Run) => run.status !== "completed" && run.status !== "abandoned";
const isCanceled = (run: Run) => run.status === "abandoned" || run.result === "canceled";

// ---- The decision.

/** What decide() settles on; present() adds what every status carries. */
interface Decision {
  status: TenantStatusKind;
  run?: Run;
  since?: number;
  step?: RunStep;
  detail: TenantStatus["detail"];
  queuedBehind?: TenantStatus["queuedBehind"];
  lastRunCanceled?: TenantStatus["lastRunCanceled"];
  needsTimeline?: boolean;
}

interface Evidence {
  approvals: Approval[];
  /** The timeline of runs[0]; empty when not loaded. */
  timeline: TimelineRecord[];
  now: number;
}

export function deriveTenantStatus(input: TenantStatusInput): TenantStatus {
  const given = distinct(input.runs.map(normaliseRun));
  const approvals = input.approvals.map(normaliseApproval);
  const ids = new Set(given.map((r) => r.ref.id));
  const runs = [...given, ...gatedRunsNotGiven(approvals, input.definition.id, ids)];
  // Build ids grow with queue time; the order decides which run is "latest".
  if (runs.length > given.length) runs.sort((a, b) => b.ref.id - a.ref.id);
  const evidence: Evidence = { approvals, timeline: (input.timeline ?? []).map(normaliseRecord), now: input.now };
  return present(decide(runs, evidence), input.definition, runs, input.now);
}

/** One of each run, in the order given; of two copies the one with more facts (the definition's has none). */
function distinct(runs: Run[]): Run[] {
  const byId = new Map<number, Run>();
  for (const run of runs) {
    const other = byId.get(run.ref.id);
    if (!other || Object.keys(run.facts).length > Object.keys(other.facts).length) byId.set(run.ref.id, run);
  }
  return runs.filter((run) => byId.get(run.ref.id) === run);
}

/**
 * Runs of this pipeline known only from a pending approval: the overview reads one run per pipeline,
 * so an older run still waiting at the gate (behind which a newer one queued) is seen only there.
 */
function gatedRunsNotGiven(approvals: Approval[], definitionId: number, given: Set<number>): Run[] {
  return approvals
    .filter((a) => a.status === "pending" && a.runId !== undefined && !given.has(a.runId))
    .filter((a) => Number(a.view.pipeline?.id) === definitionId)
    .map((a) => ({
      ref: { id: a.runId!, ...(a.view.pipeline?.owner?.name ? { buildNumber: a.view.pipeline.owner.name } : {}) },
      status: "inProgress",
      tags: new Set<string>(),
      facts: {},
    }));
}

function decide(runs: Run[], evidence: Evidence): Decision {
  const [latest, ...older] = runs;
  if (!latest) return { status: "notRun", detail: {} };
  if (isCanceled(latest)) {
    const before = decide(older, { ...evidence, timeline: [] });
    return { ...before, lastRunCanceled: { ...latest.ref, finishTime: iso(latest.finishTime) } };
  }
  if (!isActive(latest)) return completed(latest, evidence);
  const own = active(latest, evidence);
  if (own.status !== "starting" && own.status !== "inProgress") return own;
  const gated = older.find((r) => isActive(r) && pendingApproval(r, { ...evidence, timeline: [] }));
  if (!gated) return own;
  return {
    ...active(gated, { ...evidence, timeline: [] }),
    queuedBehind: { ...latest.ref, status: own.status },
  };
}

function active(run: Run, evidence: Evidence): Decision {
  const { facts } = run;
  const kept = keptDetail(run);
  if (facts.error) return failedWith(run, facts.error, evidence);
  const approval = pendingApproval(run, evidence);
  if (approval) {
    const since = timeOf(approval.createdOn);
    return { status: "pendingApproval", run, since, step: "approval", detail: { approval, ...kept } };
  }
  if (facts.deviceCode) {
    const deviceCode = deviceCodeOf(facts.deviceCode, evidence.now);
    const since = timeOf(facts.deviceCode.shownAt) ?? runningTask(evidence.timeline)?.startTime ?? run.startTime;
    return { status: "pendingAuthentication", run, since, step: "authenticate", detail: { deviceCode, ...kept } };
  }
  if (!hasStarted(run, evidence.timeline)) return { status: "starting", run, since: run.queueTime, detail: kept };
  const step = facts.step ?? stepOfTimeline(evidence.timeline);
  return { status: "inProgress", run, since: run.startTime ?? run.queueTime, step, detail: kept };
}

function completed(run: Run, evidence: Evidence): Decision {
  const { facts } = run;
  const kept = keptDetail(run);
  const lacksConsent = Boolean(kept.consent) || run.tags.has(runTag.pendingConsent);
  const last = { run, since: run.finishTime, step: facts.step };
  if (run.result === "succeeded" || run.result === "partiallySucceeded") {
    if (lacksConsent) return { ...last, status: "pendingAdminConsent", detail: kept };
    return { ...last, status: run.result === "succeeded" ? "idle" : "partiallySuccessful", detail: kept };
  }
  if (facts.error) {
    const failed = failedWith(run, facts.error, evidence);
    if (facts.error.code === "auth.consentRequired" && lacksConsent)
      return { ...failed, status: "pendingAdminConsent" };
    return failed;
  }
  const rejected = rejectionOf(run, evidence);
  if (rejected)
    return { ...last, status: "idle", detail: { ...kept, rejected }, needsTimeline: rejected.evidence === "facts" };
  const deviceCode = facts.deviceCode ? deviceCodeOf(facts.deviceCode, evidence.now) : undefined;
  return {
    ...last,
    status: "newError",
    detail: { ...kept, error: unexplainedFailure(run, evidence.timeline), ...(deviceCode ? { deviceCode } : {}) },
    needsTimeline: evidence.timeline.length === 0,
  };
}

/** The error of a failed run without an error fact: the failed task's issue, a sign-in left waiting, or nothing known. */
function unexplainedFailure(run: Run, timeline: TimelineRecord[]): StatusError {
  const { facts } = run;
  const record = failedTask(timeline);
  if (record) return { ...errorOfRecord(record, timeline), step: facts.step ?? stepOfRecord(record, timeline) };
  if (facts.deviceCode)
    return {
      code: "auth.deviceCodeTimeout",
      message: `Nobody signed in with the device code ${facts.deviceCode.userCode} before it expired at ${facts.deviceCode.expiresAt}.`,
      hint: `Run the sync again and sign in at ${facts.deviceCode.verificationUri} while the code is shown.`,
      step: "authenticate",
    };
  return {
    code: "pipeline.failed",
    message: `Run ${run.ref.buildNumber ?? run.ref.id} failed before Tenant Sync recorded why.`,
    hint: "Open the run's log to see which step failed, fix the cause and run the sync again.",
    ...(facts.step ? { step: facts.step } : {}),
  };
}

/** New error from the run's error fact; the timeline, when given, adds the job and task of the failure. */
function failedWith(run: Run, fact: ErrorFact, evidence: Evidence): Decision {
  const record = failedTask(evidence.timeline);
  const ids = record ? recordIds(record, evidence.timeline) : {};
  const deviceCode = run.facts.deviceCode ? deviceCodeOf(run.facts.deviceCode, evidence.now) : undefined;
  return {
    status: "newError",
    run,
    since: run.finishTime ?? timeOf(record?.view.finishTime) ?? run.startTime,
    step: fact.step,
    detail: { error: { ...fact, ...ids }, ...keptDetail(run), ...(deviceCode ? { deviceCode } : {}) },
    needsTimeline: evidence.timeline.length === 0,
  };
}

function pendingApproval(run: Run, evidence: Evidence): StatusApproval | undefined {
  const found = evidence.approvals.find((a) => a.runId === run.ref.id && a.status === "pending");
  if (found) {
    const v = found.view;
    return {
      id: v.id,
      runId: run.ref.id,
      ...(v.instructions ? { instructions: v.instructions } : {}),
      approvers: (v.steps ?? []).map((s) => nameOf(s.assignedApprover)).filter((n): n is string => Boolean(n)),
      minRequired: v.minRequiredApprovers ?? 1,
      ...(timeOf(v.createdOn) ? { createdOn: iso(timeOf(v.createdOn)) } : {}),
    };
  }
  const record = evidence.timeline.find(
    (r) => r.type === "checkpoint.approval" && r.state === "inProgress" && r.result === undefined,
  );
  if (!record) return undefined;
  const createdOn = iso(timeOf(record.view.startTime));
  return { id: record.view.id, runId: run.ref.id, approvers: [], ...(createdOn ? { createdOn } : {}) };
}

function rejectionOf(run: Run, evidence: Evidence): StatusRejection | undefined {
  const approval = evidence.approvals.find((a) => a.runId === run.ref.id && a.status === "rejected");
  if (approval) {
    const step = approval.view.steps?.find((s) => enumOf(s.status, approvalStatuses, numbers.approval) === "rejected");
    const by = nameOf(step?.actualApprover) ?? nameOf(step?.assignedApprover);
    const at = iso(timeOf(step?.lastModifiedOn) ?? timeOf(approval.view.lastModifiedOn));
    return {
      ...(by ? { by } : {}),
      ...(step?.comment ? { comment: step.comment } : {}),
      ...(at ? { at } : {}),
      evidence: "approval",
    };
  }
  if (evidence.timeline.length > 0) {
    const gate = evidence.timeline.find((r) => r.type === "checkpoint.approval" && r.result === "failed");
    if (!gate) return undefined;
    const at = iso(timeOf(gate.view.finishTime));
    return { ...(at ? { at } : {}), evidence: "timeline" };
  }
  // Facts that end at a plan with changes: Deploy never started (it would have moved the step on).
  const plan = run.facts.plan;
  if (run.facts.step === "plan" && plan?.hasChanges && !plan.blocked) return { evidence: "facts" };
  return undefined;
}

/** Detail every status of a run keeps: what consent it lacks, what it could not do. */
function keptDetail(run: Run): Pick<TenantStatus["detail"], "consent" | "partial"> {
  const consent = run.facts.missingPermissions ?? undefined;
  const partial = partialOf(run);
  return { ...(consent ? { consent } : {}), ...(partial ? { partial } : {}) };
}

function partialOf(run: Run): StatusPartial | undefined {
  const { backup, deploy, plan } = run.facts;
  const failedTypes = backup?.failedTypes ?? [];
  const deployFailed = deploy && deploy.status !== "succeeded" ? deploy.failed : 0;
  const planBlocked = plan?.blocked ?? false;
  if (failedTypes.length === 0 && deployFailed === 0 && !planBlocked && !run.tags.has(runTag.partial)) return undefined;
  return { failedTypes, deployFailed, planBlocked };
}

function deviceCodeOf(fact: DeviceCodeFact, now: number): StatusDeviceCode {
  const expiresAt = timeOf(fact.expiresAt);
  return {
    userCode: fact.userCode,
    verificationUri: fact.verificationUri,
    expiresAt: fact.expiresAt,
    expired: expiresAt !== undefined && now > expiresAt,
  };
}

const nameOf = (identity: IdentityView | undefined) => identity?.displayName ?? identity?.uniqueName;

// ---- Timeline reading.

/**
 * Whether a task of the run started: by the timeline when loaded, else by the marks the Tenant Sync
 * task sets first (its tags, its step).
 */
function hasStarted(run: Run, timeline: TimelineRecord[]): boolean {
  if (run.status === "notStarted" || run.status === "postponed") return false;
  if (timeline.length > 0)
    return timeline.some((r) => r.type === "task" && r.state !== undefined && r.state !== "pending");
  return run.facts.step !== undefined || run.tags.has(runTag.product);
}

const runningTask = (timeline: TimelineRecord[]) => {
  const record = timeline.find((r) => r.type === "task" && r.state === "inProgress");
  return record ? { startTime: timeOf(record.view.startTime) } : undefined;
};

function failedTask(timeline: TimelineRecord[]): TimelineRecord | undefined {
  const failed = timeline.filter((r) => r.result === "failed" && !r.type.startsWith("checkpoint"));
  return failed.find((r) => r.type === "task") ?? failed.find((r) => r.type === "job");
}

function recordIds(
  record: TimelineRecord,
  timeline: TimelineRecord[],
): Pick<StatusError, "jobRecordId" | "taskRecordId"> {
  if (record.type === "job") return { jobRecordId: record.view.id };
  const parent = timeline.find((r) => r.view.id === record.view.parentId);
  return { taskRecordId: record.view.id, ...(parent?.type === "job" ? { jobRecordId: parent.view.id } : {}) };
}

function errorOfRecord(record: TimelineRecord, timeline: TimelineRecord[]): StatusError {
  const issue = (record.view.issues ?? []).find((i) => enumOf(i.type, ["", "error", "warning"]) === "error");
  return {
    code: "pipeline.failed",
    message: issue?.message ?? `${record.view.name ?? "A step"} failed.`,
    hint: "Open the job's log to see what failed, fix the cause and run the sync again.",
    ...recordIds(record, timeline),
  };
}

const stageSteps: Record<string, RunStep> = { backup: "backup", plan: "plan", deploy: "deploy" };

function stepOfRecord(record: TimelineRecord, timeline: TimelineRecord[]): RunStep | undefined {
  for (let r: TimelineRecord | undefined = record; r; r = timeline.find((p) => p.view.id === r!.view.parentId))
    if (r.type === "stage") return stageSteps[(r.view.identifier ?? r.view.name ?? "").toLowerCase()];
  return undefined;
}

function stepOfTimeline(timeline: TimelineRecord[]): RunStep | undefined {
  const running = timeline.find((r) => r.type === "stage" && r.state === "inProgress");
  return running ? stepOfRecord(running, timeline) : undefined;
}

// ---- Presentation: what every status carries.

const stepNames: Record<RunStep, string> = {
  authenticate: "signing in",
  backup: "backing up the tenant",
  importDrift: "importing changes made in the tenant",
  plan: "making the plan",
  approval: "waiting for approval",
  deploy: "deploying the plan",
  settle: "settling",
};

function present(decision: Decision, definitionView: DefinitionView, runs: Run[], now: number): TenantStatus {
  const { run, detail } = decision;
  const queueStatus = enumOf(definitionView.queueStatus, queueStatuses) ?? "enabled";
  const success = runs.find((r) => r.status === "completed" && r.result === "succeeded");
  const plan = run?.facts.plan;
  const begun = run?.startTime ?? run?.queueTime;
  const end = run && isActive(run) ? now : run?.finishTime;
  return {
    status: decision.status,
    label: tenantStatusLabels[decision.status],
    paused: queueStatus !== "enabled",
    queueStatus,
    definition: { id: definitionView.id, name: definitionView.name, path: definitionView.path },
    ...(run ? { run: run.ref } : {}),
    ...(decision.since !== undefined ? { since: iso(decision.since) } : {}),
    ...(begun !== undefined && end !== undefined ? { duration: Math.max(0, end - begun) } : {}),
    ...(decision.step ? { step: decision.step } : {}),
    ...(success ? { lastSuccess: { ...success.ref, finishTime: iso(success.finishTime) } } : {}),
    ...(decision.lastRunCanceled ? { lastRunCanceled: decision.lastRunCanceled } : {}),
    ...(decision.queuedBehind ? { queuedBehind: decision.queuedBehind } : {}),
    ...(plan
      ? { planCounts: { add: plan.toAdd, change: plan.toChange, delete: plan.toDelete }, planSummary: plan.summary }
      : {}),
    detail,
    nextAction: pausedAction(nextAction(decision), decision.status, queueStatus),
    needsTimeline: decision.needsTimeline ?? false,
  };
}

function nextAction(decision: Decision): TenantStatus["nextAction"] {
  const { detail, run } = decision;
  const plan = run?.facts.plan;
  switch (decision.status) {
    case "notRun":
      return { kind: "runSync", text: "Run the pipeline to take the first backup and plan." };
    case "idle":
      if (detail.rejected)
        return {
          kind: "runSync",
          text: `The last plan was not deployed: rejected${detail.rejected.by ? ` by ${detail.rejected.by}` : ""}${detail.rejected.comment ? ` ("${detail.rejected.comment}")` : ""}. Its changes stay pending in the repository; run a sync to plan again.`,
        };
      if (plan?.hasChanges && plan.needsConfirmation.length)
        return {
          kind: "runSync",
          text: `The plan needs the confirmations ${plan.needsConfirmation.join(", ")} before it deploys: run the sync with them confirmed.`,
        };
      return { kind: "runSync", text: "Up to date. Run a sync to check the tenant now." };
    case "starting":
      return { kind: "wait", text: "The run is queued and waits for an agent." };
    case "inProgress":
      return { kind: "wait", text: `The run is ${decision.step ? stepNames[decision.step] : "running"}.` };
    case "pendingAuthentication":
      return detail.deviceCode?.expired
        ? {
            kind: "wait",
            text: "The sign-in code expired; the run stops shortly. Run the sync again and sign in while the code is shown.",
          }
        : {
            kind: "enterCode",
            text: `Sign in at ${detail.deviceCode?.verificationUri} with the code ${detail.deviceCode?.userCode} before ${detail.deviceCode?.expiresAt}.`,
          };
    case "pendingApproval":
      return {
        kind: "approve",
        text: `Review the plan${plan ? ` (${plan.summary})` : ""} and approve or reject it${decision.queuedBehind ? `; run ${decision.queuedBehind.buildNumber ?? decision.queuedBehind.id} waits behind it` : ""}.`,
      };
    case "newError":
      return {
        kind: "fixError",
        text: detail.error?.hint ?? "Open the run's log, fix the cause and run the sync again.",
      };
    case "partiallySuccessful":
      return {
        kind: "reviewRun",
        text: detail.partial?.failedTypes.length
          ? `Could not back up ${detail.partial.failedTypes.join(", ")}: see the run's report, fix the cause and run the sync again.`
          : detail.partial?.deployFailed
            ? `${detail.partial.deployFailed} change${detail.partial.deployFailed === 1 ? "" : "s"} could not be deployed: see the run's report; the next deploy applies only what is left.`
            : "The run finished with issues: see the run's report.",
      };
    case "pendingAdminConsent":
      return {
        kind: "grantConsent",
        text: detail.consent
          ? `Grant admin consent for ${detail.consent.permissions.join(", ")}${detail.consent.consentUrl ? ` at ${detail.consent.consentUrl}` : ""}, then run the sync again.`
          : "Grant admin consent for the permissions the run's report lists, then run the sync again.",
      };
  }
}

/** A paused pipeline queues runs without starting them; a disabled one refuses them. */
function pausedAction(
  action: TenantStatus["nextAction"],
  status: TenantStatusKind,
  queueStatus: TenantStatus["queueStatus"],
): TenantStatus["nextAction"] {
  if (queueStatus === "enabled") return action;
  const verb = queueStatus === "paused" ? "Resume" : "Enable";
  if (status === "starting")
    return {
      kind: "resume",
      text: `The run is queued but the pipeline is ${queueStatus}. ${verb} it so the run starts.`,
    };
  if (action.kind === "runSync")
    return {
      kind: "resume",
      text: `${action.text} The pipeline is ${queueStatus}: ${verb.toLowerCase()} it to sync again.`,
    };
  return action;
}
