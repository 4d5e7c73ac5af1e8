import { defineResourceType, type ReferenceSpec } from "../resource-type";

// Targets name a group id or the keyword "all_users" when targetType is "group" (else a user id).
const target: ReferenceSpec = { type: "entra.group", globals: ["all_users"], when: { targetType: "group" } };

// The one policy of the tenant. GET returns the method configurations inline, but the root PATCH refuses
// them: each configuration is PATCHed at authenticationMethodConfigurations/{id} (fixed ids such as
// "Fido2"), hence a sub-resource. A singleton is never created, so its fixed id is kept (it names the
// file) and, being create-only, never sent.
export const authenticationMethodsPolicy = defineResourceType({
  id: "entra.authenticationMethodsPolicy",
  title: "Authentication methods policy",
  version: "v1.0",
  collection: "/policies/authenticationMethodsPolicy",
  kind: "singleton",
  naturalKey: "id",
  createOnly: ["/id"],
  serverManaged: [
    "/lastModifiedDateTime",
    "/@odata.context",
    "/policyVersion",
    "/policyMigrationState",
    "/authenticationMethodConfigurations@odata.context",
  ],
  update: "PATCH",
  subResources: [
    {
      property: "authenticationMethodConfigurations",
      path: "authenticationMethodConfigurations",
      serverManaged: ["/featureSettings/numberMatchingRequiredState", "/includeTargets/*/numberMatchingRequiredState"],
    },
  ],
  // The set of method configurations is fixed: each is PATCHed, never created or deleted.
  writeApart: { authenticationMethodConfigurations: { kind: "items", key: "id", verbs: ["update"] } },
  references: {
    "/authenticationMethodConfigurations/*/includeTargets/*/id": target,
    "/authenticationMethodConfigurations/*/excludeTargets/*/id": target,
    "/registrationEnforcement/authenticationMethodsRegistrationCampaign/includeTargets/*/id": target,
    "/registrationEnforcement/authenticationMethodsRegistrationCampaign/excludeTargets/*/id": target,
  },
  permissions: { read: ["Policy.Read.All"], write: ["Policy.ReadWrite.AuthenticationMethod"] },
});
