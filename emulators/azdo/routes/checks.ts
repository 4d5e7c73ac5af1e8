/**
 * checks — check configurations on protected resources (preview-only): list by resource
 * (resourceType, resourceId, $expand=settings), add, read, update and delete. The emulator knows
 * the Approval and Exclusive lock check types; the runner reads an environment's checks from the
 * store (`checks.checksFor`).
 */
import { fail, json, noContent, type HttpResponse } from "../../http/response";
import { previewOnly, type AzdoRoute, type RequestContext } from "../context";
import { badRequest, vssError } from "../errors";
import { identityOf } from "../state/approvals";
import { knownCheckTypes, type CheckConfiguration } from "../state/checks";
import { dateValue, listBody } from "../wire";
import { renderIdentity } from "./approvals";
import { parseBody, projectOf } from "./common";

const configurationsTemplate = "/{org}/{project}/_apis/pipelines/checks/configurations";
const checksWebApi = "Microsoft.Azure.Pipelines.Checks.WebApi";

type Json = Record<string, unknown>;
function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function checkNotFound(id: string): HttpResponse {
  return vssError(
    404,
    "CheckConfigurationNotFoundException",
    `Check configuration ${id} was not found in this project. List the resource's checks for their ids.`,
    `${checksWebApi}.CheckConfigurationNotFoundException, ${checksWebApi}`,
  );
}

function render(c: CheckConfiguration, ctx: RequestContext, withSettings: boolean) {
  const url = `${ctx.urls.collectionUri}${c.projectId}/_apis/pipelines/checks/configurations/${c.id}`;
  return {
    ...(withSettings ? { settings: c.settings } : {}),
    createdBy: renderIdentity(c.createdBy),
    createdOn: dateValue(c.createdOn, ctx.format),
    modifiedBy: renderIdentity(c.modifiedBy),
    modifiedOn: dateValue(c.modifiedOn, ctx.format),
    timeout: c.timeout,
    isDisabled: c.isDisabled,
    _links: { self: { href: url } },
    id: c.id,
    version: c.version,
    type: c.type,
    url,
    resource: c.resource,
  };
}

function withSettings(ctx: RequestContext): boolean {
  return (ctx.url.searchParams.get("$expand") ?? "").toLowerCase().includes("settings");
}

function checkOf(ctx: RequestContext): CheckConfiguration {
  return ctx.store.checks.find(projectOf(ctx).id, ctx.params.id) ?? fail(checkNotFound(ctx.params.id));
}

function listChecks(ctx: RequestContext): HttpResponse {
  const q = ctx.url.searchParams;
  const resourceType = q.get("resourceType") ?? undefined;
  const resourceId = q.get("resourceId") ?? undefined;
  if (resourceId && !resourceType) return fail(badRequest("resourceId needs resourceType (e.g. environment)."));
  const list = ctx.store.checks.on(projectOf(ctx).id, resourceType, resourceId);
  return json(
    listBody(
      list.map((c) => render(c, ctx, withSettings(ctx))),
      ctx.format,
    ),
  );
}

function timeoutOf(v: unknown, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1)
    return fail(badRequest(`timeout must be a whole number of minutes, at least 1 (got ${JSON.stringify(v)}).`));
  return v;
}

/** POST {project}/_apis/pipelines/checks/configurations {type: {id}, resource: {type, id}, settings, timeout} */
function addCheck(ctx: RequestContext): HttpResponse {
  const project = projectOf(ctx);
  const body = parseBody(ctx);
  if (!isObject(body) || !isObject(body.type) || !isObject(body.resource))
    return fail(badRequest("The body must be {type: {id}, resource: {type, id}, settings, timeout}."));
  const requested = body.type;
  const typeId = String(requested.id ?? "").toLowerCase();
  const type = knownCheckTypes.find(
    (t) => t.id === typeId || t.name.toLowerCase() === String(requested.name ?? "").toLowerCase(),
  );
  if (!type)
    return fail(
      badRequest(
        `Check type ${body.type.id ?? body.type.name} is not supported by the emulator: use Approval (${knownCheckTypes[0].id}) or ExclusiveLock (${knownCheckTypes[1].id}).`,
      ),
    );
  const resourceType = String(body.resource.type ?? "");
  const resourceId = String(body.resource.id ?? "");
  if (!resourceType || !resourceId) return fail(badRequest("resource needs type (e.g. environment) and id."));
  let resourceName = typeof body.resource.name === "string" ? body.resource.name : undefined;
  if (resourceType.toLowerCase() === "environment") {
    const environment = ctx.store.environments.find(project, resourceId);
    if (!environment || String(environment.id) !== resourceId)
      return fail(
        vssError(
          404,
          "EnvironmentNotFoundException",
          `Environment ${resourceId} was not found in project ${project.name}; checks attach to an existing environment's id.`,
          "Microsoft.TeamFoundation.DistributedTask.WebApi.EnvironmentNotFoundException, Microsoft.TeamFoundation.DistributedTask.WebApi",
        ),
      );
    resourceName = environment.name;
  }
  const me = identityOf(ctx.caller!);
  const check = ctx.store.checks.add(
    {
      projectId: project.id,
      type: { id: type.id, name: type.name },
      resource: { type: resourceType, id: resourceId, ...(resourceName ? { name: resourceName } : {}) },
      settings: isObject(body.settings) ? body.settings : {},
      timeout: timeoutOf(body.timeout, 43200),
      isDisabled: body.isDisabled === true,
      createdBy: me,
    },
    ctx.clock.now(),
  );
  return json(render(check, ctx, true));
}

function getCheck(ctx: RequestContext): HttpResponse {
  return json(render(checkOf(ctx), ctx, withSettings(ctx)));
}

function updateCheck(ctx: RequestContext): HttpResponse {
  const check = checkOf(ctx);
  const body = parseBody(ctx);
  if (!isObject(body)) return fail(badRequest("The body must be the check configuration ({settings, timeout, …})."));
  ctx.store.checks.update(
    check,
    {
      ...(isObject(body.settings) ? { settings: body.settings } : {}),
      timeout: timeoutOf(body.timeout, check.timeout),
      ...(typeof body.isDisabled === "boolean" ? { isDisabled: body.isDisabled } : {}),
    },
    identityOf(ctx.caller!),
    ctx.clock.now(),
  );
  return json(render(check, ctx, true));
}

function deleteCheck(ctx: RequestContext): HttpResponse {
  ctx.store.checks.remove(checkOf(ctx));
  return noContent();
}

export const checkRoutes: AzdoRoute[] = [
  { method: "GET", template: configurationsTemplate, handle: listChecks },
  { method: "POST", template: configurationsTemplate, handle: addCheck },
  { method: "GET", template: `${configurationsTemplate}/{id}`, handle: getCheck },
  { method: "PATCH", template: `${configurationsTemplate}/{id}`, handle: updateCheck },
  { method: "DELETE", template: `${configurationsTemplate}/{id}`, handle: deleteCheck },
].map((r) => ({ ...r, isAuthenticated: true, version: previewOnly }));
