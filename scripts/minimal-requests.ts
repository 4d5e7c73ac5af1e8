/**
 * minimal-requests — the fewest Graph requests a complete backup of a tenant can cost, by the
 * service's own rules as the Graph emulator models them (emulators/graph/service-model.ts): every
 * collection listed in pages at its page maximum, with everything its list can expand; then per object
 * only what the service makes necessary — one GET by id when the list leaves out properties or a
 * navigation property comes only that way (all by-id expansions ride on it), one request per
 * navigation property served nowhere in an expansion, and per item of a sub-resource what its list
 * cannot expand (group policy presentation values, Intune role assignments in full).
 *
 * What the backup needs is taken from the declarations (which properties and navigation properties it
 * stores); what each costs is taken from the service model, never from the declaration, so a
 * declaration that reads wastefully shows up as requests above this count.
 */
import { familyOf, type ServiceFamily } from "../src/core/graph/budget";
import { navigationOf as navOf, type ResourceType, type SubResourceSpec } from "../src/core/resources/resource-type";
import { listRulesOf, modelServing, type ResourceModel } from "../emulators/graph/service-model";
import type { StoredObject, TenantState } from "../emulators/graph/tenant-store";

export interface MinimalCount {
  /** Graph requests, $batch items counted one by one (as the service throttles them). */
  requests: number;
  /** HTTP requests: list pages, and the per-object reads in $batch requests of 20. */
  httpRequests: number;
  byFamily: Record<ServiceFamily, number>;
  /** The longest chain of requests that must follow one another: the largest collection's pages and its rounds. */
  chain: number;
}

const batchSize = 20;

/** The items of a sub-resource the emulator holds for an object (role assignments live in their own collection). */
function itemsOf(state: TenantState, object: StoredObject, nav: string): unknown[] {
  if (object.nav[nav]) return object.nav[nav];
  if (Array.isArray(object.props[nav])) return object.props[nav] as unknown[];
  if (nav === "roleAssignments")
    return (state.collections.roleAssignments ?? []).filter((a) => a.props.roleDefinitionId === object.id);
  return [];
}

function listed(state: TenantState, type: ResourceType, model: ResourceModel): StoredObject[] {
  const all = state.collections[model.key] ?? [];
  const isOf = /^isof\('([A-Za-z0-9_.]+)'\)$/.exec(type.listFilter ?? "");
  return isOf ? all.filter((o) => o.props["@odata.type"] === `#${isOf[1]}`) : all;
}

function isSkipped(type: ResourceType, object: StoredObject): boolean {
  return Object.entries(type.skip ?? {}).some(([k, v]) => object.props[k] === v);
}

/** Requests per item of a sub-resource: its full form by id, and each child its list cannot expand. */
function perItem(model: ResourceModel, sub: SubResourceSpec): number {
  const child = model.children?.find((c) => c.name === navOf(sub.path));
  const expandable = new Set(child?.expand ?? []);
  return (sub.itemPath ? 1 : 0) + (sub.children ?? []).filter((c) => !expandable.has(navOf(c.path))).length;
}

export function minimalRequests(state: TenantState, types: readonly ResourceType[]): MinimalCount {
  const count: MinimalCount = {
    requests: 0,
    httpRequests: 0,
    byFamily: { intune: 0, entra: 0, conditionalAccess: 0 },
    chain: 0,
  };
  const add = (type: ResourceType, requests: number, http = requests) => {
    count.requests += requests;
    count.httpRequests += http;
    count.byFamily[familyOf(type.collection)] += requests;
  };
  for (const type of types) {
    const model = modelServing(type.version, type.collection);
    if (!model) throw new Error(`${type.id}: the Graph emulator serves no ${type.version}${type.collection}`);
    if (type.kind === "singleton") {
      add(type, 1 + (type.subResources?.length ?? 0));
      continue;
    }
    const rules = listRulesOf(model);
    const objects = listed(state, type, model);
    const pages = Math.max(1, Math.ceil(objects.length / rules.maxPageSize));
    const needed = [
      ...(type.assignments ? ["assignments"] : []),
      ...(type.expand ?? []).map(navOf),
      ...(type.subResources ?? []).map((s) => navOf(s.path)),
    ];
    const byIdOnly = needed.filter(
      (nav) => !rules.expand.includes(nav) && model.expand.includes(nav) && !model.expandEmptyById?.includes(nav),
    );
    const ownRequest = needed.filter((nav) => !rules.expand.includes(nav) && !byIdOnly.includes(nav));
    const byId = model.onlyOnGetById.length > 0 || byIdOnly.length > 0 ? 1 : 0;
    let perObject = 0;
    let followUps = 0;
    for (const object of objects.filter((o) => !isSkipped(type, o))) {
      perObject += byId + ownRequest.length;
      for (const sub of type.subResources ?? [])
        followUps += itemsOf(state, object, navOf(sub.path)).length * perItem(model, sub);
    }
    add(type, pages, pages);
    add(type, perObject + followUps, Math.ceil(perObject / batchSize) + Math.ceil(followUps / batchSize));
    count.chain = Math.max(count.chain, pages + (perObject ? 1 : 0) + (followUps ? 1 : 0));
  }
  return count;
}
