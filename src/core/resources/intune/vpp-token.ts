import { defineResourceType, scopeTagReferences } from "../resource-type";

// Apple Volume Purchase Program (Apple Business / School Manager "apps and books") location tokens.
// Paired by locationName, the Apple Business Manager location the token belongs to: Apple issues one
// token per location and the service flags a second upload of the same location (duplicateLocationId),
// while one Apple ID may manage several locations and displayName is the admin's free label (a rename
// would unpair it). The token itself is a secret downloaded from Apple: dropped, never in git. What
// Apple and the service report (organization, account type, Apple ID, expiry, sync state, app count)
// is the service's. An application can update the token's settings but cannot upload or remove a
// token: that needs the token file an admin downloads from Apple. Scope tags are references.
export const vppToken = defineResourceType({
  id: "intune.vppToken",
  title: "Apple VPP token",
  version: "beta",
  collection: "/deviceAppManagement/vppTokens",
  kind: "collection",
  naturalKey: "locationName",
  serverManaged: [
    "/id",
    "/@odata.context",
    "/token",
    "/organizationName",
    "/vppTokenAccountType",
    "/appleId",
    "/expirationDateTime",
    "/lastSyncDateTime",
    "/lastModifiedDateTime",
    "/state",
    "/tokenActionResults",
    "/lastSyncStatus",
    "/lastAppCount",
    // Consent to take the token over from another MDM: given once, at upload.
    "/claimTokenManagementFromExternalMdm",
  ],
  // Apple's name for the location, read-only: it names the object but is never sent.
  createOnly: ["/locationName"],
  unorderedArrays: ["/roleScopeTagIds"],
  update: "PATCH",
  references: scopeTagReferences,
  writes: {
    allowed: "update",
    why: "a VPP token is uploaded from the token file an admin downloads from Apple Business Manager (or Apple School Manager); an application cannot make or remove one.",
    instead:
      "upload (or delete) the token in the Intune admin center (Tenant administration > Connectors and tokens > Apple VPP tokens), then run the backup.",
  },
  permissions: {
    read: ["DeviceManagementServiceConfig.Read.All"],
    write: ["DeviceManagementServiceConfig.ReadWrite.All"],
  },
});
