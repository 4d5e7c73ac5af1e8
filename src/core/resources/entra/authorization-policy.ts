import { defineResourceType } from "../resource-type";

// v1.0 serves the one object at this path (beta serves a collection and PATCHes
// /authorizationPolicy/authorizationPolicy). A singleton is never created, so its fixed id is kept (it
// names the file) and, being create-only, never sent. permissionGrantPoliciesAssigned (built-in policy
// ids) and guestUserRoleId (a role template) are global.
export const authorizationPolicy = defineResourceType({
  id: "entra.authorizationPolicy",
  title: "Authorization policy",
  version: "v1.0",
  collection: "/policies/authorizationPolicy",
  kind: "singleton",
  naturalKey: "id",
  createOnly: ["/id"],
  serverManaged: ["/@odata.context", "/displayName", "/description"],
  unorderedArrays: ["/defaultUserRolePermissions/permissionGrantPoliciesAssigned"],
  update: "PATCH",
  permissions: { read: ["Policy.Read.All"], write: ["Policy.ReadWrite.Authorization"] },
});
