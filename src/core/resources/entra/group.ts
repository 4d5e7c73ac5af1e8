import { defineResourceType } from "../resource-type";

// Security and dynamic groups as configuration; members and owners are out of scope. Groups are the
// targets other types reference, so they are applied first. mailNickname breaks displayName ties.
export const group = defineResourceType({
  id: "entra.group",
  title: "Group",
  version: "v1.0",
  collection: "/groups",
  // "The default and maximum page sizes are 100 and 999 group objects respectively" (the list's page).
  pageSize: 999,
  kind: "collection",
  naturalKey: "displayName",
  serverManaged: [
    "/id",
    "/createdDateTime",
    "/@odata.context",
    "/deletedDateTime",
    "/renewedDateTime",
    "/expirationDateTime",
    "/mail",
    "/proxyAddresses",
    "/securityIdentifier",
    "/preferredDataLocation",
    "/createdByAppId",
    "/organizationId",
    "/onPremisesDomainName",
    "/onPremisesLastSyncDateTime",
    "/onPremisesNetBiosName",
    "/onPremisesSamAccountName",
    "/onPremisesSecurityIdentifier",
    "/onPremisesSyncEnabled",
    "/onPremisesProvisioningErrors",
  ],
  // A role-assignable group is one from the start (and then needs RoleManagement.ReadWrite.Directory).
  createOnly: ["/isAssignableToRole"],
  unorderedArrays: ["/groupTypes"],
  update: "PATCH",
  permissions: { read: ["Group.Read.All"], write: ["Group.ReadWrite.All"] },
});
