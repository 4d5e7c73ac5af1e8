import {
  assignmentTargetReferences,
  defineResourceType,
  intunePageSize,
  intuneRead,
  intuneServerManaged,
  intuneWrite,
  type ReferenceSpec,
  scopeTagReferences,
} from "../resource-type";

/** The notification template and the groups copied on the e-mail of each action for noncompliance. */
export const complianceActionReferences: Record<string, ReferenceSpec> = {
  "/scheduledActionsForRule/*/scheduledActionConfigurations/*/notificationTemplateId": {
    type: "intune.notificationMessageTemplate",
    globals: ["", "00000000-0000-0000-0000-000000000000"],
  },
  "/scheduledActionsForRule/*/scheduledActionConfigurations/*/notificationMessageCCList/*": { type: "entra.group" },
};

export const compliancePolicy = defineResourceType({
  id: "intune.compliancePolicy",
  title: "Compliance policy",
  version: "beta",
  collection: "/deviceManagement/deviceCompliancePolicies",
  kind: "collection",
  naturalKey: "displayName",
  requiresODataType: true,
  // The service answers the direct /scheduledActionsForRule route with 400; $expand is the only way.
  // On the list, with the assignments (IntuneCD lists with this expansion; the Graph PowerShell
  // maintainers list with actions and assignments expanded, msgraph-sdk-powershell#2025): one call a page.
  expand: ["scheduledActionsForRule($expand=scheduledActionConfigurations)"],
  pageSize: intunePageSize,
  serverManaged: [
    ...intuneServerManaged,
    "/scheduledActionsForRule/*/id",
    "/scheduledActionsForRule/*/scheduledActionConfigurations/*/id",
    "/scheduledActionsForRule@odata.context",
    "/scheduledActionsForRule/*/scheduledActionConfigurations@odata.context",
  ],
  // Required on create (exactly one block action); PATCH refuses it: actions change through
  // POST /{id}/scheduleActionsForRules, as the service behaves.
  createOnly: ["/scheduledActionsForRule"],
  unorderedArrays: ["/roleScopeTagIds", "/assignments"],
  writeApart: {
    scheduledActionsForRule: {
      kind: "action",
      action: "scheduleActionsForRules",
      bodyKey: "deviceComplianceScheduledActionForRules",
      onCreate: "inline",
    },
  },
  update: "PATCH",
  assignments: { read: "withList", write: { kind: "assign", bodyKey: "assignments" } },
  references: {
    ...assignmentTargetReferences,
    ...scopeTagReferences,
    ...complianceActionReferences,
    // Windows custom compliance: the discovery script the policy runs.
    "/deviceCompliancePolicyScript/deviceComplianceScriptId": { type: "intune.complianceScript" },
  },
  permissions: { read: intuneRead, write: intuneWrite },
});
