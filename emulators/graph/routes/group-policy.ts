/**
 * group-policy — administrative templates: a configuration's definition values (with
 * $expand=definition), each value's definition and presentation values (with
 * $expand=presentation), updateDefinitionValues with @odata.bind references into the catalogue,
 * and the read-only catalogue of definitions and their presentations.
 */
import { randomUUID } from "node:crypto";
import { contextUrl, json, noContent } from "../answers";
import { findObject, listPage } from "../collection";
import type { RequestContext } from "../context";
import { badRequest, notFound } from "../errors";
import { childObject, isObject, type Json, renderChild, stampModified } from "../entities";
import { groupPolicyDefinitions } from "../group-policy-catalogue";
import { mountAt } from "../mounts";
import type { ChildHooks } from "../nested";
import type { StoredObject } from "../tenant-store";
import type { Area } from "./area";
import { asArray, route } from "./common";

const configurations = mountAt("/deviceManagement/groupPolicyConfigurations");
const catalogue = mountAt("/deviceManagement/groupPolicyDefinitions");

function definitionById(id: string): Json | undefined {
  const d = groupPolicyDefinitions.find((x) => x.id === id);
  if (!d) return undefined;
  const { presentations: _p, ...rest } = d;
  return { "@odata.type": "#microsoft.graph.groupPolicyDefinition", ...rest };
}

function presentationById(definitionId: string, presentationId: string): Json | undefined {
  return groupPolicyDefinitions.find((x) => x.id === definitionId)?.presentations.find((p) => p.id === presentationId);
}

/** "…/groupPolicyDefinitions('id')" or "…/groupPolicyDefinitions('id')/presentations('pid')" → ids. */
function parseBind(bind: unknown): { definitionId?: string; presentationId?: string } {
  const m = /groupPolicyDefinitions\('([^']+)'\)(?:\/presentations\('([^']+)'\))?/.exec(String(bind ?? ""));
  return { definitionId: m?.[1], presentationId: m?.[2] };
}

// Presentation values are read through their own route, the definition through $expand or its route.
const definitionValues: ChildHooks = {
  render(ctx, value) {
    const out = renderChild(value);
    delete out.presentationValues;
    if ((ctx.query.get("$expand") ?? "").includes("definition"))
      out.definition = definitionById(String(value.props.definitionId));
    delete out.definitionId;
    return out;
  },
};

function definitionValueOf(ctx: RequestContext): { object: StoredObject; value: StoredObject } {
  const object = findObject(ctx, configurations, ctx.params.id);
  const value = (object.nav.definitionValues ?? []).find((v) => v.id === ctx.params.childId);
  if (!value) return notFound(ctx.params.childId, ctx.now, "intune");
  return { object, value };
}

function definitionOfValue(ctx: RequestContext) {
  const { value } = definitionValueOf(ctx);
  return json({
    "@odata.context": contextUrl(ctx, "deviceManagement/groupPolicyDefinitions/$entity"),
    ...definitionById(String(value.props.definitionId)),
  });
}

function presentationValues(ctx: RequestContext) {
  const { object, value } = definitionValueOf(ctx);
  const presentations = asArray(value.props.presentationValues).map((p) => childObject(p as Json));
  const expand = (ctx.query.get("$expand") ?? "").includes("presentation");
  return listPage(
    ctx,
    { ...configurations.model, expand: ["presentation"], list: { expand: ["presentation"] } },
    presentations,
    `deviceManagement/groupPolicyConfigurations('${object.id}')/definitionValues('${value.id}')/presentationValues`,
    (p) => {
      const out = renderChild(p);
      if (expand) out.presentation = presentationById(String(value.props.definitionId), String(p.props.presentationId));
      delete out.presentationId;
      return out;
    },
  );
}

function toDefinitionValue(ctx: RequestContext, raw: unknown, existing?: StoredObject): StoredObject {
  if (!isObject(raw)) badRequest("Each definition value must be an object.", ctx.now, "intune");
  const { definitionId } = parseBind(raw["definition@odata.bind"]);
  const defId = definitionId ?? (existing?.props.definitionId as string | undefined);
  if (!defId || !groupPolicyDefinitions.some((d) => d.id === defId)) {
    badRequest(
      `definition@odata.bind must name an existing groupPolicyDefinition; got '${String(raw["definition@odata.bind"] ?? "")}'.`,
      ctx.now,
      "intune",
    );
  }
  const now = new Date(ctx.now).toISOString();
  const presentationValues = asArray(raw.presentationValues).map((p) => {
    if (!isObject(p)) badRequest("Each presentation value must be an object.", ctx.now, "intune");
    const { presentationId } = parseBind(p["presentation@odata.bind"]);
    if (!presentationId || !presentationById(defId, presentationId))
      badRequest(`presentation@odata.bind must name a presentation of definition '${defId}'.`, ctx.now, "intune");
    const { "presentation@odata.bind": _b, ...rest } = p;
    return { id: randomUUID(), ...rest, presentationId, createdDateTime: now, lastModifiedDateTime: now };
  });
  return childObject(
    {
      enabled: raw.enabled ?? true,
      configurationType: raw.configurationType ?? "policy",
      createdDateTime: existing?.props.createdDateTime ?? now,
      lastModifiedDateTime: now,
      definitionId: defId,
      presentationValues,
    },
    existing?.id,
  );
}

function updateDefinitionValues(ctx: RequestContext) {
  const object = findObject(ctx, configurations, ctx.params.id);
  const body = isObject(ctx.body) ? ctx.body : {};
  const values = (object.nav.definitionValues ??= []);
  for (const id of asArray(body.deletedIds)) {
    const i = values.findIndex((v) => v.id === id);
    if (i < 0)
      badRequest(`The definition value '${String(id)}' does not exist in this configuration.`, ctx.now, "intune");
    values.splice(i, 1);
  }
  for (const raw of asArray(body.updated)) {
    const id = isObject(raw) ? String(raw.id) : "";
    const i = values.findIndex((v) => v.id === id);
    if (i < 0)
      badRequest(`The definition value '${id}' to update does not exist in this configuration.`, ctx.now, "intune");
    values[i] = toDefinitionValue(ctx, raw, values[i]);
  }
  for (const raw of asArray(body.added)) values.push(toDefinitionValue(ctx, raw));
  stampModified(configurations.model, object, ctx.now);
  return noContent();
}

function catalogueList(ctx: RequestContext) {
  const all = groupPolicyDefinitions.map((d) => ({ id: d.id, props: definitionById(d.id) as Json, nav: {} }));
  return listPage(
    ctx,
    { ...catalogue.model, expand: [], list: { expand: [] } },
    all,
    "deviceManagement/groupPolicyDefinitions",
    (d) => ({
      ...d.props,
      id: d.id,
    }),
  );
}

function catalogueEntry(ctx: RequestContext) {
  const def = groupPolicyDefinitions.find((d) => d.id === ctx.params.id);
  if (!def) return notFound(ctx.params.id, ctx.now, "intune");
  return def;
}

export const groupPolicy: Area = {
  hooks: {},
  children: { "groupPolicyConfiguration/definitionValues": definitionValues },
  routes: [
    route(configurations, "GET", "/{id}/definitionValues/{childId}/definition", definitionOfValue),
    route(configurations, "GET", "/{id}/definitionValues/{childId}/presentationValues", presentationValues),
    route(configurations, "POST", "/{id}/updateDefinitionValues", updateDefinitionValues),
    route(catalogue, "GET", "", catalogueList),
    route(catalogue, "GET", "/{id}", (ctx) =>
      json({
        "@odata.context": contextUrl(ctx, "deviceManagement/groupPolicyDefinitions/$entity"),
        ...definitionById(catalogueEntry(ctx).id),
      }),
    ),
    route(catalogue, "GET", "/{id}/presentations", (ctx) => {
      const def = catalogueEntry(ctx);
      return json({
        "@odata.context": contextUrl(ctx, `deviceManagement/groupPolicyDefinitions('${def.id}')/presentations`),
        value: def.presentations,
      });
    }),
  ],
};
