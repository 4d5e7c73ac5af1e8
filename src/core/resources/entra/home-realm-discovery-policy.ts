import { defineResourceType } from "../resource-type";

// Sign-in routing to a federated identity provider for the apps it applies to. The policy is JSON text in a one-item
// definition array, kept as the service returns it. Which service principals it applies to is set
// from the service principal (POST servicePrincipals/{id}/homeRealmDiscoveryPolicies/$ref), not here: the policy
// alone is synced. No secrets.
export const homeRealmDiscoveryPolicy = defineResourceType({
  id: "entra.homeRealmDiscoveryPolicy",
  title: "Home realm discovery policy",
  version: "v1.0",
  collection: "/policies/homeRealmDiscoveryPolicies",
  kind: "collection",
  naturalKey: "displayName",
  serverManaged: ["/id", "/deletedDateTime", "/@odata.context"],
  update: "PATCH",
  permissions: { read: ["Policy.Read.All"], write: ["Policy.ReadWrite.ApplicationConfiguration"] },
});
