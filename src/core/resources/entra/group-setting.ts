import { defineResourceType } from "../resource-type";

// Tenant-wide directory settings (groupSettings), at most one per template: Group.Unified (who may
// create Microsoft 365 groups, guest access, naming) or Password Rule Settings (banned passwords,
// lockout). Paired by templateId, the same GUID in every tenant; displayName comes from the template.
// GroupCreationAllowedGroupId holds a group id ("" for none). Settings of one group
// (groups/{id}/settings) are not synced here. No secrets.
export const groupSetting = defineResourceType({
  id: "entra.groupSetting",
  title: "Group setting",
  version: "v1.0",
  collection: "/groupSettings",
  kind: "collection",
  naturalKey: "templateId",
  createOnly: ["/templateId"],
  serverManaged: ["/id", "/displayName", "/@odata.context"],
  update: "PATCH",
  references: {
    "/values/*/value": { type: "entra.group", globals: [""], when: { name: "GroupCreationAllowedGroupId" } },
  },
  permissions: { read: ["Directory.Read.All"], write: ["Directory.ReadWrite.All"] },
});
