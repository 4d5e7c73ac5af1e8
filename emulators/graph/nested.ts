/**
 * nested — one handler for every collection contained in an object or a singleton (assignments,
 * settings, definition values, localized messages, partners, …): list, get, create, update and
 * delete as the service model allows them, with the type's own checks and rendering as hooks.
 */
import { contextUrl, fragmentOf, json, noContent } from "./answers";
import { listPage, findObject } from "./collection";
import type { GraphRoute, Mount, RequestContext } from "./context";
import { type GraphResponse, notFound } from "./errors";
import { childObject, isObject, type Json, renderChild } from "./entities";
import type { ChildModel } from "./service-model";
import type { StoredObject } from "./tenant-store";

/** What a type adds to its child collection; without hooks a child is stored and shown as sent. */
export interface ChildHooks {
  /** Runs before any verb: refuses calls on a parent that cannot change (built-ins). */
  guard?: (ctx: RequestContext, parent: StoredObject) => void;
  /** Checks the body and builds the new child. */
  create?: (ctx: RequestContext, parent: StoredObject, siblings: StoredObject[]) => StoredObject;
  /** Checks the body and changes the child. */
  update?: (ctx: RequestContext, child: StoredObject, parent: StoredObject) => void;
  render?: (ctx: RequestContext, child: StoredObject, parent: StoredObject) => Json;
  /** After a create, update or delete: the parent's lastModifiedDateTime, counts. */
  afterChange?: (ctx: RequestContext, parent: StoredObject) => void;
}

interface Children {
  parent: StoredObject;
  items: StoredObject[];
  fragment: string;
  save: () => void;
}

/** The routes of one child collection under a mount; a singleton's children hang off its path. */
export function childRoutes(mount: Mount, child: ChildModel, hooks: ChildHooks = {}): GraphRoute[] {
  const base =
    mount.model.kind === "singleton" ? `${mount.prefix}/${child.name}` : `${mount.prefix}/{id}/${child.name}`;
  const member = `${base}/{childId}`;
  const handlers: Record<string, { method: string; template: string; handle: (ctx: RequestContext) => GraphResponse }> =
    {
      list: { method: "GET", template: base, handle: (ctx) => list(ctx, child, hooks) },
      create: { method: "POST", template: base, handle: (ctx) => create(ctx, child, hooks) },
      get: { method: "GET", template: member, handle: (ctx) => get(ctx, child, hooks) },
      update: { method: "PATCH", template: member, handle: (ctx) => update(ctx, child, hooks) },
      delete: { method: "DELETE", template: member, handle: (ctx) => remove(ctx, child, hooks) },
    };
  return child.verbs.map((verb) => ({ mount, ...handlers[verb] }));
}

/** The parent object of a child route: the singleton, or the collection member named by {id}. */
export function parentOf(ctx: RequestContext): StoredObject {
  const { model } = ctx.mount;
  if (model.kind === "collection") return findObject(ctx, ctx.mount, ctx.params.id);
  const singleton = ctx.tenant.singleton(model.key);
  if (!singleton) return notFound(model.path.split("/").pop() ?? model.key, ctx.now, model.family);
  return singleton;
}

function childrenOf(ctx: RequestContext, child: ChildModel, hooks: ChildHooks): Children {
  const parent = parentOf(ctx);
  hooks.guard?.(ctx, parent);
  const { prefix, model } = ctx.mount;
  const fragment =
    model.kind === "singleton"
      ? `${fragmentOf(prefix)}/${child.name}`
      : `${fragmentOf(prefix)}('${parent.id}')/${child.name}`;
  if (child.inProperty) {
    const raw = Array.isArray(parent.props[child.name]) ? (parent.props[child.name] as unknown[]) : [];
    const items = raw.filter(isObject).map((j) => childObject(j, String(j.id)));
    const save = () => (parent.props[child.name] = items.map((i) => ({ id: i.id, ...i.props })));
    return { parent, items, fragment, save };
  }
  const items = parent.nav[child.name] ?? [];
  return { parent, items, fragment, save: () => (parent.nav[child.name] = items) };
}

function find(ctx: RequestContext, child: ChildModel, items: StoredObject[]): StoredObject {
  const id = ctx.params.childId;
  const same = child.caseInsensitiveIds ? (a: string) => a.toLowerCase() === id.toLowerCase() : (a: string) => a === id;
  const found = items.find((c) => same(c.id));
  if (!found) return notFound(id, ctx.now, ctx.mount.model.family);
  return found;
}

function renderer(ctx: RequestContext, hooks: ChildHooks, parent: StoredObject): (c: StoredObject) => Json {
  return hooks.render ? (c) => hooks.render!(ctx, c, parent) : (c) => renderChild(c);
}

function entity(ctx: RequestContext, fragment: string, body: Json, status = 200): GraphResponse {
  return json({ "@odata.context": contextUrl(ctx, `${fragment}/$entity`), ...body }, status);
}

function list(ctx: RequestContext, child: ChildModel, hooks: ChildHooks): GraphResponse {
  const { parent, items, fragment } = childrenOf(ctx, child, hooks);
  const show = renderer(ctx, hooks, parent);
  if (child.unpaged) return json({ "@odata.context": contextUrl(ctx, fragment), value: items.map(show) });
  const expand = child.expand ?? [];
  return listPage(ctx, { ...ctx.mount.model, expand, list: { ...child.list, expand } }, items, fragment, show);
}

function get(ctx: RequestContext, child: ChildModel, hooks: ChildHooks): GraphResponse {
  const { parent, items, fragment } = childrenOf(ctx, child, hooks);
  return entity(ctx, fragment, renderer(ctx, hooks, parent)(find(ctx, child, items)));
}

function create(ctx: RequestContext, child: ChildModel, hooks: ChildHooks): GraphResponse {
  const { parent, items, fragment, save } = childrenOf(ctx, child, hooks);
  const created = hooks.create ? hooks.create(ctx, parent, items) : childObject(isObject(ctx.body) ? ctx.body : {});
  items.push(created);
  save();
  hooks.afterChange?.(ctx, parent);
  return entity(ctx, fragment, renderer(ctx, hooks, parent)(created), 201);
}

function update(ctx: RequestContext, child: ChildModel, hooks: ChildHooks): GraphResponse {
  const { parent, items, fragment, save } = childrenOf(ctx, child, hooks);
  const target = find(ctx, child, items);
  if (hooks.update) hooks.update(ctx, target, parent);
  else if (isObject(ctx.body)) Object.assign(target.props, ctx.body);
  save();
  hooks.afterChange?.(ctx, parent);
  if ((child.updateStatus ?? 204) === 204) return noContent();
  return entity(ctx, fragment, renderer(ctx, hooks, parent)(target));
}

function remove(ctx: RequestContext, child: ChildModel, hooks: ChildHooks): GraphResponse {
  const { parent, items, save } = childrenOf(ctx, child, hooks);
  items.splice(items.indexOf(find(ctx, child, items)), 1);
  save();
  hooks.afterChange?.(ctx, parent);
  return noContent();
}
