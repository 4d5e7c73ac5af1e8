/**
 * integrity — checks the desired state whole, at plan time: an object the plan deletes (or renames
 * away) that objects remaining in the repository still refer to, and a change to a property that can
 * only be set when the object is created. Both block the plan: deploy could only fail, or silently
 * drop the change. Pure.
 */
import { getResourceType } from "../resources/registry";
import type { ResourceType, ResourceTypeId } from "../resources/resource-type";
import type { JsonObject } from "../snapshot/pointer";
import { parsePointer } from "../snapshot/pointer";
import { formatAddress, referencesOf } from "../snapshot/reference";
import type { Change, GateFinding } from "./plan";

/** An object of the desired state: every repository object that remains after the plan. */
export interface DesiredObject {
  type: ResourceTypeId;
  name: string;
  object: JsonObject;
}

interface Removal {
  change: Change;
  address: string;
  renamedTo?: string;
  recreated?: boolean;
}

/**
 * Addresses the plan takes away from the tenant (deletes, a rename's old name) and no change provides
 * again; and the old names of renames that a create in the plan takes (`recreated`).
 */
export function removedAddresses(changes: Change[]): Removal[] {
  const provided = new Set(changes.filter((c) => c.action !== "delete").map((c) => c.address));
  const removals: Removal[] = [];
  for (const c of changes) {
    if (c.action === "delete") removals.push({ change: c, address: c.address });
    else if (c.action === "update" && c.before) {
      const key = getResourceType(c.type).naturalKey;
      const old = c.before.object[key];
      if (typeof old === "string" && old !== c.name)
        removals.push({ change: c, address: formatAddress(c.type, old), renamedTo: c.address });
    }
  }
  return removals.flatMap((r) => (!provided.has(r.address) ? [r] : r.renamedTo ? [{ ...r, recreated: true }] : []));
}

type Referrer = { address: string; pointer: string };

/** Who refers to what in the desired state, walked once: by target address, and by raw id (type + id). */
function referrerIndex(desired: DesiredObject[]): {
  byAddress: Map<string, Referrer[]>;
  byId: Map<string, Referrer[]>;
} {
  const byAddress = new Map<string, Referrer[]>();
  const byId = new Map<string, Referrer[]>();
  const add = (map: Map<string, Referrer[]>, key: string, r: Referrer) => {
    const list = map.get(key);
    if (list) list.push(r);
    else map.set(key, [r]);
  };
  for (const d of desired) {
    const address = formatAddress(d.type, d.name);
    for (const ref of referencesOf(d.object, getResourceType(d.type))) {
      if (ref.kind === "address" && ref.target)
        add(byAddress, formatAddress(ref.target.type, ref.target.name), { address, pointer: ref.pointer });
      if (ref.kind === "rawId") add(byId, `${ref.type}\u0000${ref.id}`, { address, pointer: ref.pointer });
    }
  }
  return { byAddress, byId };
}

/** One blocking finding per removed object that the desired state still refers to, naming every referrer. */
export function referencedRemovals(changes: Change[], desired: DesiredObject[]): GateFinding[] {
  const removals = removedAddresses(changes);
  if (removals.length === 0) return [];
  const index = referrerIndex(desired);
  const findings: GateFinding[] = [];
  for (const removal of removals) {
    const byId =
      !removal.renamedTo && removal.change.tenantId
        ? (index.byId.get(`${removal.change.type}\u0000${removal.change.tenantId}`) ?? [])
        : [];
    const referrers = [...(index.byAddress.get(removal.address) ?? []), ...byId].filter(
      (r) => r.address !== removal.address,
    );
    if (referrers.length === 0) continue;
    const where = referrers.map((r) => `${r.address} at ${r.pointer}`).join(", ");
    if (removal.recreated) {
      // The tenant's referrers point at the renamed object; the repository's now mean the new one.
      findings.push({
        kind: "ambiguousReference",
        addresses: [removal.address, ...new Set(referrers.map((r) => r.address))],
        message: `${removal.address} is renamed to ${removal.renamedTo} and a new object takes the name ${removal.address} in the same plan, while the repository refers to that name: ${where}. In the tenant those references point at the renamed object, and deploy would not move them. Do it in two plans: first the rename with the references pointing at ${removal.renamedTo}, then the new object and the references you want on it.`,
      });
      continue;
    }
    const what = removal.renamedTo ? `is renamed to ${removal.renamedTo} by the plan` : "is deleted by the plan";
    const fix = removal.renamedTo
      ? `Point those references at ${removal.renamedTo}, or keep the old name`
      : "Remove those references (or point them at another object), or keep the object's file";
    findings.push({
      kind: "referencedDelete",
      addresses: [removal.address, ...new Set(referrers.map((r) => r.address))],
      message: `${removal.address} ${what}, but the repository still refers to it: ${where}. ${fix}; then plan again.`,
    });
  }
  return findings;
}

/** Whether a changed field lies at or under (or contains) a createOnly pattern. */
function touches(path: string, pattern: string): boolean {
  const p = parsePointer(path);
  const q = parsePointer(pattern);
  return p.slice(0, q.length).every((seg, i) => q[i] === "*" || q[i] === seg);
}

/**
 * A create-only property that deploy writes apart on update (an action such as compliance's
 * scheduleActionsForRules, a sub-resource) does change on update: only the main PATCH refuses it.
 */
function isWrittenApartOnUpdate(type: ResourceType, property: string | undefined): boolean {
  const write = property === undefined ? undefined : type.writeApart?.[property];
  return write !== undefined && (write.kind !== "inline" || type.update === "PUT");
}

/** Updates that change a property the service takes only on create: deploy would leave it unchanged. */
export function createOnlyChanges(changes: Change[]): GateFinding[] {
  const findings: GateFinding[] = [];
  for (const c of changes) {
    if (c.action !== "update") continue;
    const type = getResourceType(c.type);
    const patterns = (type.createOnly ?? []).filter(
      (pattern) => !isWrittenApartOnUpdate(type, parsePointer(pattern)[0]),
    );
    const paths = [
      ...new Set(c.fields.filter((f) => patterns.some((pattern) => touches(f.path, pattern))).map((f) => f.path)),
    ];
    if (paths.length === 0) continue;
    findings.push({
      kind: "createOnlyChange",
      addresses: [c.address],
      message: `${c.address} changes ${paths.join(", ")}, which can only be set when the object is created: Graph does not change it on update. Put the tenant's value back in the repository, or create a new object with the wanted value (a new file without the tenant id) and delete the old one.`,
    });
  }
  return findings;
}
