/**
 * intune-roles — Intune role definitions and role assignments: assignments live in their own
 * collection, bind their definition with roleDefinition@odata.bind, must name groups of this
 * tenant, are listed under their definition, and go when the definition is deleted.
 */
import { randomUUID } from "node:crypto";
import { contextUrl, json, noContent } from "../answers";
import { findObject, type Hooks, listPage } from "../collection";
import type { GraphRoute, RequestContext } from "../context";
import { badRequest, notFound } from "../errors";
import { applyPatch, checkWrite, type Json, render, renderChild } from "../entities";
import { mountAt } from "../mounts";
import { type ResourceModel, resourceModel } from "../service-model";
import type { StoredObject } from "../tenant-store";
import { asArray, route } from "./common";

const definitions = mountAt("/deviceManagement/roleDefinitions");
const assignments = mountAt("/deviceManagement/roleAssignments");
const entityFragment = "deviceManagement/roleAssignments/$entity";

const assignmentModel = (): ResourceModel => ({
  ...resourceModel("intuneRoleDefinition"),
  rootType: "microsoft.graph.deviceAndAppManagementRoleAssignment",
  readOnly: ["id"],
  deepInsert: [],
  isBuiltIn: undefined,
  expand: ["roleDefinition"],
});

function renderAssignment(a: StoredObject): Json {
  const out = renderChild(a);
  delete out.roleDefinitionId;
  return { "@odata.type": "#microsoft.graph.deviceAndAppManagementRoleAssignment", ...out };
}

function bindDefinition(ctx: RequestContext, body: Json): string | undefined {
  const bind = body["roleDefinition@odata.bind"];
  if (bind === undefined) return undefined;
  const m = /roleDefinitions\('?([^')]+)'?\)|roleDefinitions\/([^/]+)$/.exec(String(bind));
  const id = m?.[1] ?? m?.[2];
  if (!id || !ctx.tenant.get("intuneRoleDefinition", id))
    badRequest(
      `roleDefinition@odata.bind must name an existing role definition; got '${String(bind)}'.`,
      ctx.now,
      "intune",
    );
  return id;
}

function checkGroups(ctx: RequestContext, body: Json): void {
  for (const id of [...asArray(body.members), ...asArray(body.scopeMembers)]) {
    if (!ctx.tenant.get("group", String(id)))
      badRequest(`The group '${String(id)}' in the role assignment does not exist in this tenant.`, ctx.now, "intune");
  }
}

function assignmentOf(ctx: RequestContext): StoredObject {
  return ctx.tenant.get("roleAssignments", ctx.params.id) ?? notFound(ctx.params.id, ctx.now, "intune");
}

function listAssignments(ctx: RequestContext) {
  const all = ctx.tenant.list("roleAssignments");
  return listPage(
    ctx,
    { ...assignmentModel(), expand: [], list: { expand: [] } },
    all,
    "deviceManagement/roleAssignments",
    renderAssignment,
  );
}

function createAssignment(ctx: RequestContext) {
  checkWrite({ model: assignmentModel(), version: ctx.version, body: ctx.body, now: ctx.now, mode: "create" });
  const body = ctx.body as Json;
  const definitionId = bindDefinition(ctx, body);
  if (!definitionId)
    badRequest("roleDefinition@odata.bind is required to create a role assignment.", ctx.now, "intune");
  checkGroups(ctx, body);
  const { "roleDefinition@odata.bind": _b, "@odata.type": _t, ...props } = body;
  const object: StoredObject = { id: randomUUID(), props: { ...props, roleDefinitionId: definitionId }, nav: {} };
  ctx.tenant.put("roleAssignments", object);
  return json({ "@odata.context": contextUrl(ctx, entityFragment), ...renderAssignment(object) }, 201);
}

function getAssignment(ctx: RequestContext) {
  const object = assignmentOf(ctx);
  const out = renderAssignment(object);
  if ((ctx.query.get("$expand") ?? "").includes("roleDefinition")) {
    const def = ctx.tenant.get("intuneRoleDefinition", String(object.props.roleDefinitionId));
    if (def) out.roleDefinition = render(definitions.model, def, { byId: true });
  }
  return json({ "@odata.context": contextUrl(ctx, entityFragment), ...out });
}

function updateAssignment(ctx: RequestContext) {
  const object = assignmentOf(ctx);
  const model = assignmentModel();
  checkWrite({ model, version: ctx.version, body: ctx.body, now: ctx.now, mode: "update", existing: object });
  const body = ctx.body as Json;
  checkGroups(ctx, body);
  const definitionId = bindDefinition(ctx, body);
  const { "roleDefinition@odata.bind": _b, ...props } = body;
  applyPatch(model, object, props, ctx.now);
  if (definitionId) object.props.roleDefinitionId = definitionId;
  return json({ "@odata.context": contextUrl(ctx, entityFragment), ...renderAssignment(object) });
}

function deleteAssignment(ctx: RequestContext) {
  ctx.tenant.remove("roleAssignments", assignmentOf(ctx).id);
  return noContent();
}

/** A definition's assignments, in the short form the service lists under the definition. */
function assignmentsOfDefinition(ctx: RequestContext) {
  const object = findObject(ctx, definitions, ctx.params.id);
  const mine = ctx.tenant.list("roleAssignments").filter((a) => a.props.roleDefinitionId === object.id);
  return listPage(
    ctx,
    { ...definitions.model, expand: [], list: { expand: [] } },
    mine,
    `deviceManagement/roleDefinitions('${object.id}')/roleAssignments`,
    (a) => ({
      id: a.id,
      displayName: a.props.displayName,
      description: a.props.description,
      resourceScopes: a.props.resourceScopes,
    }),
  );
}

const hooks: Record<string, Hooks> = {
  intuneRoleDefinition: {
    beforeDelete(ctx, object) {
      for (const a of ctx.tenant.list("roleAssignments"))
        if (a.props.roleDefinitionId === object.id) ctx.tenant.remove("roleAssignments", a.id);
    },
  },
};

const routes: GraphRoute[] = [
  route(definitions, "GET", "/{id}/roleAssignments", assignmentsOfDefinition),
  route(assignments, "GET", "", listAssignments),
  route(assignments, "POST", "", createAssignment),
  route(assignments, "GET", "/{id}", getAssignment),
  route(assignments, "PATCH", "/{id}", updateAssignment),
  route(assignments, "DELETE", "/{id}", deleteAssignment),
];

export const intuneRoles = { hooks, routes };
