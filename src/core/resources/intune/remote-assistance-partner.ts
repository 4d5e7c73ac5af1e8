import { defineResourceType } from "../resource-type";

// Remote assistance partners (TeamViewer): the partner and the URL of its onboarding portal. Paired
// by displayName. The service keeps the onboarding status and the last connection; onboarding itself
// (beginOnboarding, then signing in at the partner) is done by an admin in each tenant, not synced.
// No secrets.
export const remoteAssistancePartner = defineResourceType({
  id: "intune.remoteAssistancePartner",
  title: "Remote assistance partner",
  version: "beta",
  collection: "/deviceManagement/remoteAssistancePartners",
  kind: "collection",
  naturalKey: "displayName",
  serverManaged: [
    "/id",
    "/@odata.context",
    "/onboardingStatus",
    "/lastConnectionDateTime",
    "/onboardingRequestExpiryDateTime",
  ],
  update: "PATCH",
  permissions: {
    read: ["DeviceManagementServiceConfig.Read.All"],
    write: ["DeviceManagementServiceConfig.ReadWrite.All"],
  },
});
