import { defineResourceType } from "../resource-type";

// The membership rule of a dynamic unit is text: nothing to map. visibility and
// isMemberManagementRestricted can be set only when the unit is created (documented, not yet verified on a real tenant).
export const administrativeUnit = defineResourceType({
  id: "entra.administrativeUnit",
  title: "Administrative unit",
  version: "v1.0",
  collection: "/directory/administrativeUnits",
  kind: "collection",
  naturalKey: "displayName",
  serverManaged: ["/id", "/@odata.context", "/deletedDateTime"],
  createOnly: ["/visibility", "/isMemberManagementRestricted"],
  update: "PATCH",
  permissions: { read: ["AdministrativeUnit.Read.All"], write: ["AdministrativeUnit.ReadWrite.All"] },
});
