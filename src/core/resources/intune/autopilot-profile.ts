import {
  assignmentTargetReferences,
  defineResourceType,
  intuneServerManaged,
  scopeTagReferences,
} from "../resource-type";

// Windows Autopilot deployment profiles (polymorphic). There is no /assign action: each assignment is
// POSTed to /{id}/assignments (201) and removed with DELETE /{id}/assignments/{assignmentId}.
export const autopilotProfile = defineResourceType({
  id: "intune.autopilotProfile",
  title: "Autopilot deployment profile",
  version: "beta",
  collection: "/deviceManagement/windowsAutopilotDeploymentProfiles",
  kind: "collection",
  naturalKey: "displayName",
  requiresODataType: true,
  serverManaged: intuneServerManaged,
  unorderedArrays: ["/roleScopeTagIds", "/assignments"],
  update: "PATCH",
  assignments: { read: "list", write: { kind: "perAssignment" } },
  references: { ...assignmentTargetReferences, ...scopeTagReferences },
  permissions: {
    read: ["DeviceManagementServiceConfig.Read.All"],
    write: ["DeviceManagementServiceConfig.ReadWrite.All"],
  },
});
