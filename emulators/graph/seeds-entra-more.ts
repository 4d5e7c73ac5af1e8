/**
 * seeds-entra-more — the demo tenant's custom security attributes: two attribute sets and their
 * definitions (one with predefined values, one retired), in the shape the directory returns them.
 * A new tenant has none.
 */
import { childObject, type Json } from "./entities";
import type { StoredObject } from "./tenant-store";

/** Reading and writing custom security attributes needs its own permission: Directory.* does not cover it. */
export const entraMoreReadPermissions = ["CustomSecAttributeDefinition.Read.All"];
export const entraMoreWritePermissions = ["CustomSecAttributeDefinition.ReadWrite.All"];

interface Seeder {
  add(key: string, props: Json, nav?: Record<string, StoredObject[]>, id?: string): StoredObject;
}

interface Definition {
  name: string;
  description: string;
  type: "String" | "Integer" | "Boolean";
  isCollection?: boolean;
  status?: "Available" | "Deprecated";
  values?: string[];
}

function addSet(b: Seeder, id: string, description: string, maxAttributesPerSet: number | null, defs: Definition[]) {
  b.add("attributeSet", { description, maxAttributesPerSet }, {}, id);
  for (const d of defs) {
    const props: Json = {
      attributeSet: id,
      description: d.description,
      isCollection: d.isCollection ?? false,
      isSearchable: true,
      name: d.name,
      status: d.status ?? "Available",
      type: d.type,
      usePreDefinedValuesOnly: d.values !== undefined,
    };
    const allowedValues = (d.values ?? []).map((value) => childObject({ id: value, isActive: true }));
    b.add("customSecurityAttributeDefinition", props, { allowedValues }, `${id}_${d.name}`);
  }
}

export function addDemoCustomSecurityAttributes(b: Seeder): void {
  addSet(b, "Compliance", "Data handling and review attributes", 10, [
    {
      name: "DataClassification",
      description: "Highest classification of the data the object handles",
      type: "String",
      values: ["Public", "Internal", "Confidential", "HighlyConfidential"],
    },
    { name: "AccessReviewRequired", description: "Included in quarterly access reviews", type: "Boolean" },
    { name: "LegacyRegion", description: "Replaced by the Finance cost centre", type: "String", status: "Deprecated" },
  ]);
  addSet(b, "Finance", "Cost allocation", null, [
    { name: "CostCenter", description: "Cost centre numbers charged", type: "Integer", isCollection: true },
  ]);
}
