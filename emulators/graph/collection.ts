/**
 * collection — the generic verbs of a top-level collection (list, get, create, update, replace,
 * delete) with paging, $filter, $select and $expand, and the hooks through which a resource type
 * adds its own validation and computed properties without owning the verbs.
 */
import { contextUrl, fragmentOf, json, noContent } from "./answers";
import type { GraphRoute, Mount, RequestContext } from "./context";
import { badRequest, fail, type GraphResponse, notFound } from "./errors";
import { applyPatch, assertMutable, checkWrite, type Json, render, toStored } from "./entities";
import {
  decodeSkipToken,
  matchesFilter,
  nextLinkFor,
  pageOf,
  parseExpand,
  parseFilter,
  parseSelect,
  parseTop,
  type PageOptions,
} from "./odata";
import { listRulesOf, type ResourceModel } from "./service-model";
import type { StoredObject } from "./tenant-store";

/** What a resource type adds to the generic verbs. */
export interface Hooks {
  validateCreate?: (ctx: RequestContext, body: Json) => void;
  validateUpdate?: (ctx: RequestContext, body: Json, existing: StoredObject) => void;
  /** After any write of the object, its own or through an action (computed counts, encrypted values). */
  afterWrite?: (ctx: RequestContext, object: StoredObject) => void;
  beforeDelete?: (ctx: RequestContext, object: StoredObject) => void;
}

/** Objects visible through this mount (per-platform app protection collections filter by type). */
export function objectsOf(ctx: RequestContext, mount: Mount): StoredObject[] {
  const all = ctx.tenant.list(mount.storeKey);
  return mount.odataType ? all.filter((o) => o.props["@odata.type"] === `#${mount.odataType}`) : all;
}

/** The object named by an id segment ("1", "('1')" or "'1'"), or the family's 404. */
export function findObject(ctx: RequestContext, mount: Mount, id: string): StoredObject {
  const key = id.replace(/^\('?|'?\)$/g, "");
  const object = objectsOf(ctx, mount).find((o) => o.id === key);
  if (!object) return notFound(key, ctx.now, mount.model.family);
  return object;
}

/**
 * The $expand of a request, checked: a name the type lacks is the service's "Could not find a
 * property" 400; on a list, a navigation property the service expands only on one object gets
 * `refusedListExpansion`.
 */
function checkExpand(ctx: RequestContext, model: ResourceModel, on: "list" | "object") {
  const expand = parseExpand(ctx.query.get("$expand"), ctx.now);
  const onList = on === "list" ? listRulesOf(model).expand : undefined;
  for (const e of expand) {
    if (!model.expand.includes(e.name) && !onList?.includes(e.name)) {
      badRequest(`Could not find a property named '${e.name}' on type '${model.rootType}'.`, ctx.now, model.family);
    }
    if (onList && !onList.includes(e.name)) refusedListExpansion(ctx, model, e.name);
  }
  return expand;
}

/** What the service answers for an expansion it serves on one object but not on a list. */
function refusedListExpansion(ctx: RequestContext, model: ResourceModel, name: string): never {
  return badRequest(
    `Expanding '${name}' is not supported when listing this collection; expand it when getting one object.`,
    ctx.now,
    model.family,
  );
}

/** The page size a list request gets: its $top within the collection's rules (or the service's 400). */
export function pageSizeOf(ctx: RequestContext, model: ResourceModel, top: number | undefined): PageOptions {
  const rules = listRulesOf(model);
  const expanded = ctx.query.has("$expand") && rules.expandedMaxPageSize !== undefined;
  const maxPageSize = ctx.paging.maxPageSize ?? rules.maxPageSize;
  // The directory's answer as clients record it (e.g. the Steampipe Azure AD plugin): "Request_UnsupportedQuery:
  // Invalid page size specified: '1000'. Must be between 1 and 999 inclusive."
  if (top !== undefined && top > maxPageSize && rules.overMax === "refusePageSize")
    fail(
      400,
      "Request_UnsupportedQuery",
      `Invalid page size specified: '${top}'. Must be between 1 and ${maxPageSize} inclusive.`,
      ctx.now,
    );
  if (top !== undefined && top > maxPageSize && rules.overMax === "refuseTopLimit")
    badRequest(
      `The limit of '${maxPageSize}' for Top query has been exceeded. The value from the incoming request is '${top}'.`,
      ctx.now,
      model.family,
    );
  const pageMax = expanded ? Math.min(maxPageSize, rules.expandedMaxPageSize!) : maxPageSize;
  return {
    defaultPageSize: ctx.paging.perResource[model.key] ?? ctx.paging.defaultPageSize ?? rules.defaultPageSize,
    maxPageSize: pageMax,
    emptyPageEvery: ctx.paging.emptyPageEvery,
  };
}

/** Lists `objects` with paging, $filter, $select and $expand. */
export function listPage(
  ctx: RequestContext,
  model: ResourceModel,
  objects: StoredObject[],
  fragment: string,
  renderOne?: (o: StoredObject) => Json,
): GraphResponse {
  const expand = checkExpand(ctx, model, "list");
  const select = parseSelect(ctx.query.get("$select"));
  const filter = parseFilter(ctx.query.get("$filter"), ctx.now);
  const top = parseTop(ctx.query.get("$top"), ctx.now);
  const token = ctx.query.get("$skiptoken");
  const at = { metadata: contextUrl(ctx, ""), entitySet: fragment, baseType: ctx.mount.odataType };
  const renderFull = renderOne ?? ((o: StoredObject) => render(model, o, { select, expand, byId: false, at }));
  const matching = filter ? objects.filter((o) => matchesFilter(render(model, o, { byId: false }), filter)) : objects;
  const page = pageOf(matching, top, token ? decodeSkipToken(token, ctx.now) : undefined, pageSizeOf(ctx, model, top));
  const body: Json = { "@odata.context": contextUrl(ctx, fragment), value: page.items.map(renderFull) };
  if (page.next) body["@odata.nextLink"] = nextLinkFor(ctx.url, page.next);
  return json(body);
}

/** One object with its @odata.context entity URL. */
export function entityAnswer(ctx: RequestContext, mount: Mount, object: StoredObject, status = 200): GraphResponse {
  return json(
    {
      "@odata.context": contextUrl(ctx, `${fragmentOf(mount.prefix)}/$entity`),
      ...render(mount.model, object, { byId: true }),
    },
    status,
  );
}

/** The generic routes of a mount: the collection (GET, POST) and one member (GET, PATCH, PUT, DELETE). */
export function collectionRoutes(mount: Mount, hooks: Hooks = {}): GraphRoute[] {
  const { model, prefix } = mount;
  const member = `${prefix}/{id}`;
  const routes: GraphRoute[] = [
    {
      mount,
      method: "GET",
      template: prefix,
      handle: (ctx) => listPage(ctx, model, objectsOf(ctx, mount), fragmentOf(prefix)),
    },
    { mount, method: "POST", template: prefix, handle: (ctx) => createObject(ctx, mount, hooks) },
    { mount, method: "GET", template: member, handle: (ctx) => getObject(ctx, mount) },
    { mount, method: "PATCH", template: member, handle: (ctx) => updateObject(ctx, mount, hooks) },
    { mount, method: "DELETE", template: member, handle: (ctx) => deleteObject(ctx, mount, hooks) },
  ];
  if (model.allowsPut)
    routes.push({ mount, method: "PUT", template: member, handle: (ctx) => replaceObject(ctx, mount, hooks) });
  return routes;
}

function getObject(ctx: RequestContext, mount: Mount): GraphResponse {
  const object = findObject(ctx, mount, ctx.params.id);
  const expand = checkExpand(ctx, mount.model, "object");
  const select = parseSelect(ctx.query.get("$select"));
  return json({
    "@odata.context": contextUrl(ctx, `${fragmentOf(mount.prefix)}/$entity`),
    ...render(mount.model, object, {
      select,
      expand,
      byId: true,
      at: {
        metadata: contextUrl(ctx, ""),
        entitySet: fragmentOf(mount.prefix),
        singleton: mount.model.kind === "singleton",
        baseType: mount.odataType,
      },
      linked: (storeKey, id) => ctx.tenant.get(storeKey, id),
    }),
  });
}

function createObject(ctx: RequestContext, mount: Mount, hooks: Hooks): GraphResponse {
  const { model } = mount;
  const expectedType = mount.odataType;
  const type = checkWrite({ model, version: ctx.version, body: ctx.body, now: ctx.now, mode: "create", expectedType });
  const body = ctx.body as Json;
  hooks.validateCreate?.(ctx, body);
  const object = toStored(model, ctx.tenant.newId(model.key), body, type, ctx.now);
  hooks.afterWrite?.(ctx, object);
  ctx.tenant.put(mount.storeKey, object);
  return entityAnswer(ctx, mount, object, 201);
}

function updateObject(ctx: RequestContext, mount: Mount, hooks: Hooks): GraphResponse {
  const { model } = mount;
  const object = findObject(ctx, mount, ctx.params.id);
  assertMutable(model, object, ctx.now, "changed");
  checkWrite({ model, version: ctx.version, body: ctx.body, now: ctx.now, mode: "update", existing: object });
  hooks.validateUpdate?.(ctx, ctx.body as Json, object);
  applyPatch(model, object, ctx.body as Json, ctx.now);
  hooks.afterWrite?.(ctx, object);
  if (model.updateStatus === 204) return noContent();
  return entityAnswer(ctx, mount, object);
}

function replaceObject(ctx: RequestContext, mount: Mount, hooks: Hooks): GraphResponse {
  const { model } = mount;
  const object = findObject(ctx, mount, ctx.params.id);
  assertMutable(model, object, ctx.now, "changed");
  const type = checkWrite({
    model,
    version: ctx.version,
    body: ctx.body,
    now: ctx.now,
    mode: "replace",
    existing: object,
  });
  const replacement = toStored(model, object.id, ctx.body as Json, type, ctx.now);
  replacement.props.createdDateTime = object.props.createdDateTime;
  replacement.nav = { ...object.nav, ...replacement.nav };
  hooks.afterWrite?.(ctx, replacement);
  ctx.tenant.put(mount.storeKey, replacement);
  return noContent();
}

function deleteObject(ctx: RequestContext, mount: Mount, hooks: Hooks): GraphResponse {
  const object = findObject(ctx, mount, ctx.params.id);
  assertMutable(mount.model, object, ctx.now, "deleted");
  hooks.beforeDelete?.(ctx, object);
  ctx.tenant.remove(mount.storeKey, object.id);
  return noContent();
}
