/**
 * seeds-intune-tokens — what an admin uploaded from Apple: the MDM push certificate (every tenant here
 * has one; see the emulator README) and, in the demo tenant, two Volume Purchase Program location
 * tokens and an Automated Device Enrollment token, in the state the service shows after a sync (the
 * tokens themselves are never kept readable); and the tenant-wide Intune settings, as a new tenant
 * has them and as the demo tenant tightened them.
 */
import type { Json } from "./entities";
import type { StoredObject, TenantState } from "./tenant-store";

interface Seeder {
  add(key: string, props: Json): StoredObject;
  readonly tenant: { state: TenantState };
}

const apns = "applePushNotificationCertificate";

export function addIntuneTokenDefaults(t: TenantState): void {
  t.singletons.deviceManagementSettings = {
    id: "5b1f0d1e-8c0a-4f7e-9a53-2e6c1d7b9f40",
    props: {
      deviceComplianceCheckinThresholdDays: 30,
      isScheduledActionEnabled: true,
      secureByDefault: false,
      enhancedJailBreak: false,
      deviceInactivityBeforeRetirementInDay: 0,
      derivedCredentialProvider: "notConfigured",
      derivedCredentialUrl: null,
      androidDeviceAdministratorEnrollmentEnabled: false,
      ignoreDevicesForUnsupportedSettingsEnabled: false,
      enableLogCollection: true,
      enableAutopilotDiagnostics: true,
      enableEnhancedTroubleshootingExperience: false,
      enableDeviceGroupMembershipReport: false,
      m365AppDiagnosticsEnabled: false,
    },
    nav: {},
  };
}

/** The push certificate of a tenant that set up Apple device management (a tenant that did not has none: 404). */
function pushCertificate(): StoredObject {
  return {
    id: "f2a1c7d4-3b9e-4a61-8d2f-5c0e9b7a4d13",
    props: {
      appleIdentifier: "mdm-admin@example.com",
      topicIdentifier: "com.apple.mgmt.External.8e0c3a52-6f1d-4b7a-9c24-d15e7f3b0a96",
      lastModifiedDateTime: "2025-11-03T09:14:27Z",
      expirationDateTime: "2026-11-03T09:04:11Z",
      certificateUploadStatus: null,
      certificateUploadFailureReason: null,
      certificateSerialNumber: "4F1A0C92D7B35E68",
      certificate: null,
    },
    nav: {},
  };
}

const synced = "2026-01-05T06:00:12Z";

function vppToken(locationName: string, props: Json): Json {
  return {
    organizationName: "Contoso Ltd",
    vppTokenAccountType: "business",
    appleId: "abm-admin@contoso.com",
    lastSyncDateTime: synced,
    token: null,
    lastModifiedDateTime: "2025-09-12T14:41:08Z",
    state: "valid",
    tokenActionResults: [],
    lastSyncStatus: "completed",
    automaticallyUpdateApps: true,
    dataSharingConsentGranted: true,
    claimTokenManagementFromExternalMdm: false,
    roleScopeTagIds: ["0"],
    locationName,
    ...props,
  };
}

/**
 * The demo tenant's settings, push certificate (made with the IT mailbox's Apple ID), two VPP locations
 * and DEP token.
 */
export function addDemoIntuneTokens(b: Seeder, refs: { scopeTag: string }): void {
  // No compliance policy means not compliant; devices that stop checking in are flagged after two weeks.
  Object.assign(b.tenant.state.singletons.deviceManagementSettings.props, {
    deviceComplianceCheckinThresholdDays: 14,
    secureByDefault: true,
    enhancedJailBreak: true,
    deviceInactivityBeforeRetirementInDay: 180,
  });
  b.tenant.state.singletons[apns] = pushCertificate();
  Object.assign(b.tenant.state.singletons[apns].props, {
    appleIdentifier: "it-apple@contoso.com",
    topicIdentifier: "com.apple.mgmt.External.3c6f9e1a-27b4-4d58-a0e3-9f41c2d87b65",
  });
  b.add(
    "vppToken",
    vppToken("Contoso Ltd - Redmond", {
      displayName: "Redmond apps",
      countryOrRegion: "us",
      expirationDateTime: "2026-09-12T14:40:55Z",
      lastAppCount: 14,
    }),
  );
  b.add(
    "vppToken",
    vppToken("Contoso Ltd - London", {
      displayName: "EMEA apps",
      countryOrRegion: "gb",
      automaticallyUpdateApps: false,
      expirationDateTime: "2026-10-02T08:12:30Z",
      lastAppCount: 6,
      roleScopeTagIds: ["0", refs.scopeTag],
    }),
  );
  b.add("depOnboardingSetting", {
    appleIdentifier: "abm-admin@contoso.com",
    tokenExpirationDateTime: "2026-08-20T07:31:02Z",
    lastModifiedDateTime: "2025-08-20T07:33:45Z",
    lastSuccessfulSyncDateTime: synced,
    lastSyncTriggeredDateTime: synced,
    shareTokenWithSchoolDataSyncService: false,
    lastSyncErrorCode: 0,
    tokenType: "dep",
    tokenName: "Contoso ABM",
    syncedDeviceCount: 42,
    dataSharingConsentGranted: true,
    roleScopeTagIds: ["0"],
  });
}
