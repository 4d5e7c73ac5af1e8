import { defineResourceType } from "../resource-type";

// The tenant's managed Google Play (Android Enterprise) settings, one object per tenant. The binding to
// Google is made by an admin signing up at Google (requestSignupUrl, then completeSignup) and cannot be
// made by a pipeline: the service keeps it (bindStatus, owner, organization), the app sync state, the
// flighting flag and the enrolment company codes (tokens and QR codes: never in a snapshot). What is
// written: who may enrol (enrollmentTarget, targetGroupIds, Entra groups) and whether fully managed
// devices may enrol. A deploy to a tenant not bound yet sets them; they apply once it is bound.
export const managedGooglePlaySettings = defineResourceType({
  id: "intune.managedGooglePlaySettings",
  title: "Managed Google Play settings",
  version: "beta",
  collection: "/deviceManagement/androidManagedStoreAccountEnterpriseSettings",
  kind: "singleton",
  naturalKey: "id",
  createOnly: ["/id"],
  serverManaged: [
    "/@odata.context",
    "/bindStatus",
    "/lastAppSyncDateTime",
    "/lastAppSyncStatus",
    "/ownerUserPrincipalName",
    "/ownerOrganizationName",
    "/lastModifiedDateTime",
    "/deviceOwnerManagementEnabled",
    "/companyCodes",
  ],
  unorderedArrays: ["/targetGroupIds"],
  update: "PATCH",
  references: { "/targetGroupIds/*": { type: "entra.group" } },
  permissions: {
    read: ["DeviceManagementConfiguration.Read.All"],
    write: ["DeviceManagementConfiguration.ReadWrite.All"],
  },
});
