/**
 * plan-builders — hand-made plans for the deploy tests (the planner is tested on its own): a snapshot
 * turned into creates for another tenant, updates and deletes of objects as exported, and the
 * comparison form of exported objects (references by address, ids ignored).
 */
import { createCredential } from "../../src/core/graph/credentials";
import { GraphClient } from "../../src/core/graph/graph-client";
import { allResourceTypes, applyOrder, getResourceType } from "../../src/core/resources/registry";
import { refusedWrite } from "../../src/core/resources/resource-type";
import { canonicalCompact } from "../../src/core/snapshot/canonical-json";
import { exportTenant } from "../../src/core/snapshot/export-tenant";
import { fingerprintOf } from "../../src/core/snapshot/fingerprint";
import { addressOf, type NormalizedObject } from "../../src/core/snapshot/normalize";
import { isJsonObject, type JsonObject, type JsonValue, matchPattern } from "../../src/core/snapshot/pointer";
import type { Change, GateFinding, Plan } from "../../src/core/sync/plan";

export interface TenantCredentials {
  graphUrl: string;
  authorityHost: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
}

export function clientFor(c: TenantCredentials): GraphClient {
  const credential = createCredential(
    { kind: "clientSecret", tenantId: c.tenantId, clientId: c.clientId, clientSecret: c.clientSecret },
    { authorityHost: c.authorityHost },
  );
  return new GraphClient({ graphUrl: c.graphUrl, credential, retry: { baseDelayMs: 20, maxDelayMs: 2000 } });
}

export async function exportAll(graph: GraphClient): Promise<NormalizedObject[]> {
  const result = await exportTenant({ graph, types: [...allResourceTypes], allTypes: allResourceTypes });
  if (result.partial || result.outcomes.some((o) => o.status !== "ok"))
    throw new Error(`export failed: ${JSON.stringify(result.outcomes.filter((o) => o.status !== "ok"))}`);
  return result.objects;
}

export function planOf(tenantId: string, changes: Change[], findings: GateFinding[] = []): Plan {
  return {
    formatVersion: 1,
    tenantId,
    createdAt: new Date().toISOString(),
    changes,
    conflicts: [],
    findings,
    tenantCounts: {},
    counts: {},
  };
}

const rank = new Map(applyOrder(allResourceTypes).map((t, i) => [t.id, i]));

/** Creates and updates by dependency, deletes after them in reverse (what the planner does). */
export function inApplyOrder(changes: Change[]): Change[] {
  const r = (c: Change) => rank.get(c.type) ?? 0;
  return [
    ...changes.filter((c) => c.action !== "delete").sort((a, b) => r(a) - r(b)),
    ...changes.filter((c) => c.action === "delete").sort((a, b) => r(b) - r(a)),
  ];
}

export function updateChange(
  now: NormalizedObject,
  after: JsonObject,
  action: "update" | "assign" = "update",
  files = now.files,
): Change {
  return {
    address: addressOf(now.type, now.name),
    type: now.type,
    name: now.name,
    action,
    tenantId: now.id,
    fingerprint: fingerprintOf(now.object, now.files),
    before: { object: now.object, files: now.files },
    after: { object: after, files },
    fields: [],
  };
}

export function deleteChange(now: NormalizedObject): Change {
  return {
    address: addressOf(now.type, now.name),
    type: now.type,
    name: now.name,
    action: "delete",
    tenantId: now.id,
    fingerprint: fingerprintOf(now.object, now.files),
    before: { object: now.object, files: now.files },
    fields: [],
  };
}

export function createChange(object: NormalizedObject): Change {
  return {
    address: addressOf(object.type, object.name),
    type: object.type,
    name: object.name,
    action: "create",
    after: { object: structuredClone(object.object), files: { ...object.files } },
    fields: [],
  };
}

/**
 * The source snapshot as changes for a target tenant, in apply order: singletons become updates of the
 * target's singleton; objects the target already has (by name) are left alone, and so are writes the
 * type's service leaves to a person (the planner lists those as refused, deploy never makes them).
 */
export function createChanges(source: NormalizedObject[], target: NormalizedObject[]): Change[] {
  const changes: Change[] = [];
  for (const o of source) {
    const existing = target.find((t) => t.type === o.type && t.name === o.name);
    if (getResourceType(o.type).kind === "singleton") {
      if (existing) changes.push(updateChange(existing, structuredClone(o.object)));
    } else if (!existing) changes.push(createChange(o));
  }
  return inApplyOrder(changes.filter((c) => !refusedWrite(getResourceType(c.type), c.action)));
}

/** Objects of the types whose writes are restricted: a copy of a tenant cannot carry them. */
export function isRestricted(o: { type: string }): boolean {
  return Boolean(getResourceType(o.type as NormalizedObject["type"]).writes);
}

/** A value with every `$ref` reduced to its address: equal across tenants. */
export function portable(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(portable);
  if (isJsonObject(value)) {
    if ("$ref" in value) return { $ref: value.$ref };
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, portable(v)]));
  }
  return value;
}

/** The portable object with its unordered arrays sorted, as the export sorts them. */
function comparable(type: string, object: JsonObject): JsonValue {
  const out = portable(object);
  for (const pattern of getResourceType(type).unorderedArrays ?? []) {
    for (const m of matchPattern(out, pattern))
      if (Array.isArray(m.value)) m.value.sort((a, b) => canonicalCompact(a).localeCompare(canonicalCompact(b)));
  }
  return out;
}

/** address → canonical comparison form (object and files) of every object. */
export function comparisonForms(
  objects: { type: string; name: string; object: JsonObject; files: Record<string, string> }[],
): Map<string, string> {
  return new Map(
    objects.map((o) => [
      addressOf(o.type as NormalizedObject["type"], o.name),
      canonicalCompact({ object: comparable(o.type, o.object), files: o.files } as unknown as JsonValue),
    ]),
  );
}

export function find(objects: NormalizedObject[], type: string, name: string): NormalizedObject {
  const o = objects.find((x) => x.type === type && x.name === name);
  if (!o) throw new Error(`no ${type} named ${name}`);
  return o;
}
