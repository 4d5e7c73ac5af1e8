/**
 * permissions — pipeline permissions on protected resources (preview-only): which pipelines may use
 * an environment, a service connection, a repository or a queue. GET and PATCH one resource's,
 * PATCH several at once; the runner asks the store (`permissions.isAuthorized`).
 */
import { fail, json, type HttpResponse } from "../../http/response";
import { previewOnly, type AzdoRoute, type RequestContext } from "../context";
import { badRequest } from "../errors";
import { identityOf } from "../state/approvals";
import { protectedResourceTypes, type Permission, type ResourcePermissions } from "../state/permissions";
import { listBody, dateValue } from "../wire";
import { renderIdentity } from "./approvals";
import { parseBody, projectOf } from "./common";

const permissionsTemplate = "/{org}/{project}/_apis/pipelines/pipelinePermissions";

type Json = Record<string, unknown>;
function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function resourceType(type: string): string {
  const known = protectedResourceTypes.find((t) => t === type.toLowerCase());
  return (
    known ??
    fail(
      badRequest(`Resource type ${type} has no pipeline permissions: use one of ${protectedResourceTypes.join(", ")}.`),
    )
  );
}

function renderPermission(p: Permission, ctx: RequestContext) {
  return {
    authorized: p.authorized,
    ...(p.authorizedBy ? { authorizedBy: renderIdentity(p.authorizedBy) } : {}),
    ...(p.authorizedOn ? { authorizedOn: dateValue(p.authorizedOn, ctx.format) } : {}),
  };
}

function render(p: ResourcePermissions, ctx: RequestContext) {
  return {
    resource: p.resource,
    pipelines: p.pipelines.map((x) => ({ id: x.id, ...renderPermission(x, ctx) })),
    ...(p.allPipelines ? { allPipelines: renderPermission(p.allPipelines, ctx) } : {}),
  };
}

function changeOf(body: unknown): {
  allPipelines?: { authorized: boolean };
  pipelines?: { id: number; authorized: boolean }[];
} {
  if (!isObject(body))
    return fail(badRequest("The body must be {allPipelines?: {authorized}, pipelines?: [{id, authorized}]}."));
  const all = isObject(body.allPipelines) ? { authorized: body.allPipelines.authorized === true } : undefined;
  const pipelines = Array.isArray(body.pipelines)
    ? body.pipelines.map((p: unknown) => {
        if (!isObject(p) || !Number.isInteger(p.id))
          return fail(badRequest("Each of pipelines needs the pipeline's id (a number)."));
        return { id: p.id as number, authorized: p.authorized === true };
      })
    : undefined;
  return { allPipelines: all, pipelines };
}

function getPermissions(ctx: RequestContext): HttpResponse {
  const type = resourceType(ctx.params.resourceType);
  return json(render(ctx.store.permissions.get(projectOf(ctx).id, type, ctx.params.resourceId), ctx));
}

function updatePermissions(ctx: RequestContext): HttpResponse {
  const type = resourceType(ctx.params.resourceType);
  const next = ctx.store.permissions.update(
    projectOf(ctx).id,
    type,
    ctx.params.resourceId,
    changeOf(parseBody(ctx)),
    identityOf(ctx.caller!),
    ctx.clock.now(),
  );
  return json(render(next, ctx));
}

/** PATCH {project}/_apis/pipelines/pipelinePermissions [{resource: {type, id}, allPipelines?, pipelines?}] */
function updateMany(ctx: RequestContext): HttpResponse {
  const body = parseBody(ctx);
  if (!Array.isArray(body))
    return fail(badRequest("The body must be a JSON array of {resource: {type, id}, allPipelines?, pipelines?}."));
  const changes = body.map((b: unknown) => {
    if (!isObject(b) || !isObject(b.resource) || !b.resource.type || !b.resource.id)
      return fail(badRequest("Each entry needs resource: {type, id}."));
    return { type: resourceType(String(b.resource.type)), id: String(b.resource.id), change: changeOf(b) };
  });
  const me = identityOf(ctx.caller!);
  const updated = changes.map((c) =>
    ctx.store.permissions.update(projectOf(ctx).id, c.type, c.id, c.change, me, ctx.clock.now()),
  );
  return json(
    listBody(
      updated.map((p) => render(p, ctx)),
      ctx.format,
    ),
  );
}

export const permissionRoutes: AzdoRoute[] = [
  { method: "PATCH", template: permissionsTemplate, handle: updateMany },
  { method: "GET", template: `${permissionsTemplate}/{resourceType}/{resourceId}`, handle: getPermissions },
  { method: "PATCH", template: `${permissionsTemplate}/{resourceType}/{resourceId}`, handle: updatePermissions },
].map((r) => ({ ...r, isAuthenticated: true, version: previewOnly }));
