import { defineResourceType } from "../resource-type";

// PATCH changes only displayName / description; allowedCombinations change through
// POST /{id}/updateAllowedCombinations (a deploy hook). Built-in strengths are the same everywhere.
// combinationConfigurations hold FIDO2 AAGUIDs and similar global values: nothing to map.
export const authenticationStrengthPolicy = defineResourceType({
  id: "entra.authenticationStrengthPolicy",
  title: "Authentication strength",
  version: "v1.0",
  collection: "/policies/authenticationStrengthPolicies",
  kind: "collection",
  naturalKey: "displayName",
  // combinationConfigurations come with every listed policy, unasked (the list page's example answer).
  serverManaged: [
    "/id",
    "/createdDateTime",
    "/modifiedDateTime",
    "/@odata.context",
    "/policyType",
    "/requirementsSatisfied",
    "/combinationConfigurations/*/id",
    "/combinationConfigurations@odata.context",
  ],
  unorderedArrays: ["/allowedCombinations"],
  update: "PATCH",
  skip: { policyType: "builtIn" },
  // Combination configurations are contained objects: POST / PATCH / DELETE …/combinationConfigurations.
  writeApart: {
    allowedCombinations: {
      kind: "action",
      action: "updateAllowedCombinations",
      bodyKey: "allowedCombinations",
      onCreate: "inline",
    },
    combinationConfigurations: { kind: "items", key: "appliesToCombinations" },
  },
  permissions: { read: ["Policy.Read.All"], write: ["Policy.ReadWrite.ConditionalAccess"] },
});
