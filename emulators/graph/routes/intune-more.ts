/**
 * intune-more — the rules the service applies to the Intune types beyond the first set: settings
 * catalog compliance policies (required fields, setting instances, counts, the setScheduledActions
 * action), compliance and custom attribute scripts, device and app categories, driver update profiles
 * and reusable policy settings (which cannot be deleted while a policy names them).
 */
import { contextUrl, json } from "../answers";
import { findObject, type Hooks } from "../collection";
import type { RequestContext } from "../context";
import { badRequest } from "../errors";
import { childObject, isObject, type Json, renderChild, stampModified } from "../entities";
import { mountAt } from "../mounts";
import type { ChildHooks } from "../nested";
import { resourceModel } from "../service-model";
import type { StoredObject } from "../tenant-store";
import type { Area } from "./area";
import { asArray, blockActionCount, checkSettingInstances, requireFields, route } from "./common";

const compliance = mountAt("/deviceManagement/compliancePolicies");

function checkScheduledActions(ctx: RequestContext, rules: unknown[]): void {
  if (blockActionCount(rules) !== 1)
    badRequest("Compliance policy must have one and only one block scheduled action", ctx.now, "intune");
}

function complianceCounts(_ctx: RequestContext, object: StoredObject): void {
  object.props.settingCount = (object.nav.settings ?? []).length;
  object.props.isAssigned = (object.nav.assignments ?? []).length > 0;
}

// Replaces every rule with the ones sent and answers them, as the service does (200 with the list).
function setScheduledActions(ctx: RequestContext) {
  const object = findObject(ctx, compliance, ctx.params.id);
  const body = isObject(ctx.body) ? ctx.body : {};
  if (!Array.isArray(body.scheduledActions))
    badRequest(
      "The parameter 'scheduledActions' is required for the operation 'setScheduledActions'.",
      ctx.now,
      "intune",
    );
  checkScheduledActions(ctx, body.scheduledActions);
  object.nav.scheduledActionsForRule = body.scheduledActions.map((r) => {
    const { id: _id, ...rule } = isObject(r) ? r : {};
    return childObject(rule);
  });
  stampModified(compliance.model, object, ctx.now);
  return json({
    "@odata.context": contextUrl(ctx, "Collection(microsoft.graph.deviceManagementComplianceScheduledActionForRule)"),
    value: object.nav.scheduledActionsForRule.map((c) => renderChild(c, "scheduledActionConfigurations")),
  });
}

function required(key: string, fields: string[]): Hooks["validateCreate"] {
  return (ctx, body) => requireFields(ctx, resourceModel(key), body, fields);
}

export function oneOf(ctx: RequestContext, body: Json, property: string, values: string[]): void {
  if (property in body && !values.includes(String(body[property])))
    badRequest(
      `Invalid value '${String(body[property])}' for property '${property}'. Use one of: ${values.join(", ")}.`,
      ctx.now,
      "intune",
    );
}

// Policies name a reusable setting by its id inside their settings' values.
const reusableSettingUsers = ["configurationPolicy", "deviceManagementCompliancePolicy"];

function usersOfReusableSetting(ctx: RequestContext, id: string): StoredObject[] {
  return reusableSettingUsers.flatMap((key) =>
    ctx.tenant.list(key).filter((p) => JSON.stringify((p.nav.settings ?? []).map((s) => s.props)).includes(id)),
  );
}

const hooks: Record<string, Hooks> = {
  deviceManagementCompliancePolicy: {
    validateCreate(ctx, body) {
      requireFields(ctx, compliance.model, body, ["name", "platforms", "technologies"]);
      checkSettingInstances(ctx, body.settings);
      if ("scheduledActionsForRule" in body) checkScheduledActions(ctx, asArray(body.scheduledActionsForRule));
    },
    validateUpdate(ctx, body) {
      checkSettingInstances(ctx, body.settings);
    },
    afterWrite: complianceCounts,
  },
  deviceComplianceScript: { validateCreate: required("deviceComplianceScript", ["displayName"]) },
  deviceCustomAttributeShellScript: {
    validateCreate(ctx, body) {
      required("deviceCustomAttributeShellScript", [
        "displayName",
        "customAttributeName",
        "customAttributeType",
        "scriptContent",
      ])!(ctx, body);
      oneOf(ctx, body, "customAttributeType", ["integer", "string", "dateTime"]);
    },
  },
  deviceCategory: { validateCreate: required("deviceCategory", ["displayName"]) },
  windowsDriverUpdateProfile: {
    validateCreate(ctx, body) {
      required("windowsDriverUpdateProfile", ["displayName", "approvalType"])!(ctx, body);
      oneOf(ctx, body, "approvalType", ["manual", "automatic"]);
    },
    validateUpdate: (ctx, body) => oneOf(ctx, body, "approvalType", ["manual", "automatic"]),
  },
  reusablePolicySetting: {
    validateCreate(ctx, body) {
      required("reusablePolicySetting", ["displayName", "settingDefinitionId", "settingInstance"])!(ctx, body);
      body.referencingConfigurationPolicyCount = 0;
    },
    beforeDelete(ctx, object) {
      const users = usersOfReusableSetting(ctx, object.id);
      if (users.length > 0)
        badRequest(
          `The reusable setting '${String(object.props.displayName)}' is used by '${String(users[0].props.name)}'; remove it from that policy's settings first.`,
          ctx.now,
          "intune",
        );
    },
  },
  mobileAppCategory: { validateCreate: required("mobileAppCategory", ["displayName"]) },
};

// The rules' actions are contained in each rule and shown only when $expand names them.
const scheduledActionRules: ChildHooks = {
  render: (ctx, rule) => renderChild(rule, ctx.query.get("$expand")),
};

export const intuneMore: Area = {
  hooks,
  children: { "deviceManagementCompliancePolicy/scheduledActionsForRule": scheduledActionRules },
  routes: [
    route(compliance, "POST", "/{id}/setScheduledActions", setScheduledActions, { otherMethodsAreNoRoute: true }),
  ],
};
