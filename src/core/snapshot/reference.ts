/**
 * reference — the one value type for a reference from one object to another, and the one walker.
 * An address is `type["name"]` (the name JSON-quoted); a snapshot holds a reference as the
 * placeholder `{ "$ref": "<address>", "id": "<tenant id>" }` (old snapshots: `{ "$ref": null, type, id }`
 * for a target that was missing), or as a raw id at a pointer the type declares. Pure.
 */
import type { ResourceType, ResourceTypeId } from "../resources/resource-type";
import { formatPointer, isJsonObject, type JsonObject, type JsonValue, matchPattern, setAt } from "./pointer";

export interface Address {
  type: ResourceTypeId;
  name: string;
}

/** `intune.compliancePolicy["Windows baseline"]`. */
export function formatAddress(type: ResourceTypeId, name: string): string {
  return `${type}[${JSON.stringify(name)}]`;
}

/** `entra.group["All devices"]` → its type and name; undefined for anything else. */
export function parseAddress(address: string): Address | undefined {
  const m = /^([a-z]+\.[A-Za-z0-9]+)\[(".*")\]$/.exec(address);
  if (!m) return undefined;
  try {
    const name = JSON.parse(m[2]) as unknown;
    return typeof name === "string" ? { type: m[1] as ResourceTypeId, name } : undefined;
  } catch {
    // Not a JSON string between the brackets: not an address.
    return undefined;
  }
}

/**
 * One reference found in an object, with its JSON pointer:
 *  - `address`: a `$ref` placeholder; `target` is undefined when the text is not an address;
 *  - `unresolved`: a legacy `{ "$ref": null, type, id }` (the target was missing when backed up);
 *  - `rawId`: an id written directly at a pointer the type declares as a reference.
 */
export type Reference =
  | { kind: "address"; pointer: string; address: string; target?: Address; id?: string }
  | { kind: "unresolved"; pointer: string; type?: ResourceTypeId; id?: string }
  | { kind: "rawId"; pointer: string; type: ResourceTypeId; id: string };

/** Whether a value is a `$ref` placeholder (current or legacy form). */
export function isRefPlaceholder(value: JsonValue | undefined): boolean {
  return isJsonObject(value) && "$ref" in value;
}

/** The reference a placeholder stands for; undefined when the value is not a placeholder. */
export function placeholderReference(value: JsonValue | undefined, pointer = ""): Reference | undefined {
  if (!isJsonObject(value) || !("$ref" in value)) return undefined;
  const id = typeof value.id === "string" ? value.id : undefined;
  if (typeof value.$ref !== "string") {
    return {
      kind: "unresolved",
      pointer,
      ...(typeof value.type === "string" ? { type: value.type as ResourceTypeId } : {}),
      ...(id !== undefined ? { id } : {}),
    };
  }
  const target = parseAddress(value.$ref);
  return {
    kind: "address",
    pointer,
    address: value.$ref,
    ...(target ? { target } : {}),
    ...(id !== undefined ? { id } : {}),
  };
}

function walkPlaceholders(node: JsonValue | undefined, path: (string | number)[], out: Reference[]): void {
  const found = placeholderReference(node, formatPointer(path));
  if (found) out.push(found);
  else if (Array.isArray(node)) node.forEach((v, i) => walkPlaceholders(v, [...path, i], out));
  else if (isJsonObject(node)) for (const [k, v] of Object.entries(node)) walkPlaceholders(v, [...path, k], out);
}

/** Raw ids at the pointers `type` declares as references (globals and `when` honoured). */
function rawIds(type: ResourceType, object: JsonValue): Reference[] {
  const out: Reference[] = [];
  for (const [pattern, spec] of Object.entries(type.references ?? {})) {
    for (const m of matchPattern(object, pattern)) {
      if (typeof m.value !== "string" || m.value === "" || spec.globals?.includes(m.value)) continue;
      if (
        spec.when &&
        (Array.isArray(m.parent) || !Object.entries(spec.when).every(([k, v]) => (m.parent as JsonObject)[k] === v))
      )
        continue;
      out.push({ kind: "rawId", pointer: formatPointer(m.path), type: spec.type, id: m.value });
    }
  }
  return out;
}

/**
 * Every reference an object holds, in document order of the placeholders, then the raw ids at the
 * declared pointers (only when the object's type is given).
 */
export function referencesOf(object: JsonValue | undefined, type?: ResourceType): Reference[] {
  const out: Reference[] = [];
  walkPlaceholders(object, [], out);
  if (type && object !== undefined) out.push(...rawIds(type, object));
  return out;
}

/** Every address an object refers to through `$ref`. */
export function addressesOf(object: JsonValue | undefined): Set<string> {
  const out = new Set<string>();
  for (const r of referencesOf(object)) if (r.kind === "address") out.add(r.address);
  return out;
}

/**
 * A copy of `object` with each raw id at the type's reference pointers that `lookup` knows replaced by
 * the placeholder of that object's address (with the id `lookup` gives, default the raw one, beside
 * it), so deploy resolves it by name in the target tenant. Ids `lookup` does not know stay as written.
 */
export function rawIdsToPlaceholders(
  object: JsonObject,
  type: ResourceType,
  lookup: (type: ResourceTypeId, id: string) => { name: string; id?: string } | undefined,
): JsonObject {
  const copy = structuredClone(object);
  for (const ref of referencesOf(copy, type)) {
    if (ref.kind !== "rawId") continue;
    const target = lookup(ref.type, ref.id);
    if (target === undefined) continue;
    for (const m of matchPattern(copy, ref.pointer))
      setAt(m, { $ref: formatAddress(ref.type, target.name), id: target.id ?? ref.id });
  }
  return copy;
}
