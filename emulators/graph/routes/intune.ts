/**
 * intune — the Intune routes and rules beyond the generic verbs: assign actions, compliance
 * scheduled actions, settings catalog counts, encrypted OMA-URI values, app protection (read
 * through managedAppPolicies, written per platform, targetApps), enrollment priorities,
 * localized notification messages, role definitions and assignments, and assignment filters in use.
 */
import { randomUUID } from "node:crypto";
import { contextUrl, json, noContent, noRoute } from "../answers";
import { findObject, type Hooks } from "../collection";
import type { GraphRoute, Mount, RequestContext } from "../context";
import { badRequest, forbidden, notFound } from "../errors";
import { applyPatch, checkWrite, childObject, isObject, type Json, stampModified } from "../entities";
import { mountAt, mounts } from "../mounts";
import type { ChildHooks } from "../nested";
import { type ResourceModel, resourceModel } from "../service-model";
import type { StoredObject } from "../tenant-store";
import type { Area } from "./area";
import { assignRoutes, perAssignment } from "./assignments";
import { asArray, blockActionCount, checkSettingInstances, requireFields, route } from "./common";
import { intuneMore } from "./intune-more";
import { intuneApps } from "./intune-apps";
import { intuneIntents } from "./intune-intents";
import { intuneRoles } from "./intune-roles";

// ---- compliance -------------------------------------------------------------------------------

const compliance = mountAt("/deviceManagement/deviceCompliancePolicies");

function scheduleActionsForRules(ctx: RequestContext) {
  const object = findObject(ctx, compliance, ctx.params.id);
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
  stampModified(compliance.model, object, ctx.now);
  return noContent();
}

// ---- app protection and targeted app configuration --------------------------------------------

const appPolicies = mountAt("/deviceAppManagement/managedAppPolicies");
const targetingMounts = mounts.filter(
  (m) => m.isGeneric && (m.model.key === "managedAppProtection" || m.model.key === "targetedManagedAppConfiguration"),
);

function appTargetingCounts(_ctx: RequestContext, object: StoredObject): void {
  object.props.deployedAppCount = (object.nav.apps ?? []).length;
  object.props.isAssigned = (object.nav.assignments ?? []).length > 0;
}

function targetApps(ctx: RequestContext) {
  const object = findObject(ctx, ctx.mount, ctx.params.id);
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

const appPoliciesReadOnly = (ctx: RequestContext) =>
  badRequest(
    "The managedAppPolicies collection is read-only here; write through the per-platform collection (for example iosManagedAppProtections).",
    ctx.now,
    "intune",
  );

// ---- OMA-URI secrets ----------------------------------------------------------------------------

const deviceConfigurations = mountAt("/deviceManagement/deviceConfigurations");

function encryptOmaStrings(_ctx: RequestContext, object: StoredObject): void {
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
}

function omaPlainText(ctx: RequestContext) {
  if (![...ctx.caller.granted].some((p) => p === "DeviceManagementConfiguration.ReadWrite.All")) {
    return forbidden("intune", ["DeviceManagementConfiguration.ReadWrite.All"], true, ctx.now);
  }
  const object = findObject(ctx, deviceConfigurations, ctx.params.id);
  const secret = (object.nav.omaSecrets ?? []).find((s) => s.id === ctx.params.secretId);
  if (!secret) return notFound(ctx.params.secretId, ctx.now, "intune");
  return json({ "@odata.context": contextUrl(ctx, "Edm.String"), value: secret.props.value });
}

// ---- enrollment -------------------------------------------------------------------------------

const enrollment = mountAt("/deviceManagement/deviceEnrollmentConfigurations");

function setPriority(ctx: RequestContext) {
  const object = findObject(ctx, enrollment, ctx.params.id);
  const body = isObject(ctx.body) ? ctx.body : {};
  if (object.props.priority === 0)
    badRequest("The priority of the default enrollment configuration cannot change.", ctx.now, "intune");
  if (typeof body.priority !== "number" || body.priority < 1)
    badRequest("The parameter 'priority' must be a number of 1 or more.", ctx.now, "intune");
  object.props.priority = body.priority;
  return noContent();
}

// ---- notification messages --------------------------------------------------------------------

const messageModel = (): ResourceModel => ({
  ...resourceModel("notificationMessageTemplate"),
  rootType: "microsoft.graph.localizedNotificationMessage",
  requiresODataType: false,
  deepInsert: [],
});

const localizedMessages: ChildHooks = {
  create(ctx, _template, siblings) {
    const model = messageModel();
    checkWrite({ model, version: ctx.version, body: ctx.body, now: ctx.now, mode: "create" });
    const body = ctx.body as Json;
    requireFields(ctx, model, body, ["locale", "subject", "messageTemplate"]);
    if (siblings.some((m) => m.props.locale === body.locale))
      badRequest(`A message for locale '${String(body.locale)}' already exists.`, ctx.now, "intune");
    return childObject({
      ...body,
      lastModifiedDateTime: new Date(ctx.now).toISOString(),
      isDefault: body.isDefault ?? false,
    });
  },
  update(ctx, message) {
    const model = messageModel();
    checkWrite({ model, version: ctx.version, body: ctx.body, now: ctx.now, mode: "update", existing: message });
    applyPatch(model, message, ctx.body as Json, ctx.now);
  },
};

// ---- assignment filters -----------------------------------------------------------------------

const filterUsers = [
  "deviceConfiguration",
  "deviceCompliancePolicy",
  "configurationPolicy",
  "groupPolicyConfiguration",
  "deviceHealthScript",
  "mobileAppConfiguration",
];

const assignmentFilter: Hooks = {
  validateCreate(ctx, body) {
    requireFields(ctx, resourceModel("assignmentFilter"), body, ["displayName", "platform", "rule"]);
  },
  beforeDelete(ctx, object) {
    for (const key of filterUsers) {
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

// ---- the area ---------------------------------------------------------------------------------

const hooks: Record<string, Hooks> = {
  deviceCompliancePolicy: {
    validateCreate(ctx, body) {
      if (blockActionCount(asArray(body.scheduledActionsForRule)) !== 1) {
        badRequest("Compliance policy must have one and only one block scheduled action", ctx.now, "intune");
      }
    },
  },
  configurationPolicy: {
    validateCreate(ctx, body) {
      requireFields(ctx, resourceModel("configurationPolicy"), body, ["name", "platforms", "technologies"]);
      checkSettingInstances(ctx, body.settings);
    },
    afterWrite(_ctx, object) {
      object.props.settingCount = (object.nav.settings ?? []).length;
      object.props.isAssigned = (object.nav.assignments ?? []).length > 0;
    },
  },
  managedAppProtection: { afterWrite: appTargetingCounts },
  targetedManagedAppConfiguration: { afterWrite: appTargetingCounts },
  deviceConfiguration: { afterWrite: encryptOmaStrings },
  deviceEnrollmentConfiguration: {
    validateCreate(ctx, body) {
      requireFields(ctx, enrollment.model, body, ["displayName"]);
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
  },
  assignmentFilter,
  ...intuneRoles.hooks,
};

// Compliance scheduled actions are read only through $expand: the direct route is unknown to the service.
const scheduledActionsOnlyExpanded = (path: string): GraphRoute =>
  route(compliance, "GET", path, (ctx) => noRoute(ctx, compliance.model), { otherMethodsAreNoRoute: true });

const routes: GraphRoute[] = [
  ...assignRoutes({ ...hooks, ...intuneMore.hooks, ...intuneApps.hooks, ...intuneIntents.hooks }),
  scheduledActionsOnlyExpanded("/{id}/scheduledActionsForRule"),
  scheduledActionsOnlyExpanded("/{id}/scheduledActionsForRule/{childId}"),
  route(compliance, "POST", "/{id}/scheduleActionsForRules", scheduleActionsForRules),
  route(appPolicies, "POST", "", (ctx) =>
    badRequest(
      "The managedAppPolicies collection does not support creating objects; POST to the per-platform collection (for example iosManagedAppProtections).",
      ctx.now,
      "intune",
    ),
  ),
  route(appPolicies, "PATCH", "/{id}", appPoliciesReadOnly),
  route(appPolicies, "DELETE", "/{id}", appPoliciesReadOnly),
  ...targetingMounts.map((m: Mount) => route(m, "POST", "/{id}/targetApps", targetApps)),
  route(
    deviceConfigurations,
    "GET",
    "/{id}/getOmaSettingPlainTextValue(secretReferenceValueId='{secretId}')",
    omaPlainText,
  ),
  route(enrollment, "POST", "/{id}/setPriority", setPriority),
  ...intuneRoles.routes,
];

export const intune: Area = {
  hooks,
  children: {
    "windowsAutopilotDeploymentProfile/assignments": perAssignment,
    "termsAndConditions/assignments": perAssignment,
    "notificationMessageTemplate/localizedNotificationMessages": localizedMessages,
  },
  routes,
};
