import { defineResourceType, intunePageSize, intuneServerManaged, scopeTagReferences } from "../resource-type";

// Intune RBAC: custom roles only (built-ins carry isBuiltIn). Role assignments are objects of their own:
// /{id}/roleAssignments lists summaries, each is read in full at /deviceManagement/roleAssignments/{id}
// (members, scopeMembers) and written there with roleDefinition@odata.bind (a deploy hook).
// `permissions` and rolePermissions[].actions are the legacy duplicates of resourceActions.
export const roleDefinition = defineResourceType({
  id: "intune.roleDefinition",
  title: "Intune role definition",
  version: "beta",
  collection: "/deviceManagement/roleDefinitions",
  pageSize: intunePageSize,
  kind: "collection",
  naturalKey: "displayName",
  serverManaged: [
    ...intuneServerManaged,
    "/isBuiltIn",
    "/isBuiltInRoleDefinition",
    "/permissions",
    "/rolePermissions/*/actions",
    "/roleAssignments@odata.context",
  ],
  unorderedArrays: ["/roleScopeTagIds"],
  update: "PATCH",
  skip: { isBuiltIn: true },
  subResources: [
    {
      property: "roleAssignments",
      path: "roleAssignments",
      itemPath: "/deviceManagement/roleAssignments",
      serverManaged: ["/id", "/@odata.context"],
    },
  ],
  writeApart: { roleAssignments: { kind: "items", key: "displayName", bind: "roleDefinition" } },
  references: {
    ...scopeTagReferences,
    "/roleAssignments/*/members/*": { type: "entra.group" },
    "/roleAssignments/*/scopeMembers/*": { type: "entra.group" },
    "/roleAssignments/*/roleScopeTagIds/*": { type: "intune.roleScopeTag", globals: ["0"] },
  },
  permissions: { read: ["DeviceManagementRBAC.Read.All"], write: ["DeviceManagementRBAC.ReadWrite.All"] },
});
