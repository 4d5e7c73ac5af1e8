/**
 * common — small pieces the area route files share: required fields on create, arrays read
 * leniently from a body, compliance block actions and settings catalog setting instances, GET / PATCH of a singleton-like object,
 * and a route under a mount.
 */
import { contextUrl, json, methodNotAllowed, noContent } from "../answers";
import type { GraphRoute, Mount, RequestContext } from "../context";
import { badRequest, type GraphResponse } from "../errors";
import { applyPatch, checkWrite, isObject, type Json, render } from "../entities";
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

/** Compliance policies carry exactly one "mark noncompliant" (block) action among their rules' actions. */
export function blockActionCount(rules: unknown[]): number {
  return rules
    .flatMap((r) => asArray(isObject(r) ? r.scheduledActionConfigurations : []))
    .filter((c) => isObject(c) && c.actionType === "block").length;
}

/** Settings catalog settings (configuration and compliance policies) each name their instance's type and definition. */
export function checkSettingInstances(ctx: RequestContext, settings: unknown): void {
  for (const s of asArray(settings)) {
    const instance = isObject(s) ? s.settingInstance : undefined;
    if (!isObject(instance) || !instance["@odata.type"] || !instance.settingDefinitionId)
      badRequest("Each setting needs a settingInstance with @odata.type and settingDefinitionId.", ctx.now, "intune");
  }
}

/**
 * GET (200 with the object) or PATCH (checked, applied; 204, or 200 with the object when the model's
 * updateStatus says so) of one object that has no collection verbs.
 */
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
    if (model.updateStatus === 200)
      return json({ "@odata.context": contextUrl(ctx, fragment), ...render(model, object, { byId: true }) });
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
