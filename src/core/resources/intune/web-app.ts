import {
  assignmentTargetReferences,
  defineResourceType,
  intuneServerManaged,
  scopeTagReferences,
} from "../resource-type";

// Web links (Intune apps of type webApp): a URL published in Company Portal, with no package. They live
// in deviceAppManagement/mobileApps beside every other app type; the list is read with the service's
// $filter=isof('microsoft.graph.webApp') (the type filter Microsoft's Intune PowerShell samples and the
// portal use on that collection), so other apps are never read, planned, changed or deleted here. Paired
// by displayName. The service keeps the publishing and upload state, the assignment flag and the
// dependency and supersedence counts; the icon is left as the tenant has it. appUrl cannot be PATCHed
// ("This property cannot be PATCHed", reference page): a changed URL means a new app. Categories are
// links to app categories: kept as their ids, written with $ref. Each app is read by id with
// $expand=categories,assignments (as IntuneManagement v4 reads apps): one request for both, and the
// list leaves out roleScopeTagIds (IntuneManagement v4 and IntuneCD read them per app).
// Assignments carry their install intent. One a policy set made (source "policySets") is read like the
// app's own, so a deploy writes it as a direct assignment: policy sets are not synced. No secrets.
export const webApp = defineResourceType({
  id: "intune.webApp",
  title: "Web link (app)",
  version: "beta",
  collection: "/deviceAppManagement/mobileApps",
  listFilter: "isof('microsoft.graph.webApp')",
  kind: "collection",
  naturalKey: "displayName",
  requiresODataType: true,
  serverManaged: [
    ...intuneServerManaged,
    "/largeIcon",
    "/uploadState",
    "/publishingState",
    "/isAssigned",
    "/dependentAppCount",
    "/supersedingAppCount",
    "/supersededAppCount",
    "/categories/*/@odata.type",
    "/categories/*/displayName",
    "/categories/*/lastModifiedDateTime",
  ],
  createOnly: ["/appUrl"],
  unorderedArrays: ["/roleScopeTagIds", "/assignments", "/categories"],
  update: "PATCH",
  readById: true,
  expand: ["categories", "assignments"],
  assignments: {
    read: "expand",
    write: { kind: "assign", bodyKey: "mobileAppAssignments" },
    keep: ["intent", "settings"],
  },
  writeApart: { categories: { kind: "refs", target: "/deviceAppManagement/mobileAppCategories" } },
  references: {
    ...assignmentTargetReferences,
    ...scopeTagReferences,
    "/categories/*/id": { type: "intune.mobileAppCategory" },
  },
  permissions: { read: ["DeviceManagementApps.Read.All"], write: ["DeviceManagementApps.ReadWrite.All"] },
});
