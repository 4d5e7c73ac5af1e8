import {
  assignmentTargetReferences,
  defineResourceType,
  intunePageSize,
  intuneServerManaged,
  scopeTagReferences,
} from "../resource-type";

// App configuration for managed devices (polymorphic per platform). targetedMobileApps holds mobile app
// ids, which are tenant-specific, but mobile apps are not a declared resource type: they are not mapped.
export const mobileAppConfiguration = defineResourceType({
  id: "intune.mobileAppConfiguration",
  title: "App configuration (managed devices)",
  version: "beta",
  collection: "/deviceAppManagement/mobileAppConfigurations",
  pageSize: intunePageSize,
  kind: "collection",
  naturalKey: "displayName",
  requiresODataType: true,
  serverManaged: intuneServerManaged,
  unorderedArrays: ["/roleScopeTagIds", "/assignments", "/targetedMobileApps"],
  update: "PATCH",
  assignments: { read: "list", write: { kind: "assign", bodyKey: "assignments" } },
  references: { ...assignmentTargetReferences, ...scopeTagReferences },
  permissions: { read: ["DeviceManagementApps.Read.All"], write: ["DeviceManagementApps.ReadWrite.All"] },
});
