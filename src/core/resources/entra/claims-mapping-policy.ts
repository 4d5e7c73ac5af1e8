import { defineResourceType } from "../resource-type";

// The claims emitted in tokens for the apps it applies to. The policy is JSON text in a one-item
// definition array, kept as the service returns it. Which service principals it applies to is set
// from the service principal (POST servicePrincipals/{id}/claimsMappingPolicies/$ref), not here: the policy
// alone is synced. No secrets.
export const claimsMappingPolicy = defineResourceType({
  id: "entra.claimsMappingPolicy",
  title: "Claims mapping policy",
  version: "v1.0",
  collection: "/policies/claimsMappingPolicies",
  kind: "collection",
  naturalKey: "displayName",
  serverManaged: ["/id", "/deletedDateTime", "/@odata.context"],
  update: "PATCH",
  permissions: { read: ["Policy.Read.All"], write: ["Policy.ReadWrite.ApplicationConfiguration"] },
});
