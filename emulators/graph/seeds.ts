/**
 * seeds — tenants to start from: `demo`, a small realistic tenant built from the published example
 * payloads (spec/examples), and `synthetic:N[:SEED]`, N objects spread over the resource types with
 * assignments, settings and references, the same for the same seed. Every seeded tenant has one app
 * registration ("Tenant Sync") with the backup and deploy permissions consented; the demo tenant has
 * three more (seeds-entra-more).
 */
import { randomUUID } from "node:crypto";
import { childObject, type Json } from "./entities";
import { groupPolicyDefinitions } from "./group-policy-catalogue";
import * as entraMore from "./seeds-entra-more";
import * as entraPolicies from "./seeds-entra-policies";
import * as intuneMore from "./seeds-intune-more";
import * as intuneApps from "./seeds-intune-apps";
import * as intunePartners from "./seeds-intune-partners";
import * as intuneIntents from "./seeds-intune-intents";
import * as intuneTokens from "./seeds-intune-tokens";
import { exampleObject } from "./spec";
import {
  type AppRegistration,
  newSecret,
  seededRandom,
  type StoredObject,
  Tenant,
  type TenantState,
  uuidFrom,
} from "./tenant-store";

/** Backup (read) and deploy (write) permissions the engine's resource types need, by their published names. */
export const readPermissions = [
  "Policy.Read.All",
  "Group.Read.All",
  "AdministrativeUnit.Read.All",
  "RoleManagement.Read.Directory",
  "DeviceManagementConfiguration.Read.All",
  "DeviceManagementApps.Read.All",
  "DeviceManagementServiceConfig.Read.All",
  "DeviceManagementRBAC.Read.All",
  "DeviceManagementScripts.Read.All",
  "Application.Read.All",
  ...entraPolicies.entraPolicyReadPermissions,
  ...entraMore.entraMoreReadPermissions,
  ...intuneMore.intuneMoreReadPermissions,
];
/** What the audit logs need beyond the types' permissions (directory audits: both). */
export const auditReadPermissions = ["AuditLog.Read.All", "Directory.Read.All"];
export const writePermissions = [
  "Policy.ReadWrite.ConditionalAccess",
  "Policy.Read.All",
  "Application.Read.All",
  "Policy.ReadWrite.AuthenticationMethod",
  "Policy.ReadWrite.Authorization",
  "Policy.ReadWrite.CrossTenantAccess",
  "Group.ReadWrite.All",
  "AdministrativeUnit.ReadWrite.All",
  "RoleManagement.ReadWrite.Directory",
  "DeviceManagementConfiguration.ReadWrite.All",
  "DeviceManagementApps.ReadWrite.All",
  "DeviceManagementServiceConfig.ReadWrite.All",
  "DeviceManagementRBAC.ReadWrite.All",
  "DeviceManagementScripts.ReadWrite.All",
  ...entraPolicies.entraPolicyWritePermissions,
  ...entraMore.entraMoreWritePermissions,
  ...intuneMore.intuneMoreWritePermissions,
];

export interface SeedOptions {
  tenantId?: string;
  name?: string;
  clientId?: string;
  clientSecret?: string;
  licences?: { intune: boolean };
}

export function emptyTenantState(random: () => number, options: SeedOptions = {}): TenantState {
  const id = options.tenantId ?? uuidFrom(random);
  const name = options.name ?? "Contoso";
  const domain = `${name.toLowerCase().replace(/[^a-z0-9]/g, "")}.onmicrosoft.com`;
  const app: AppRegistration = {
    clientId: options.clientId ?? uuidFrom(random),
    displayName: "Tenant Sync",
    secrets: [options.clientSecret ?? newSecret()],
    certificates: [],
    federatedCredentials: [],
    isPublicClient: true,
    // The audit logs too, as install asks for them: drift imports name who changed what.
    roles: [...new Set([...readPermissions, ...writePermissions, ...auditReadPermissions])],
    scopes: [...new Set([...readPermissions, ...writePermissions, ...auditReadPermissions])],
  };
  return {
    id,
    name,
    domain,
    licences: options.licences ?? { intune: true },
    size: "S",
    apps: [app],
    users: [{ id: uuidFrom(random), userPrincipalName: `admin@${domain}`, displayName: "Tenant Admin" }],
    collections: {},
    singletons: {},
    nextScopeTagId: 1,
  };
}

/** Outlook for iOS as a tenant's mobile app (a store app's id is a GUID the tenant's Intune assigns). */
const outlookIosAppId = "0c2b6f8e-5a1d-4e0b-9a53-6a3f1d7c2e41";
const unset = "0001-01-01T00:00:00Z";

/**
 * What the service returns where the published examples show documentation placeholders ("Description
 * value", "Highest Version value", base64 of the property's own name, doc-generator durations and dates):
 * null or "" for what is not set, Intune's "0001-01-01T00:00:00Z" for an update ring that is not paused
 * (exported update rings list it for qualityUpdatesPauseExpiryDateTime and featureUpdatesPauseExpiryDateTime),
 * the portal's defaults for app protection timers, and real keys and actions where a value is needed.
 */
const serviceValues: Record<string, Json> = {
  deviceAndAppManagementRoleDefinition: {
    rolePermissions: [
      {
        "@odata.type": "microsoft.graph.rolePermission",
        resourceActions: [
          {
            "@odata.type": "microsoft.graph.resourceAction",
            allowedResourceActions: [
              "Microsoft.Intune_Organization_Read",
              "Microsoft.Intune_ManagedDevices_Read",
              "Microsoft.Intune_RemoteTasks_RebootNow",
            ],
            notAllowedResourceActions: [],
          },
        ],
      },
    ],
  },
  deviceHealthScript: {
    description: "",
    detectionScriptContent: base64("if ((Get-Service ClickToRunSvc).Status -ne 'Running') { exit 1 }\n"),
    remediationScriptContent: base64("Start-Service ClickToRunSvc\n"),
  },
  deviceAndAppManagementAssignmentFilter: { description: "" },
  deviceManagementConfigurationPolicy: { creationSource: null },
  windows10CompliancePolicy: {
    osMinimumVersion: null,
    osMaximumVersion: null,
    mobileOsMinimumVersion: null,
    mobileOsMaximumVersion: null,
    defenderVersion: null,
    validOperatingSystemBuildRanges: [
      {
        "@odata.type": "microsoft.graph.operatingSystemVersionRange",
        description: "Windows 11 23H2 and later",
        lowestVersion: "10.0.22631.0",
        highestVersion: "10.0.26100.9999",
      },
    ],
  },
  windowsUpdateForBusinessConfiguration: {
    qualityUpdatesPaused: false,
    featureUpdatesPaused: false,
    qualityUpdatesPauseExpiryDateTime: unset,
    featureUpdatesPauseExpiryDateTime: unset,
    qualityUpdatesPauseStartDate: null,
    featureUpdatesPauseStartDate: null,
    qualityUpdatesRollbackStartDateTime: unset,
    featureUpdatesRollbackStartDateTime: unset,
  },
  iosManagedAppProtection: {
    periodOfflineBeforeAccessCheck: "PT12H",
    periodOnlineBeforeAccessCheck: "PT30M",
    periodOfflineBeforeWipeIsEnforced: "P90D",
    periodBeforePinReset: "PT0S",
    maximumPinRetries: 5,
    minimumPinLength: 4,
    minimumRequiredOsVersion: null,
    minimumWarningOsVersion: null,
    minimumRequiredAppVersion: null,
    minimumWarningAppVersion: null,
    minimumRequiredSdkVersion: null,
    customBrowserProtocol: "",
  },
  iosMobileAppConfiguration: {
    targetedMobileApps: [outlookIosAppId],
    encodedSettingXml: null,
    settings: [
      {
        "@odata.type": "microsoft.graph.appConfigurationSettingItem",
        appConfigKey: "com.microsoft.outlook.EmailProfile.EmailAddress",
        appConfigKeyType: "stringType",
        appConfigKeyValue: "{{mail}}",
      },
      {
        "@odata.type": "microsoft.graph.appConfigurationSettingItem",
        appConfigKey: "IntuneMAMAllowedAccountsOnly",
        appConfigKeyType: "stringType",
        appConfigKeyValue: "Enabled",
      },
    ],
  },
  deviceShellScript: { executionFrequency: "PT0S", retryCount: 3 },
  azureADWindowsAutopilotDeploymentProfile: {
    language: "os-default",
    deviceNameTemplate: "CONTOSO-%RAND:5%",
    deviceType: "windowsPc",
    enrollmentStatusScreenSettings: {
      "@odata.type": "microsoft.graph.windowsEnrollmentStatusScreenSettings",
      hideInstallationProgress: false,
      allowDeviceUseBeforeProfileAndAppInstallComplete: false,
      blockDeviceSetupRetryByUser: false,
      allowLogCollectionOnInstallFailure: true,
      customErrorMessage: "Setup could not be completed. Please try again or contact your support person for help.",
      installProgressTimeoutInMinutes: 60,
      allowDeviceUseOnInstallFailure: false,
    },
  },
};

function base64(text: string): string {
  return Buffer.from(text).toString("base64");
}

/** An example payload without what the service computes, with the service's values for its placeholders. */
function fromExample(name: string, overrides: Json = {}): Json {
  const { id: _id, "@odata.context": _c, "@odata.id": _i, ...rest } = exampleObject(name);
  return { ...rest, ...serviceValues[name], ...overrides };
}

class Builder {
  readonly tenant: Tenant;
  constructor(
    readonly random: () => number,
    options: SeedOptions,
  ) {
    this.tenant = new Tenant(emptyTenantState(random, options));
  }
  id(): string {
    return uuidFrom(this.random);
  }
  pick<T>(list: T[]): T {
    return list[Math.floor(this.random() * list.length)];
  }
  add(
    key: string,
    props: Json,
    nav: Record<string, StoredObject[]> = {},
    id: string = key === "roleScopeTag" ? String(this.tenant.state.nextScopeTagId++) : this.id(),
  ): StoredObject {
    const object: StoredObject = { id, props: stamp(props), nav };
    this.tenant.put(key, object);
    return object;
  }
}

const seedTime = "2026-01-05T09:00:00Z";
function stamp(props: Json): Json {
  const out = { ...props };
  for (const k of ["createdDateTime", "lastModifiedDateTime", "modifiedDateTime"]) if (k in out) out[k] = seedTime;
  return out;
}

function groupTarget(groupId: string, filterId?: string, exclude = false): Json {
  return {
    "@odata.type": exclude
      ? "#microsoft.graph.exclusionGroupAssignmentTarget"
      : "#microsoft.graph.groupAssignmentTarget",
    groupId,
    deviceAndAppManagementAssignmentFilterId: filterId ?? null,
    deviceAndAppManagementAssignmentFilterType: filterId ? "include" : "none",
  };
}

function assignments(b: Builder, objectId: string, targets: Json[], extra: Json = {}): StoredObject[] {
  return targets.map((target) => childObject({ ...extra, target }, `${objectId}_${String(target.groupId ?? "all")}`));
}

const builtInStrengths: [string, string][] = [
  ["00000000-0000-0000-0000-000000000002", "Multifactor authentication"],
  ["00000000-0000-0000-0000-000000000003", "Passwordless MFA"],
  ["00000000-0000-0000-0000-000000000004", "Phishing-resistant MFA"],
];

function addPlatformDefaults(b: Builder): void {
  for (const [id, displayName] of builtInStrengths) {
    b.add(
      "authenticationStrengthPolicy",
      fromExample("authenticationStrengthPolicy", {
        displayName,
        description: `Built-in ${displayName}`,
        policyType: "builtIn",
      }),
      {},
      id,
    );
  }
  b.add(
    "roleScopeTag",
    {
      "@odata.type": "#microsoft.graph.roleScopeTag",
      displayName: "Default",
      description: "Built-in scope tag",
      isBuiltIn: true,
    },
    {},
    "0",
  );
  b.add(
    "deviceEnrollmentConfiguration",
    fromExample("deviceEnrollmentLimitConfiguration", {
      displayName: "All users and all devices",
      description:
        "This is the default Device Limit configuration applied with the lowest priority to all users regardless of group membership.",
      priority: 0,
      limit: 15,
      version: 1,
    }),
  );
  b.add("intuneRoleDefinition", {
    "@odata.type": "#microsoft.graph.deviceAndAppManagementRoleDefinition",
    displayName: "Help Desk Operator",
    description: "Built-in role",
    rolePermissions: [],
    isBuiltIn: true,
  });
  b.add(
    "directoryRoleDefinition",
    {
      displayName: "Global Administrator",
      description: "Can manage all aspects of Microsoft Entra ID.",
      isBuiltIn: true,
      isEnabled: true,
      templateId: "62e90394-69f5-4237-9190-012177145e10",
      version: "1",
      rolePermissions: [
        { allowedResourceActions: ["microsoft.directory/allEntities/allProperties/allTasks"], condition: null },
      ],
      inheritsPermissionsFrom: [],
    },
    {},
    "62e90394-69f5-4237-9190-012177145e10",
  );
  b.add(
    "deviceHealthScript",
    fromExample("deviceHealthScript", {
      displayName: "Restart stopped Office C2R svc",
      publisher: "Microsoft",
      isGlobalScript: true,
      highestAvailableVersion: "1.0",
      version: "1",
      roleScopeTagIds: ["0"],
    }),
  );
  const t = b.tenant.state;
  const authMethods = exampleObject("authenticationMethodsPolicy");
  const configs = (authMethods.authenticationMethodConfigurations as Json[]).map((c) => childObject(c, String(c.id)));
  const { authenticationMethodConfigurations: _a, "@odata.context": _c, id: _i, ...policyProps } = authMethods;
  t.singletons.authenticationMethodsPolicy = {
    id: "authenticationMethodsPolicy",
    props: stamp(policyProps),
    nav: { authenticationMethodConfigurations: configs },
  };
  const { "@odata.context": _ac, id: _ai, ...authorization } = exampleObject("authorizationPolicy");
  t.singletons.authorizationPolicy = { id: "authorizationPolicy", props: authorization, nav: {} };
  t.singletons.crossTenantAccessPolicy = {
    id: "crossTenantAccessPolicy",
    props: { displayName: "CrossTenantAccessPolicy", allowedCloudEndpoints: [] },
    nav: {
      default: [childObject(exampleObject("crossTenantAccessPolicyConfigurationDefault"), "default")],
      partners: [],
    },
  };
  entraPolicies.addEntraPolicyDefaults(t);
  intuneMore.addIntuneMoreDefaults(b);
  intunePartners.addIntunePartnerDefaults(t);
  intuneTokens.addIntuneTokenDefaults(t);
}

export function demoTenant(options: SeedOptions = {}): TenantState {
  const b = new Builder(seededRandom(42), { name: "Contoso", ...options });
  addPlatformDefaults(b);
  const g = (displayName: string, extra: Json = {}) =>
    b.add("group", {
      ...fromExample("group"),
      displayName,
      description: `${displayName} (demo)`,
      mailNickname: displayName.replace(/[^A-Za-z0-9]/g, ""),
      mail: null,
      proxyAddresses: [],
      ...extra,
    }).id;
  const allDevices = g("All Windows devices", {
    groupTypes: ["DynamicMembership"],
    membershipRule: '(device.deviceOSType -eq "Windows")',
    membershipRuleProcessingState: "On",
  });
  const admins = g("Intune admins");
  const pilot = g("Pilot users");
  const finance = g("Finance users");
  const breakGlass = g("Break glass accounts");
  entraPolicies.addDemoEntraPolicies(b, admins);
  entraMore.addDemoCustomSecurityAttributes(b);
  entraMore.addDemoAppRegistrations(b.tenant.state, () => b.id(), b.tenant.state.apps[0].clientId);
  const office = b.add("namedLocation", fromExample("namedLocation", { displayName: "Head office" })).id;
  const countries = b.add("namedLocation", {
    "@odata.type": "#microsoft.graph.countryNamedLocation",
    displayName: "Blocked countries",
    createdDateTime: seedTime,
    modifiedDateTime: seedTime,
    countriesAndRegions: ["KP", "IR"],
    includeUnknownCountriesAndRegions: true,
    countryLookupMethod: "clientIpAddress",
  }).id;
  const strength = b.add(
    "authenticationStrengthPolicy",
    fromExample("authenticationStrengthPolicy", {
      displayName: "Admins: FIDO2 or Windows Hello",
      policyType: "custom",
      allowedCombinations: ["fido2", "windowsHelloForBusiness"],
    }),
  ).id;
  const ca = exampleObject("conditionalAccessPolicy") as Json;
  const caBase = { ...fromExample("conditionalAccessPolicy"), templateId: null };
  const conditions = ca.conditions as Json;
  b.add("conditionalAccessPolicy", {
    ...caBase,
    displayName: "Require phishing-resistant MFA for admins",
    state: "enabled",
    conditions: {
      ...conditions,
      users: {
        includeUsers: [],
        excludeUsers: [],
        includeGroups: [admins],
        excludeGroups: [breakGlass],
        includeRoles: [],
        excludeRoles: [],
      },
      locations: { includeLocations: ["All"], excludeLocations: [office] },
    },
    grantControls: {
      operator: "OR",
      builtInControls: [],
      customAuthenticationFactors: [],
      termsOfUse: [],
      authenticationStrength: { id: strength },
    },
  });
  b.add("conditionalAccessPolicy", {
    ...caBase,
    displayName: "Block access from blocked countries",
    state: "enabledForReportingButNotEnforced",
    conditions: {
      ...conditions,
      users: {
        includeUsers: ["All"],
        excludeUsers: [],
        includeGroups: [],
        excludeGroups: [breakGlass],
        includeRoles: [],
        excludeRoles: [],
      },
      locations: { includeLocations: [countries], excludeLocations: [] },
    },
    grantControls: { operator: "OR", builtInControls: ["block"], customAuthenticationFactors: [], termsOfUse: [] },
  });
  b.add(
    "administrativeUnit",
    fromExample("administrativeUnit", {
      displayName: "Finance department",
      description: "Finance users and devices",
      visibility: null,
    }),
  );
  b.add(
    "directoryRoleDefinition",
    fromExample("unifiedRoleDefinition", {
      displayName: "Application support administrator",
      isBuiltIn: false,
      templateId: undefined,
      version: undefined,
    }),
  );
  const emea = b.add(
    "roleScopeTag",
    fromExample("roleScopeTag", {
      displayName: "EMEA",
      description: "Europe, Middle East and Africa",
      isBuiltIn: false,
    }),
  ).id;
  b.add(
    "roleScopeTag",
    fromExample("roleScopeTag", { displayName: "Finance", description: "Finance devices", isBuiltIn: false }),
  );
  const corporate = b.add(
    "assignmentFilter",
    fromExample("deviceAndAppManagementAssignmentFilter", {
      displayName: "Windows 11 corporate",
      platform: "windows10AndLater",
      rule: '(device.osVersion -startsWith "10.0.22") and (device.deviceOwnership -eq "Corporate")',
      roleScopeTags: ["0"],
      payloads: [],
    }),
  ).id;
  b.add(
    "assignmentFilter",
    fromExample("deviceAndAppManagementAssignmentFilter", {
      displayName: "iOS company owned",
      platform: "iOS",
      rule: '(device.deviceOwnership -eq "Corporate")',
      roleScopeTags: ["0"],
      payloads: [],
    }),
  );
  const template = b.add(
    "notificationMessageTemplate",
    fromExample("notificationMessageTemplate", {
      displayName: "Device not compliant",
      defaultLocale: "en-us",
      roleScopeTagIds: ["0"],
    }),
    {},
  );
  template.nav.localizedNotificationMessages = [
    childObject({
      locale: "en-us",
      subject: "Your device is not compliant",
      messageTemplate: "Your device does not meet the company's security requirements. Open Company Portal to fix it.",
      isDefault: true,
      lastModifiedDateTime: seedTime,
    }),
  ];
  addDemoIntune(b, { allDevices, pilot, finance, corporate, emea, template: template.id });
  intuneMore.addDemoIntuneMore(b, { allDevices, pilot, target: (groupId) => groupTarget(groupId) });
  intuneApps.addDemoIntuneApps(b, { allDevices, pilot, target: (groupId) => groupTarget(groupId) });
  intunePartners.addDemoIntunePartners(b, { users: pilot, target: (groupId) => groupTarget(groupId) });
  intuneIntents.addDemoIntuneIntents(b, { allDevices, pilot, target: (groupId) => groupTarget(groupId) });
  intuneTokens.addDemoIntuneTokens(b, { scopeTag: emea });
  return b.tenant.toJSON();
}

function addDemoIntune(
  b: Builder,
  r: { allDevices: string; pilot: string; finance: string; corporate: string; emea: string; template: string },
): void {
  for (const [name, n] of [
    ["Windows - Defender antivirus", 3],
    ["Windows - BitLocker", 2],
  ] as const) {
    const p = b.add(
      "configurationPolicy",
      fromExample("deviceManagementConfigurationPolicy", {
        name,
        description: `${name} (demo)`,
        platforms: "windows10",
        technologies: "mdm",
        roleScopeTagIds: ["0"],
        templateReference: {
          templateId: "",
          templateFamily: "none",
          templateDisplayName: null,
          templateDisplayVersion: null,
        },
      }),
    );
    p.nav.settings = Array.from({ length: n }, (_, i) => {
      const definitionId = `device_vendor_msft_demo_${name.replace(/\W+/g, "_").toLowerCase()}_${i}`;
      // As exported settings catalog policies show them: no template references outside templates
      // (null) and a choice value named after its definition.
      return childObject(
        {
          settingInstance: {
            "@odata.type": "#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance",
            settingDefinitionId: definitionId,
            settingInstanceTemplateReference: null,
            choiceSettingValue: { settingValueTemplateReference: null, value: `${definitionId}_1`, children: [] },
          },
        },
        String(i),
      );
    });
    p.props.settingCount = n;
    p.nav.assignments = assignments(b, p.id, [groupTarget(r.allDevices, r.corporate)]);
    p.props.isAssigned = true;
  }
  const compliance = b.add(
    "deviceCompliancePolicy",
    fromExample("windows10CompliancePolicy", {
      displayName: "Windows - Compliance baseline",
      description: "Require BitLocker and Secure Boot",
      roleScopeTagIds: ["0", r.emea],
      version: 1,
    }),
  );
  compliance.nav.scheduledActionsForRule = [
    childObject({
      ruleName: "PasswordRequired",
      scheduledActionConfigurations: [
        // No template: the service answers the empty GUID (as in exported compliance policies), not "".
        {
          gracePeriodHours: 0,
          actionType: "block",
          notificationTemplateId: "00000000-0000-0000-0000-000000000000",
          notificationMessageCCList: [],
        },
        {
          gracePeriodHours: 24,
          actionType: "notification",
          notificationTemplateId: r.template,
          notificationMessageCCList: [],
        },
      ],
    }),
  ];
  compliance.nav.assignments = assignments(b, compliance.id, [groupTarget(r.allDevices)]);
  const custom = b.add(
    "deviceConfiguration",
    fromExample("windows10CustomConfiguration", {
      displayName: "Windows - Custom OMA-URI",
      description: "Custom settings",
      roleScopeTagIds: ["0"],
      supportsScopeTags: true,
      version: 1,
      omaSettings: [
        {
          "@odata.type": "#microsoft.graph.omaSettingInteger",
          displayName: "Disable consumer features",
          description: null,
          omaUri: "./Device/Vendor/MSFT/Policy/Config/Experience/AllowWindowsConsumerFeatures",
          value: 0,
          isReadOnly: false,
        },
        {
          "@odata.type": "#microsoft.graph.omaSettingString",
          displayName: "Proxy server",
          description: null,
          omaUri: "./Vendor/MSFT/Policy/Config/Connectivity/ProxyServer",
          value: "********",
          isEncrypted: true,
          secretReferenceValueId: "7d4b4a4e-1f0e-4c32-9a55-3f0e6d2b0001",
          isReadOnly: false,
        },
      ],
    }),
  );
  custom.nav.omaSecrets = [childObject({ value: "proxy.contoso.com:8080" }, "7d4b4a4e-1f0e-4c32-9a55-3f0e6d2b0001")];
  custom.nav.assignments = assignments(b, custom.id, [groupTarget(r.pilot)]);
  const ring = b.add(
    "deviceConfiguration",
    fromExample("windowsUpdateForBusinessConfiguration", {
      displayName: "Update ring - Broad",
      description: "Broad deployment ring",
      roleScopeTagIds: ["0"],
      supportsScopeTags: true,
      version: 1,
    }),
  );
  ring.nav.assignments = assignments(b, ring.id, [groupTarget(r.allDevices), groupTarget(r.pilot, undefined, true)]);
  const gp = b.add(
    "groupPolicyConfiguration",
    fromExample("groupPolicyConfiguration", {
      displayName: "Windows - Administrative templates",
      description: "AutoPlay and lock screen",
      roleScopeTagIds: ["0"],
    }),
  );
  gp.nav.definitionValues = groupPolicyDefinitions.slice(0, 2).map((d, i) =>
    childObject(
      {
        enabled: true,
        configurationType: "policy",
        createdDateTime: seedTime,
        lastModifiedDateTime: seedTime,
        definitionId: d.id,
        presentationValues: d.presentations.map((p) => ({
          "@odata.type": "#microsoft.graph.groupPolicyPresentationValueText",
          id: `${d.id.slice(0, 30)}${i}ab0`,
          value: "1",
          presentationId: p.id,
          createdDateTime: seedTime,
          lastModifiedDateTime: seedTime,
        })),
      },
      b.id(),
    ),
  );
  gp.nav.assignments = assignments(b, gp.id, [groupTarget(r.allDevices)]);
  const mam = b.add(
    "managedAppProtection",
    fromExample("iosManagedAppProtection", {
      displayName: "iOS - Protect company data",
      description: "App protection for iOS",
      version: "1",
      isAssigned: true,
      deployedAppCount: 2,
    }),
  );
  mam.nav.apps = [
    childObject(
      {
        mobileAppIdentifier: {
          "@odata.type": "#microsoft.graph.iosMobileAppIdentifier",
          bundleId: "com.microsoft.office.outlook",
        },
      },
      "com.microsoft.office.outlook.ios",
    ),
    childObject(
      {
        mobileAppIdentifier: {
          "@odata.type": "#microsoft.graph.iosMobileAppIdentifier",
          bundleId: "com.microsoft.skype.teams",
        },
      },
      "com.microsoft.skype.teams.ios",
    ),
  ];
  mam.nav.assignments = assignments(b, mam.id, [groupTarget(r.finance)]);
  const appConfig = b.add(
    "mobileAppConfiguration",
    fromExample("iosMobileAppConfiguration", {
      displayName: "iOS - Outlook configuration",
      description: "Managed Outlook settings",
      version: 1,
    }),
  );
  appConfig.nav.assignments = assignments(b, appConfig.id, [groupTarget(r.finance)]);
  b.add("targetedManagedAppConfiguration", {
    displayName: "Edge - Managed bookmarks",
    description: "Managed Edge settings",
    customSettings: [
      { name: "com.microsoft.intune.mam.managedbrowser.bookmarks", value: "Intranet|https://intranet.contoso.com" },
    ],
    roleScopeTagIds: ["0"],
    createdDateTime: seedTime,
    lastModifiedDateTime: seedTime,
    version: "1",
    isAssigned: false,
    deployedAppCount: 0,
    targetedAppManagementLevels: "unspecified",
    appGroupType: "selectedPublicApps",
  });
  // The example payload still shows runSchedule, which the published type no longer declares.
  const { runSchedule: _schedule, ...psExample } = fromExample("deviceManagementScript");
  const ps = b.add("deviceManagementScript", {
    ...psExample,
    ...{
      displayName: "Set time zone",
      description: "Sets the W. Europe time zone",
      fileName: "Set-TimeZone.ps1",
      scriptContent: Buffer.from("Set-TimeZone -Id 'W. Europe Standard Time'\n").toString("base64"),
      roleScopeTagIds: ["0"],
      runAsAccount: "system",
      enforceSignatureCheck: false,
      runAs32Bit: false,
    },
  });
  ps.nav.assignments = assignments(b, ps.id, [groupTarget(r.allDevices)]);
  const sh = b.add(
    "deviceShellScript",
    fromExample("deviceShellScript", {
      displayName: "macOS - Install Rosetta",
      description: "Installs Rosetta 2",
      fileName: "install-rosetta.sh",
      scriptContent: Buffer.from("#!/bin/sh\n/usr/sbin/softwareupdate --install-rosetta --agree-to-license\n").toString(
        "base64",
      ),
      roleScopeTagIds: ["0"],
      runAsAccount: "system",
    }),
  );
  sh.nav.assignments = assignments(b, sh.id, [groupTarget(r.pilot)]);
  const health = b.add(
    "deviceHealthScript",
    fromExample("deviceHealthScript", {
      displayName: "Clear temp files",
      description: "Removes old files from TEMP",
      publisher: "Contoso IT",
      detectionScriptContent: Buffer.from("if ((Get-ChildItem $env:TEMP).Count -gt 100) { exit 1 }\n").toString(
        "base64",
      ),
      remediationScriptContent: Buffer.from("Get-ChildItem $env:TEMP | Remove-Item -Recurse -Force\n").toString(
        "base64",
      ),
      isGlobalScript: false,
      highestAvailableVersion: null,
      version: "1",
      roleScopeTagIds: ["0"],
    }),
  );
  health.nav.assignments = assignments(b, health.id, [groupTarget(r.allDevices)], {
    runRemediationScript: true,
    runSchedule: {
      "@odata.type": "#microsoft.graph.deviceHealthScriptDailySchedule",
      interval: 1,
      useUtc: false,
      time: "09:00:00.0000000",
    },
  });
  const feature = b.add(
    "windowsFeatureUpdateProfile",
    fromExample("windowsFeatureUpdateProfile", {
      displayName: "Windows 11 24H2",
      description: "Feature update to Windows 11 24H2",
      featureUpdateVersion: "Windows 11, version 24H2",
      roleScopeTagIds: ["0"],
    }),
  );
  feature.nav.assignments = assignments(b, feature.id, [groupTarget(r.allDevices)]);
  b.add("windowsQualityUpdateProfile", {
    displayName: "Expedite 2026-01 security update",
    description: "Expedited quality update",
    expeditedUpdateSettings: { qualityUpdateRelease: "2026-01-13T00:00:00Z", daysUntilForcedReboot: 1 },
    roleScopeTagIds: ["0"],
    createdDateTime: seedTime,
    lastModifiedDateTime: seedTime,
    deployableContentDisplayName: "2026-01 Security Update",
  });
  const limit = b.add(
    "deviceEnrollmentConfiguration",
    fromExample("deviceEnrollmentLimitConfiguration", {
      displayName: "Finance device limit",
      description: "Finance users may enrol 5 devices",
      priority: 1,
      limit: 5,
      version: 1,
    }),
  );
  limit.nav.assignments = assignments(b, limit.id, [groupTarget(r.finance)]);
  const autopilot = b.add(
    "windowsAutopilotDeploymentProfile",
    fromExample("azureADWindowsAutopilotDeploymentProfile", {
      displayName: "Autopilot - User driven",
      description: "Standard user-driven profile",
      roleScopeTagIds: ["0"],
    }),
  );
  autopilot.nav.assignments = assignments(b, autopilot.id, [groupTarget(r.allDevices)]);
  const terms = b.add(
    "termsAndConditions",
    fromExample("termsAndConditions", {
      displayName: "Acceptable use",
      description: "Company acceptable use policy",
      title: "Acceptable use policy",
      bodyText: "Use company devices for work.",
      acceptanceStatement: "I accept",
      version: 1,
    }),
  );
  terms.nav.assignments = assignments(b, terms.id, [groupTarget(r.finance)]);
  const role = b.add(
    "intuneRoleDefinition",
    fromExample("deviceAndAppManagementRoleDefinition", {
      displayName: "EMEA device operator",
      description: "Manages EMEA devices",
      isBuiltIn: false,
    }),
  );
  b.tenant.put("roleAssignments", {
    id: b.id(),
    props: {
      displayName: "EMEA operators",
      description: "Operators for EMEA",
      members: [r.pilot],
      scopeMembers: [r.allDevices],
      resourceScopes: [],
      roleScopeTagIds: [r.emea],
      scopeType: "resourceScope",
      roleDefinitionId: role.id,
    },
    nav: {},
  });
}

const syntheticShares: [string, number][] = [
  ["group", 0.16],
  ["namedLocation", 0.02],
  ["conditionalAccessPolicy", 0.04],
  ["authenticationStrengthPolicy", 0.01],
  ["administrativeUnit", 0.02],
  ["directoryRoleDefinition", 0.01],
  ["roleScopeTag", 0.01],
  ["assignmentFilter", 0.02],
  ["notificationMessageTemplate", 0.01],
  ["configurationPolicy", 0.15],
  ["deviceCompliancePolicy", 0.08],
  ["deviceConfiguration", 0.13],
  ["groupPolicyConfiguration", 0.04],
  ["managedAppProtection", 0.03],
  ["mobileAppConfiguration", 0.02],
  ["targetedManagedAppConfiguration", 0.01],
  ["deviceManagementScript", 0.03],
  ["deviceShellScript", 0.02],
  ["deviceHealthScript", 0.03],
  ["windowsFeatureUpdateProfile", 0.02],
  ["windowsQualityUpdateProfile", 0.01],
  ["deviceEnrollmentConfiguration", 0.02],
  ["windowsAutopilotDeploymentProfile", 0.02],
  ["termsAndConditions", 0.01],
  ["intuneRoleDefinition", 0.02],
];

/** `synthetic:N[:SEED]`: N objects over the types, with assignments, settings and references. */
export function syntheticTenant(n: number, seed = 1, options: SeedOptions = {}): TenantState {
  const b = new Builder(seededRandom(seed), { name: `Synthetic${seed}`, ...options });
  addPlatformDefaults(b);
  const count = (key: string) =>
    Math.max(
      key === "group" || key === "assignmentFilter" || key === "roleScopeTag" ? 2 : 1,
      Math.round(n * (syntheticShares.find(([k]) => k === key)?.[1] ?? 0)),
    );
  const groups = Array.from(
    { length: count("group") },
    (_, i) =>
      b.add("group", {
        displayName: `Group ${i + 1}`,
        description: null,
        mailEnabled: false,
        mailNickname: `group${i + 1}`,
        securityEnabled: true,
        groupTypes: i % 5 === 0 ? ["DynamicMembership"] : [],
        membershipRule: i % 5 === 0 ? `(device.displayName -startsWith "D${i}")` : null,
        membershipRuleProcessingState: i % 5 === 0 ? "On" : null,
        isAssignableToRole: null,
        visibility: null,
        createdDateTime: seedTime,
      }).id,
  );
  const filters = Array.from(
    { length: count("assignmentFilter") },
    (_, i) =>
      b.add("assignmentFilter", {
        "@odata.type": "#microsoft.graph.deviceAndAppManagementAssignmentFilter",
        displayName: `Filter ${i + 1}`,
        description: "",
        platform: "windows10AndLater",
        rule: `(device.deviceName -startsWith "F${i}")`,
        roleScopeTags: ["0"],
        payloads: [],
        assignmentFilterManagementType: "devices",
        createdDateTime: seedTime,
        lastModifiedDateTime: seedTime,
      }).id,
  );
  const tags = [
    "0",
    ...Array.from(
      { length: count("roleScopeTag") },
      (_, i) =>
        b.add("roleScopeTag", {
          "@odata.type": "#microsoft.graph.roleScopeTag",
          displayName: `Scope ${i + 1}`,
          description: "",
          isBuiltIn: false,
        }).id,
    ),
  ];
  const locations = Array.from(
    { length: count("namedLocation") },
    (_, i) =>
      b.add("namedLocation", {
        "@odata.type": "#microsoft.graph.ipNamedLocation",
        displayName: `Location ${i + 1}`,
        createdDateTime: seedTime,
        modifiedDateTime: seedTime,
        isTrusted: i % 2 === 0,
        ipRanges: [{ "@odata.type": "#microsoft.graph.iPv4CidrRange", cidrAddress: `10.${i % 256}.0.0/16` }],
      }).id,
  );
  const templates = Array.from({ length: count("notificationMessageTemplate") }, (_, i) => {
    const t = b.add("notificationMessageTemplate", {
      "@odata.type": "#microsoft.graph.notificationMessageTemplate",
      displayName: `Notification ${i + 1}`,
      defaultLocale: "en-us",
      brandingOptions: "includeCompanyLogo",
      roleScopeTagIds: ["0"],
      lastModifiedDateTime: seedTime,
    });
    t.nav.localizedNotificationMessages = [
      childObject(
        {
          locale: "en-us",
          subject: `Notice ${i + 1}`,
          messageTemplate: "Fix your device.",
          isDefault: true,
          lastModifiedDateTime: seedTime,
        },
        b.id(),
      ),
    ];
    return t.id;
  });
  const targets = (objectId: string, extra: Json = {}) => {
    const k = 1 + Math.floor(b.random() * 3);
    const chosen = [...new Set(Array.from({ length: k }, () => b.pick(groups)))];
    return assignments(
      b,
      objectId,
      chosen.map((gid) => groupTarget(gid, b.random() < 0.3 ? b.pick(filters) : undefined)),
      extra,
    );
  };
  const scope = () => (b.random() < 0.3 ? ["0", b.pick(tags)] : ["0"]).filter((v, i, a) => a.indexOf(v) === i);
  const make = syntheticMakers(b, { groups, locations, templates, targets, scope });
  for (const [key] of syntheticShares) {
    if (["group", "assignmentFilter", "roleScopeTag", "namedLocation", "notificationMessageTemplate"].includes(key))
      continue;
    for (let i = 0; i < count(key); i++) make[key]?.(i + 1);
  }
  return b.tenant.toJSON();
}

interface SyntheticRefs {
  groups: string[];
  locations: string[];
  templates: string[];
  targets: (objectId: string, extra?: Json) => StoredObject[];
  scope: () => string[];
}

function syntheticMakers(b: Builder, r: SyntheticRefs): Record<string, (i: number) => void> {
  const base = (name: string, i: number): Json => ({
    displayName: `${name} ${i}`,
    description: `Synthetic ${name.toLowerCase()} ${i}`,
    createdDateTime: seedTime,
    lastModifiedDateTime: seedTime,
  });
  const script = (text: string) => Buffer.from(text).toString("base64");
  const withAssignments = (key: string, props: Json, extra?: Json) => {
    const o = b.add(key, props);
    o.nav.assignments = r.targets(o.id, extra);
    return o;
  };
  return {
    conditionalAccessPolicy: (i) =>
      b.add("conditionalAccessPolicy", {
        displayName: `CA policy ${i}`,
        createdDateTime: seedTime,
        modifiedDateTime: seedTime,
        state: b.pick(["enabled", "disabled", "enabledForReportingButNotEnforced"]),
        templateId: null,
        conditions: {
          clientAppTypes: ["all"],
          applications: { includeApplications: ["All"], excludeApplications: [] },
          users: {
            includeUsers: [],
            excludeUsers: [],
            includeGroups: [b.pick(r.groups)],
            excludeGroups: [],
            includeRoles: [],
            excludeRoles: [],
          },
          locations: { includeLocations: [b.pick(r.locations)], excludeLocations: [] },
        },
        grantControls: { operator: "OR", builtInControls: ["mfa"], customAuthenticationFactors: [], termsOfUse: [] },
        sessionControls: null,
      }),
    authenticationStrengthPolicy: (i) =>
      b.add("authenticationStrengthPolicy", {
        displayName: `Strength ${i}`,
        description: `Synthetic strength ${i}`,
        createdDateTime: seedTime,
        modifiedDateTime: seedTime,
        policyType: "custom",
        requirementsSatisfied: "mfa",
        allowedCombinations: ["fido2", "windowsHelloForBusiness"],
        combinationConfigurations: [],
      }),
    administrativeUnit: (i) =>
      b.add("administrativeUnit", { displayName: `Unit ${i}`, description: `Synthetic unit ${i}`, visibility: null }),
    directoryRoleDefinition: (i) =>
      b.add("directoryRoleDefinition", {
        displayName: `Custom role ${i}`,
        description: "Synthetic",
        isBuiltIn: false,
        isEnabled: true,
        rolePermissions: [
          { allowedResourceActions: ["microsoft.directory/applications/basic/update"], condition: null },
        ],
        inheritsPermissionsFrom: [],
      }),
    configurationPolicy: (i) => {
      const o = withAssignments("configurationPolicy", {
        name: `Settings catalog ${i}`,
        description: `Synthetic ${i}`,
        platforms: "windows10",
        technologies: "mdm",
        roleScopeTagIds: r.scope(),
        createdDateTime: seedTime,
        lastModifiedDateTime: seedTime,
        creationSource: null,
        isAssigned: true,
        templateReference: {
          templateId: "",
          templateFamily: "none",
          templateDisplayName: null,
          templateDisplayVersion: null,
        },
      });
      const n = 3 + Math.floor(b.random() * 6);
      o.nav.settings = Array.from({ length: n }, (_, s) =>
        childObject(
          {
            settingInstance: {
              "@odata.type": "#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance",
              settingDefinitionId: `device_vendor_msft_policy_config_synthetic_${s}`,
              settingInstanceTemplateReference: null,
              choiceSettingValue: {
                "@odata.type": "#microsoft.graph.deviceManagementConfigurationChoiceSettingValue",
                value: `device_vendor_msft_policy_config_synthetic_${s}_${Math.floor(b.random() * 2)}`,
                settingValueTemplateReference: null,
                children: [],
              },
            },
          },
          String(s),
        ),
      );
      o.props.settingCount = n;
    },
    deviceCompliancePolicy: (i) => {
      const o = withAssignments("deviceCompliancePolicy", {
        "@odata.type": "#microsoft.graph.windows10CompliancePolicy",
        ...base("Compliance", i),
        roleScopeTagIds: r.scope(),
        version: 1,
        passwordRequired: b.random() < 0.5,
        passwordMinimumLength: 8 + Math.floor(b.random() * 8),
        bitLockerEnabled: true,
        secureBootEnabled: true,
        osMinimumVersion: "10.0.19045",
      });
      o.nav.scheduledActionsForRule = [
        childObject(
          {
            ruleName: "PasswordRequired",
            scheduledActionConfigurations: [
              // No template: the service answers the empty GUID (as in exported compliance policies), not "".
              {
                gracePeriodHours: 0,
                actionType: "block",
                notificationTemplateId: "00000000-0000-0000-0000-000000000000",
                notificationMessageCCList: [],
              },
              {
                gracePeriodHours: 24,
                actionType: "notification",
                notificationTemplateId: b.pick(r.templates),
                notificationMessageCCList: [],
              },
            ],
          },
          b.id(),
        ),
      ];
    },
    deviceConfiguration: (i) => {
      withAssignments(
        "deviceConfiguration",
        i % 2 === 0
          ? {
              "@odata.type": "#microsoft.graph.windowsUpdateForBusinessConfiguration",
              ...base("Update ring", i),
              roleScopeTagIds: r.scope(),
              supportsScopeTags: true,
              version: 1,
              qualityUpdatesDeferralPeriodInDays: i % 7,
              featureUpdatesDeferralPeriodInDays: i % 30,
              automaticUpdateMode: "autoInstallAtMaintenanceTime",
              microsoftUpdateServiceAllowed: true,
              driversExcluded: false,
            }
          : {
              "@odata.type": "#microsoft.graph.windows10CustomConfiguration",
              ...base("Custom profile", i),
              roleScopeTagIds: r.scope(),
              supportsScopeTags: true,
              version: 1,
              omaSettings: [
                {
                  "@odata.type": "#microsoft.graph.omaSettingInteger",
                  displayName: `Setting ${i}`,
                  description: null,
                  omaUri: `./Device/Vendor/MSFT/Policy/Config/Synthetic/Setting${i}`,
                  value: i % 3,
                  isReadOnly: false,
                },
              ],
            },
      );
    },
    groupPolicyConfiguration: (i) => {
      const o = withAssignments("groupPolicyConfiguration", {
        "@odata.type": "#microsoft.graph.groupPolicyConfiguration",
        ...base("Administrative template", i),
        roleScopeTagIds: r.scope(),
      });
      o.nav.definitionValues = groupPolicyDefinitions.slice(0, 2).map((d) =>
        childObject(
          {
            enabled: b.random() < 0.8,
            configurationType: "policy",
            createdDateTime: seedTime,
            lastModifiedDateTime: seedTime,
            definitionId: d.id,
            presentationValues: d.presentations.map((p) => ({
              "@odata.type": "#microsoft.graph.groupPolicyPresentationValueText",
              id: b.id(),
              value: String(i % 3),
              presentationId: p.id,
              createdDateTime: seedTime,
              lastModifiedDateTime: seedTime,
            })),
          },
          b.id(),
        ),
      );
    },
    managedAppProtection: (i) => {
      const o = withAssignments("managedAppProtection", {
        "@odata.type": "#microsoft.graph.iosManagedAppProtection",
        ...base("App protection", i),
        roleScopeTagIds: r.scope(),
        version: "1",
        isAssigned: true,
        deployedAppCount: 1,
        pinRequired: true,
        minimumPinLength: 4 + (i % 3),
        saveAsBlocked: true,
        dataBackupBlocked: true,
      });
      o.nav.apps = [
        childObject(
          {
            mobileAppIdentifier: {
              "@odata.type": "#microsoft.graph.iosMobileAppIdentifier",
              bundleId: "com.microsoft.office.outlook",
            },
          },
          "com.microsoft.office.outlook.ios",
        ),
      ];
    },
    mobileAppConfiguration: (i) =>
      withAssignments("mobileAppConfiguration", {
        "@odata.type": "#microsoft.graph.iosMobileAppConfiguration",
        ...base("App configuration", i),
        version: 1,
        targetedMobileApps: [],
        roleScopeTagIds: r.scope(),
        encodedSettingXml: null,
        settings: [{ appConfigKey: "Mode", appConfigKeyType: "stringType", appConfigKeyValue: `mode-${i}` }],
      }),
    targetedManagedAppConfiguration: (i) =>
      b.add("targetedManagedAppConfiguration", {
        ...base("Managed app configuration", i),
        version: "1",
        roleScopeTagIds: r.scope(),
        isAssigned: false,
        deployedAppCount: 0,
        customSettings: [{ name: "key", value: `value-${i}` }],
        targetedAppManagementLevels: "unspecified",
        appGroupType: "selectedPublicApps",
      }),
    deviceManagementScript: (i) =>
      withAssignments("deviceManagementScript", {
        "@odata.type": "#microsoft.graph.deviceManagementScript",
        ...base("PowerShell script", i),
        fileName: `script-${i}.ps1`,
        scriptContent: script(`Write-Output 'script ${i}'\n`),
        runAsAccount: "system",
        enforceSignatureCheck: false,
        runAs32Bit: false,
        roleScopeTagIds: r.scope(),
      }),
    deviceShellScript: (i) =>
      withAssignments("deviceShellScript", {
        "@odata.type": "#microsoft.graph.deviceShellScript",
        ...base("Shell script", i),
        fileName: `script-${i}.sh`,
        scriptContent: script(`#!/bin/sh\necho script ${i}\n`),
        runAsAccount: "system",
        executionFrequency: "PT0S",
        retryCount: 1,
        blockExecutionNotifications: true,
        roleScopeTagIds: r.scope(),
      }),
    deviceHealthScript: (i) =>
      withAssignments(
        "deviceHealthScript",
        {
          "@odata.type": "#microsoft.graph.deviceHealthScript",
          ...base("Remediation", i),
          publisher: "Synthetic",
          version: "1",
          detectionScriptContent: script(`exit ${i % 2}\n`),
          remediationScriptContent: script("exit 0\n"),
          runAsAccount: "system",
          enforceSignatureCheck: false,
          runAs32Bit: false,
          roleScopeTagIds: r.scope(),
          isGlobalScript: false,
          highestAvailableVersion: null,
        },
        {
          runRemediationScript: true,
          runSchedule: {
            "@odata.type": "#microsoft.graph.deviceHealthScriptDailySchedule",
            interval: 1,
            useUtc: false,
            time: "09:00:00.0000000",
          },
        },
      ),
    windowsFeatureUpdateProfile: (i) =>
      withAssignments("windowsFeatureUpdateProfile", {
        "@odata.type": "#microsoft.graph.windowsFeatureUpdateProfile",
        ...base("Feature update", i),
        featureUpdateVersion: "Windows 11, version 24H2",
        roleScopeTagIds: r.scope(),
      }),
    windowsQualityUpdateProfile: (i) =>
      withAssignments("windowsQualityUpdateProfile", {
        ...base("Quality update", i),
        expeditedUpdateSettings: { qualityUpdateRelease: "2026-01-13T00:00:00Z", daysUntilForcedReboot: 1 + (i % 3) },
        roleScopeTagIds: r.scope(),
      }),
    deviceEnrollmentConfiguration: (i) =>
      withAssignments("deviceEnrollmentConfiguration", {
        "@odata.type": "#microsoft.graph.deviceEnrollmentLimitConfiguration",
        ...base("Enrollment limit", i),
        priority: i,
        version: 1,
        limit: 1 + (i % 15),
      }),
    windowsAutopilotDeploymentProfile: (i) =>
      withAssignments("windowsAutopilotDeploymentProfile", {
        "@odata.type": "#microsoft.graph.azureADWindowsAutopilotDeploymentProfile",
        ...base("Autopilot profile", i),
        language: "os-default",
        deviceNameTemplate: `SYN-${i}-%RAND:4%`,
        deviceType: "windowsPc",
        enableWhiteGlove: i % 2 === 0,
        extractHardwareHash: false,
        roleScopeTagIds: r.scope(),
      }),
    termsAndConditions: (i) =>
      withAssignments("termsAndConditions", {
        "@odata.type": "#microsoft.graph.termsAndConditions",
        ...base("Terms", i),
        title: `Terms ${i}`,
        bodyText: "Terms text.",
        acceptanceStatement: "I accept",
        version: 1,
      }),
    intuneRoleDefinition: (i) =>
      b.add("intuneRoleDefinition", {
        "@odata.type": "#microsoft.graph.deviceAndAppManagementRoleDefinition",
        displayName: `Intune role ${i}`,
        description: "Synthetic",
        rolePermissions: [
          {
            resourceActions: [
              { allowedResourceActions: ["Microsoft.Intune_DeviceConfigurations_Read"], notAllowedResourceActions: [] },
            ],
          },
        ],
        isBuiltIn: false,
      }),
  };
}

/**
 * A new tenant with nothing configured. Like a real one it still has what every tenant ships with:
 * the singleton policies, the built-in authentication strengths, the Default scope tag, the default
 * enrollment limit, built-in roles and Microsoft's global remediation scripts.
 */
export function emptyTenant(options: SeedOptions = {}): TenantState {
  const b = new Builder(seededRandom(Date.now() % 100000), options);
  addPlatformDefaults(b);
  return b.tenant.toJSON();
}

/** Parses `demo`, `empty`, `synthetic:N[:SEED]`. */
export function seedTenant(spec: string, options: SeedOptions = {}): TenantState {
  if (spec === "demo") return demoTenant(options);
  if (spec === "empty") return emptyTenant({ ...options, tenantId: options.tenantId ?? randomUUID() });
  const m = /^synthetic:(\d+)(?::(\d+))?$/.exec(spec);
  if (m) return syntheticTenant(Number(m[1]), m[2] ? Number(m[2]) : 1, options);
  throw new Error(`Unknown seed "${spec}": use demo, empty or synthetic:N[:SEED] (for example synthetic:1000:7).`);
}
