/**
 * gates — the safety findings of a plan (DESIGN §5): every delete, a change touching more than a
 * threshold share of a type's objects, and a change to a secret-bearing setting need an explicit
 * confirmation on top of approval; a reference to an object the target tenant does not have (by
 * address or raw id), an object deleted while still referred to, a create-only change (integrity.ts)
 * and a conflict the policy stopped on block the plan. Pure.
 */
import { getResourceType } from "../resources/registry";
import type { ResourceTypeId } from "../resources/resource-type";
import { parsePointer } from "../snapshot/pointer";
import { formatAddress, type Reference, referencesOf } from "../snapshot/reference";
import { createOnlyChanges, type DesiredObject, referencedRemovals } from "./integrity";
import type { Change, Conflict, GateFinding } from "./plan";

export interface GateOptions {
  /** Share of a type's objects (0–1) a plan may change without the "mass" confirmation. */
  massChangeThreshold: number;
  /** Changes to at most this many objects of a type never count as mass. */
  massChangeMinimum: number;
}

export const defaultGateOptions: GateOptions = { massChangeThreshold: 0.05, massChangeMinimum: 3 };

function list(addresses: string[], max = 10): string {
  return addresses.length <= max
    ? addresses.join(", ")
    : `${addresses.slice(0, max).join(", ")} and ${addresses.length - max} more`;
}

function matchesPattern(path: string, pattern: string): boolean {
  const p = parsePointer(path);
  const q = parsePointer(pattern);
  return q.every((seg, i) => i < p.length && (seg === "*" || seg === p[i]));
}

function touchesSecret(change: Change): boolean {
  const patterns = getResourceType(change.type).secrets ?? [];
  return change.fields.some(
    (f) =>
      patterns.some((pattern) => matchesPattern(f.path, pattern)) ||
      JSON.stringify([f.before ?? null, f.after ?? null]).includes('"$secret"'),
  );
}

export interface ReferenceScope {
  /** Names present in the target tenant, per type. */
  tenantNames: Map<ResourceTypeId, Set<string>>;
  /** Types whose names are known (read from the tenant in this run); references to others are checked at deploy. */
  knownTypes?: Set<ResourceTypeId>;
  /** Ids of the tenant's objects, per type; with `repoIds`, what a raw id at a reference pointer may be. */
  tenantIds?: Map<ResourceTypeId, Set<string>>;
  /** Tenant ids recorded in the repository's files, per type. */
  repoIds?: Map<ResourceTypeId, Set<string>>;
  /** The desired state whole (every repository object that remains); default: the changes' objects. */
  desired?: DesiredObject[];
}

function has(map: Map<ResourceTypeId, Set<string>> | undefined, type: ResourceTypeId, value: string): boolean {
  return map?.get(type)?.has(value) ?? false;
}

/** What is wrong with one reference of a change, or undefined when the tenant or the plan provides it. */
function missingTarget(ref: Reference, scope: ReferenceScope, created: Set<string>): string | undefined {
  const known = (type: ResourceTypeId) => !scope.knownTypes || scope.knownTypes.has(type);
  switch (ref.kind) {
    case "unresolved":
      return `${ref.type ?? "an object"} with id ${ref.id ?? "?"} (unresolved when it was backed up)`;
    case "address":
      if (!ref.target) return ref.address;
      if (!known(ref.target.type)) return undefined;
      // A target the plan deletes or renames away is reported with its referrers (referencedRemovals).
      return has(scope.tenantNames, ref.target.type, ref.target.name) ||
        created.has(formatAddress(ref.target.type, ref.target.name))
        ? undefined
        : ref.address;
    case "rawId":
      if (!scope.tenantIds || !known(ref.type)) return undefined;
      return has(scope.tenantIds, ref.type, ref.id) || has(scope.repoIds, ref.type, ref.id)
        ? undefined
        : `${ref.type} with id ${ref.id} (at ${ref.pointer}; no object of the tenant or the repository has that id)`;
  }
}

/** References of the changes that neither the tenant nor an earlier change of the plan provides. */
export function missingReferences(changes: Change[], scope: ReferenceScope): Map<string, string[]> {
  const created = new Set<string>();
  const missing = new Map<string, string[]>();
  for (const c of changes) {
    if (c.action === "delete") continue;
    for (const ref of referencesOf(c.after?.object, getResourceType(c.type))) {
      const what = missingTarget(ref, scope, created);
      if (what !== undefined) missing.set(c.address, [...(missing.get(c.address) ?? []), what]);
    }
    // A create provides its address to later changes; so does an update that renames.
    created.add(c.address);
  }
  return missing;
}

export function gateFindings(
  changes: Change[],
  conflicts: Conflict[],
  tenantCounts: Partial<Record<ResourceTypeId, number>>,
  scope: ReferenceScope,
  options: GateOptions = defaultGateOptions,
): GateFinding[] {
  const findings: GateFinding[] = [];
  const deletes = changes.filter((c) => c.action === "delete").map((c) => c.address);
  if (deletes.length)
    findings.push({
      kind: "delete",
      confirm: "deletes",
      addresses: deletes,
      message: `${deletes.length} object${deletes.length === 1 ? "" : "s"} will be deleted from the tenant: ${list(deletes)}. Confirm deletes to allow it.`,
    });
  const perType = new Map<ResourceTypeId, Change[]>();
  for (const c of changes) perType.set(c.type, [...(perType.get(c.type) ?? []), c]);
  for (const [type, list_] of perType) {
    const total = tenantCounts[type] ?? 0;
    const share = list_.length / Math.max(1, total);
    if (list_.length > options.massChangeMinimum && share > options.massChangeThreshold) {
      findings.push({
        kind: "mass",
        confirm: "mass",
        addresses: list_.map((c) => c.address),
        message: `${list_.length} of ${total} ${type} objects change (${Math.round(share * 100)}%, over the ${Math.round(options.massChangeThreshold * 100)}% threshold). Confirm mass changes to allow it.`,
      });
    }
  }
  const secret = changes.filter(touchesSecret).map((c) => c.address);
  if (secret.length)
    findings.push({
      kind: "secret",
      confirm: "secrets",
      addresses: secret,
      message: `Secret-bearing settings change in ${list(secret)}. Confirm secrets to allow it.`,
    });
  for (const [address, refs] of missingReferences(changes, scope)) {
    findings.push({
      kind: "missingReference",
      addresses: [address],
      message: `${address} refers to ${refs.join(", ")}, which the tenant does not have and the plan does not create. Create it in the repo (or the tenant), or remove the reference.`,
    });
  }
  const desired =
    scope.desired ??
    changes.flatMap((c) =>
      c.action !== "delete" && c.after ? [{ type: c.type, name: c.name, object: c.after.object }] : [],
    );
  findings.push(...referencedRemovals(changes, desired), ...createOnlyChanges(changes));
  const stopped = conflicts.filter((c) => c.resolution === "stopped").map((c) => c.address);
  if (stopped.length)
    findings.push({
      kind: "conflict",
      addresses: stopped,
      message: `${stopped.length} object${stopped.length === 1 ? " was" : "s were"} changed both in the repo and in the tenant since the last sync: ${list(stopped)}. Edit the repo to the version you want (both versions are in the plan) or run with a conflict policy (repo-wins / tenant-wins).`,
    });
  return findings;
}
