import {
  assignmentTargetReferences,
  defineResourceType,
  intunePageSize,
  intuneServerManaged,
  scopeTagReferences,
} from "../resource-type";

// Listed through the polymorphic, read-only managedAppPolicies; written (and read in full) through the
// per-platform collection named by @odata.type. $expand=apps,assignments works on GET by id of that
// per-platform collection, hence readById + expand: the engine GETs {writeCollections[type]}/{id}
// ?$expand=apps,assignments. Apps are written with POST …/targetApps {apps} (a deploy hook).
export const appProtectionPolicy = defineResourceType({
  id: "intune.appProtectionPolicy",
  title: "App protection policy",
  version: "beta",
  collection: "/deviceAppManagement/managedAppPolicies",
  pageSize: intunePageSize,
  kind: "collection",
  naturalKey: "displayName",
  requiresODataType: true,
  readById: true,
  expand: ["apps", "assignments"],
  serverManaged: [
    ...intuneServerManaged,
    "/isAssigned",
    "/deployedAppCount",
    "/apps@odata.context",
    "/assignments@odata.context",
    "/apps/*/id",
  ],
  unorderedArrays: ["/roleScopeTagIds", "/assignments", "/apps"],
  update: "PATCH",
  assignments: { read: "expand", write: { kind: "assign", bodyKey: "assignments" } },
  writeApart: { apps: { kind: "action", action: "targetApps", bodyKey: "apps", onCreate: "action" } },
  writeCollections: {
    "#microsoft.graph.iosManagedAppProtection": "/deviceAppManagement/iosManagedAppProtections",
    "#microsoft.graph.androidManagedAppProtection": "/deviceAppManagement/androidManagedAppProtections",
    "#microsoft.graph.windowsManagedAppProtection": "/deviceAppManagement/windowsManagedAppProtections",
    "#microsoft.graph.mdmWindowsInformationProtectionPolicy":
      "/deviceAppManagement/mdmWindowsInformationProtectionPolicies",
    "#microsoft.graph.windowsInformationProtectionPolicy": "/deviceAppManagement/windowsInformationProtectionPolicies",
  },
  references: { ...assignmentTargetReferences, ...scopeTagReferences },
  permissions: { read: ["DeviceManagementApps.Read.All"], write: ["DeviceManagementApps.ReadWrite.All"] },
});
