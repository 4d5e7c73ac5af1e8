import {
  assignmentTargetReferences,
  defineResourceType,
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
  assignments: { read: "list", write: { kind: "assign", bodyKey: "assignments" } },
  writeApart: { settings: { kind: "inline" } },
  subResources: [
    {
      property: "settings",
      path: "settings",
      serverManaged: ["/id", "/settingDefinitions", "/settingDefinitions@odata.context"],
    },
  ],
  references: { ...assignmentTargetReferences, ...scopeTagReferences },
  permissions: { read: intuneRead, write: intuneWrite },
});
