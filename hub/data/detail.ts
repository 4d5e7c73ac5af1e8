/**
 * detail — one tenant's detail, read when a person opens it: the run the status is about (fresh),
 * its facts and timeline (→ the seven steps, and the status again, now exact), the plan from the
 * run's tenant-sync-plan artifact, the last runs with their change counts, the pending approval
 * (whether this user may decide it, and who may), and signed download links. About eight calls, all
 * at once, plus one per artifact.
 *
 * The plan is read through the pipelines API's signed link ($expand=signedContent: a token-free URL)
 * and unzipped here; where the service gives no signed link, the build artifact's zip is fetched with
 * the token instead.
 */
import type { Build } from "azure-devops-extension-api/Build";
import type { GetArtifactExpandOptions, GetLogExpandOptions } from "azure-devops-extension-api/Pipelines";
import type { ApprovalView, TimelineRecordView } from "../../src/core/status/derive";
import { parseFacts } from "../../src/core/status/run-facts";
import type { HistoryPoint, TenantDetail } from "./model";
import { buildsOf, deriveFor, readProperties, readTimeline, type TenantRecord } from "./overview";
import { planViewOf } from "./plan-view";
import type { Rest } from "./rest";
import { stepsOf } from "./steps";
import { runSummaryOf } from "./wire";
import { readZipText } from "./zip";

export const planArtifact = "tenant-sync-plan";
const historyLength = 10;

/** A read that may fail without failing the whole (a run that has not published it yet). */
const optional = <T>(p: Promise<T>): Promise<T | undefined> => p.catch(() => undefined);

const approvalStatusNames: Record<number, string> = { 2: "pending", 4: "approved", 8: "rejected" };
const statusName = (s: unknown) => (typeof s === "number" ? approvalStatusNames[s] : String(s ?? "").toLowerCase());

/** One approval with its steps (who may approve, who did). */
export function readApproval(rest: Rest, id: string): Promise<DetailedApproval> {
  return rest.json(
    "GET",
    `pipelines/approvals/${encodeURIComponent(id)}?$expand=steps,permissions&api-version=7.1-preview.1`,
  );
}

/** An approval read with its steps and the caller's permissions on it. */
export type DetailedApproval = ApprovalView & {
  blockedApprovers?: { id?: string }[];
  /** The caller's: flags by name ("view, update") or number (update = 2). */
  permissions?: string | number;
};

const updatePermission = 2;

export const approverNames = (approval: ApprovalView | undefined): string[] =>
  (approval?.steps ?? [])
    .map((s) => s.assignedApprover?.displayName ?? s.assignedApprover?.uniqueName)
    .filter((n): n is string => Boolean(n));

/**
 * Whether `userId` may decide the approval: the service says so in the caller's permissions (update),
 * which also covers a member of an approver group; without them, an assigned approver whose step
 * still waits (and who is not blocked).
 */
export function mayApprove(approval: DetailedApproval | undefined, userId: string): boolean {
  if (!approval || statusName(approval.status) !== "pending") return false;
  const me = userId.toLowerCase();
  if ((approval.blockedApprovers ?? []).some((b) => b.id?.toLowerCase() === me)) return false;
  const p = approval.permissions;
  if (typeof p === "number") return (p & updatePermission) !== 0;
  if (typeof p === "string") return p.split(",").some((f) => f.trim().toLowerCase() === "update");
  return (approval.steps ?? []).some(
    (s) => s.assignedApprover?.id?.toLowerCase() === me && ["pending", ""].includes(statusName(s.status)),
  );
}

async function history(rest: Rest, definitionId: number): Promise<HistoryPoint[]> {
  const builds = await rest.call(() =>
    buildsOf(rest, { definitions: [definitionId], properties: ["TenantSync.Plan"], top: historyLength }),
  );
  return builds.slice(0, historyLength).map((b) => {
    const plan = parseFacts(b.properties).plan;
    return { run: runSummaryOf(b, rest.o), changes: plan ? plan.toAdd + plan.toChange + plan.toDelete : 0 };
  });
}

/**
 * $expand=signedContent by name: the client would send the enum's number (1), which the service's
 * documentation does not list for this query (its examples use the name).
 */
const signedContent = "signedContent" as unknown as GetArtifactExpandOptions & GetLogExpandOptions;

/** A run as the pipelines API addresses it. */
export interface RunAddress {
  pipelineId: number;
  runId: number;
}

const addressOf = (build: Build): RunAddress => ({ pipelineId: build.definition.id, runId: build.id });

/** The signed (token-free) link of one artifact, when the service gives one. */
export async function artifactLink(rest: Rest, run: RunAddress, name: string): Promise<string | undefined> {
  const artifact = await rest.call(() =>
    rest.pipelines.getArtifact(rest.project, run.pipelineId, run.runId, name, signedContent),
  );
  return artifact?.signedContent?.url;
}

/** The zip of one artifact: through its signed link when there is one, else the build artifact with the token. */
export async function artifactZip(rest: Rest, run: RunAddress, name: string, signedUrl?: string): Promise<ArrayBuffer> {
  const url = signedUrl ?? (await optional(artifactLink(rest, run, name)));
  if (url) return rest.bytes(url, false);
  return rest.call(() => rest.build.getArtifactContentZip(rest.project, run.runId, name));
}

/** The signed link of the zip of all the run's logs, when the service gives one. */
export async function logsLink(rest: Rest, run: RunAddress): Promise<string | undefined> {
  const logs = await rest.call(() => rest.pipelines.listLogs(rest.project, run.pipelineId, run.runId, signedContent));
  return logs?.signedContent?.url;
}

/** The id of the run's rejected approval: its Checkpoint.Approval record, failed. */
function rejectedGate(timeline: TimelineRecordView[]): string | undefined {
  const record = timeline.find(
    (r) => String(r.type).toLowerCase() === "checkpoint.approval" && (r.result === 2 || String(r.result) === "failed"),
  );
  return record?.id;
}

/** The tenant's detail (see the module comment). */
export async function loadTenantDetail(rest: Rest, record: TenantRecord): Promise<TenantDetail> {
  const session = rest.session();
  const { row, definition } = record;
  const runId = row.status.run?.id ?? record.runs[0]?.id;
  const empty: TenantDetail = {
    tenant: row.tenant,
    steps: [],
    history: [],
    canApprove: false,
    approvers: [],
    downloads: { artifacts: [] },
  };
  if (runId === undefined) return { ...empty, status: row.status };
  const approvalId = row.status.detail.approval?.id;
  const [build, timeline, points, approval] = await Promise.all([
    session.call(() => session.build.getBuild(session.project, runId)),
    readTimeline(session, runId),
    history(session, definition.id),
    approvalId ? optional(readApproval(session, approvalId)) : Promise.resolve(undefined),
  ]);
  const [, artifacts, logsZip] = await Promise.all([
    readProperties(session, build),
    optional(session.call(() => session.build.getArtifacts(session.project, runId))),
    optional(logsLink(session, addressOf(build))),
  ]);
  const names = (artifacts ?? []).map((a) => a.name);
  const links = await Promise.all(names.map((n) => optional(artifactLink(session, addressOf(build), n))));
  const facts = parseFacts(build.properties);

  let plan: TenantDetail["plan"];
  let planError: string | undefined;
  if (names.includes(planArtifact)) {
    try {
      const zip = await artifactZip(session, addressOf(build), planArtifact, links[names.indexOf(planArtifact)]);
      const text = await readZipText(zip, "/plan.json");
      if (text === undefined)
        planError = `The ${planArtifact} artifact of run ${build.buildNumber} holds no plan.json.`;
      else plan = planViewOf(text, { fact: facts.plan, templateParameters: build.templateParameters });
    } catch (e) {
      planError = `The plan of run ${build.buildNumber} could not be read: ${(e as Error).message}`;
    }
  }

  const runs = [build, ...record.runs.filter((r) => r.id !== build.id)];
  let status = deriveFor(definition, runs, record.approvals, session.now(), timeline);
  // A rejection told by the timeline alone lacks who rejected and why: the approval (the failed
  // Checkpoint.Approval record has its id) says both.
  const gate = status.detail.rejected?.evidence === "timeline" ? rejectedGate(timeline) : undefined;
  const decided = gate ? await optional(readApproval(session, gate)) : undefined;
  if (decided) status = deriveFor(definition, runs, [...record.approvals, decided], session.now(), timeline);
  const approvers = approverNames(approval);
  return {
    tenant: row.tenant,
    run: runSummaryOf(build, session.o),
    status,
    steps: stepsOf(timeline, facts, build.status === 2 || (build.status as unknown) === "completed"),
    ...(plan ? { plan } : {}),
    ...(planError ? { planError } : {}),
    history: points,
    canApprove: mayApprove(approval, session.o.user.id),
    approvers: approvers.length ? approvers : (row.status.detail.approval?.approvers ?? []),
    downloads: {
      ...(logsZip ? { logsZip } : {}),
      artifacts: names.map((name, i) => ({ name, ...(links[i] ? { url: links[i] } : {}) })),
    },
    calls: session.calls,
  };
}
