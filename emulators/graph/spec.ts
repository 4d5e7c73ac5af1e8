/**
 * spec — the published Microsoft Graph schema data the emulator is built on (spec/graph/entities.json,
 * spec/graph/permissions.json, copied from the project's shared specifications with their provenance).
 * Answers "which properties does this type declare" and "which types derive from it"; no behaviour.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { graphSpecDir } from "../../spec/locate";

interface TypedProperty {
  type: string;
  collection?: boolean;
  readOnly?: boolean;
  serverGenerated?: boolean;
}
interface V1Type {
  baseType: string | null;
  abstract?: boolean;
  properties: Record<string, TypedProperty>;
  navigationProperties?: Record<string, TypedProperty>;
  directDerivedTypes?: string[];
}
interface BetaNames {
  properties?: string[];
  navigationProperties?: string[];
}
interface DocsType {
  baseType?: string;
  properties: Record<string, TypedProperty>;
  navigationProperties?: Record<string, TypedProperty>;
}

export interface EntitiesSpec {
  resources: Record<string, { version: string; list: string; type: string; nameProp: string; inV1Csdl: boolean }>;
  "v1.0": {
    entityTypes: Record<string, V1Type>;
    complexTypes: Record<string, V1Type>;
    enumTypes: Record<string, unknown>;
  };
  beta: {
    propertyNames: { entityTypes: Record<string, BetaNames>; complexTypes: Record<string, BetaNames> };
    typedFromDocs: Record<string, DocsType>;
  };
}

export interface PermissionsSpec {
  graphResourceAppId: string;
  appRoleIds: Record<string, { id: string; adminDisplayName: string }>;
  resources: Record<
    string,
    { read?: Record<string, Record<string, unknown>>; write?: Record<string, Record<string, unknown>> }
  >;
}

const specDir = graphSpecDir();
let entities: EntitiesSpec | undefined;
let permissions: PermissionsSpec | undefined;

export function entitiesSpec(): EntitiesSpec {
  entities ??= JSON.parse(readFileSync(join(specDir, "entities.json"), "utf8")) as EntitiesSpec;
  return entities;
}

export function permissionsSpec(): PermissionsSpec {
  permissions ??= JSON.parse(readFileSync(join(specDir, "permissions.json"), "utf8")) as PermissionsSpec;
  return permissions;
}

export function exampleObject(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(specDir, "examples", `${name}.json`), "utf8")) as Record<string, unknown>;
}

export function fullTypeName(type: string): string {
  const bare = type.startsWith("#") ? type.slice(1) : type;
  return bare.includes(".") ? bare : `microsoft.graph.${bare}`;
}

function v1Type(name: string): V1Type | undefined {
  const spec = entitiesSpec()["v1.0"];
  return spec.entityTypes[name] ?? spec.complexTypes[name];
}

/** Whether the schema knows the type at all (v1.0 typed, beta names, or beta docs). */
export function isKnownType(name: string): boolean {
  const spec = entitiesSpec();
  return Boolean(v1Type(name) || spec.beta.propertyNames.entityTypes[name] || spec.beta.typedFromDocs[name]);
}

function baseTypeOf(name: string): string | null {
  const docs = entitiesSpec().beta.typedFromDocs[name];
  return v1Type(name)?.baseType ?? docs?.baseType ?? null;
}

const declaredCache = new Map<string, Set<string> | undefined>();

/**
 * Property and navigation names a type declares, inherited ones included, for the API version in
 * use. Undefined when the schema has no property list for it (then the emulator does not reject
 * unknown names; this is reported in emulators/README.md).
 */
export function declaredProperties(typeName: string, version: "v1.0" | "beta"): Set<string> | undefined {
  const cacheKey = `${version}|${typeName}`;
  if (declaredCache.has(cacheKey)) return declaredCache.get(cacheKey);
  const spec = entitiesSpec();
  let names: Set<string> | undefined;
  for (let t: string | null = typeName; t; t = baseTypeOf(t)) {
    const own = new Set<string>();
    const v1 = v1Type(t);
    if (v1) {
      Object.keys(v1.properties).forEach((n) => own.add(n));
      Object.keys(v1.navigationProperties ?? {}).forEach((n) => own.add(n));
    }
    if (version === "beta") {
      const beta = spec.beta.propertyNames.entityTypes[t] ?? spec.beta.propertyNames.complexTypes[t];
      beta?.properties?.forEach((n) => own.add(n));
      beta?.navigationProperties?.forEach((n) => own.add(n));
      const docs = spec.beta.typedFromDocs[t];
      if (docs) {
        Object.keys(docs.properties).forEach((n) => own.add(n));
        Object.keys(docs.navigationProperties ?? {}).forEach((n) => own.add(n));
      }
    }
    if (own.size > 0 || v1) names = new Set([...(names ?? []), ...own]);
    else if (t === typeName) break;
  }
  declaredCache.set(cacheKey, names);
  return names;
}

/** The type and every type deriving from it (v1.0 hierarchy). */
export function isAssignableTo(typeName: string, expected: string): boolean {
  for (let t: string | null = typeName; t; t = baseTypeOf(t)) if (t === expected) return true;
  return false;
}

export function isAbstractType(name: string): boolean {
  return Boolean(v1Type(name)?.abstract);
}
