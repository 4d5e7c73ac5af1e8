/**
 * approvals — the approvals runs wait on (preview-only, as the service publishes them): the list
 * (approvalIds, assignedTo/userIds, state, top, $expand=steps|permissions), one approval, and the
 * PATCH by which an assigned approver approves or rejects. Each approval carries the `pipeline`
 * block real responses have: owner = the run (build id and number), id/name = the definition.
 */
import { fail, json, type HttpResponse } from "../../http/response";
import { previewOnly, type AzdoRoute, type RequestContext } from "../context";
import { badRequest, vssError } from "../errors";
import { identityOf, type Approval, type ApprovalStep, type IdentityRef } from "../state/approvals";
import { dateValue, listBody } from "../wire";
import { parseBody, projectOf } from "./common";

const approvalsTemplate = "/{org}/{project}/_apis/pipelines/approvals";
const approvalWebApi = "Microsoft.Azure.Pipelines.Approval.WebApi";

function approvalError(status: number, typeKey: string, message: string): HttpResponse {
  return vssError(status, typeKey, message, `${approvalWebApi}.${typeKey}, ${approvalWebApi}`);
}

const statuses = [
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
  "all",
];
/** Numbers public hubs have seen for the status flags; the emulator answers names and accepts either. */
const statusNumbers: Record<number, string> = {
  2: "pending",
  4: "approved",
  8: "rejected",
  32: "canceled",
  64: "timedOut",
};

function statusName(value: unknown): string | undefined {
  if (typeof value === "number") return statusNumbers[value];
  if (typeof value !== "string") return undefined;
  return statuses.find((s) => s.toLowerCase() === value.toLowerCase());
}

export function renderIdentity(i: IdentityRef) {
  return { displayName: i.displayName, id: i.id, uniqueName: i.uniqueName, descriptor: i.descriptor };
}

/** Whether `me` may decide a pending step: assigned itself, or a member of an assigned group. */
function isAssigned(ctx: RequestContext, a: Approval, me: IdentityRef): boolean {
  return a.steps.some((s) => s.status === "pending" && ctx.store.approvals.actsFor(s.assignedApprover, me));
}

function renderApproval(a: Approval, ctx: RequestContext, expand: Set<string>) {
  const f = ctx.format;
  const { collectionUri } = ctx.urls;
  const definition = ctx.store.builds.definitions.find((d) => d.id === a.definitionId);
  const me = ctx.caller ? identityOf(ctx.caller) : undefined;
  const mayAct = !!me && a.status === "pending" && isAssigned(ctx, a, me);
  const permissions = mayAct ? "view, update" : "view";
  const step = (s: ApprovalStep) => ({
    assignedApprover: renderIdentity(s.assignedApprover),
    ...(s.actualApprover ? { actualApprover: renderIdentity(s.actualApprover) } : {}),
    status: s.status,
    ...(s.comment !== undefined ? { comment: s.comment } : {}),
    lastModifiedOn: dateValue(s.lastModifiedOn, f),
    order: s.order,
    ...(s.actualApprover ? { lastModifiedBy: renderIdentity(s.actualApprover) } : {}),
    ...(s.initiatedOn ? { initiatedOn: dateValue(s.initiatedOn, f) } : {}),
    history: [],
    ...(expand.has("permissions") ? { permissions } : {}),
  });
  const runWeb = `${collectionUri}${a.projectId}/_build/results?buildId=${a.buildId}`;
  return {
    id: a.id,
    steps: expand.has("steps") ? a.steps.map(step) : [],
    status: a.status,
    createdOn: dateValue(a.createdOn, f),
    lastModifiedOn: dateValue(a.lastModifiedOn, f),
    instructions: a.instructions,
    executionOrder: a.executionOrder,
    minRequiredApprovers: a.minRequiredApprovers,
    blockedApprovers: a.blockedApprovers.map(renderIdentity),
    ...(expand.has("permissions") ? { permissions } : {}),
    _links: { self: { href: `${collectionUri}${a.projectId}/_apis/pipelines/approvals/${a.id}` } },
    pipeline: {
      owner: {
        _links: {
          web: { href: runWeb },
          self: { href: `${collectionUri}${a.projectId}/_apis/build/Builds/${a.buildId}` },
        },
        id: a.buildId,
        name: a.buildNumber,
      },
      id: String(a.definitionId),
      name: definition?.name ?? "",
    },
  };
}

function expandOf(ctx: RequestContext): Set<string> {
  const list = (ctx.url.searchParams.get("$expand") ?? "none").split(",").map((s) => s.trim().toLowerCase());
  for (const e of list)
    if (!["none", "steps", "permissions"].includes(e))
      fail(badRequest(`The value '${e}' is not valid for $expand: use none, steps or permissions (comma-separated).`));
  return new Set(list);
}

function approvalNotFound(id: string): HttpResponse {
  return approvalError(
    404,
    "ApprovalNotFoundException",
    `Approval ${id} was not found in this project. It may belong to another project, or the run may have been deleted.`,
  );
}

/** GET {project}/_apis/pipelines/approvals */
function listApprovals(ctx: RequestContext): HttpResponse {
  ctx.store.approvals.tick(ctx.clock.now());
  const q = ctx.url.searchParams;
  const project = projectOf(ctx);
  const split = (name: string) =>
    q
      .get(name)
      ?.split(",")
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean);
  const ids = split("approvalIds");
  const users = [...(split("assignedTo") ?? []), ...(split("userIds") ?? [])];
  const states = split("state")?.map(
    (s) =>
      statusName(s) ?? fail(badRequest(`The value '${s}' is not valid for state: use one of ${statuses.join(", ")}.`)),
  );
  const top = q.get("top") !== null ? Math.max(0, Number(q.get("top"))) : Number.POSITIVE_INFINITY;
  const matches = ctx.store.approvals.list.filter(
    (a) =>
      a.projectId === project.id &&
      (!ids || ids.includes(a.id.toLowerCase())) &&
      (users.length === 0 ||
        a.steps.some((s) =>
          users.some(
            (u) => u === s.assignedApprover.id.toLowerCase() || u === s.assignedApprover.uniqueName?.toLowerCase(),
          ),
        )) &&
      (!states ||
        states.includes("all") ||
        states.includes(a.status) ||
        (states.includes("completed") && a.status !== "pending")),
  );
  const expand = expandOf(ctx);
  const newestFirst = [...matches].reverse().slice(0, top);
  return json(
    listBody(
      newestFirst.map((a) => renderApproval(a, ctx, expand)),
      ctx.format,
    ),
  );
}

/** GET {project}/_apis/pipelines/approvals/{approvalId} */
function getApproval(ctx: RequestContext): HttpResponse {
  ctx.store.approvals.tick(ctx.clock.now());
  const a = ctx.store.approvals.find(ctx.params.approvalId);
  if (!a || a.projectId !== projectOf(ctx).id) return fail(approvalNotFound(ctx.params.approvalId));
  return json(renderApproval(a, ctx, expandOf(ctx)));
}

/**
 * PATCH {project}/_apis/pipelines/approvals [{approvalId, status, comment}]: the updates apply in
 * order; the first refused one answers the error (the earlier ones stay applied).
 */
function updateApprovals(ctx: RequestContext): HttpResponse {
  const project = projectOf(ctx);
  const body = parseBody(ctx);
  if (!Array.isArray(body) || body.length === 0)
    return fail(
      badRequest('The body must be a JSON array: [{"approvalId": "<id>", "status": "approved", "comment": "…"}].'),
    );
  const me = identityOf(ctx.caller!);
  const updated: Approval[] = [];
  for (const u of body as Record<string, unknown>[]) {
    const id = typeof u?.approvalId === "string" ? u.approvalId : "";
    const status = statusName(u?.status);
    if (!id) return fail(badRequest("Each update needs approvalId (the approval's GUID)."));
    if (status !== "approved" && status !== "rejected")
      return fail(
        badRequest(
          `Approval ${id}: status must be "approved" or "rejected" (got ${JSON.stringify(u.status)}); reassigning and deferring are not supported by the emulator.`,
        ),
      );
    const existing = ctx.store.approvals.find(id);
    if (!existing || existing.projectId !== project.id) return fail(approvalNotFound(id));
    const result = ctx.store.approvals.decide(
      id,
      me,
      status,
      typeof u.comment === "string" ? u.comment : undefined,
      ctx.clock.now(),
    );
    if ("refused" in result) {
      if (result.refused === "completed")
        return fail(
          approvalError(
            409,
            "ApprovalAlreadyCompletedException",
            `Approval is already in completed state. Approval ${id} is ${existing.status}; nothing more can be decided on it.`,
          ),
        );
      // The service answers this one with a 500 (an unmapped VssServiceException).
      return fail(
        approvalError(
          500,
          "ApprovalUnauthorizedException",
          result.refused === "outOfSequence"
            ? `User ${me.displayName} (${me.id}) is not permitted to complete approval ${id} yet: its approvers act in sequence and an earlier approver has not acted.`
            : `User ${me.displayName} (${me.id}) is not permitted to complete approval ${id}: only its assigned approvers may approve or reject it.`,
        ),
      );
    }
    updated.push(result);
  }
  return json(
    listBody(
      updated.map((a) => renderApproval(a, ctx, new Set(["steps"]))),
      ctx.format,
    ),
  );
}

export const approvalRoutes: AzdoRoute[] = [
  { method: "GET", template: approvalsTemplate, handle: listApprovals },
  { method: "PATCH", template: approvalsTemplate, handle: updateApprovals },
  { method: "GET", template: `${approvalsTemplate}/{approvalId}`, handle: getApproval },
].map((r) => ({ ...r, isAuthenticated: true, version: previewOnly }));
