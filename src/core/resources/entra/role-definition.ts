import { defineResourceType } from "../resource-type";

// Custom directory roles only: built-ins carry isBuiltIn and templateId == id in every tenant.
// rolePermissions hold resource actions (global strings): nothing to map.
export const roleDefinition = defineResourceType({
  id: "entra.roleDefinition",
  title: "Directory role definition",
  version: "v1.0",
  collection: "/roleManagement/directory/roleDefinitions",
  kind: "collection",
  naturalKey: "displayName",
  serverManaged: [
    "/id",
    "/@odata.context",
    "/isBuiltIn",
    "/templateId",
    "/version",
    "/inheritsPermissionsFrom",
    "/inheritsPermissionsFrom@odata.context",
  ],
  update: "PATCH",
  skip: { isBuiltIn: true },
  permissions: { read: ["RoleManagement.Read.Directory"], write: ["RoleManagement.ReadWrite.Directory"] },
});
