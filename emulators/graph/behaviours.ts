/**
 * behaviours — what individual resource types do beyond the generic verbs, as the
 * service behaves: singletons, sub-resources and actions, and the service's own validation rules. Each entry is
 * keyed by resource key; `route` returns undefined to fall through to the generic handlers.
 */
import { randomUUID } from "node:crypto";
import { badRequest, forbidden, type GraphResponse, notFound } from "./errors";
import {
  applyPatch,
  checkWrite,
  childObject,
  isObject,
  type Json,
  render,
  renderChild,
  stampModified,
} from "./entities";
import { groupPolicyDefinitions } from "./group-policy-catalogue";
import type { RequestContext } from "./context";
import {
  checkAssignment,
  contextUrl,
  findObject,
  json,
  listPage,
  methodNotAllowed,
  type Mount,
  noContent,
  noRoute,
} from "./routes";
import { type ResourceModel, resourceModel } from "./service-model";
import { declaredProperties } from "./spec";
import type { StoredObject } from "./tenant-store";

export interface Behaviour {
  route?: (ctx: RequestContext, mount: Mount, rest: string[]) => GraphResponse | undefined;
  validateCreate?: (ctx: RequestContext, body: Json) => void;
  validateUpdate?: (ctx: RequestContext, body: Json, existing: StoredObject) => void;
  afterWrite?: (ctx: RequestContext, object: StoredObject) => void;
  beforeDelete?: (ctx: RequestContext, object: StoredObject) => void;
}

function requireFields(ctx: RequestContext, model: ResourceModel, body: Json, fields: string[]): void {
  for (const f of fields) {
    if (body[f] === undefined || body[f] === null || body[f] === "")
      badRequest(
        `The property '${f}' is required when creating a ${model.rootType.replace("microsoft.graph.", "")}.`,
        ctx.now,
        model.family,
      );
  }
}

function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function singletonGetPatch(
  ctx: RequestContext,
  model: ResourceModel,
  fragment: string,
  object: StoredObject,
  hide: string[] = [],
): GraphResponse {
  if (ctx.method === "GET") {
    const out = render(model, object, { byId: true });
    for (const h of hide) delete out[h];
    return json({ "@odata.context": contextUrl(ctx, fragment), ...out });
  }
  if (ctx.method === "PATCH") {
    checkWrite({ model, version: ctx.version, body: ctx.body, now: ctx.now, mode: "update", existing: object });
    applyPatch(model, object, ctx.body as Json, ctx.now);
    return noContent();
  }
  return methodNotAllowed(ctx, model);
}

// ---- Entra / identity -------------------------------------------------------------------------

const conditionalAccessPolicy: Behaviour = {
  validateCreate(ctx, body) {
    const conditions = isObject(body.conditions) ? body.conditions : undefined;
    if (!conditions || !isObject(conditions.users)) {
      badRequest(
        'Conditions.Users is required: set conditions.users (for example {"includeUsers":["None"]}).',
        ctx.now,
      );
    }
    conditionalAccessPolicy.validateUpdate?.(ctx, body, { id: "", props: {}, nav: {} });
  },
  validateUpdate(ctx, body) {
    const conditions = isObject(body.conditions) ? body.conditions : {};
    const users = isObject(conditions.users) ? conditions.users : {};
    for (const id of [...asArray(users.includeGroups), ...asArray(users.excludeGroups)]) {
      if (!ctx.tenant.get("group", String(id)))
        badRequest(
          `Invalid group id '${String(id)}' in conditions.users: the group does not exist in this tenant.`,
          ctx.now,
        );
    }
    const locations = isObject(conditions.locations) ? conditions.locations : {};
    for (const id of [...asArray(locations.includeLocations), ...asArray(locations.excludeLocations)]) {
      if (id !== "All" && id !== "AllTrusted" && !ctx.tenant.get("namedLocation", String(id))) {
        badRequest(
          `Invalid location id '${String(id)}' in conditions.locations: the named location does not exist in this tenant.`,
          ctx.now,
        );
      }
    }
    const grant = isObject(body.grantControls) ? body.grantControls : {};
    if (isObject(grant.authenticationStrength)) {
      const extra = Object.keys(grant.authenticationStrength).filter((k) => k !== "id" && k !== "@odata.type");
      if (extra.length)
        badRequest(
          `grantControls.authenticationStrength accepts only 'id' on write; remove ${extra.join(", ")}.`,
          ctx.now,
        );
      const id = String(grant.authenticationStrength.id);
      if (!ctx.tenant.get("authenticationStrengthPolicy", id))
        badRequest(`The authentication strength '${id}' does not exist in this tenant.`, ctx.now);
    }
  },
};

const namedLocation: Behaviour = {
  validateCreate(ctx, body) {
    requireFields(ctx, resourceModel("namedLocation"), body, ["displayName"]);
  },
  beforeDelete(ctx, object) {
    const users = ctx.tenant.list("conditionalAccessPolicy").find((p) => {
      const loc = (p.props.conditions as Json | undefined)?.locations as Json | undefined;
      return [...asArray(loc?.includeLocations), ...asArray(loc?.excludeLocations)].includes(object.id);
    });
    if (users)
      badRequest(
        `The named location is referenced by the conditional access policy '${String(users.props.displayName)}'; remove the reference first.`,
        ctx.now,
      );
  },
};

const authenticationStrengthPolicy: Behaviour = {
  validateCreate(ctx, body) {
    requireFields(ctx, resourceModel("authenticationStrengthPolicy"), body, ["displayName", "allowedCombinations"]);
  },
  validateUpdate(ctx, body) {
    if ("allowedCombinations" in body) {
      badRequest(
        "You cannot update the allowed auth method combinations using this request. To do so, use the Update allowed combinations action.",
        ctx.now,
      );
    }
  },
  route(ctx, mount, rest) {
    if (rest[1] === "combinationConfigurations") return combinationConfigurationRoute(ctx, mount, rest);
    if (rest[1] !== "updateAllowedCombinations") return undefined;
    if (ctx.method !== "POST") return methodNotAllowed(ctx, mount.model);
    const object = findObject(ctx, mount, rest[0]);
    if (mount.model.isBuiltIn?.(object.props))
      badRequest("Built-in authentication strengths cannot be changed.", ctx.now);
    const body = isObject(ctx.body) ? ctx.body : {};
    if (!Array.isArray(body.allowedCombinations) || body.allowedCombinations.length === 0)
      badRequest("allowedCombinations must be a non-empty array.", ctx.now);
    const previous = object.props.allowedCombinations;
    object.props.allowedCombinations = body.allowedCombinations;
    stampModified(mount.model, object, ctx.now);
    return json({
      "@odata.context": contextUrl(ctx, "microsoft.graph.updateAllowedCombinationsResult"),
      additionalInformation: null,
      conditionalAccessReferences: [],
      currentCombinations: body.allowedCombinations,
      previousCombinations: previous,
    });
  },
};

/** An authentication strength's combination configurations: a contained collection (FIDO2 AAGUIDs, …). */
function combinationConfigurationRoute(ctx: RequestContext, mount: Mount, rest: string[]): GraphResponse {
  const object = findObject(ctx, mount, rest[0]);
  if (ctx.method !== "GET" && mount.model.isBuiltIn?.(object.props))
    badRequest("Built-in authentication strengths cannot be changed.", ctx.now);
  const items = (
    Array.isArray(object.props.combinationConfigurations) ? object.props.combinationConfigurations : []
  ) as Json[];
  object.props.combinationConfigurations = items;
  const fragment = `policies/authenticationStrengthPolicies('${object.id}')/combinationConfigurations`;
  const checkItem = (body: unknown, mode: "create" | "update"): Json => {
    if (!isObject(body) || (mode === "create" && typeof body["@odata.type"] !== "string"))
      badRequest(
        "A combination configuration needs an @odata.type (for example #microsoft.graph.fido2CombinationConfiguration).",
        ctx.now,
      );
    if (mode === "create" && !Array.isArray(body.appliesToCombinations))
      badRequest("The property 'appliesToCombinations' is required.", ctx.now);
    if ("id" in body) badRequest("The property 'id' is read-only and cannot be set.", ctx.now);
    return body;
  };
  if (rest.length === 2) {
    if (ctx.method === "GET") return json({ "@odata.context": contextUrl(ctx, fragment), value: items });
    if (ctx.method !== "POST") return methodNotAllowed(ctx, mount.model);
    const created = { id: randomUUID(), ...checkItem(ctx.body, "create") };
    items.push(created);
    stampModified(mount.model, object, ctx.now);
    return json({ "@odata.context": contextUrl(ctx, `${fragment}/$entity`), ...created }, 201);
  }
  const index = items.findIndex((i) => i.id === rest[2]);
  if (index < 0) return notFound(rest[2], ctx.now, mount.model.family);
  if (ctx.method === "GET") return json({ "@odata.context": contextUrl(ctx, `${fragment}/$entity`), ...items[index] });
  if (ctx.method === "DELETE") {
    items.splice(index, 1);
    return noContent();
  }
  if (ctx.method !== "PATCH") return methodNotAllowed(ctx, mount.model);
  items[index] = { ...items[index], ...checkItem(ctx.body, "update") };
  stampModified(mount.model, object, ctx.now);
  return noContent();
}

const authenticationMethodsPolicy: Behaviour = {
  route(ctx, mount, rest) {
    const model = mount.model;
    const policy = ctx.tenant.singleton(model.key);
    if (!policy) return notFound("authenticationMethodsPolicy", ctx.now, model.family);
    if (rest.length === 0) {
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
    if (rest[0] !== "authenticationMethodConfigurations") return noRoute(ctx, model);
    const configs = policy.nav.authenticationMethodConfigurations ?? [];
    if (rest.length === 1 && ctx.method === "GET")
      return listPage(
        ctx,
        { ...model, expand: [] },
        configs,
        "policies/authenticationMethodsPolicy/authenticationMethodConfigurations",
        (c) => renderChild(c),
      );
    const config = configs.find((c) => c.id.toLowerCase() === (rest[1] ?? "").toLowerCase());
    if (!config) return notFound(rest[1] ?? "", ctx.now, model.family);
    if (ctx.method === "GET")
      return json({
        "@odata.context": contextUrl(
          ctx,
          "policies/authenticationMethodsPolicy/authenticationMethodConfigurations/$entity",
        ),
        ...renderChild(config),
      });
    if (ctx.method !== "PATCH") return methodNotAllowed(ctx, model);
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
    stampModified(model, policy, ctx.now);
    return noContent();
  },
};

const authorizationPolicy: Behaviour = {
  route(ctx, mount, rest) {
    const model = mount.model;
    const policy = ctx.tenant.singleton(model.key);
    if (!policy) return notFound("authorizationPolicy", ctx.now, model.family);
    // beta serves a collection holding the one policy, addressed as /authorizationPolicy/authorizationPolicy.
    if (ctx.version === "beta") {
      if (rest.length === 0 && ctx.method === "GET")
        return json({
          "@odata.context": contextUrl(ctx, "policies/authorizationPolicy"),
          value: [render(model, policy, { byId: true })],
        });
      if (rest.length === 1 && rest[0].toLowerCase() === "authorizationpolicy")
        return singletonGetPatch(ctx, model, "policies/authorizationPolicy/$entity", policy);
      return noRoute(ctx, model);
    }
    if (rest.length > 0) return noRoute(ctx, model);
    return singletonGetPatch(ctx, model, "policies/authorizationPolicy/$entity", policy);
  },
};

const crossTenantAccessPolicy: Behaviour = {
  route(ctx, mount, rest) {
    const model = mount.model;
    const policy = ctx.tenant.singleton(model.key);
    if (!policy) return notFound("crossTenantAccessPolicy", ctx.now, model.family);
    if (rest.length === 0) return singletonGetPatch(ctx, model, "policies/crossTenantAccessPolicy/$entity", policy);
    const partnerModel: ResourceModel = {
      ...model,
      rootType: "microsoft.graph.crossTenantAccessPolicyConfigurationPartner",
      readOnly: ["isServiceDefault"],
      createOnly: ["tenantId"],
    };
    const defaultModel: ResourceModel = {
      ...model,
      rootType: "microsoft.graph.crossTenantAccessPolicyConfigurationDefault",
    };
    if (rest[0] === "default" && rest.length === 1) {
      const def = (policy.nav.default ??= [childObject({ id: "default", isServiceDefault: true })])[0];
      if (ctx.method === "PATCH") def.props.isServiceDefault = false;
      return singletonGetPatch(ctx, defaultModel, "policies/crossTenantAccessPolicy/default/$entity", def);
    }
    if (rest[0] !== "partners") return noRoute(ctx, model);
    const partners = (policy.nav.partners ??= []);
    if (rest.length === 1) {
      if (ctx.method === "GET")
        return listPage(ctx, { ...model, expand: [] }, partners, "policies/crossTenantAccessPolicy/partners", (p) => ({
          ...renderChild(p),
          id: undefined,
        }));
      if (ctx.method !== "POST") return methodNotAllowed(ctx, model);
      checkWrite({
        model: { ...partnerModel, createOnly: [] },
        version: ctx.version,
        body: ctx.body,
        now: ctx.now,
        mode: "create",
      });
      const body = ctx.body as Json;
      if (typeof body.tenantId !== "string") badRequest("The property 'tenantId' is required.", ctx.now);
      if (partners.some((p) => p.id === body.tenantId))
        badRequest(`A partner configuration for tenant '${body.tenantId}' already exists.`, ctx.now);
      const partner = childObject(body, body.tenantId);
      partner.props.tenantId = body.tenantId;
      partners.push(partner);
      return json(
        { "@odata.context": contextUrl(ctx, "policies/crossTenantAccessPolicy/partners/$entity"), ...partner.props },
        201,
      );
    }
    const partner = partners.find((p) => p.id === rest[1]);
    if (!partner) return notFound(rest[1], ctx.now, model.family);
    if (ctx.method === "DELETE") {
      partners.splice(partners.indexOf(partner), 1);
      return noContent();
    }
    if (ctx.method === "GET")
      return json({
        "@odata.context": contextUrl(ctx, "policies/crossTenantAccessPolicy/partners/$entity"),
        ...partner.props,
      });
    return singletonGetPatch(ctx, partnerModel, "", partner);
  },
};

const group: Behaviour = {
  validateCreate(ctx, body) {
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

// ---- Intune -----------------------------------------------------------------------------------

function blockActionCount(rules: unknown[]): number {
  return rules
    .flatMap((r) => asArray(isObject(r) ? r.scheduledActionConfigurations : []))
    .filter((c) => isObject(c) && c.actionType === "block").length;
}

const deviceCompliancePolicy: Behaviour = {
  validateCreate(ctx, body) {
    if (blockActionCount(asArray(body.scheduledActionsForRule)) !== 1) {
      badRequest("Compliance policy must have one and only one block scheduled action", ctx.now, "intune");
    }
  },
  route(ctx, mount, rest) {
    if (rest[1] === "scheduledActionsForRule") return noRoute(ctx, mount.model);
    if (rest[1] !== "scheduleActionsForRules") return undefined;
    if (ctx.method !== "POST") return methodNotAllowed(ctx, mount.model);
    const object = findObject(ctx, mount, rest[0]);
    const body = isObject(ctx.body) ? ctx.body : {};
    const rules = body.deviceComplianceScheduledActionForRules;
    if (!Array.isArray(rules))
      badRequest(
        "The parameter 'deviceComplianceScheduledActionForRules' is required for the operation 'scheduleActionsForRules'.",
        ctx.now,
        "intune",
      );
    if (blockActionCount(rules) !== 1)
      badRequest("Compliance policy must have one and only one block scheduled action", ctx.now, "intune");
    object.nav.scheduledActionsForRule = rules.map((r) => childObject(r as Json));
    stampModified(mount.model, object, ctx.now);
    return noContent();
  },
};

const configurationPolicy: Behaviour = {
  validateCreate(ctx, body) {
    requireFields(ctx, resourceModel("configurationPolicy"), body, ["name", "platforms", "technologies"]);
    for (const s of asArray(body.settings)) {
      const instance = isObject(s) ? s.settingInstance : undefined;
      if (!isObject(instance) || !instance["@odata.type"] || !instance.settingDefinitionId) {
        badRequest("Each setting needs a settingInstance with @odata.type and settingDefinitionId.", ctx.now, "intune");
      }
    }
  },
  afterWrite(_ctx, object) {
    object.props.settingCount = (object.nav.settings ?? []).length;
    object.props.isAssigned = (object.nav.assignments ?? []).length > 0;
  },
  route(ctx, mount, rest) {
    if (rest[1] !== "settings") return undefined;
    const object = findObject(ctx, mount, rest[0]);
    const settings = object.nav.settings ?? [];
    if (ctx.method !== "GET") return methodNotAllowed(ctx, mount.model);
    const fragment = `deviceManagement/configurationPolicies('${object.id}')/settings`;
    if (rest.length === 2)
      return listPage(ctx, { ...mount.model, expand: [] }, settings, fragment, (s) => renderChild(s));
    const setting = settings.find((s) => s.id === rest[2]);
    if (!setting) return notFound(rest[2], ctx.now, "intune");
    return json({ "@odata.context": contextUrl(ctx, `${fragment}/$entity`), ...renderChild(setting) });
  },
};

const groupPolicyConfiguration: Behaviour = {
  route(ctx, mount, rest) {
    if (mount.collection === "groupPolicyDefinitions") return groupPolicyDefinitionRoute(ctx, mount, rest);
    if (rest[1] === "updateDefinitionValues") return updateDefinitionValues(ctx, mount, rest);
    if (rest[1] !== "definitionValues") return undefined;
    if (ctx.method !== "GET") return methodNotAllowed(ctx, mount.model);
    const object = findObject(ctx, mount, rest[0]);
    const values = object.nav.definitionValues ?? [];
    const fragment = `deviceManagement/groupPolicyConfigurations('${object.id}')/definitionValues`;
    const expand = ctx.query.get("$expand") ?? "";
    const renderValue = (v: StoredObject): Json => {
      const out = renderChild(v);
      delete out.presentationValues;
      if (expand.includes("definition")) out.definition = definitionById(String(v.props.definitionId));
      delete out.definitionId;
      return out;
    };
    if (rest.length === 2)
      return listPage(ctx, { ...mount.model, expand: ["definition"] }, values, fragment, renderValue);
    const value = values.find((v) => v.id === rest[2]);
    if (!value) return notFound(rest[2], ctx.now, "intune");
    if (rest.length === 3)
      return json({ "@odata.context": contextUrl(ctx, `${fragment}/$entity`), ...renderValue(value) });
    if (rest[3] === "definition")
      return json({
        "@odata.context": contextUrl(ctx, "deviceManagement/groupPolicyDefinitions/$entity"),
        ...definitionById(String(value.props.definitionId)),
      });
    if (rest[3] !== "presentationValues") return noRoute(ctx, mount.model);
    const presentations = asArray(value.props.presentationValues).map((p) => childObject(p as Json));
    const presExpand = (ctx.query.get("$expand") ?? "").includes("presentation");
    return listPage(
      ctx,
      { ...mount.model, expand: ["presentation"] },
      presentations,
      `${fragment}('${value.id}')/presentationValues`,
      (p) => {
        const out = renderChild(p);
        if (presExpand)
          out.presentation = presentationById(String(value.props.definitionId), String(p.props.presentationId));
        delete out.presentationId;
        return out;
      },
    );
  },
};

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

function updateDefinitionValues(ctx: RequestContext, mount: Mount, rest: string[]): GraphResponse {
  if (ctx.method !== "POST") return methodNotAllowed(ctx, mount.model);
  const object = findObject(ctx, mount, rest[0]);
  const body = isObject(ctx.body) ? ctx.body : {};
  const values = (object.nav.definitionValues ??= []);
  const toValue = (raw: unknown, existing?: StoredObject): StoredObject => {
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
    const presentationValues = asArray(raw.presentationValues).map((p) => {
      if (!isObject(p)) badRequest("Each presentation value must be an object.", ctx.now, "intune");
      const { presentationId } = parseBind(p["presentation@odata.bind"]);
      if (!presentationId || !presentationById(defId, presentationId))
        badRequest(`presentation@odata.bind must name a presentation of definition '${defId}'.`, ctx.now, "intune");
      const { "presentation@odata.bind": _b, ...rest } = p;
      return {
        id: randomUUID(),
        ...rest,
        presentationId,
        createdDateTime: new Date(ctx.now).toISOString(),
        lastModifiedDateTime: new Date(ctx.now).toISOString(),
      };
    });
    const now = new Date(ctx.now).toISOString();
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
  };
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
    values[i] = toValue(raw, values[i]);
  }
  for (const raw of asArray(body.added)) values.push(toValue(raw));
  stampModified(mount.model, object, ctx.now);
  return noContent();
}

function groupPolicyDefinitionRoute(ctx: RequestContext, mount: Mount, rest: string[]): GraphResponse {
  if (ctx.method !== "GET") return methodNotAllowed(ctx, mount.model);
  const all = groupPolicyDefinitions.map((d) => ({ id: d.id, props: definitionById(d.id) as Json, nav: {} }));
  if (rest.length === 0)
    return listPage(ctx, { ...mount.model, expand: [] }, all, "deviceManagement/groupPolicyDefinitions", (d) => ({
      ...d.props,
      id: d.id,
    }));
  const def = groupPolicyDefinitions.find((d) => d.id === rest[0]);
  if (!def) return notFound(rest[0], ctx.now, "intune");
  if (rest.length === 1)
    return json({
      "@odata.context": contextUrl(ctx, "deviceManagement/groupPolicyDefinitions/$entity"),
      ...definitionById(def.id),
    });
  if (rest[1] === "presentations")
    return json({
      "@odata.context": contextUrl(ctx, `deviceManagement/groupPolicyDefinitions('${def.id}')/presentations`),
      value: def.presentations,
    });
  return noRoute(ctx, mount.model);
}

/** App protection and targeted app configuration: assignments through /assign, apps through /targetApps. */
function appTargeting(ctx: RequestContext, mount: Mount, rest: string[]): GraphResponse | undefined {
  if (mount.model.key === "managedAppProtection" && !mount.collection && rest.length === 1 && ctx.method !== "GET") {
    return badRequest(
      "The managedAppPolicies collection is read-only here; write through the per-platform collection (for example iosManagedAppProtections).",
      ctx.now,
      "intune",
    );
  }
  if (rest[1] === "apps" && ctx.method === "GET") {
    const object = findObject(ctx, mount, rest[0]);
    return listPage(
      ctx,
      { ...mount.model, expand: [] },
      object.nav.apps ?? [],
      `${mount.prefix.slice(1)}('${object.id}')/apps`,
      (c) => renderChild(c),
    );
  }
  if (rest[1] !== "targetApps") return undefined;
  if (ctx.method !== "POST") return methodNotAllowed(ctx, mount.model);
  const object = findObject(ctx, mount, rest[0]);
  const body = isObject(ctx.body) ? ctx.body : {};
  if (!Array.isArray(body.apps))
    badRequest("The parameter 'apps' is required for the operation 'targetApps'.", ctx.now, "intune");
  object.nav.apps = body.apps.map((a) => {
    if (!isObject(a) || !isObject(a.mobileAppIdentifier))
      badRequest("Each app needs a mobileAppIdentifier.", ctx.now, "intune");
    const identifier = a.mobileAppIdentifier as Json;
    return childObject(
      a,
      String(identifier.bundleId ?? identifier.packageId ?? identifier.windowsAppId ?? randomUUID()),
    );
  });
  appTargetingCounts(ctx, object);
  return noContent();
}

function appTargetingCounts(_ctx: RequestContext, object: StoredObject): void {
  object.props.deployedAppCount = (object.nav.apps ?? []).length;
  object.props.isAssigned = (object.nav.assignments ?? []).length > 0;
}

const managedAppProtection: Behaviour = { route: appTargeting, afterWrite: appTargetingCounts };
const targetedManagedAppConfiguration: Behaviour = { route: appTargeting, afterWrite: appTargetingCounts };

const deviceConfiguration: Behaviour = {
  afterWrite(_ctx, object) {
    // OMA-URI string values are stored encrypted; reads return a masked value and a reference.
    const settings = asArray(object.props.omaSettings);
    object.props.omaSettings = settings.map((s) => {
      if (!isObject(s) || String(s["@odata.type"]).replace(/^#/, "") !== "microsoft.graph.omaSettingString") return s;
      if (s.isEncrypted === true && s.secretReferenceValueId && s.value === "********") return s;
      const ref = randomUUID();
      const secrets = (object.nav.omaSecrets ??= []);
      secrets.push(childObject({ value: s.value }, ref));
      return { ...s, isEncrypted: true, secretReferenceValueId: ref, value: "********" };
    });
    if (settings.length === 0) delete object.props.omaSettings;
  },
  route(ctx, mount, rest) {
    const m = /^getOmaSettingPlainTextValue\(secretReferenceValueId='([^']+)'\)$/.exec(rest[1] ?? "");
    if (!m) return undefined;
    if (![...ctx.granted].some((p) => p === "DeviceManagementConfiguration.ReadWrite.All")) {
      return forbidden("intune", ["DeviceManagementConfiguration.ReadWrite.All"], true, ctx.now);
    }
    const object = findObject(ctx, mount, rest[0]);
    const secret = (object.nav.omaSecrets ?? []).find((s) => s.id === m[1]);
    if (!secret) return notFound(m[1], ctx.now, "intune");
    return json({ "@odata.context": contextUrl(ctx, "Edm.String"), value: secret.props.value });
  },
};

const deviceManagementScript: Behaviour = {
  route(ctx, mount, rest) {
    // The service accepts shell-script ids on the PowerShell script's assign action (IntuneCD relies on it).
    if (
      rest[1] !== "assign" ||
      ctx.tenant.get("deviceManagementScript", rest[0]) ||
      !ctx.tenant.get("deviceShellScript", rest[0])
    )
      return undefined;
    const shell = ctx.tenant.get("deviceShellScript", rest[0]) as StoredObject;
    const body = isObject(ctx.body) ? ctx.body : {};
    const list = asArray(body.deviceManagementScriptAssignments).map((x) => checkAssignment(ctx, mount.model, x));
    shell.nav.assignments = list.map((x) =>
      childObject(x, `${shell.id}_${String((x.target as Json).groupId ?? "all")}`),
    );
    return json({
      "@odata.context": contextUrl(ctx, "Collection(microsoft.graph.deviceManagementScriptAssignment)"),
      value: shell.nav.assignments.map((c) => renderChild(c)),
    });
  },
};

const deviceEnrollmentConfiguration: Behaviour = {
  validateCreate(ctx, body) {
    requireFields(ctx, resourceModel("deviceEnrollmentConfiguration"), body, ["displayName"]);
  },
  afterWrite(ctx, object) {
    if (typeof object.props.priority !== "number") {
      const max = Math.max(
        0,
        ...ctx.tenant.list("deviceEnrollmentConfiguration").map((o) => Number(o.props.priority ?? 0)),
      );
      object.props.priority = max + 1;
    }
  },
  route(ctx, mount, rest) {
    if (rest[1] !== "setPriority") return undefined;
    if (ctx.method !== "POST") return methodNotAllowed(ctx, mount.model);
    const object = findObject(ctx, mount, rest[0]);
    const body = isObject(ctx.body) ? ctx.body : {};
    if (object.props.priority === 0)
      badRequest("The priority of the default enrollment configuration cannot change.", ctx.now, "intune");
    if (typeof body.priority !== "number" || body.priority < 1)
      badRequest("The parameter 'priority' must be a number of 1 or more.", ctx.now, "intune");
    object.props.priority = body.priority;
    return noContent();
  },
};

const notificationMessageTemplate: Behaviour = {
  route(ctx, mount, rest) {
    if (rest[1] !== "localizedNotificationMessages") return undefined;
    const object = findObject(ctx, mount, rest[0]);
    const messages = (object.nav.localizedNotificationMessages ??= []);
    const fragment = `deviceManagement/notificationMessageTemplates('${object.id}')/localizedNotificationMessages`;
    const msgModel: ResourceModel = {
      ...mount.model,
      rootType: "microsoft.graph.localizedNotificationMessage",
      requiresODataType: false,
      deepInsert: [],
    };
    if (rest.length === 2) {
      if (ctx.method === "GET")
        return listPage(ctx, { ...mount.model, expand: [] }, messages, fragment, (c) => renderChild(c));
      if (ctx.method !== "POST") return methodNotAllowed(ctx, mount.model);
      checkWrite({ model: msgModel, version: ctx.version, body: ctx.body, now: ctx.now, mode: "create" });
      const body = ctx.body as Json;
      requireFields(ctx, msgModel, body, ["locale", "subject", "messageTemplate"]);
      if (messages.some((m) => m.props.locale === body.locale))
        badRequest(`A message for locale '${String(body.locale)}' already exists.`, ctx.now, "intune");
      const message = childObject({
        ...body,
        lastModifiedDateTime: new Date(ctx.now).toISOString(),
        isDefault: body.isDefault ?? false,
      });
      messages.push(message);
      return json({ "@odata.context": contextUrl(ctx, `${fragment}/$entity`), ...renderChild(message) }, 201);
    }
    const message = messages.find((m) => m.id === rest[2]);
    if (!message) return notFound(rest[2], ctx.now, "intune");
    if (ctx.method === "GET")
      return json({ "@odata.context": contextUrl(ctx, `${fragment}/$entity`), ...renderChild(message) });
    if (ctx.method === "DELETE") {
      messages.splice(messages.indexOf(message), 1);
      return noContent();
    }
    if (ctx.method !== "PATCH") return methodNotAllowed(ctx, mount.model);
    checkWrite({
      model: msgModel,
      version: ctx.version,
      body: ctx.body,
      now: ctx.now,
      mode: "update",
      existing: message,
    });
    applyPatch(msgModel, message, ctx.body as Json, ctx.now);
    return json({ "@odata.context": contextUrl(ctx, `${fragment}/$entity`), ...renderChild(message) });
  },
};

const roleAssignmentModel = (): ResourceModel => ({
  ...resourceModel("intuneRoleDefinition"),
  rootType: "microsoft.graph.deviceAndAppManagementRoleAssignment",
  readOnly: ["id"],
  deepInsert: [],
  isBuiltIn: undefined,
  expand: ["roleDefinition"],
});

const intuneRoleDefinition: Behaviour = {
  beforeDelete(ctx, object) {
    for (const a of ctx.tenant.list("roleAssignments"))
      if (a.props.roleDefinitionId === object.id) ctx.tenant.remove("roleAssignments", a.id);
  },
  route(ctx, mount, rest) {
    if (mount.collection === "roleAssignments") return roleAssignmentRoute(ctx, rest);
    if (rest[1] !== "roleAssignments") return undefined;
    const object = findObject(ctx, mount, rest[0]);
    const assignments = ctx.tenant.list("roleAssignments").filter((a) => a.props.roleDefinitionId === object.id);
    return listPage(
      ctx,
      { ...mount.model, expand: [] },
      assignments,
      `deviceManagement/roleDefinitions('${object.id}')/roleAssignments`,
      (a) => ({
        id: a.id,
        displayName: a.props.displayName,
        description: a.props.description,
        resourceScopes: a.props.resourceScopes,
      }),
    );
  },
};

function roleAssignmentRoute(ctx: RequestContext, rest: string[]): GraphResponse {
  const model = roleAssignmentModel();
  const renderOne = (a: StoredObject): Json => {
    const out = renderChild(a);
    delete out.roleDefinitionId;
    return { "@odata.type": "#microsoft.graph.deviceAndAppManagementRoleAssignment", ...out };
  };
  const bindDefinition = (body: Json): string | undefined => {
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
  };
  const checkGroups = (body: Json) => {
    for (const id of [...asArray(body.members), ...asArray(body.scopeMembers)]) {
      if (!ctx.tenant.get("group", String(id)))
        badRequest(
          `The group '${String(id)}' in the role assignment does not exist in this tenant.`,
          ctx.now,
          "intune",
        );
    }
  };
  if (rest.length === 0) {
    if (ctx.method === "GET")
      return listPage(
        ctx,
        { ...model, expand: [] },
        ctx.tenant.list("roleAssignments"),
        "deviceManagement/roleAssignments",
        renderOne,
      );
    if (ctx.method !== "POST") return methodNotAllowed(ctx, model);
    checkWrite({ model, version: ctx.version, body: ctx.body, now: ctx.now, mode: "create" });
    const body = ctx.body as Json;
    const definitionId = bindDefinition(body);
    if (!definitionId)
      badRequest("roleDefinition@odata.bind is required to create a role assignment.", ctx.now, "intune");
    checkGroups(body);
    const { "roleDefinition@odata.bind": _b, "@odata.type": _t, ...props } = body;
    const object: StoredObject = { id: randomUUID(), props: { ...props, roleDefinitionId: definitionId }, nav: {} };
    ctx.tenant.put("roleAssignments", object);
    return json(
      { "@odata.context": contextUrl(ctx, "deviceManagement/roleAssignments/$entity"), ...renderOne(object) },
      201,
    );
  }
  const object = ctx.tenant.get("roleAssignments", rest[0]);
  if (!object) return notFound(rest[0], ctx.now, "intune");
  if (ctx.method === "GET") {
    const out = renderOne(object);
    if ((ctx.query.get("$expand") ?? "").includes("roleDefinition")) {
      const def = ctx.tenant.get("intuneRoleDefinition", String(object.props.roleDefinitionId));
      if (def) out.roleDefinition = render(resourceModel("intuneRoleDefinition"), def, { byId: true });
    }
    return json({ "@odata.context": contextUrl(ctx, "deviceManagement/roleAssignments/$entity"), ...out });
  }
  if (ctx.method === "DELETE") {
    ctx.tenant.remove("roleAssignments", object.id);
    return noContent();
  }
  if (ctx.method !== "PATCH") return methodNotAllowed(ctx, model);
  checkWrite({ model, version: ctx.version, body: ctx.body, now: ctx.now, mode: "update", existing: object });
  const body = ctx.body as Json;
  checkGroups(body);
  const definitionId = bindDefinition(body);
  const { "roleDefinition@odata.bind": _b, ...props } = body;
  applyPatch(model, object, props, ctx.now);
  if (definitionId) object.props.roleDefinitionId = definitionId;
  return json({ "@odata.context": contextUrl(ctx, "deviceManagement/roleAssignments/$entity"), ...renderOne(object) });
}

const assignmentFilter: Behaviour = {
  validateCreate(ctx, body) {
    requireFields(ctx, resourceModel("assignmentFilter"), body, ["displayName", "platform", "rule"]);
  },
  beforeDelete(ctx, object) {
    for (const key of [
      "deviceConfiguration",
      "deviceCompliancePolicy",
      "configurationPolicy",
      "groupPolicyConfiguration",
      "deviceHealthScript",
      "mobileAppConfiguration",
    ]) {
      const user = ctx.tenant
        .list(key)
        .find((o) =>
          (o.nav.assignments ?? []).some(
            (a) => (a.props.target as Json | undefined)?.deviceAndAppManagementAssignmentFilterId === object.id,
          ),
        );
      if (user)
        badRequest(
          `The assignment filter is in use by '${String(user.props.displayName ?? user.props.name)}'; remove it from the assignments first.`,
          ctx.now,
          "intune",
        );
    }
  },
};

export const behaviours: Record<string, Behaviour> = {
  conditionalAccessPolicy,
  namedLocation,
  authenticationStrengthPolicy,
  authenticationMethodsPolicy,
  authorizationPolicy,
  crossTenantAccessPolicy,
  group,
  deviceCompliancePolicy,
  configurationPolicy,
  groupPolicyConfiguration,
  managedAppProtection,
  targetedManagedAppConfiguration,
  deviceConfiguration,
  deviceManagementScript,
  deviceEnrollmentConfiguration,
  notificationMessageTemplate,
  intuneRoleDefinition,
  assignmentFilter,
};
