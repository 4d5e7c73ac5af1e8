import {
  assignmentTargetReferences,
  defineResourceType,
  intunePageSize,
  intuneScriptPermissions,
  intuneServerManaged,
  scopeTagReferences,
} from "../resource-type";

// Windows PowerShell scripts. The list omits scriptContent: each script is read by id and its body stored
// decoded beside the JSON. Both permission families are requested (observed: writes failed without
// DeviceManagementScripts.*, while the permission data still maps scripts to DeviceManagementConfiguration.*).
export const powerShellScript = defineResourceType({
  id: "intune.powerShellScript",
  title: "PowerShell script",
  version: "beta",
  collection: "/deviceManagement/deviceManagementScripts",
  kind: "collection",
  naturalKey: "displayName",
  readById: true,
  serverManaged: intuneServerManaged,
  files: [{ property: "scriptContent", suffix: ".ps1" }],
  unorderedArrays: ["/roleScopeTagIds", "/assignments"],
  update: "PATCH",
  // Body and assignments in one GET by id with $expand=assignments, as IntuneManagement reads every object.
  pageSize: intunePageSize,
  assignments: { read: "expand", write: { kind: "assign", bodyKey: "deviceManagementScriptAssignments" } },
  references: { ...assignmentTargetReferences, ...scopeTagReferences },
  permissions: intuneScriptPermissions,
});
