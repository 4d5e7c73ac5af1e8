import { defineResourceType } from "../resource-type";

// App registrations' configuration: sign-in audience, requested permissions, web / spa / public
// client redirect URIs, the exposed API and its scopes, app roles, optional claims, tags, notes, and
// the federated identity credentials (a child collection, paired by name). Paired by displayName;
// the ids (id, appId) are the tenant's own. No secrets in git: password credentials and key
// credentials (and tokenEncryptionKeyId, which names one) are left to the service, not synced.
// Written with Application.ReadWrite.OwnedBy: Tenant Sync changes, creates and deletes only the
// registrations it owns (those it created, or where an administrator made its service principal
// an owner). Every registration is backed up (Application.Read.All), but a plan changing one it
// does not own, its own registration included, is refused by the service (403) at deploy, so the
// pipeline cannot lock itself out. requiredResourceAccess ids and identifierUris such as
// api://<appId> are kept as the tenant has them: those naming this tenant's apps must be edited
// before a deploy to another tenant. The service refuses to remove an app role or scope still
// enabled: set isEnabled false and deploy before removing it.
export const application = defineResourceType({
  id: "entra.application",
  title: "App registration",
  version: "v1.0",
  collection: "/applications",
  // "The default and maximum page sizes are 100 and 999 application objects" (the list's page); with the
  // credentials expanded the service serves at most 100 a page. An app holds at most 20 federated
  // credentials, the most an expanded directory relationship returns, so the list's expansion is complete.
  pageSize: 999,
  kind: "collection",
  naturalKey: "displayName",
  serverManaged: [
    "/id",
    "/appId",
    "/@odata.context",
    "/createdDateTime",
    "/deletedDateTime",
    "/publisherDomain",
    "/passwordCredentials",
    "/keyCredentials",
    "/tokenEncryptionKeyId",
    "/disabledByMicrosoftStatus",
    "/certification",
    "/verifiedPublisher",
    "/applicationTemplateId",
    "/info/logoUrl",
  ],
  unorderedArrays: [
    "/tags",
    "/identifierUris",
    "/web/redirectUris",
    "/spa/redirectUris",
    "/publicClient/redirectUris",
    "/appRoles",
    "/api/oauth2PermissionScopes",
  ],
  update: "PATCH",
  subResources: [
    {
      property: "federatedIdentityCredentials",
      path: "federatedIdentityCredentials",
      withList: true,
      serverManaged: ["/id"],
    },
  ],
  writeApart: { federatedIdentityCredentials: { kind: "items", key: "name" } },
  permissions: { read: ["Application.Read.All"], write: ["Application.ReadWrite.OwnedBy"] },
});
