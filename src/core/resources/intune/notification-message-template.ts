import { defineResourceType, intunePageSize, intuneServerManaged, scopeTagReferences } from "../resource-type";

// Compliance notification templates, referenced by compliance policies' scheduled actions. The localized
// messages are a contained collection read with $expand and written per locale (POST / PATCH
// …/localizedNotificationMessages: a deploy hook). defaultLocale is not changed on PATCH (IntuneCD).
export const notificationMessageTemplate = defineResourceType({
  id: "intune.notificationMessageTemplate",
  title: "Notification message template",
  version: "beta",
  collection: "/deviceManagement/notificationMessageTemplates",
  pageSize: intunePageSize,
  kind: "collection",
  naturalKey: "displayName",
  expand: ["localizedNotificationMessages"],
  serverManaged: [
    ...intuneServerManaged,
    "/localizedNotificationMessages@odata.context",
    "/localizedNotificationMessages/*/id",
    "/localizedNotificationMessages/*/lastModifiedDateTime",
  ],
  createOnly: ["/defaultLocale"],
  unorderedArrays: ["/roleScopeTagIds", "/localizedNotificationMessages"],
  update: "PATCH",
  writeApart: { localizedNotificationMessages: { kind: "items", key: "locale" } },
  references: { ...scopeTagReferences },
  permissions: {
    read: ["DeviceManagementServiceConfig.Read.All"],
    write: ["DeviceManagementServiceConfig.ReadWrite.All"],
  },
});
