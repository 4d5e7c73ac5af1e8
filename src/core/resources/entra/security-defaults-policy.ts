import { defineResourceType } from "../resource-type";

// Security defaults (identitySecurityDefaultsEnforcementPolicy): one object, only isEnabled is written.
// The service refuses to enable it while conditional access policies are on, and the reverse; apply
// order cannot express that, so a plan turning one off and the other on must be deployed in two runs.
// A singleton is never created, so its fixed id (the same GUID in every tenant) is kept and never sent.
export const securityDefaultsPolicy = defineResourceType({
  id: "entra.securityDefaultsPolicy",
  title: "Security defaults",
  version: "v1.0",
  collection: "/policies/identitySecurityDefaultsEnforcementPolicy",
  kind: "singleton",
  naturalKey: "id",
  createOnly: ["/id"],
  serverManaged: ["/@odata.context", "/displayName", "/description"],
  update: "PATCH",
  permissions: { read: ["Policy.Read.All"], write: ["Policy.ReadWrite.SecurityDefaults"] },
});
