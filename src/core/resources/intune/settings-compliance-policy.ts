import {
  assignmentTargetReferences,
  defineResourceType,
  intunePageSize,
  intuneRead,
  intuneServerManaged,
  intuneWrite,
  scopeTagReferences,
} from "../resource-type";
import { complianceActionReferences } from "./compliance-policy";

// Compliance policies built from the settings catalog (macOS, Linux, Windows: compliancePolicies, not the
// older deviceCompliancePolicies). Paired by `name`. Like settings catalog policies, settings change only
// through PUT of the whole policy with its `settings`. The actions for noncompliance are not part of that
// body: they are read from /{id}/scheduledActionsForRule and replaced with POST /{id}/setScheduledActions
// (also right after the create), as IntuneCD does. A Linux custom compliance setting names its discovery
// script by a reusable policy setting id deep inside a setting value; no pattern can single it out, so it
// is kept as it is (the same script must exist under that id in the target tenant).
export const settingsCompliancePolicy = defineResourceType({
  id: "intune.settingsCompliancePolicy",
  title: "Compliance policy (settings catalog)",
  version: "beta",
  collection: "/deviceManagement/compliancePolicies",
  kind: "collection",
  naturalKey: "name",
  serverManaged: [...intuneServerManaged, "/settingCount", "/isAssigned", "/creationSource", "/settings@odata.context"],
  unorderedArrays: ["/roleScopeTagIds", "/assignments"],
  update: "PUT",
  // Assignments come with the list (IntuneManagement v4 expands them on the list of every type it does
  // not opt out; this is one). Settings (1000 a page, as for settings catalog policies) and actions are
  // read per policy: no source shows them expanded on the list.
  pageSize: intunePageSize,
  assignments: { read: "withList", write: { kind: "assign", bodyKey: "assignments" } },
  writeApart: {
    settings: { kind: "inline" },
    scheduledActionsForRule: {
      kind: "action",
      action: "setScheduledActions",
      bodyKey: "scheduledActions",
      onCreate: "action",
    },
  },
  subResources: [
    {
      property: "settings",
      path: "settings?$top=1000",
      serverManaged: ["/id", "/settingDefinitions", "/settingDefinitions@odata.context"],
    },
    {
      property: "scheduledActionsForRule",
      path: "scheduledActionsForRule?$expand=scheduledActionConfigurations",
      serverManaged: ["/id", "/scheduledActionConfigurations/*/id", "/scheduledActionConfigurations@odata.context"],
    },
  ],
  references: {
    ...assignmentTargetReferences,
    ...scopeTagReferences,
    ...complianceActionReferences,
  },
  permissions: { read: intuneRead, write: intuneWrite },
});
