import {
  assignmentTargetReferences,
  defineResourceType,
  intunePageSize,
  intuneServerManaged,
  scopeTagReferences,
} from "../resource-type";

// App configuration for managed apps. Like app protection: apps and assignments come with
// $expand=apps,assignments on GET by id (IntuneManagement v3 reads them so; v4 does not expand this list,
// so neither do we); apps are written with POST /{id}/targetApps {apps} (a deploy hook).
export const managedAppConfiguration = defineResourceType({
  id: "intune.managedAppConfiguration",
  title: "App configuration (managed apps)",
  version: "beta",
  collection: "/deviceAppManagement/targetedManagedAppConfigurations",
  kind: "collection",
  naturalKey: "displayName",
  readById: true,
  expand: ["apps", "assignments"],
  pageSize: intunePageSize,
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
  references: { ...assignmentTargetReferences, ...scopeTagReferences },
  permissions: { read: ["DeviceManagementApps.Read.All"], write: ["DeviceManagementApps.ReadWrite.All"] },
});
