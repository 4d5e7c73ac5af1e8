import { defineResourceType } from "../resource-type";

// Whether external users may sign themselves up through user flows. The one object at this path: the
// reference page marks id, displayName and description read-only, so only selfServiceSignUp is
// written. A singleton is never created, so its fixed id is kept (it names the file) and never sent.
export const authenticationFlowsPolicy = defineResourceType({
  id: "entra.authenticationFlowsPolicy",
  title: "Authentication flows policy",
  version: "v1.0",
  collection: "/policies/authenticationFlowsPolicy",
  kind: "singleton",
  naturalKey: "id",
  createOnly: ["/id"],
  serverManaged: ["/@odata.context", "/displayName", "/description"],
  update: "PATCH",
  permissions: { read: ["Policy.Read.All"], write: ["Policy.ReadWrite.AuthenticationFlows"] },
});
