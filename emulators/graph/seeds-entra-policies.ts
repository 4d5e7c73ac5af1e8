/**
 * seeds-entra-policies — the tenant-wide Entra policies every tenant has (authentication flows,
 * security defaults, external identities), with the values a new tenant shows, and the demo tenant's
 * application policies (token lifetime, claims mapping, home realm discovery) and Microsoft 365 group
 * setting. Values are what the service returns, not documentation placeholders.
 */
import type { Json } from "./entities";
import { groupSettingTemplates } from "./directory-setting-templates";
import type { StoredObject, TenantState } from "./tenant-store";

/** What the types seeded here need: Policy.Read.All is already asked for by the other policies. */
export const entraPolicyReadPermissions = ["Directory.Read.All"];
export const entraPolicyWritePermissions = [
  "Policy.ReadWrite.AuthenticationFlows",
  "Policy.ReadWrite.SecurityDefaults",
  "Policy.ReadWrite.ExternalIdentities",
  "Policy.ReadWrite.ApplicationConfiguration",
  "Directory.ReadWrite.All",
];

const securityDefaultsDescription =
  "Security defaults is a set of basic identity security mechanisms recommended by Microsoft. When enabled, these recommendations will be automatically enforced in your organization. Administrators and users will be better protected from common identity related attacks.";

/** The three singletons, as a new tenant has them (security defaults on, self-service sign-up allowed). */
export function addEntraPolicyDefaults(t: TenantState): void {
  t.singletons.authenticationFlowsPolicy = {
    id: "authenticationFlowsPolicy",
    props: {
      displayName: "Authentication flows policy",
      description:
        "Authentication flows policy allows modification of settings related to authentication flows in AAD tenant, such as self-service sign up configuration.",
      selfServiceSignUp: { isEnabled: true },
    },
    nav: {},
  };
  t.singletons.identitySecurityDefaultsEnforcementPolicy = {
    id: "00000000-0000-0000-0000-000000000005",
    props: { displayName: "Security Defaults", description: securityDefaultsDescription, isEnabled: true },
    nav: {},
  };
  t.singletons.externalIdentitiesPolicy = {
    id: "externalIdentityPolicy",
    props: {
      displayName: "External Identities Policy",
      description: null,
      deletedDateTime: null,
      allowExternalIdentitiesToLeave: true,
      allowDeletedIdentitiesDataRemoval: false,
    },
    nav: {},
  };
}

interface Seeder {
  add(key: string, props: Json): StoredObject;
  readonly tenant: { state: TenantState };
}

const stsPolicy = (displayName: string, definition: Json): Json => ({
  deletedDateTime: null,
  displayName,
  description: null,
  definition: [JSON.stringify(definition)],
  isOrganizationDefault: false,
});

/**
 * The demo tenant's changes from a new tenant: conditional access replaces security defaults (the
 * service refuses both at once), only the admins' group may create Microsoft 365 groups, and three
 * application policies.
 */
export function addDemoEntraPolicies(b: Seeder, groupCreatorsGroupId: string): void {
  const defaults = b.tenant.state.singletons.identitySecurityDefaultsEnforcementPolicy;
  if (defaults) defaults.props.isEnabled = false;
  b.add(
    "tokenLifetimePolicy",
    stsPolicy("Line-of-business apps: 8-hour access tokens", {
      TokenLifetimePolicy: { Version: 1, AccessTokenLifetime: "08:00:00" },
    }),
  );
  b.add(
    "claimsMappingPolicy",
    stsPolicy("SAML apps: employee ID claim", {
      ClaimsMappingPolicy: {
        Version: 1,
        IncludeBasicClaimSet: "true",
        ClaimsSchema: [
          {
            Source: "user",
            ID: "employeeid",
            SamlClaimType: "http://schemas.contoso.com/identity/claims/employeeid",
            JwtClaimType: "employeeid",
          },
        ],
      },
    }),
  );
  b.add(
    "homeRealmDiscoveryPolicy",
    stsPolicy("Accelerate to contoso.com federation", {
      HomeRealmDiscoveryPolicy: { AccelerateToFederatedDomain: true, PreferredDomain: "contoso.com" },
    }),
  );
  const templateId = "62375ab9-6b52-47ed-826b-58e47e0e304b";
  const template = groupSettingTemplates[templateId];
  const values: Record<string, string> = {
    ...template.values,
    EnableGroupCreation: "false",
    GroupCreationAllowedGroupId: groupCreatorsGroupId,
    UsageGuidelinesUrl: "https://contoso.sharepoint.com/sites/it/groups-guidelines",
  };
  b.add("groupSetting", {
    displayName: template.displayName,
    templateId,
    values: Object.entries(values).map(([name, value]) => ({ name, value })),
  });
}
