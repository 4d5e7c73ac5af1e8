import {
  assignmentTargetReferences,
  defineResourceType,
  intuneRead,
  intuneServerManaged,
  intuneWrite,
  scopeTagReferences,
} from "../resource-type";

// Windows driver update policies (manual or automatic approval, deferral in days). Paired by displayName.
// The service keeps the device counts, the new-update count and the inventory sync status; which drivers
// are approved (driverInventories, executeAction) is run-time state of the tenant's devices, not synced.
export const driverUpdateProfile = defineResourceType({
  id: "intune.driverUpdateProfile",
  title: "Driver update profile",
  version: "beta",
  collection: "/deviceManagement/windowsDriverUpdateProfiles",
  // Pages of 200: the service caps $top at 200 and refuses more ("The limit of '200' for Top query has been
  // exceeded", IntuneManagement v4); $expand=assignments on the list is refused too: read per profile.
  pageSize: 200,
  kind: "collection",
  naturalKey: "displayName",
  serverManaged: [...intuneServerManaged, "/deviceReporting", "/newUpdates", "/inventorySyncStatus"],
  unorderedArrays: ["/roleScopeTagIds", "/assignments"],
  update: "PATCH",
  assignments: { read: "list", write: { kind: "assign", bodyKey: "assignments" } },
  references: { ...assignmentTargetReferences, ...scopeTagReferences },
  permissions: { read: intuneRead, write: intuneWrite },
});
