import { defineResourceType } from "../resource-type";

// The schema of one custom security attribute (directory/customSecurityAttributeDefinitions): its
// set, name, data type and predefined values. The service makes the id from set and name
// (<attributeSet>_<name>), the same in every tenant, so definitions pair by id. Set, name, type,
// isCollection and isSearchable are fixed at create; the predefined values (allowedValues, read
// from their own collection) are deep-inserted on create and cannot be changed through a sync
// afterwards (a plan changing them is stopped as a create-only change). usePreDefinedValuesOnly can
// go from true to false only. Definitions cannot be deleted: retire one by setting status to
// "Deprecated" in its file; removing the file plans a delete the service refuses (405). No secrets.
export const customSecurityAttributeDefinition = defineResourceType({
  id: "entra.customSecurityAttributeDefinition",
  title: "Custom security attribute definition",
  version: "v1.0",
  collection: "/directory/customSecurityAttributeDefinitions",
  kind: "collection",
  naturalKey: "id",
  createOnly: ["/id", "/attributeSet", "/name", "/type", "/isCollection", "/isSearchable", "/allowedValues"],
  serverManaged: ["/@odata.context"],
  update: "PATCH",
  // "allowedValues … must be specified in an $expand query, e.g. …customSecurityAttributeDefinitions?$expand=allowedValues"
  // (the list's page): they come with the list.
  subResources: [
    { property: "allowedValues", path: "allowedValues", withList: true, serverManaged: ["/@odata.context"] },
  ],
  writeApart: { allowedValues: { kind: "inline" } },
  unorderedArrays: ["/allowedValues"],
  references: { "/attributeSet": { type: "entra.attributeSet" } },
  permissions: {
    read: ["CustomSecAttributeDefinition.Read.All"],
    write: ["CustomSecAttributeDefinition.ReadWrite.All"],
  },
});
