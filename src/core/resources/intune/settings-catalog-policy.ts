import {
  assignmentTargetReferences,
  defineResourceType,
  intunePageSize,
  intuneRead,
  intuneServerManaged,
  intuneWrite,
  scopeTagReferences,
} from "../resource-type";

// Settings catalog and endpoint-security policies. Named by `name`, not displayName. Settings change only
// through PUT of the whole policy including `settings` (observed, IntuneCD); create is one POST with them.
// Setting definition and template ids are global; reusable policy-setting ids inside setting values
// (Defender device control, firewall rules) are tenant-specific but no resource type declares them yet.
export const settingsCatalogPolicy = defineResourceType({
  id: "intune.settingsCatalogPolicy",
  title: "Settings catalog policy",
  version: "beta",
  collection: "/deviceManagement/configurationPolicies",
  kind: "collection",
  naturalKey: "name",
  serverManaged: [
    ...intuneServerManaged,
    "/settingCount",
    "/isAssigned",
    "/creationSource",
    "/priorityMetaData",
    "/settings@odata.context",
  ],
  unorderedArrays: ["/roleScopeTagIds", "/assignments"],
  update: "PUT",
  // Assignments come with the list; expanded on GET by id they come back empty (msgraph-sdk-powershell
  // #3337, a service issue; IntuneManagement v4 avoids it). Settings are read per policy, at most 1000 a
  // page (IntuneCD asks for 1000; the default page is 25, IntuneBackupAndRestore#88): no source shows
  // them expanded on the list.
  pageSize: intunePageSize,
  assignments: { read: "withList", write: { kind: "assign", bodyKey: "assignments" } },
  writeApart: { settings: { kind: "inline" } },
  subResources: [
    {
      property: "settings",
      path: "settings?$top=1000",
      serverManaged: ["/id", "/settingDefinitions", "/settingDefinitions@odata.context"],
    },
  ],
  references: { ...assignmentTargetReferences, ...scopeTagReferences },
  permissions: { read: intuneRead, write: intuneWrite },
});
