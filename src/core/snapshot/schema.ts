/**
 * schema — checks a repository object against the published Graph schema (spec/graph/entities.json):
 * its @odata.type must be a type of the resource's family and every top-level property must be one
 * the type declares; a property the service computes (the type's serverManaged, or read-only in the
 * spec) must not be written. Catches typos and copied stamps in hand-edited files before anything
 * reaches the tenant.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { graphSpecDir } from "../../../spec/locate";
import type { ResourceType, SubResourceSpec } from "../resources/resource-type";
import { formatPointer, type JsonObject, matchPattern } from "./pointer";

interface TypeEntry {
  baseType?: string | null;
  properties?: Record<string, { readOnly?: boolean } | undefined>;
  navigationProperties?: Record<string, unknown>;
}
interface Entities {
  resources: Record<string, { type: string; list: string }>;
  "v1.0": { entityTypes: Record<string, TypeEntry>; complexTypes: Record<string, TypeEntry> };
  beta: {
    propertyNames: { entityTypes: Record<string, { properties?: string[]; navigationProperties?: string[] }> };
    typedFromDocs: Record<string, TypeEntry>;
  };
}

let entities: Entities | undefined;
function spec(): Entities {
  entities ??= JSON.parse(readFileSync(join(graphSpecDir(__dirname), "entities.json"), "utf8")) as Entities;
  return entities;
}

function baseOf(name: string): string | null | undefined {
  const s = spec();
  return s["v1.0"].entityTypes[name]?.baseType ?? s.beta.typedFromDocs[name]?.baseType;
}

function isKnown(name: string): boolean {
  const s = spec();
  return Boolean(s["v1.0"].entityTypes[name] || s.beta.propertyNames.entityTypes[name] || s.beta.typedFromDocs[name]);
}

const namesCache = new Map<string, Set<string> | undefined>();

/** Declared property names of a type and its base types; undefined when the schema has no list. */
function propertyNames(name: string, version: string): Set<string> | undefined {
  const key = `${version}|${name}`;
  if (!namesCache.has(key)) namesCache.set(key, computePropertyNames(name, version));
  return namesCache.get(key);
}

function computePropertyNames(name: string, version: string): Set<string> | undefined {
  const s = spec();
  let names: Set<string> | undefined;
  for (let t: string | null | undefined = name; t; t = baseOf(t)) {
    const v1 = s["v1.0"].entityTypes[t];
    const beta = version === "beta" ? s.beta.propertyNames.entityTypes[t] : undefined;
    const docs = version === "beta" ? s.beta.typedFromDocs[t] : undefined;
    if (!v1 && !beta && !docs) continue;
    names ??= new Set();
    for (const n of [
      ...Object.keys(v1?.properties ?? {}),
      ...Object.keys(v1?.navigationProperties ?? {}),
      ...(beta?.properties ?? []),
      ...(beta?.navigationProperties ?? []),
      ...Object.keys(docs?.properties ?? {}),
      ...Object.keys(docs?.navigationProperties ?? {}),
    ])
      names.add(n);
  }
  return names;
}

const rootCache = new Map<string, string | undefined>();
function rootTypeOf(type: ResourceType): string | undefined {
  if (!rootCache.has(type.id))
    rootCache.set(
      type.id,
      Object.values(spec().resources).find((r) => r.list.split(" ")[0].toLowerCase() === type.collection.toLowerCase())
        ?.type,
    );
  return rootCache.get(type.id);
}

function assignable(name: string, root: string): boolean {
  for (let t: string | null | undefined = name; t; t = baseOf(t)) if (t === root) return true;
  return !spec()["v1.0"].entityTypes[name];
}

/** Whether the spec marks `property` of `name` (or a base type) read-only. */
function specReadOnly(name: string, property: string): boolean {
  const s = spec();
  for (let t: string | null | undefined = name; t; t = baseOf(t)) {
    if (
      s["v1.0"].entityTypes[t]?.properties?.[property]?.readOnly ||
      s.beta.typedFromDocs[t]?.properties?.[property]?.readOnly
    )
      return true;
  }
  return false;
}

/** What the service manages inside sub-resource items (children included), as normalize drops it. */
function subResourceStamps(object: JsonObject, subs: SubResourceSpec[], prefix: string, found: Set<string>): void {
  for (const sub of subs) {
    for (const m of matchPattern(object, `${prefix}/${sub.property}`)) {
      const items = Array.isArray(m.value) ? `${formatPointer(m.path)}/*` : formatPointer(m.path);
      for (const pattern of sub.serverManaged ?? [])
        for (const x of matchPattern(object, `${items}${pattern}`)) found.add(formatPointer(x.path));
      subResourceStamps(object, sub.children ?? [], items, found);
    }
  }
}

/**
 * Properties the service computes, present in a repository object: the type's serverManaged
 * patterns (which an export never writes) and what the spec marks read-only. Graph refuses them.
 */
export function readOnlyProblems(type: ResourceType, object: JsonObject): string[] {
  const found = new Set<string>();
  for (const pattern of type.serverManaged) {
    for (const m of matchPattern(object, pattern)) found.add(formatPointer(m.path));
  }
  subResourceStamps(object, type.subResources ?? [], "", found);
  const raw = object["@odata.type"];
  const odataType =
    typeof raw === "string" ? raw.replace(/^#/, "") : type.kind === "singleton" ? undefined : rootTypeOf(type);
  if (odataType)
    for (const key of Object.keys(object)) if (specReadOnly(odataType, key)) found.add(formatPointer([key]));
  const shown = (pointer: string) => (pointer.lastIndexOf("/") === 0 ? pointer.slice(1) : pointer);
  return [...found]
    .sort()
    .map(
      (pointer) => `"${shown(pointer)}" is read-only: the service sets it, and Graph refuses a write that carries it`,
    );
}

/** Problems with one object, as sentences naming the property and what is allowed. */
export function schemaProblems(type: ResourceType, object: JsonObject): string[] {
  return [...readOnlyProblems(type, object), ...declaredProblems(type, object)];
}

function declaredProblems(type: ResourceType, object: JsonObject): string[] {
  if (type.kind === "singleton") return [];
  const root = rootTypeOf(type);
  const raw = object["@odata.type"];
  const odataType = typeof raw === "string" ? raw.replace(/^#/, "") : root;
  const problems: string[] = [];
  if (type.requiresODataType && typeof raw !== "string")
    problems.push(`"@odata.type" is required for ${type.id} (for example "#${root}")`);
  if (!odataType) return problems;
  if (typeof raw === "string" && !isKnown(odataType))
    return [...problems, `"@odata.type" "${raw}" is not a Microsoft Graph type`];
  if (root && !assignable(odataType, root)) problems.push(`"@odata.type" "${raw}" is not a kind of ${root}`);
  // A beta-only derived type lists only what it adds and names no base type: add the root's names.
  const own = propertyNames(odataType, type.version);
  const names =
    own &&
    root &&
    odataType !== root &&
    !spec()["v1.0"].entityTypes[odataType] &&
    !spec().beta.typedFromDocs[odataType]?.baseType
      ? new Set([...own, ...(propertyNames(root, type.version) ?? [])])
      : own;
  if (!names) return problems;
  const extra = new Set([
    ...(type.assignments ? ["assignments"] : []),
    ...(type.subResources ?? []).map((s) => s.property),
  ]);
  for (const key of Object.keys(object)) {
    if (key.startsWith("@odata.") || extra.has(key) || names.has(key)) continue;
    problems.push(`${JSON.stringify(key)} is not a property of ${odataType}`);
  }
  return problems;
}
