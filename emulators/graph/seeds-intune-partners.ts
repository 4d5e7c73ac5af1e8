/**
 * seeds-intune-partners — the demo tenant's partner connectors: a compliance partner for iOS and
 * Android, a connected device management partner for macOS and the remote assistance partner, each in
 * the state the service shows once the partner's side has connected (heartbeat, enabled); and the
 * managed Google Play settings, unbound in every tenant and bound to Google in the demo tenant.
 */
import type { Json } from "./entities";
import type { StoredObject, TenantState } from "./tenant-store";

interface Seeder {
  add(key: string, props: Json): StoredObject;
  readonly tenant: { state: TenantState };
}

const googlePlay = "androidManagedStoreAccountEnterpriseSettings";

// What a tenant that never signed up to managed Google Play shows: not bound, nothing synced.
export function addIntunePartnerDefaults(t: TenantState): void {
  t.singletons[googlePlay] = {
    id: "androidManagedStoreAccountEnterpriseSettings",
    props: {
      bindStatus: "notBound",
      lastAppSyncDateTime: "0001-01-01T00:00:00Z",
      lastAppSyncStatus: "none",
      ownerUserPrincipalName: null,
      ownerOrganizationName: null,
      lastModifiedDateTime: "0001-01-01T00:00:00Z",
      enrollmentTarget: "none",
      targetGroupIds: [],
      deviceOwnerManagementEnabled: false,
      companyCodes: [],
      androidDeviceOwnerFullyManagedEnrollmentEnabled: false,
    },
    nav: {},
  };
}

interface PartnerRefs {
  /** The user group whose devices enrol through the partners. */
  users: string;
  /** The assignment target of a group, as the other seeded assignments have it. */
  target: (groupId: string) => Json;
}

const heartbeat = "2026-01-05T08:55:00Z";

export function addDemoIntunePartners(b: Seeder, refs: PartnerRefs): void {
  const enrolling = [{ target: refs.target(refs.users) }];
  b.add("complianceManagementPartner", {
    displayName: "VMware Workspace ONE mobile compliance",
    partnerState: "enabled",
    lastHeartbeatDateTime: heartbeat,
    iosOnboarded: true,
    androidOnboarded: true,
    macOsOnboarded: false,
    linuxOnboarded: false,
    iosEnrollmentAssignments: enrolling,
    androidEnrollmentAssignments: enrolling,
    macOsEnrollmentAssignments: [],
    linuxEnrollmentAssignments: [],
  });
  b.add("deviceManagementPartner", {
    displayName: "Jamf Pro",
    partnerAppType: "multiTenantApp",
    singleTenantAppId: null,
    partnerState: "enabled",
    isConfigured: true,
    lastHeartbeatDateTime: heartbeat,
    whenPartnerDevicesWillBeRemovedDateTime: null,
    whenPartnerDevicesWillBeMarkedAsNonCompliantDateTime: null,
    groupsRequiringPartnerEnrollment: enrolling,
  });
  b.add("remoteAssistancePartner", {
    displayName: "TeamViewer",
    onboardingUrl: "https://login.teamviewer.com/",
    onboardingStatus: "onboarded",
    lastConnectionDateTime: heartbeat,
    onboardingRequestExpiryDateTime: "0001-01-01T00:00:00Z",
  });
  // Bound by the admin's sign-up; the pilot users may enrol Android Enterprise devices.
  Object.assign(b.tenant.state.singletons[googlePlay].props, {
    bindStatus: "boundAndValidated",
    lastAppSyncDateTime: heartbeat,
    lastAppSyncStatus: "success",
    ownerUserPrincipalName: b.tenant.state.users[0]?.userPrincipalName ?? null,
    ownerOrganizationName: "Contoso",
    lastModifiedDateTime: heartbeat,
    enrollmentTarget: "targeted",
    targetGroupIds: [refs.users],
    deviceOwnerManagementEnabled: true,
    androidDeviceOwnerFullyManagedEnrollmentEnabled: true,
  });
}
