import {
  assignmentTargetReferences,
  defineResourceType,
  intunePageSize,
  intuneScriptPermissions,
  intuneServerManaged,
  scopeTagReferences,
} from "../resource-type";

// macOS shell scripts. The list omits scriptContent (read by id) and there is no /assignments route:
// assignments come with $expand=assignments on that GET by id. Assign uses the documented
// /deviceShellScripts/{id}/assign (IntuneCD's /deviceManagementScripts/{id}/assign also works).
export const shellScript = defineResourceType({
  id: "intune.shellScript",
  title: "Shell script (macOS)",
  version: "beta",
  collection: "/deviceManagement/deviceShellScripts",
  pageSize: intunePageSize,
  kind: "collection",
  naturalKey: "displayName",
  readById: true,
  serverManaged: [...intuneServerManaged, "/assignments@odata.context"],
  files: [{ property: "scriptContent", suffix: ".sh" }],
  unorderedArrays: ["/roleScopeTagIds", "/assignments"],
  update: "PATCH",
  assignments: { read: "expand", write: { kind: "assign", bodyKey: "deviceManagementScriptAssignments" } },
  references: { ...assignmentTargetReferences, ...scopeTagReferences },
  permissions: intuneScriptPermissions,
});
