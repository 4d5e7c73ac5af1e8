import { defineResourceType, scopeTagReferences } from "../resource-type";

// Apple Automated Device Enrollment (DEP) tokens: one per Apple Business Manager (or School Manager)
// MDM server the tenant is enrolled with. Paired by tokenName, the name the admin gives the token at
// upload (Apple's side names the MDM server, not the token). The token is never read back through
// Graph; what it says (Apple ID, kind, expiry) is kept for people but never sent, and the sync state is
// the service's. An application can change a token's name, consent and scope tags, but cannot add or
// remove one: that needs the token file an admin downloads from Apple with the tenant's public key.
// Sharing with School Data Sync changes only through its own actions, so it is kept but never sent.
// The token's enrolment profiles are not synced here.
export const depOnboardingSetting = defineResourceType({
  id: "intune.depOnboardingSetting",
  title: "Apple enrollment program token",
  version: "beta",
  collection: "/deviceManagement/depOnboardingSettings",
  kind: "collection",
  naturalKey: "tokenName",
  serverManaged: [
    "/id",
    "/@odata.context",
    "/lastModifiedDateTime",
    "/lastSuccessfulSyncDateTime",
    "/lastSyncTriggeredDateTime",
    "/lastSyncErrorCode",
    "/syncedDeviceCount",
  ],
  createOnly: ["/appleIdentifier", "/tokenType", "/tokenExpirationDateTime", "/shareTokenWithSchoolDataSyncService"],
  unorderedArrays: ["/roleScopeTagIds"],
  update: "PATCH",
  references: scopeTagReferences,
  writes: {
    allowed: "update",
    why: "an enrollment program token is uploaded from the file an admin downloads from Apple Business Manager (or Apple School Manager) with the tenant's public key; an application cannot add or remove one.",
    instead:
      "add (or delete) the token in the Intune admin center (Devices > Enrollment > Apple > Enrollment program tokens), then run the backup.",
  },
  permissions: {
    read: ["DeviceManagementServiceConfig.Read.All"],
    write: ["DeviceManagementServiceConfig.ReadWrite.All"],
  },
});
