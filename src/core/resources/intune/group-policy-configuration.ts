import {
  assignmentTargetReferences,
  defineResourceType,
  intunePageSize,
  intuneRead,
  intuneServerManaged,
  intuneWrite,
  scopeTagReferences,
} from "../resource-type";

const valueStamps = ["/id", "/createdDateTime", "/lastModifiedDateTime"];

// Administrative templates. PATCH carries the metadata only; values change through
// POST /{id}/updateDefinitionValues {added, updated, deletedIds}, binding definitions and presentations
// with @odata.bind URLs instead of the expanded `definition` / `presentation` read here (a deploy hook).
// Definition ids are global for built-in ADMX but tenant-specific for imported custom ADMX (not mapped).
export const groupPolicyConfiguration = defineResourceType({
  id: "intune.groupPolicyConfiguration",
  title: "Administrative template",
  version: "beta",
  collection: "/deviceManagement/groupPolicyConfigurations",
  kind: "collection",
  naturalKey: "displayName",
  serverManaged: [...intuneServerManaged, "/policyConfigurationIngestionType"],
  unorderedArrays: ["/roleScopeTagIds", "/assignments"],
  update: "PATCH",
  // Assignments come with the list (IntuneManagement v4 expands them on the list of every type it does not
  // opt out; this is one). Definition values are read per policy and their presentation values per value,
  // as IntuneCD, IntuneManagement and IntuneBackupAndRestore do: nesting presentationValues in the
  // definition values' expansion exceeds the service's expansion depth.
  pageSize: intunePageSize,
  assignments: { read: "withList", write: { kind: "assign", bodyKey: "assignments" } },
  writeApart: { definitionValues: { kind: "hook", hook: "groupPolicyDefinitionValues" } },
  subResources: [
    {
      property: "definitionValues",
      path: "definitionValues?$expand=definition",
      serverManaged: valueStamps,
      children: [
        { property: "presentationValues", path: "presentationValues?$expand=presentation", serverManaged: valueStamps },
      ],
    },
  ],
  references: { ...assignmentTargetReferences, ...scopeTagReferences },
  permissions: { read: intuneRead, write: intuneWrite },
});
