import { defineResourceType, scopeTagReferences } from "../resource-type";

// Device categories users pick at enrolment (dynamic groups can use them). Paired by displayName; the
// service adds only the id. No secrets.
export const deviceCategory = defineResourceType({
  id: "intune.deviceCategory",
  title: "Device category",
  version: "beta",
  collection: "/deviceManagement/deviceCategories",
  // Pages of 500, the $top IntuneManagement v4 lists device categories with (no maximum is documented).
  pageSize: 500,
  kind: "collection",
  naturalKey: "displayName",
  serverManaged: ["/id", "/@odata.context"],
  unorderedArrays: ["/roleScopeTagIds"],
  update: "PATCH",
  references: { ...scopeTagReferences },
  permissions: {
    read: ["DeviceManagementManagedDevices.Read.All"],
    write: ["DeviceManagementManagedDevices.ReadWrite.All"],
  },
});
