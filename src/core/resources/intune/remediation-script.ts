import {
  assignmentTargetReferences,
  defineResourceType,
  intunePageSize,
  intuneScriptPermissions,
  intuneServerManaged,
  scopeTagReferences,
} from "../resource-type";

// Remediations (device health scripts). The list omits both script bodies: read by id. Microsoft's
// global scripts (isGlobalScript: true) are not ours. `version` is a string here, still service-managed.
export const remediationScript = defineResourceType({
  id: "intune.remediationScript",
  title: "Remediation script",
  version: "beta",
  collection: "/deviceManagement/deviceHealthScripts",
  kind: "collection",
  naturalKey: "displayName",
  readById: true,
  serverManaged: [...intuneServerManaged, "/isGlobalScript", "/highestAvailableVersion", "/deviceHealthScriptType"],
  files: [
    { property: "detectionScriptContent", suffix: ".detection.ps1" },
    { property: "remediationScriptContent", suffix: ".remediation.ps1" },
  ],
  unorderedArrays: ["/roleScopeTagIds", "/assignments"],
  update: "PATCH",
  // Bodies and assignments in one GET by id with $expand=assignments, as IntuneManagement reads every object.
  pageSize: intunePageSize,
  assignments: {
    read: "expand",
    write: { kind: "assign", bodyKey: "deviceHealthScriptAssignments" },
    keep: ["runRemediationScript", "runSchedule"],
  },
  skip: { isGlobalScript: true },
  references: { ...assignmentTargetReferences, ...scopeTagReferences },
  permissions: intuneScriptPermissions,
});
