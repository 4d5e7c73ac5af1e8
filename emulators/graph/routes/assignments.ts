/**
 * assignments — Intune assignments: a target must name a group and filter of this tenant, the
 * `assign` action replaces them all (with each type's body key and status), and Autopilot and
 * terms and conditions take one POST per assignment on the assignments collection instead.
 */
import { contextUrl, json, noContent } from "../answers";
import { findObject, type Hooks } from "../collection";
import type { GraphRoute, RequestContext } from "../context";
import { badRequest } from "../errors";
import { childObject, isObject, type Json, renderChild } from "../entities";
import { mounts } from "../mounts";
import type { ChildHooks } from "../nested";
import type { ResourceModel } from "../service-model";
import type { StoredObject } from "../tenant-store";
import { asArray } from "./common";

const targetTypes = new Set([
  "#microsoft.graph.groupAssignmentTarget",
  "#microsoft.graph.exclusionGroupAssignmentTarget",
  "#microsoft.graph.allLicensedUsersAssignmentTarget",
  "#microsoft.graph.allDevicesAssignmentTarget",
  "#microsoft.graph.configurationManagerCollectionAssignmentTarget",
]);
const noFilter = "00000000-0000-0000-0000-000000000000";

/** An assignment target must name a real group and filter of this tenant. */
export function checkAssignment(ctx: RequestContext, model: ResourceModel, assignment: unknown): Json {
  if (!isObject(assignment) || !isObject(assignment.target))
    badRequest("Each assignment needs a 'target' object.", ctx.now, model.family);
  const target = assignment.target;
  const type = String(target["@odata.type"] ?? "");
  if (!targetTypes.has(type.startsWith("#") ? type : `#${type}`)) {
    badRequest(
      `An assignment target must carry an @odata.type of a deviceAndAppManagementAssignmentTarget; got '${type}'.`,
      ctx.now,
      model.family,
    );
  }
  if (type.includes("roupAssignmentTarget")) {
    const groupId = target.groupId;
    if (typeof groupId !== "string" || !ctx.tenant.get("group", groupId)) {
      badRequest(
        `The group '${String(groupId)}' in the assignment target does not exist in this tenant.`,
        ctx.now,
        model.family,
      );
    }
  }
  const filterId = target.deviceAndAppManagementAssignmentFilterId;
  if (
    typeof filterId === "string" &&
    filterId &&
    filterId !== noFilter &&
    !ctx.tenant.get("assignmentFilter", filterId)
  ) {
    badRequest(`The assignment filter '${filterId}' does not exist in this tenant.`, ctx.now, model.family);
  }
  return assignment;
}

/** The service derives an assignment's id from the object and the target. */
function assignmentId(objectId: string, assignment: Json): string {
  const target = assignment.target as Json;
  const key =
    typeof target.groupId === "string"
      ? target.groupId
      : String(target["@odata.type"]).replace(/^#microsoft\.graph\./, "");
  return `${objectId}_${key}`;
}

/** One POST per assignment (Autopilot profiles, terms and conditions); a target is assigned once. */
export const perAssignment: ChildHooks = {
  create(ctx, parent, siblings) {
    const { model } = ctx.mount;
    const assignment = checkAssignment(ctx, model, ctx.body);
    const child = childObject(assignment, assignmentId(parent.id, assignment));
    if (siblings.some((x) => x.id === child.id))
      badRequest("An assignment to this target already exists.", ctx.now, model.family);
    return child;
  },
};

function assign(ctx: RequestContext, afterWrite: Hooks["afterWrite"]) {
  const { model } = ctx.mount;
  const a = model.assignments!;
  if (model.key === "deviceManagementScript") {
    const shell = shellScriptFor(ctx);
    if (shell) return assignShellScript(ctx, shell);
  }
  const object = findObject(ctx, ctx.mount, ctx.params.id);
  const body = isObject(ctx.body) ? ctx.body : {};
  const key = a.bodyKey ?? "assignments";
  const unexpected = Object.keys(body).find((k) => k !== key);
  if (unexpected || !Array.isArray(body[key])) {
    badRequest(
      `The parameter '${unexpected ?? key}' in the request payload is not a valid parameter for the operation 'assign'.`,
      ctx.now,
      model.family,
    );
  }
  const list = (body[key] as unknown[]).map((x) => checkAssignment(ctx, model, x));
  object.nav.assignments = list.map((x) => childObject(x, assignmentId(object.id, x)));
  afterWrite?.(ctx, object);
  if (a.assignStatus === 204) return noContent();
  return json({
    "@odata.context": contextUrl(ctx, `Collection(${model.rootType}Assignment)`),
    value: object.nav.assignments.map((c) => renderChild(c)),
  });
}

// The service accepts shell-script ids on the PowerShell script's assign action (IntuneCD relies on it).
function shellScriptFor(ctx: RequestContext): StoredObject | undefined {
  const id = ctx.params.id;
  if (ctx.tenant.get("deviceManagementScript", id)) return undefined;
  return ctx.tenant.get("deviceShellScript", id);
}

function assignShellScript(ctx: RequestContext, shell: StoredObject) {
  const body = isObject(ctx.body) ? ctx.body : {};
  const list = asArray(body.deviceManagementScriptAssignments).map((x) => checkAssignment(ctx, ctx.mount.model, x));
  shell.nav.assignments = list.map((x) => childObject(x, `${shell.id}_${String((x.target as Json).groupId ?? "all")}`));
  return json({
    "@odata.context": contextUrl(ctx, "Collection(microsoft.graph.deviceManagementScriptAssignment)"),
    value: shell.nav.assignments.map((c) => renderChild(c)),
  });
}

/** POST {id}/assign on every mount whose type assigns through the action; `hooks` gives each type's afterWrite. */
export function assignRoutes(hooks: Record<string, Hooks>): GraphRoute[] {
  return mounts
    .filter((m) => m.isGeneric && m.model.assignments?.write === "assign")
    .map((mount) => ({
      mount,
      method: "POST",
      template: `${mount.prefix}/{id}/assign`,
      // An action called with another verb is an unknown route to the service's OData router.
      otherMethodsAreNoRoute: true,
      handle: (ctx: RequestContext) => assign(ctx, hooks[mount.model.key]?.afterWrite),
    }));
}
