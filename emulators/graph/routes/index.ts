/**
 * routes — the Graph route table and its resolution. A request finds its mount (the collection or
 * singleton whose path starts it), then its route among the mount's: the area files' own routes
 * first, then the child collections the service model declares, then the generic verbs. The
 * matched template ("/deviceManagement/deviceConfigurations/{id}/assignments") keys the counters.
 */
import { noRoute, methodNotAllowed } from "../answers";
import { collectionRoutes, type Hooks } from "../collection";
import type { GraphRoute, Mount, PagingSettings, RequestContext } from "../context";
import { badRequest, type GraphResponse, notFound } from "../errors";
import { mountFor, mounts } from "../mounts";
import { type ChildHooks, childRoutes } from "../nested";
import { childCollections, type ResourceModel } from "../service-model";
import { matchTemplate, pathSegments, resolveRoute as matchRoute } from "../../http/routes";
import { applications } from "./applications";
import type { Area } from "./area";
import { audit } from "./audit";
import { conditionalAccess } from "./conditional-access";
import { entra } from "./entra";
import { entraMore } from "./entra-more";
import { entraPolicies } from "./entra-policies";
import { groupPolicy } from "./group-policy";
import { intune } from "./intune";
import { intuneMore } from "./intune-more";
import { intuneApps } from "./intune-apps";
import { intunePartners } from "./intune-partners";
import { intuneIntents } from "./intune-intents";
import { intuneTokens } from "./intune-tokens";

export type { PagingSettings };

/** What the server supplies; the route adds its parameters and mount. */
export type CallContext = Omit<RequestContext, "params" | "mount">;

export interface ResolvedRoute {
  model: ResourceModel;
  /** Lower-case, version-less path with {id} placeholders, as in permissions.json. */
  permissionTemplate: string;
  isWrite: boolean;
  /** The matched template with its version ("/beta/groups/{id}"), undefined when no route matched. */
  template?: string;
  run: (ctx: CallContext) => GraphResponse | Promise<GraphResponse>;
}

const areas: Area[] = [
  entra,
  entraPolicies,
  entraMore,
  conditionalAccess,
  intune,
  intuneMore,
  groupPolicy,
  applications,
  audit,
  intuneApps,
  intunePartners,
  intuneIntents,
  intuneTokens,
];
const hooks: Record<string, Hooks> = Object.assign({}, ...areas.map((a) => a.hooks));
const childHooks: Record<string, ChildHooks> = Object.assign({}, ...areas.map((a) => a.children));

const generic = mounts.filter((m) => m.isGeneric);
const table: GraphRoute[] = [
  ...areas.flatMap((a) => a.routes),
  ...generic.flatMap((m) =>
    childCollections(m.model).flatMap((c) =>
      childRoutes(m, c, childHooks[`${m.model.key}/${c.name}`] ?? childHooks[`*/${c.name}`]),
    ),
  ),
  ...generic.filter((m) => m.model.kind === "collection").flatMap((m) => collectionRoutes(m, hooks[m.model.key])),
];

function byMount(version: "v1.0" | "beta"): Map<Mount, GraphRoute[]> {
  const map = new Map<Mount, GraphRoute[]>();
  for (const r of table) {
    if (r.versions && !r.versions.includes(version)) continue;
    map.set(r.mount, [...(map.get(r.mount) ?? []), r]);
  }
  return map;
}
const tables = { "v1.0": byMount("v1.0"), beta: byMount("beta") };

/** Every route, for tests and the docs: method and version-less template. */
export function routeTable(): readonly GraphRoute[] {
  return table;
}

/** Finds the route for a request, or throws the service's error for an unknown collection. */
export function resolveRoute(method: string, version: "v1.0" | "beta", path: string, now: number): ResolvedRoute {
  const mount = mountFor(path);
  if (!mount) {
    const segment = path.split("/").filter(Boolean).pop() ?? "";
    return notFound(segment, now, undefined);
  }
  const { model } = mount;
  if (version === "v1.0" && !model.inV1) {
    badRequest(`Resource not found for the segment '${mount.prefix.split("/").pop()}'.`, now);
  }
  const rest = (pathSegments(path.slice(mount.prefix.length)) ?? []).map(String);
  const permissionTemplate = [mount.prefix, ...rest.map((seg, i) => (i % 2 === 0 && seg !== "$ref" ? "{id}" : seg))]
    .join("/")
    .toLowerCase();
  const base = { model, permissionTemplate, isWrite: method !== "GET" };
  const routes = tables[version].get(mount) ?? [];
  const match = matchRoute(routes, method, path);
  if (match && "route" in match) {
    const { route, params } = match;
    return {
      ...base,
      template: `/${version}${route.template}`,
      run: (ctx) => route.handle({ ...ctx, params, mount }),
    };
  }
  if (match) {
    const segments = pathSegments(path) ?? [];
    const same = routes.filter((r) => matchTemplate(r.template, segments));
    const asUnknown = same.some((r) => r.otherMethodsAreNoRoute);
    return {
      ...base,
      template: `/${version}${same[0].template}`,
      run: (ctx) => (asUnknown ? noRoute : methodNotAllowed)({ ...ctx, params: {}, mount }, model),
    };
  }
  return { ...base, run: (ctx) => noRoute({ ...ctx, params: {}, mount }, model) };
}
