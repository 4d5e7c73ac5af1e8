import { defineResourceType, intunePageSize } from "../resource-type";

// Scope tag ids are small numeric strings per tenant, mapped by displayName; "0" (Default) is built in.
// Assignments auto-assign the tag to groups. Only the group is a reference: assignment filters carry
// scope tags themselves, so a filter reference here would make a cycle.
export const roleScopeTag = defineResourceType({
  id: "intune.roleScopeTag",
  title: "Scope tag",
  version: "beta",
  collection: "/deviceManagement/roleScopeTags",
  pageSize: intunePageSize,
  kind: "collection",
  naturalKey: "displayName",
  serverManaged: ["/id", "/@odata.context", "/isBuiltIn"],
  unorderedArrays: ["/assignments"],
  update: "PATCH",
  assignments: { read: "list", write: { kind: "assign", bodyKey: "assignments" } },
  skip: { isBuiltIn: true },
  references: { "/assignments/*/target/groupId": { type: "entra.group" } },
  permissions: { read: ["DeviceManagementRBAC.Read.All"], write: ["DeviceManagementRBAC.ReadWrite.All"] },
});
