/**
 * normalize — turns an object as Graph returns it into its portable, noise-free snapshot form.
 * Pure. In order: drop OData annotations (keeping @odata.type) and what the service manages; keep
 * only the meaningful part of assignments; replace secrets by placeholders; move base64 bodies into
 * files; rewrite references to other objects as portable addresses (keeping the tenant id beside
 * them for pairing); sort arrays whose order carries no meaning.
 */
import {
  type ResourceType,
  type ResourceTypeId,
  secretConditionHolds,
  type SubResourceSpec,
} from "../resources/resource-type";
import { canonicalCompact } from "./canonical-json";
import {
  isJsonObject,
  type JsonObject,
  type JsonValue,
  matchPattern,
  removePattern,
  setAt,
  formatPointer,
} from "./pointer";
import { formatAddress } from "./reference";

/** Names of referenceable objects: type → tenant id → natural key value. */
export type ReferenceIndex = Map<ResourceTypeId, Map<string, string>>;

export interface NormalizedObject {
  type: ResourceTypeId;
  /** The object's id in the tenant it came from. */
  id: string;
  name: string;
  object: JsonObject;
  /** File suffix → content (decoded script bodies). */
  files: Record<string, string>;
  /** Pointers of secret values replaced by placeholders. */
  secrets: string[];
  /** References not in the index, left as the tenant id (never a null reference): export fails their type. */
  unresolved: { pointer: string; type: ResourceTypeId; id: string }[];
}

/** `intune.compliancePolicy["Windows baseline"]`: how plans, logs and references name an object (one format, in reference.ts). */
export const addressOf = formatAddress;

const droppedAnnotations = (key: string) =>
  key === "@odata.context" ||
  key.endsWith("@odata.context") ||
  key === "@odata.etag" ||
  key === "@odata.nextLink" ||
  key === "@odata.id" ||
  key === "@odata.editLink" ||
  key.endsWith("@odata.navigationLink") ||
  key.endsWith("@odata.associationLink");

function stripAnnotations(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(stripAnnotations);
  if (isJsonObject(value)) {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) if (!droppedAnnotations(k)) out[k] = stripAnnotations(v);
    return out;
  }
  return value;
}

function normalizeAssignments(type: ResourceType, object: JsonObject): void {
  if (!type.assignments || !Array.isArray(object.assignments)) return;
  const keep = new Set(["target", ...(type.assignments.keep ?? [])]);
  object.assignments = object.assignments.map((a) => {
    if (!isJsonObject(a)) return a;
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(a)) if (keep.has(k)) out[k] = v;
    return out;
  });
}

function maskSecrets(type: ResourceType, object: JsonObject, address: string): string[] {
  const masked: string[] = [];
  for (const pattern of type.secrets ?? []) {
    for (const m of matchPattern(object, pattern)) {
      // Only values whose object matches the declared condition are secrets (encrypted OMA strings).
      if (!secretConditionHolds(type, pattern, m.parent)) continue;
      if (m.value === null || m.value === "") continue;
      const pointer = formatPointer(m.path);
      setAt(m, {
        $secret: pointer,
        note: `Secret value of ${address} at ${pointer}: not stored in git. Keep this placeholder to leave the tenant's value as it is.`,
      });
      if (!Array.isArray(m.parent)) delete m.parent.secretReferenceValueId;
      masked.push(pointer);
    }
  }
  return masked;
}

function extractFiles(type: ResourceType, object: JsonObject): Record<string, string> {
  const files: Record<string, string> = {};
  for (const f of type.files ?? []) {
    const value = object[f.property];
    if (typeof value !== "string" || value === "") continue;
    const bytes = Buffer.from(value, "base64");
    const text = bytes.toString("utf8");
    // Only lossless text goes to a file (UTF-8, a BOM and CR/LF kept as they are); anything else —
    // UTF-16 even with its BOM, binary, invalid or CESU-8 sequences — stays base64 in the JSON as sent.
    if (Buffer.from(text, "utf8").equals(bytes) && bytes.toString("base64") === value.replace(/\s/g, "")) {
      files[f.suffix] = text;
      object[f.property] = { $file: f.suffix };
    }
  }
  return files;
}

/**
 * References become `{ $ref: address, id }`. One whose target is not in the index keeps its tenant
 * id untouched and is reported: there is no null reference; the caller decides (export fails the type).
 */
function rewriteReferences(
  type: ResourceType,
  object: JsonObject,
  index: ReferenceIndex,
): NormalizedObject["unresolved"] {
  const unresolved: NormalizedObject["unresolved"] = [];
  for (const [pattern, ref] of Object.entries(type.references ?? {})) {
    for (const m of matchPattern(object, pattern)) {
      if (typeof m.value !== "string" || m.value === "" || ref.globals?.includes(m.value)) continue;
      if (
        ref.when &&
        (Array.isArray(m.parent) || !Object.entries(ref.when).every(([k, v]) => (m.parent as JsonObject)[k] === v))
      )
        continue;
      const name = index.get(ref.type)?.get(m.value);
      if (name === undefined) {
        unresolved.push({ pointer: formatPointer(m.path), type: ref.type, id: m.value });
      } else {
        setAt(m, { $ref: addressOf(ref.type, name), id: m.value });
      }
    }
  }
  return unresolved;
}

function sortUnordered(type: ResourceType, object: JsonObject): void {
  for (const pattern of type.unorderedArrays ?? []) {
    for (const m of matchPattern(object, pattern)) {
      if (Array.isArray(m.value))
        m.value.sort((a, b) =>
          canonicalCompact(a) < canonicalCompact(b) ? -1 : canonicalCompact(a) > canonicalCompact(b) ? 1 : 0,
        );
    }
  }
}

/** Drops what the service manages inside sub-resource items, children included. */
function removeSubResourceStamps(object: JsonObject, subs: SubResourceSpec[], prefix: string): void {
  for (const sub of subs) {
    for (const m of matchPattern(object, `${prefix}/${sub.property}`)) {
      // A sub-resource is a list of items, or one object (a singleton's /default).
      const items = Array.isArray(m.value) ? `${formatPointer(m.path)}/*` : formatPointer(m.path);
      for (const pattern of sub.serverManaged ?? []) removePattern(object, `${items}${pattern}`);
      removeSubResourceStamps(object, sub.children ?? [], items);
    }
  }
}

export function nameOf(type: ResourceType, raw: JsonObject): string {
  if (type.kind === "singleton") return type.title;
  const value = raw[type.naturalKey];
  return typeof value === "string" ? value : String(value ?? raw.id ?? "");
}

/** The snapshot form of one object. `raw` includes its assignments and sub-resources. */
export function normalizeObject(type: ResourceType, raw: JsonObject, index: ReferenceIndex): NormalizedObject {
  const id = typeof raw.id === "string" ? raw.id : type.kind === "singleton" ? type.id : "";
  const name = nameOf(type, raw);
  const object = stripAnnotations(structuredClone(raw)) as JsonObject;
  // Secrets first: their conditions may read properties the service manages (isEncrypted).
  const secrets = maskSecrets(type, object, addressOf(type.id, name));
  for (const pattern of type.serverManaged) removePattern(object, pattern);
  removeSubResourceStamps(object, type.subResources ?? [], "");
  normalizeAssignments(type, object);
  const files = extractFiles(type, object);
  const unresolved = rewriteReferences(type, object, index);
  sortUnordered(type, object);
  return { type: type.id, id, name, object, files, secrets, unresolved };
}
