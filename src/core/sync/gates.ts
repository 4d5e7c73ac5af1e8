/**
 * gates — the safety findings of a plan (DESIGN §5): every delete, a change touching more than a
 * threshold share of a type's objects, and a change to a secret-bearing setting need an explicit
 * confirmation on top of approval; a reference to an object the target tenant does not have, and a
 * conflict the policy stopped on, block the plan. Pure.
 */
import { getResourceType } from "../resources/registry";
import type { ResourceTypeId } from "../resources/resource-type";
import { isJsonObject, type JsonValue, parsePointer } from "../snapshot/pointer";
import type { Change, Conflict, GateFinding } from "./plan";

export interface GateOptions {
  /** Share of a type's objects (0–1) a plan may change without the "mass" confirmation. */
  massChangeThreshold: number;
  /** Changes to at most this many objects of a type never count as mass. */
  massChangeMinimum: number;
}

export const defaultGateOptions: GateOptions = { massChangeThreshold: 0.05, massChangeMinimum: 3 };

function list(addresses: string[], max = 10): string {
  return addresses.length <= max ? addresses.join(", ") : `${addresses.slice(0, max).join(", ")} and ${addresses.length - max} more`;
}

/** Every `$ref` address in a value. */
export function referencesIn(value: JsonValue | undefined, out: { address: string | null; type?: string; id?: string }[] = []): { address: string | null; type?: string; id?: string }[] {
  if (Array.isArray(value)) value.forEach((v) => referencesIn(v, out));
  else if (isJsonObject(value)) {
    if ("$ref" in value) out.push({ address: typeof value.$ref === "string" ? value.$ref : null, type: typeof value.type === "string" ? value.type : undefined, id: typeof value.id === "string" ? value.id : undefined });
    else Object.values(value).forEach((v) => referencesIn(v, out));
  }
  return out;
}

function matchesPattern(path: string, pattern: string): boolean {
  const p = parsePointer(path);
  const q = parsePointer(pattern);
  return q.every((seg, i) => i < p.length && (seg === "*" || seg === p[i]));
}

function touchesSecret(change: Change): boolean {
  const patterns = getResourceType(change.type).secrets ?? [];
  return change.fields.some((f) => patterns.some((pattern) => matchesPattern(f.path, pattern))
    || JSON.stringify([f.before ?? null, f.after ?? null]).includes('"$secret"'));
}

/** The name between an address's brackets; undefined when it is not a JSON string (a hand-edited `$ref`). */
function addressedName(text: string): string | undefined {
  try {
    const name = JSON.parse(text) as unknown;
    return typeof name === "string" ? name : undefined;
  } catch {
    return undefined;
  }
}

export interface ReferenceScope {
  /** Names present in the target tenant, per type. */
  tenantNames: Map<ResourceTypeId, Set<string>>;
  /** Types whose names are known (read from the tenant in this run); references to others are checked at deploy. */
  knownTypes?: Set<ResourceTypeId>;
}

/** Addresses a change refers to that neither the tenant nor an earlier change of the plan provides. */
export function missingReferences(changes: Change[], scope: ReferenceScope): Map<string, string[]> {
  const deleted = new Set(changes.filter((c) => c.action === "delete").map((c) => c.address));
  const created = new Set<string>();
  const missing = new Map<string, string[]>();
  for (const c of changes) {
    if (c.action === "delete") continue;
    for (const ref of referencesIn(c.after?.object)) {
      if (ref.address === null) {
        missing.set(c.address, [...(missing.get(c.address) ?? []), `${ref.type ?? "an object"} with id ${ref.id ?? "?"} (unresolved when it was backed up)`]);
        continue;
      }
      const m = /^([a-z]+\.[A-Za-z0-9]+)\[(.*)\]$/.exec(ref.address);
      const name = m ? addressedName(m[2]) : undefined;
      if (m && scope.knownTypes && !scope.knownTypes.has(m[1] as ResourceTypeId)) continue;
      const inTenant = m && name !== undefined ? scope.tenantNames.get(m[1] as ResourceTypeId)?.has(name) : false;
      if ((inTenant && !deleted.has(ref.address)) || created.has(ref.address)) continue;
      missing.set(c.address, [...(missing.get(c.address) ?? []), ref.address]);
    }
    // A create provides its address to later changes; so does an update that renames.
    created.add(c.address);
  }
  return missing;
}

export function gateFindings(changes: Change[], conflicts: Conflict[], tenantCounts: Partial<Record<ResourceTypeId, number>>, scope: ReferenceScope, options: GateOptions = defaultGateOptions): GateFinding[] {
  const findings: GateFinding[] = [];
  const deletes = changes.filter((c) => c.action === "delete").map((c) => c.address);
  if (deletes.length) findings.push({ kind: "delete", confirm: "deletes", addresses: deletes, message: `${deletes.length} object${deletes.length === 1 ? "" : "s"} will be deleted from the tenant: ${list(deletes)}. Confirm deletes to allow it.` });
  const perType = new Map<ResourceTypeId, Change[]>();
  for (const c of changes) perType.set(c.type, [...(perType.get(c.type) ?? []), c]);
  for (const [type, list_] of perType) {
    const total = tenantCounts[type] ?? 0;
    const share = list_.length / Math.max(1, total);
    if (list_.length > options.massChangeMinimum && share > options.massChangeThreshold) {
      findings.push({ kind: "mass", confirm: "mass", addresses: list_.map((c) => c.address), message: `${list_.length} of ${total} ${type} objects change (${Math.round(share * 100)}%, over the ${Math.round(options.massChangeThreshold * 100)}% threshold). Confirm mass changes to allow it.` });
    }
  }
  const secret = changes.filter(touchesSecret).map((c) => c.address);
  if (secret.length) findings.push({ kind: "secret", confirm: "secrets", addresses: secret, message: `Secret-bearing settings change in ${list(secret)}. Confirm secrets to allow it.` });
  for (const [address, refs] of missingReferences(changes, scope)) {
    findings.push({ kind: "missingReference", addresses: [address], message: `${address} refers to ${refs.join(", ")}, which the tenant does not have and the plan does not create. Create it in the repo (or the tenant), or remove the reference.` });
  }
  const stopped = conflicts.filter((c) => c.resolution === "stopped").map((c) => c.address);
  if (stopped.length) findings.push({ kind: "conflict", addresses: stopped, message: `${stopped.length} object${stopped.length === 1 ? " was" : "s were"} changed both in the repo and in the tenant since the last sync: ${list(stopped)}. Edit the repo to the version you want (both versions are in the plan) or run with a conflict policy (repo-wins / tenant-wins).` });
  return findings;
}
