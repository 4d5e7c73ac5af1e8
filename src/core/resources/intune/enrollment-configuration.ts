import {
  assignmentTargetReferences,
  defineResourceType,
  intunePageSize,
  intuneServerManaged,
  scopeTagReferences,
} from "../resource-type";

// Enrollment restrictions, Windows Hello, ESP (polymorphic). `priority` is refused on create and update
// and changes only through POST /{id}/setPriority { priority }: written apart, after the create and on
// an update that changes it. If the service moves the others of the kind to keep them in sequence (its
// reference does not say), the backup after deploy brings that into the repository as drift. The defaults
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
  serverManaged: [...intuneServerManaged, "/deviceEnrollmentConfigurationType"],
  createOnly: ["/platformType"],
  unorderedArrays: ["/roleScopeTagIds", "/assignments"],
  update: "PATCH",
  // Assignments come with the list: "The Intune portal does this on every enrollment-config subtype, and
  // Graph accepts it here" (IntuneManagement v4, enrollment classes).
  pageSize: intunePageSize,
  assignments: { read: "withList", write: { kind: "assign", bodyKey: "enrollmentConfigurationAssignments" } },
  skip: { priority: 0 },
  writeApart: { priority: { kind: "action", action: "setPriority", bodyKey: "priority", onCreate: "action" } },
  references: { ...assignmentTargetReferences, ...scopeTagReferences },
  permissions: {
    read: ["DeviceManagementServiceConfig.Read.All"],
    write: ["DeviceManagementServiceConfig.ReadWrite.All"],
  },
});
