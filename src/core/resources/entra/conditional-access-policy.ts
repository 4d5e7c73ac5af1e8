import { defineResourceType, type ReferenceSpec } from "../resource-type";

// GET expands grantControls.authenticationStrength into the whole strength object; only its `id` may be
// written back, so the expansion is dropped and the id stays (the service refuses the expanded object on write).
const strengthExpansion = [
  "displayName",
  "description",
  "policyType",
  "requirementsSatisfied",
  "allowedCombinations",
  "createdDateTime",
  "modifiedDateTime",
  "combinationConfigurations",
  "combinationConfigurations@odata.context",
].map((property) => `/grantControls/authenticationStrength/${property}`);
const locations: ReferenceSpec = { type: "entra.namedLocation", globals: ["All", "AllTrusted"] };
// Built-in strengths (MFA, passwordless MFA, phishing-resistant MFA) have the same id in every tenant.
const builtInStrengths = [
  "00000000-0000-0000-0000-000000000002",
  "00000000-0000-0000-0000-000000000003",
  "00000000-0000-0000-0000-000000000004",
];

// Users (include/excludeUsers, keywords "All", "None", "GuestsOrExternalUsers"), terms of use and own
// app ids are tenant-specific too, but no resource type declares them; role template ids are global.
export const conditionalAccessPolicy = defineResourceType({
  id: "entra.conditionalAccessPolicy",
  title: "Conditional access policy",
  version: "v1.0",
  collection: "/identity/conditionalAccess/policies",
  kind: "collection",
  naturalKey: "displayName",
  serverManaged: [
    "/id",
    "/createdDateTime",
    "/modifiedDateTime",
    "/templateId",
    "/@odata.context",
    "/grantControls/authenticationStrength@odata.context",
    ...strengthExpansion,
  ],
  unorderedArrays: [
    "/conditions/users/includeGroups",
    "/conditions/users/excludeGroups",
    "/conditions/locations/includeLocations",
    "/conditions/locations/excludeLocations",
  ],
  update: "PATCH",
  references: {
    "/conditions/users/includeGroups/*": { type: "entra.group" },
    "/conditions/users/excludeGroups/*": { type: "entra.group" },
    "/conditions/locations/includeLocations/*": locations,
    "/conditions/locations/excludeLocations/*": locations,
    "/grantControls/authenticationStrength/id": {
      type: "entra.authenticationStrengthPolicy",
      globals: builtInStrengths,
    },
  },
  // Creating or changing a policy with only the first two is refused (§4): all three are needed.
  permissions: {
    read: ["Policy.Read.All"],
    write: ["Policy.ReadWrite.ConditionalAccess", "Policy.Read.All", "Application.Read.All"],
  },
});
