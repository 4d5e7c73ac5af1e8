import { defineResourceType } from "../resource-type";

// Whether guests may leave the tenant themselves and whether their data is removed then. Beta only
// (no v1.0 path). A singleton is never created, so its fixed id is kept (it names the file) and never
// sent; deletedDateTime is the directory object's and always null here.
export const externalIdentitiesPolicy = defineResourceType({
  id: "entra.externalIdentitiesPolicy",
  title: "External identities policy",
  version: "beta",
  collection: "/policies/externalIdentitiesPolicy",
  kind: "singleton",
  naturalKey: "id",
  createOnly: ["/id"],
  serverManaged: ["/@odata.context", "/displayName", "/description", "/deletedDateTime"],
  update: "PATCH",
  permissions: { read: ["Policy.Read.All"], write: ["Policy.ReadWrite.ExternalIdentities"] },
});
