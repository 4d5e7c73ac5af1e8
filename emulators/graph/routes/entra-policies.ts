/**
 * entra-policies — the tenant-wide Entra policies served at a fixed path (authentication flows,
 * security defaults, external identities: GET and PATCH only), the rules the service applies to the
 * token lifetime / claims mapping / home realm discovery policies, and the directory settings created
 * from a template (groupSettings).
 */
import type { Hooks } from "../collection";
import type { RequestContext } from "../context";
import { badRequest, notFound } from "../errors";
import type { Json } from "../entities";
import { groupSettingTemplates } from "../directory-setting-templates";
import { mountAt } from "../mounts";
import type { Area } from "./area";
import { asArray, requireFields, route, singletonGetPatch } from "./common";

const singletonKeys = [
  "authenticationFlowsPolicy",
  "identitySecurityDefaultsEnforcementPolicy",
  "externalIdentitiesPolicy",
];

function singletonRoutes(key: string) {
  const mount = mountAt(`/policies/${key}`);
  const handle = (ctx: RequestContext) =>
    singletonGetPatch(
      ctx,
      mount.model,
      `policies/${key}/$entity`,
      ctx.tenant.singleton(key) ?? notFound(key, ctx.now, mount.model.family),
    );
  return [route(mount, "GET", "", handle), route(mount, "PATCH", "", handle)];
}

// The service keeps the policy as JSON text in a one-item array and refuses text that is not JSON.
function checkDefinition(ctx: RequestContext, body: Json, mode: "create" | "update"): void {
  if (mode === "create") requireFields(ctx, ctx.mount.model, body, ["displayName", "definition"]);
  if (!("definition" in body)) return;
  const definition = asArray(body.definition);
  if (definition.length === 0 || !definition.every((d) => typeof d === "string"))
    badRequest("The property 'definition' must be a non-empty collection of strings.", ctx.now, "directory");
  for (const text of definition as string[]) {
    try {
      JSON.parse(text);
    } catch {
      badRequest("Property 'definition' has an invalid value: it is not valid JSON.", ctx.now, "directory");
    }
  }
}

const stsPolicy: Hooks = {
  validateCreate: (ctx, body) => checkDefinition(ctx, body, "create"),
  validateUpdate: (ctx, body) => checkDefinition(ctx, body, "update"),
};

function checkValues(ctx: RequestContext, templateId: string, values: unknown): void {
  const names = Object.keys(groupSettingTemplates[templateId].values);
  for (const v of asArray(values)) {
    const name = v && typeof v === "object" ? (v as Json).name : undefined;
    if (typeof name !== "string" || !names.includes(name))
      badRequest(
        `The setting '${String(name)}' is not defined by template '${templateId}'. Use the names of the template's values.`,
        ctx.now,
        "directory",
      );
  }
}

const groupSetting: Hooks = {
  validateCreate(ctx, body) {
    requireFields(ctx, ctx.mount.model, body, ["templateId"]);
    const templateId = String(body.templateId);
    const template = groupSettingTemplates[templateId];
    if (!template)
      badRequest(
        `Invalid value specified for property 'templateId' of resource 'DirectorySetting'.`,
        ctx.now,
        "directory",
      );
    if (ctx.tenant.list("groupSetting").some((s) => s.props.templateId === templateId))
      badRequest(
        "A conflicting object with one or more of the specified property values is present in the directory.",
        ctx.now,
        "directory",
      );
    checkValues(ctx, templateId, body.values);
    // Values left out take the template's defaults, as the service fills them in.
    const given = new Map(asArray(body.values).map((v) => [(v as Json).name, (v as Json).value]));
    body.values = Object.entries(template.values).map(([name, value]) => ({ name, value: given.get(name) ?? value }));
    body.displayName = template.displayName;
  },
  // A PATCH naming some values changes those and keeps the others.
  validateUpdate(ctx, body, existing) {
    if (!("values" in body)) return;
    checkValues(ctx, String(existing.props.templateId), body.values);
    const given = new Map(asArray(body.values).map((v) => [(v as Json).name, (v as Json).value]));
    body.values = asArray(existing.props.values).map((v) => {
      const { name, value } = v as Json;
      return { name, value: given.has(name) ? given.get(name) : value };
    });
  },
};

export const entraPolicies: Area = {
  hooks: {
    tokenLifetimePolicy: stsPolicy,
    claimsMappingPolicy: stsPolicy,
    homeRealmDiscoveryPolicy: stsPolicy,
    groupSetting,
  },
  children: {},
  routes: singletonKeys.flatMap(singletonRoutes),
};
