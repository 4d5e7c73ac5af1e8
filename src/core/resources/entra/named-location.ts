import { defineResourceType } from "../resource-type";

// Polymorphic (ipNamedLocation / countryNamedLocation): @odata.type goes with every write. A location a
// conditional access policy uses cannot be deleted; apply order (policies reference locations) covers it.
export const namedLocation = defineResourceType({
  id: "entra.namedLocation",
  title: "Named location",
  version: "v1.0",
  collection: "/identity/conditionalAccess/namedLocations",
  kind: "collection",
  naturalKey: "displayName",
  requiresODataType: true,
  serverManaged: ["/id", "/createdDateTime", "/modifiedDateTime", "/@odata.context"],
  unorderedArrays: ["/countriesAndRegions"],
  update: "PATCH",
  permissions: { read: ["Policy.Read.All"], write: ["Policy.ReadWrite.ConditionalAccess", "Policy.Read.All"] },
});
