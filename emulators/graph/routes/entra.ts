/**
 * entra — the Entra ID and identity-policy routes beyond the generic verbs: group rules, the
 * authentication strengths' updateAllowedCombinations and combination configurations, the
 * authentication methods policy with its per-method configurations, the authorization policy
 * (an object on v1.0, a one-item collection on beta) and cross-tenant access default and partners.
 */
import { randomUUID } from "node:crypto";
import { contextUrl, json } from "../answers";
import { findObject } from "../collection";
import type { RequestContext } from "../context";
import { badRequest, notFound } from "../errors";
import { checkWrite, childObject, isObject, type Json, render, renderChild, stampModified } from "../entities";
import { mountAt } from "../mounts";
import type { ChildHooks } from "../nested";
import { type ResourceModel, resourceModel } from "../service-model";
import { declaredProperties } from "../spec";
import type { StoredObject } from "../tenant-store";
import type { Area } from "./area";
import { asArray, requireFields, route, singletonGetPatch } from "./common";

function singleton(ctx: RequestContext, name: string): StoredObject {
  const { model } = ctx.mount;
  return ctx.tenant.singleton(model.key) ?? notFound(name, ctx.now, model.family);
}

const builtInRefused = (ctx: RequestContext) =>
  badRequest("Built-in authentication strengths cannot be changed.", ctx.now);

// ---- authentication strengths -----------------------------------------------------------------

const strengths = mountAt("/policies/authenticationStrengthPolicies");

function updateAllowedCombinations(ctx: RequestContext) {
  const object = findObject(ctx, strengths, ctx.params.id);
  if (strengths.model.isBuiltIn?.(object.props)) builtInRefused(ctx);
  const body = isObject(ctx.body) ? ctx.body : {};
  if (!Array.isArray(body.allowedCombinations) || body.allowedCombinations.length === 0)
    badRequest("allowedCombinations must be a non-empty array.", ctx.now);
  const previous = object.props.allowedCombinations;
  object.props.allowedCombinations = body.allowedCombinations;
  stampModified(strengths.model, object, ctx.now);
  return json({
    "@odata.context": contextUrl(ctx, "microsoft.graph.updateAllowedCombinationsResult"),
    additionalInformation: null,
    conditionalAccessReferences: [],
    currentCombinations: body.allowedCombinations,
    previousCombinations: previous,
  });
}

function combinationItem(ctx: RequestContext, mode: "create" | "update"): Json {
  const body = ctx.body;
  if (!isObject(body) || (mode === "create" && typeof body["@odata.type"] !== "string"))
    badRequest(
      "A combination configuration needs an @odata.type (for example #microsoft.graph.fido2CombinationConfiguration).",
      ctx.now,
    );
  if (mode === "create" && !Array.isArray(body.appliesToCombinations))
    badRequest("The property 'appliesToCombinations' is required.", ctx.now);
  if ("id" in body) badRequest("The property 'id' is read-only and cannot be set.", ctx.now);
  return body;
}

const combinationConfigurations: ChildHooks = {
  guard(ctx, parent) {
    if (ctx.method !== "GET" && strengths.model.isBuiltIn?.(parent.props)) builtInRefused(ctx);
  },
  create: (ctx) => childObject(combinationItem(ctx, "create"), randomUUID()),
  update(ctx, child) {
    Object.assign(child.props, combinationItem(ctx, "update"));
  },
  afterChange: (ctx, parent) => stampModified(strengths.model, parent, ctx.now),
};

// ---- authentication methods policy ------------------------------------------------------------

const methodsPolicy = mountAt("/policies/authenticationMethodsPolicy");

function methodsPolicyRoot(ctx: RequestContext) {
  const { model } = methodsPolicy;
  const policy = singleton(ctx, "authenticationMethodsPolicy");
  if (ctx.method === "PATCH" && isObject(ctx.body) && "authenticationMethodConfigurations" in ctx.body) {
    badRequest(
      "Cannot apply PATCH to navigation property 'authenticationMethodConfigurations'; PATCH each authenticationMethodConfigurations/{id} instead.",
      ctx.now,
    );
  }
  if (ctx.method === "GET") {
    return json({
      "@odata.context": contextUrl(ctx, "policies/authenticationMethodsPolicy"),
      ...render(model, policy, { byId: true }),
      authenticationMethodConfigurations: (policy.nav.authenticationMethodConfigurations ?? []).map((c) =>
        renderChild(c),
      ),
    });
  }
  return singletonGetPatch(ctx, model, "policies/authenticationMethodsPolicy", policy);
}

const methodConfigurations: ChildHooks = {
  update(ctx, config, policy) {
    const body = isObject(ctx.body) ? ctx.body : {};
    if (!body["@odata.type"])
      badRequest(
        "The @odata.type annotation is required when updating an authentication method configuration.",
        ctx.now,
      );
    if (String(body["@odata.type"]).replace(/^#/, "") !== String(config.props["@odata.type"]).replace(/^#/, ""))
      badRequest("The @odata.type does not match the method configuration.", ctx.now);
    const type = String(config.props["@odata.type"]).replace(/^#/, "");
    const declared = declaredProperties(type, ctx.version);
    for (const key of Object.keys(body)) {
      if (key.startsWith("@odata")) continue;
      if (key === "id") badRequest("The property 'id' is read-only and cannot be set.", ctx.now);
      if (declared && !declared.has(key))
        badRequest(
          `The property '${key}' does not exist on type '${type}'. Make sure to only use property names that are defined by the type or mark the type as open type.`,
          ctx.now,
        );
    }
    for (const [k, v] of Object.entries(body)) if (k !== "@odata.type") config.props[k] = v;
    for (const target of [...asArray(body.includeTargets), ...asArray(body.excludeTargets)]) {
      const id = isObject(target) ? String(target.id) : "";
      if (id !== "all_users" && !ctx.tenant.get("group", id))
        badRequest(`The target group '${id}' does not exist in this tenant.`, ctx.now);
    }
    stampModified(methodsPolicy.model, policy, ctx.now);
  },
};

// ---- authorization policy ---------------------------------------------------------------------

const authorization = mountAt("/policies/authorizationPolicy");
const authorizationEntity = "policies/authorizationPolicy/$entity";

// beta serves a collection holding the one policy, addressed as /authorizationPolicy/authorizationPolicy.
function authorizationBetaList(ctx: RequestContext) {
  const policy = singleton(ctx, "authorizationPolicy");
  return json({
    "@odata.context": contextUrl(ctx, "policies/authorizationPolicy"),
    value: [render(authorization.model, policy, { byId: true })],
  });
}

const authorizationObject = (ctx: RequestContext) =>
  singletonGetPatch(ctx, authorization.model, authorizationEntity, singleton(ctx, "authorizationPolicy"));

// ---- cross-tenant access ----------------------------------------------------------------------

const crossTenant = mountAt("/policies/crossTenantAccessPolicy");
const partnerModel: ResourceModel = {
  ...crossTenant.model,
  rootType: "microsoft.graph.crossTenantAccessPolicyConfigurationPartner",
  readOnly: ["isServiceDefault"],
  createOnly: ["tenantId"],
};
const defaultModel: ResourceModel = {
  ...crossTenant.model,
  rootType: "microsoft.graph.crossTenantAccessPolicyConfigurationDefault",
};

const crossTenantObject = (ctx: RequestContext) =>
  singletonGetPatch(
    ctx,
    crossTenant.model,
    "policies/crossTenantAccessPolicy/$entity",
    singleton(ctx, "crossTenantAccessPolicy"),
  );

function crossTenantDefault(ctx: RequestContext) {
  const policy = singleton(ctx, "crossTenantAccessPolicy");
  const def = (policy.nav.default ??= [childObject({ id: "default", isServiceDefault: true })])[0];
  if (ctx.method === "PATCH") def.props.isServiceDefault = false;
  return singletonGetPatch(ctx, defaultModel, "policies/crossTenantAccessPolicy/default/$entity", def);
}

const partners: ChildHooks = {
  // A partner is keyed by its tenantId and shown without an id.
  render: (_ctx, partner) => ({ ...partner.props }),
  create(ctx, _policy, siblings) {
    const model = { ...partnerModel, createOnly: [] };
    checkWrite({ model, version: ctx.version, body: ctx.body, now: ctx.now, mode: "create" });
    const body = ctx.body as Json;
    if (typeof body.tenantId !== "string") badRequest("The property 'tenantId' is required.", ctx.now);
    if (siblings.some((p) => p.id === body.tenantId))
      badRequest(`A partner configuration for tenant '${body.tenantId}' already exists.`, ctx.now);
    const partner = childObject(body, body.tenantId);
    partner.props.tenantId = body.tenantId;
    return partner;
  },
  update(ctx, partner) {
    singletonGetPatch(ctx, partnerModel, "", partner);
  },
};

// ---- groups -----------------------------------------------------------------------------------

const group = {
  validateCreate(ctx: RequestContext, body: Json) {
    const model = resourceModel("group");
    requireFields(ctx, model, body, ["displayName", "mailNickname"]);
    for (const f of ["mailEnabled", "securityEnabled"]) {
      if (typeof body[f] !== "boolean")
        badRequest(`A value is required for property '${f}' of resource 'Group'.`, ctx.now, "directory");
    }
    const dynamic = asArray(body.groupTypes).includes("DynamicMembership");
    if (dynamic && !body.membershipRule) badRequest("A dynamic group needs a membershipRule.", ctx.now, "directory");
    if (dynamic && body.isAssignableToRole === true)
      badRequest("A group that can be assigned to roles cannot have dynamic membership.", ctx.now, "directory");
  },
};

export const entra: Area = {
  hooks: {
    group,
    authenticationStrengthPolicy: {
      validateCreate(ctx, body) {
        requireFields(ctx, strengths.model, body, ["displayName", "allowedCombinations"]);
      },
      validateUpdate(ctx, body) {
        if ("allowedCombinations" in body) {
          badRequest(
            "You cannot update the allowed auth method combinations using this request. To do so, use the Update allowed combinations action.",
            ctx.now,
          );
        }
      },
    },
  },
  children: {
    "authenticationStrengthPolicy/combinationConfigurations": combinationConfigurations,
    "authenticationMethodsPolicy/authenticationMethodConfigurations": methodConfigurations,
    "crossTenantAccessPolicy/partners": partners,
  },
  routes: [
    route(strengths, "POST", "/{id}/updateAllowedCombinations", updateAllowedCombinations),
    route(methodsPolicy, "GET", "", methodsPolicyRoot),
    route(methodsPolicy, "PATCH", "", methodsPolicyRoot),
    route(authorization, "GET", "", authorizationObject, { versions: ["v1.0"] }),
    route(authorization, "PATCH", "", authorizationObject, { versions: ["v1.0"] }),
    route(authorization, "GET", "", authorizationBetaList, { versions: ["beta"], otherMethodsAreNoRoute: true }),
    route(authorization, "GET", "/authorizationPolicy", authorizationObject, { versions: ["beta"] }),
    route(authorization, "PATCH", "/authorizationPolicy", authorizationObject, { versions: ["beta"] }),
    route(crossTenant, "GET", "", crossTenantObject),
    route(crossTenant, "PATCH", "", crossTenantObject),
    route(crossTenant, "GET", "/default", crossTenantDefault),
    route(crossTenant, "PATCH", "/default", crossTenantDefault),
  ],
};
