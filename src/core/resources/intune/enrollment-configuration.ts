import {
  assignmentTargetReferences,
  defineResourceType,
  intuneServerManaged,
  scopeTagReferences,
} from "../resource-type";

// Enrollment restrictions, Windows Hello, ESP (polymorphic). `priority` is refused on create and update
// and changes only through POST /{id}/setPriority, which this declaration cannot express: it is kept out
// of snapshots (like IntuneCD) rather than shown as a difference deploy could never apply. The defaults
// (priority 0) ship with every tenant and cannot change here, so they are skipped. ESP
// selectedMobileAppIds are tenant-specific mobile app ids, not a declared type: not mapped.
export const enrollmentConfiguration = defineResourceType({
  id: "intune.enrollmentConfiguration",
  title: "Enrollment configuration",
  version: "beta",
  collection: "/deviceManagement/deviceEnrollmentConfigurations",
  kind: "collection",
  naturalKey: "displayName",
  requiresODataType: true,
  serverManaged: [...intuneServerManaged, "/priority", "/deviceEnrollmentConfigurationType"],
  createOnly: ["/platformType"],
  unorderedArrays: ["/roleScopeTagIds", "/assignments"],
  update: "PATCH",
  // Assignments come with the list: "The Intune portal does this on every enrollment-config subtype, and
  // Graph accepts it here" (IntuneManagement v4, enrollment classes).
  // Read in pages of 1000: the $top IntuneManagement v4 sends to every Intune list (none documents a maximum).
  pageSize: 1000,
  assignments: { read: "withList", write: { kind: "assign", bodyKey: "enrollmentConfigurationAssignments" } },
  skip: { priority: 0 },
  references: { ...assignmentTargetReferences, ...scopeTagReferences },
  permissions: {
    read: ["DeviceManagementServiceConfig.Read.All"],
    write: ["DeviceManagementServiceConfig.ReadWrite.All"],
  },
});
