/**
 * common — small pieces the area route files share: required fields on create, arrays read
 * leniently from a body, GET / PATCH of a singleton-like object, and a route under a mount.
 */
import { contextUrl, json, methodNotAllowed, noContent } from "../answers";
import type { GraphRoute, Mount, RequestContext } from "../context";
import { badRequest, type GraphResponse } from "../errors";
import { applyPatch, checkWrite, type Json, render } from "../entities";
import type { ResourceModel } from "../service-model";
import type { StoredObject } from "../tenant-store";

export function requireFields(ctx: RequestContext, model: ResourceModel, body: Json, fields: string[]): void {
  for (const f of fields) {
    if (body[f] === undefined || body[f] === null || body[f] === "")
      badRequest(
        `The property '${f}' is required when creating a ${model.rootType.replace("microsoft.graph.", "")}.`,
        ctx.now,
        model.family,
      );
  }
}

export function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** GET (200 with the object) or PATCH (checked, applied, 204) of one object that has no collection verbs. */
export function singletonGetPatch(
  ctx: RequestContext,
  model: ResourceModel,
  fragment: string,
  object: StoredObject,
): GraphResponse {
  if (ctx.method === "GET")
    return json({ "@odata.context": contextUrl(ctx, fragment), ...render(model, object, { byId: true }) });
  if (ctx.method === "PATCH") {
    checkWrite({ model, version: ctx.version, body: ctx.body, now: ctx.now, mode: "update", existing: object });
    applyPatch(model, object, ctx.body as Json, ctx.now);
    return noContent();
  }
  return methodNotAllowed(ctx, model);
}

/** A route at `path` below the mount's prefix ("" for the mount itself). */
export function route(
  mount: Mount,
  method: string,
  path: string,
  handle: GraphRoute["handle"],
  extra: Partial<GraphRoute> = {},
): GraphRoute {
  return { mount, method, template: `${mount.prefix}${path}`, handle, ...extra };
}
