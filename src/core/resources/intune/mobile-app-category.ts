import { defineResourceType } from "../resource-type";

// App categories shown in Company Portal. Every tenant starts with the same built-in ones (Business,
// Productivity, …), so pairing by displayName matches them across tenants. Apps refer to categories;
// the category itself holds only its name. No secrets.
export const mobileAppCategory = defineResourceType({
  id: "intune.mobileAppCategory",
  title: "App category",
  version: "beta",
  collection: "/deviceAppManagement/mobileAppCategories",
  kind: "collection",
  naturalKey: "displayName",
  serverManaged: ["/id", "/lastModifiedDateTime", "/@odata.context"],
  update: "PATCH",
  permissions: { read: ["DeviceManagementApps.Read.All"], write: ["DeviceManagementApps.ReadWrite.All"] },
});
