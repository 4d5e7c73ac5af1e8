import { defineResourceType } from "../resource-type";

// Lifetimes of the access, ID and SAML tokens the apps it applies to receive. The policy is JSON text in a one-item
// definition array, kept as the service returns it. Which service principals it applies to is set
// from the service principal (POST servicePrincipals/{id}/tokenLifetimePolicies/$ref), not here: the policy
// alone is synced. No secrets.
export const tokenLifetimePolicy = defineResourceType({
  id: "entra.tokenLifetimePolicy",
  title: "Token lifetime policy",
  version: "v1.0",
  collection: "/policies/tokenLifetimePolicies",
  kind: "collection",
  naturalKey: "displayName",
  serverManaged: ["/id", "/deletedDateTime", "/@odata.context"],
  update: "PATCH",
  permissions: { read: ["Policy.Read.All"], write: ["Policy.ReadWrite.ApplicationConfiguration"] },
});
