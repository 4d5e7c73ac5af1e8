import { defineResourceType } from "../resource-type";

// A named group of custom security attributes (directory/attributeSets). Its id is the name given on
// create, so it pairs across tenants by id; only description and maxAttributesPerSet change later.
// The service has no delete for attribute sets: removing the file plans a delete the service
// refuses (405), so keep the file of a set that is no longer wanted. No secrets.
export const attributeSet = defineResourceType({
  id: "entra.attributeSet",
  title: "Attribute set",
  version: "v1.0",
  collection: "/directory/attributeSets",
  kind: "collection",
  naturalKey: "id",
  createOnly: ["/id"],
  serverManaged: ["/@odata.context"],
  update: "PATCH",
  permissions: {
    read: ["CustomSecAttributeDefinition.Read.All"],
    write: ["CustomSecAttributeDefinition.ReadWrite.All"],
  },
});
