import { defineResourceType, intunePageSize, intuneRead, intuneServerManaged, intuneWrite } from "../resource-type";

// Assignment filters are referenced by assignments, never assigned. payloads is the service's list of
// assignments using the filter; platform cannot change after creation. Scope tags sit in `roleScopeTags`
// here, not `roleScopeTagIds`.
export const assignmentFilter = defineResourceType({
  id: "intune.assignmentFilter",
  title: "Assignment filter",
  version: "beta",
  collection: "/deviceManagement/assignmentFilters",
  pageSize: intunePageSize,
  kind: "collection",
  naturalKey: "displayName",
  serverManaged: [...intuneServerManaged, "/payloads"],
  createOnly: ["/platform"],
  unorderedArrays: ["/roleScopeTags"],
  update: "PATCH",
  references: { "/roleScopeTags/*": { type: "intune.roleScopeTag", globals: ["0"] } },
  permissions: { read: intuneRead, write: intuneWrite },
});
