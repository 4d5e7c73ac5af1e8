/**
 * seeds-entra-more — the demo tenant's custom security attributes (two attribute sets and their
 * definitions, one with predefined values, one retired) and app registrations (a web app, an API
 * with a federated credential, a mobile app), in the shape the directory returns them. A new tenant
 * has none of them.
 */
import { childObject, type Json } from "./entities";
import { type AppRegistration, blankApp, type StoredObject, type TenantState } from "./tenant-store";

/**
 * Custom security attributes need their own permission (Directory.* does not cover them); app
 * registrations are read with Application.Read.All (already asked for) and written only where the
 * pipeline is an owner (Application.ReadWrite.OwnedBy).
 */
export const entraMoreReadPermissions = ["CustomSecAttributeDefinition.Read.All"];
export const entraMoreWritePermissions = [
  "CustomSecAttributeDefinition.ReadWrite.All",
  "Application.ReadWrite.OwnedBy",
];

interface Seeder {
  add(key: string, props: Json, nav?: Record<string, StoredObject[]>, id?: string): StoredObject;
}

interface Definition {
  name: string;
  description: string;
  type: "String" | "Integer" | "Boolean";
  isCollection?: boolean;
  status?: "Available" | "Deprecated";
  values?: string[];
}

function addSet(b: Seeder, id: string, description: string, maxAttributesPerSet: number | null, defs: Definition[]) {
  b.add("attributeSet", { description, maxAttributesPerSet }, {}, id);
  for (const d of defs) {
    const props: Json = {
      attributeSet: id,
      description: d.description,
      isCollection: d.isCollection ?? false,
      isSearchable: true,
      name: d.name,
      status: d.status ?? "Available",
      type: d.type,
      usePreDefinedValuesOnly: d.values !== undefined,
    };
    const allowedValues = (d.values ?? []).map((value) => childObject({ id: value, isActive: true }));
    b.add("customSecurityAttributeDefinition", props, { allowedValues }, `${id}_${d.name}`);
  }
}

export function addDemoCustomSecurityAttributes(b: Seeder): void {
  addSet(b, "Compliance", "Data handling and review attributes", 10, [
    {
      name: "DataClassification",
      description: "Highest classification of the data the object handles",
      type: "String",
      values: ["Public", "Internal", "Confidential", "HighlyConfidential"],
    },
    { name: "AccessReviewRequired", description: "Included in quarterly access reviews", type: "Boolean" },
    { name: "LegacyRegion", description: "Replaced by the Finance cost centre", type: "String", status: "Deprecated" },
  ]);
  addSet(b, "Finance", "Cost allocation", null, [
    { name: "CostCenter", description: "Cost centre numbers charged", type: "Integer", isCollection: true },
  ]);
}

const graphAppId = "00000003-0000-0000-c000-000000000000";
const userRead = "e1fe6dd8-ba31-4d61-89e7-88639da4683d";
const seededAt = "2026-01-05T09:00:00Z";

function registration(newId: () => string, displayName: string, owners: string[], settings: Json): AppRegistration {
  return {
    ...blankApp(newId(), displayName, owners),
    objectId: newId(),
    createdDateTime: seededAt,
    signInAudience: "AzureADMyOrg",
    requiredResourceAccess: [{ resourceAppId: graphAppId, resourceAccess: [{ id: userRead, type: "Scope" }] }],
    settings,
  };
}

const role = (id: string, value: string, displayName: string, members: string[]): Json => ({
  allowedMemberTypes: members,
  description: displayName,
  displayName,
  id,
  isEnabled: true,
  origin: "Application",
  value,
});

/**
 * The demo tenant's app registrations: two the pipeline created (it owns them, so it may change
 * them) and one an administrator registered (the pipeline reads it but may not change it).
 */
export function addDemoAppRegistrations(state: TenantState, newId: () => string, pipelineClientId: string): void {
  const hr = registration(newId, "Contoso HR portal", [pipelineClientId], {
    notes: "Owned by HR IT; change through the tenant repository.",
    tags: ["HR", "WebApp"],
    groupMembershipClaims: "SecurityGroup",
    web: {
      homePageUrl: "https://hr.contoso.com/",
      logoutUrl: "https://hr.contoso.com/signout-oidc",
      redirectUris: ["https://hr.contoso.com/signin-oidc"],
      implicitGrantSettings: { enableAccessTokenIssuance: false, enableIdTokenIssuance: true },
      redirectUriSettings: [],
    },
    spa: { redirectUris: ["https://hr.contoso.com/app"] },
    appRoles: [
      role("3c1b1a52-8f0e-4b8e-9a43-6a2f0c8e5d11", "HR.Admin", "HR administrators", ["User"]),
      role("7d9e2f40-1c6b-4a5e-8d21-0b3f9e6a4c22", "HR.Reader", "HR readers", ["User"]),
    ],
    optionalClaims: {
      idToken: [{ name: "email", source: null, essential: false, additionalProperties: [] }],
      accessToken: [],
      saml2Token: [],
    },
  });
  const orders = registration(newId, "Contoso Orders API", [pipelineClientId], {
    tags: ["API"],
    api: {
      acceptMappedClaims: null,
      knownClientApplications: [],
      requestedAccessTokenVersion: 2,
      oauth2PermissionScopes: [
        {
          adminConsentDescription: "Read the orders of the signed-in user",
          adminConsentDisplayName: "Read orders",
          id: "5b2e8c7a-3f41-4d9b-a6e0-1c7d2f8b9e33",
          isEnabled: true,
          type: "User",
          userConsentDescription: "Read your orders",
          userConsentDisplayName: "Read your orders",
          value: "Orders.Read",
        },
      ],
      preAuthorizedApplications: [],
    },
    appRoles: [role("9a4f6c2e-7b30-4e1d-b8c5-2d6e0f1a3b44", "Orders.Sync", "Order synchronisation", ["Application"])],
  });
  orders.settings!.identifierUris = [`api://${orders.clientId}`];
  orders.federatedCredentials.push({
    id: newId(),
    name: "github-production",
    issuer: "https://token.actions.githubusercontent.com",
    subject: "repo:contoso/orders-api:environment:production",
    audiences: ["api://AzureADTokenExchange"],
    description: "Deployments from the orders-api repository",
  });
  const field = registration(newId, "Contoso field app", [], {
    notes: "Registered by the mobile team.",
    publicClient: {
      redirectUris: ["msauth.com.contoso.field://auth", "https://login.microsoftonline.com/common/oauth2/nativeclient"],
    },
  });
  field.isPublicClient = true;
  state.apps.push(hr, orders, field);
}
