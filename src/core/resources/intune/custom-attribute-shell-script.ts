import {
  assignmentTargetReferences,
  defineResourceType,
  intunePageSize,
  intuneScriptPermissions,
  intuneServerManaged,
  scopeTagReferences,
} from "../resource-type";

// macOS custom attribute scripts: a shell script whose output becomes the device attribute
// customAttributeName. Named by displayName. As with shell scripts, the list omits scriptContent (read
// by id, kept beside the JSON as .sh) and assignments come only with $expand=assignments; they are
// written with POST /{id}/assign (deviceManagementScriptAssignments). The attribute's name and value
// type are fixed once created (the portal offers no way to change them).
export const customAttributeShellScript = defineResourceType({
  id: "intune.customAttributeShellScript",
  title: "Custom attribute script (macOS)",
  version: "beta",
  collection: "/deviceManagement/deviceCustomAttributeShellScripts",
  pageSize: intunePageSize,
  kind: "collection",
  naturalKey: "displayName",
  readById: true,
  serverManaged: [...intuneServerManaged, "/assignments@odata.context"],
  createOnly: ["/customAttributeName", "/customAttributeType"],
  files: [{ property: "scriptContent", suffix: ".sh" }],
  unorderedArrays: ["/roleScopeTagIds", "/assignments"],
  update: "PATCH",
  assignments: { read: "expand", write: { kind: "assign", bodyKey: "deviceManagementScriptAssignments" } },
  references: { ...assignmentTargetReferences, ...scopeTagReferences },
  permissions: intuneScriptPermissions,
});
