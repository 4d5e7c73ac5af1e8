import {
  assignmentTargetReferences,
  defineResourceType,
  intunePageSize,
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
  // Assignments come with the list (IntuneManagement v4 expands them on the list of every type it does not
  // opt out; this is one).
  pageSize: intunePageSize,
  assignments: { read: "withList", write: { kind: "perAssignment" } },
  references: { ...assignmentTargetReferences, ...scopeTagReferences },
  permissions: {
    read: ["DeviceManagementServiceConfig.Read.All"],
    write: ["DeviceManagementServiceConfig.ReadWrite.All"],
  },
});
