/**
 * staleness — has the tenant changed since the plan was made? Pure. Each object a change updates or
 * deletes must still carry the fingerprint the plan recorded, and each name a change creates must
 * still be free. Changes an earlier run of this plan already touched are exempt: their difference is
 * this deploy's own doing.
 */
import type { NormalizedObject } from "../snapshot/normalize";
import { fingerprintOf } from "../snapshot/fingerprint";
import { getResourceType } from "../resources/registry";
import type { Change } from "./plan";

export interface StaleObject {
  address: string;
  /** changed: edited since the plan; deleted: gone; exists: a create's name is taken now. */
  reason: "changed" | "deleted" | "exists";
}

function tenantObjectOf(change: Change, tenant: NormalizedObject[]): NormalizedObject | undefined {
  const isSingleton = getResourceType(change.type).kind === "singleton";
  return tenant.find((o) => o.type === change.type && (isSingleton || o.id === change.tenantId));
}

/** Tenant ids of the objects the plan moves off their name (renames) or deletes: their names become free. */
function leavingIds(changes: Change[], tenant: NormalizedObject[]): Set<string> {
  const ids = new Set<string>();
  for (const c of changes) {
    if (!c.tenantId || (c.action !== "delete" && c.action !== "update")) continue;
    const now = tenant.find((o) => o.type === c.type && o.id === c.tenantId);
    if (now && (c.action === "delete" || now.name !== c.name)) ids.add(`${c.type}\u0000${c.tenantId}`);
  }
  return ids;
}

/** The changes whose object is no longer as planned, in plan order. */
export function findStaleObjects(
  changes: Change[],
  tenant: NormalizedObject[],
  touched: Set<number> = new Set(),
): StaleObject[] {
  const stale: StaleObject[] = [];
  const leaving = leavingIds(changes, tenant);
  changes.forEach((change, index) => {
    if (touched.has(index)) return;
    if (change.action === "create") {
      if (getResourceType(change.type).kind === "singleton") return;
      if (
        tenant.some((o) => o.type === change.type && o.name === change.name && !leaving.has(`${o.type}\u0000${o.id}`))
      )
        stale.push({ address: change.address, reason: "exists" });
      return;
    }
    if (!change.fingerprint) return;
    const now = tenantObjectOf(change, tenant);
    if (!now) stale.push({ address: change.address, reason: "deleted" });
    else if (fingerprintOf(now.object, now.files) !== change.fingerprint)
      stale.push({ address: change.address, reason: "changed" });
  });
  return stale;
}

const wording: Record<StaleObject["reason"], string> = {
  changed: "was changed",
  deleted: "was deleted",
  exists: "exists now (the plan creates it)",
};

export function describeStale(stale: StaleObject[]): string {
  return stale.map((s) => `${s.address} ${wording[s.reason]}`).join("; ");
}
