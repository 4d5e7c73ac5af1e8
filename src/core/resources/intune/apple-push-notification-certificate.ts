import { defineResourceType } from "../resource-type";

// The tenant's Apple MDM push certificate, one per tenant: without it Intune cannot manage Apple devices.
// Backed up as metadata only: which Apple ID made it, its topic, serial number, expiry and upload state,
// so git shows when it was renewed (and by which Apple ID). The certificate itself is never stored.
// Renewing it means signing a request at Apple's portal with that Apple ID and uploading the file Apple
// returns: no pipeline can do that, so Tenant Sync never writes this type (backup only). Not paired
// across tenants: each tenant has its own certificate.
export const applePushNotificationCertificate = defineResourceType({
  id: "intune.applePushNotificationCertificate",
  title: "Apple MDM push certificate",
  version: "beta",
  collection: "/deviceManagement/applePushNotificationCertificate",
  kind: "singleton",
  // A tenant that never set up Apple device management has none: the service answers 404.
  mayBeAbsent: true,
  naturalKey: "id",
  serverManaged: ["/id", "/@odata.context", "/lastModifiedDateTime", "/certificate"],
  update: "PATCH",
  writes: {
    allowed: "none",
    why: "the certificate is made at Apple's push certificates portal with the tenant's Apple ID and uploaded by an admin; the service takes no settings without it.",
    instead:
      "renew or replace the certificate in the Intune admin center (Devices > Enrollment > Apple > MDM push certificate), then run the backup so the repository records it.",
  },
  permissions: { read: ["DeviceManagementConfiguration.Read.All"], write: [] },
});
