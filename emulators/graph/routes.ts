/**
 * routes — resolves a Graph request (method, version, path) to the resource type that serves it,
 * the permission template to check, and the handler. Collections share generic list / get /
 * create / update / delete and assignments; type-specific routes come from behaviours.ts.
 */
import { badRequest, fail, type GraphResponse, notFound } from "./errors";
import {
  applyPatch,
  assertMutable,
  checkWrite,
  childObject,
  isObject,
  type Json,
  render,
  renderChild,
  toStored,
} from "./entities";
import {
  decodeSkipToken,
  matchesFilter,
  nextLinkFor,
  pageOf,
  parseExpand,
  parseFilter,
  parseSelect,
  parseTop,
} from "./odata";
import { appProtectionWriteCollections, type ResourceModel, resourceModel, resourceModels } from "./service-model";
import type { StoredObject } from "./tenant-store";
import { behaviours } from "./behaviours";
import type { RequestContext } from "./context";

export type { PagingSettings, RequestContext } from "./context";

export interface ResolvedRoute {
  model: ResourceModel;
  /** Lower-case, version-less path with {id} placeholders, as in permissions.json. */
  permissionTemplate: string;
  isWrite: boolean;
  run: (ctx: RequestContext) => GraphResponse | Promise<GraphResponse>;
}

export interface Mount {
  prefix: string;
  model: ResourceModel;
  /** A collection other than the model's own (write collection or related collection). */
  collection?: string;
}

const mounts: Mount[] = [
  ...resourceModels.map((model) => ({ prefix: model.path, model })),
  ...Object.keys(appProtectionWriteCollections).map((c) => ({
    prefix: `/deviceAppManagement/${c}`,
    model: resourceModel("managedAppProtection"),
    collection: c,
  })),
  {
    prefix: "/deviceManagement/roleAssignments",
    model: resourceModel("intuneRoleDefinition"),
    collection: "roleAssignments",
  },
  {
    prefix: "/deviceManagement/groupPolicyDefinitions",
    model: resourceModel("groupPolicyConfiguration"),
    collection: "groupPolicyDefinitions",
  },
  { prefix: "/administrativeUnits", model: resourceModel("administrativeUnit") },
].sort((a, b) => b.prefix.length - a.prefix.length);

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): GraphResponse {
  return {
    status,
    headers: {
      "content-type":
        "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8",
      ...headers,
    },
    body,
  };
}

export function noContent(): GraphResponse {
  return { status: 204, headers: {} };
}

export function contextUrl(ctx: RequestContext, fragment: string): string {
  return `${ctx.graphUrl}/${ctx.version}/$metadata#${fragment}`;
}

/** Finds the route for a request, or throws the service's error for an unknown segment. */
export function resolveRoute(method: string, version: "v1.0" | "beta", path: string, now: number): ResolvedRoute {
  const lower = path.toLowerCase();
  const mount = mounts.find((m) => lower === m.prefix.toLowerCase() || lower.startsWith(`${m.prefix.toLowerCase()}/`));
  if (!mount) {
    const segment = path.split("/").filter(Boolean).pop() ?? "";
    return notFound(segment, now, undefined);
  }
  const { model } = mount;
  if (version === "v1.0" && !model.inV1) {
    badRequest(`Resource not found for the segment '${mount.prefix.split("/").pop()}'.`, now);
  }
  const rest = path.slice(mount.prefix.length).split("/").filter(Boolean).map(decodeURIComponent);
  const template = [mount.prefix, ...rest.map((seg, i) => (i % 2 === 0 ? "{id}" : seg))].join("/").toLowerCase();
  const isWrite = method !== "GET";
  const run = (ctx: RequestContext) => dispatch(ctx, mount, rest);
  return { model, permissionTemplate: template, isWrite, run };
}

function dispatch(ctx: RequestContext, mount: Mount, rest: string[]): GraphResponse | Promise<GraphResponse> {
  const { model } = mount;
  const special = behaviours[model.key]?.route?.(ctx, mount, rest);
  if (special) return special;
  if (model.kind === "singleton") return notFound(rest[0] ?? model.path, ctx.now, model.family);
  if (rest.length === 0) {
    if (ctx.method === "GET") return listObjects(ctx, mount);
    if (ctx.method === "POST") return createObject(ctx, mount);
    return methodNotAllowed(ctx, model);
  }
  const object = findObject(ctx, mount, rest[0]);
  if (rest.length === 1) {
    switch (ctx.method) {
      case "GET":
        return getObject(ctx, mount, object);
      case "PATCH":
        return updateObject(ctx, mount, object);
      case "PUT":
        return model.allowsPut ? replaceObject(ctx, mount, object) : methodNotAllowed(ctx, model);
      case "DELETE":
        return deleteObject(ctx, mount, object);
      default:
        return methodNotAllowed(ctx, model);
    }
  }
  if (rest[1] === "assignments" || rest[1] === "assign") return assignmentRoute(ctx, mount, object, rest);
  return noRoute(ctx, model);
}

export function methodNotAllowed(ctx: RequestContext, model: ResourceModel): never {
  return fail(
    405,
    model.family === "directory" ? "Request_BadRequest" : "BadRequest",
    `The requested resource does not support http method '${ctx.method}'.`,
    ctx.now,
  );
}

export function noRoute(ctx: RequestContext, model: ResourceModel): never {
  if (model.family === "intune")
    fail(
      400,
      "No method match route template",
      `No OData route exists that match template ~/singleton/navigation/key/navigation with http verb ${ctx.method} for request ${ctx.url.pathname}.`,
      ctx.now,
    );
  return badRequest(`Resource not found for the segment '${ctx.path.split("/").pop()}'.`, ctx.now, model.family);
}

export function collectionKey(mount: Mount): string {
  return mount.collection === "roleAssignments" || mount.collection === "groupPolicyDefinitions"
    ? mount.collection
    : mount.model.key;
}

/** Objects visible through this mount (per-platform app protection collections filter by type). */
export function objectsOf(ctx: RequestContext, mount: Mount): StoredObject[] {
  const all = ctx.tenant.list(collectionKey(mount));
  const type = mount.collection ? appProtectionWriteCollections[mount.collection] : undefined;
  return type ? all.filter((o) => o.props["@odata.type"] === `#${type}`) : all;
}

export function findObject(ctx: RequestContext, mount: Mount, id: string): StoredObject {
  const key = id.replace(/^\('?|'?\)$/g, "");
  const object = objectsOf(ctx, mount).find((o) => o.id === key);
  if (!object) return notFound(key, ctx.now, mount.model.family);
  return object;
}

function checkExpand(ctx: RequestContext, model: ResourceModel) {
  const expand = parseExpand(ctx.query.get("$expand"), ctx.now);
  for (const e of expand) {
    if (!model.expand.includes(e.name)) {
      badRequest(`Could not find a property named '${e.name}' on type '${model.rootType}'.`, ctx.now, model.family);
    }
  }
  return expand;
}

/** Lists `objects` with paging, $filter, $select and $expand. */
export function listPage(
  ctx: RequestContext,
  model: ResourceModel,
  objects: StoredObject[],
  fragment: string,
  renderOne?: (o: StoredObject) => Json,
): GraphResponse {
  const expand = checkExpand(ctx, model);
  const select = parseSelect(ctx.query.get("$select"));
  const filter = parseFilter(ctx.query.get("$filter"), ctx.now);
  const top = parseTop(ctx.query.get("$top"), ctx.now);
  const token = ctx.query.get("$skiptoken");
  const renderFull = renderOne ?? ((o: StoredObject) => render(model, o, { select, expand, byId: false }));
  const matching = filter ? objects.filter((o) => matchesFilter(render(model, o, { byId: false }), filter)) : objects;
  const page = pageOf(matching, top, token ? decodeSkipToken(token, ctx.now) : undefined, {
    defaultPageSize: ctx.paging.perResource[model.key] ?? ctx.paging.defaultPageSize,
    maxPageSize: model.key === "group" ? 999 : ctx.paging.maxPageSize,
    emptyPageEvery: ctx.paging.emptyPageEvery,
  });
  const body: Json = { "@odata.context": contextUrl(ctx, fragment), value: page.items.map(renderFull) };
  if (page.next) body["@odata.nextLink"] = nextLinkFor(ctx.url, page.next);
  return json(body);
}

function fragmentOf(path: string): string {
  return path.replace(/^\//, "");
}

function listObjects(ctx: RequestContext, mount: Mount): GraphResponse {
  return listPage(ctx, mount.model, objectsOf(ctx, mount), fragmentOf(mount.prefix));
}

function getObject(ctx: RequestContext, mount: Mount, object: StoredObject): GraphResponse {
  const expand = checkExpand(ctx, mount.model);
  const select = parseSelect(ctx.query.get("$select"));
  return json({
    "@odata.context": contextUrl(ctx, `${fragmentOf(mount.prefix)}/$entity`),
    ...render(mount.model, object, { select, expand, byId: true }),
  });
}

function createObject(ctx: RequestContext, mount: Mount): GraphResponse {
  const { model } = mount;
  const expectedType = mount.collection ? appProtectionWriteCollections[mount.collection] : undefined;
  if (model.key === "managedAppProtection" && !mount.collection) {
    badRequest(
      "The managedAppPolicies collection does not support creating objects; POST to the per-platform collection (for example iosManagedAppProtections).",
      ctx.now,
      model.family,
    );
  }
  const type = checkWrite({ model, version: ctx.version, body: ctx.body, now: ctx.now, mode: "create", expectedType });
  const body = ctx.body as Json;
  behaviours[model.key]?.validateCreate?.(ctx, body);
  const object = toStored(model, ctx.tenant.newId(model.key), body, type, ctx.now);
  behaviours[model.key]?.afterWrite?.(ctx, object);
  ctx.tenant.put(collectionKey(mount), object);
  return json(
    {
      "@odata.context": contextUrl(ctx, `${fragmentOf(mount.prefix)}/$entity`),
      ...render(model, object, { byId: true }),
    },
    201,
  );
}

function updateObject(ctx: RequestContext, mount: Mount, object: StoredObject): GraphResponse {
  const { model } = mount;
  assertMutable(model, object, ctx.now, "changed");
  checkWrite({ model, version: ctx.version, body: ctx.body, now: ctx.now, mode: "update", existing: object });
  behaviours[model.key]?.validateUpdate?.(ctx, ctx.body as Json, object);
  applyPatch(model, object, ctx.body as Json, ctx.now);
  behaviours[model.key]?.afterWrite?.(ctx, object);
  if (model.updateStatus === 204) return noContent();
  return json({
    "@odata.context": contextUrl(ctx, `${fragmentOf(mount.prefix)}/$entity`),
    ...render(model, object, { byId: true }),
  });
}

function replaceObject(ctx: RequestContext, mount: Mount, object: StoredObject): GraphResponse {
  const { model } = mount;
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
  behaviours[model.key]?.afterWrite?.(ctx, replacement);
  ctx.tenant.put(collectionKey(mount), replacement);
  return noContent();
}

function deleteObject(ctx: RequestContext, mount: Mount, object: StoredObject): GraphResponse {
  assertMutable(mount.model, object, ctx.now, "deleted");
  behaviours[mount.model.key]?.beforeDelete?.(ctx, object);
  ctx.tenant.remove(collectionKey(mount), object.id);
  return noContent();
}

const targetTypes = new Set([
  "#microsoft.graph.groupAssignmentTarget",
  "#microsoft.graph.exclusionGroupAssignmentTarget",
  "#microsoft.graph.allLicensedUsersAssignmentTarget",
  "#microsoft.graph.allDevicesAssignmentTarget",
  "#microsoft.graph.configurationManagerCollectionAssignmentTarget",
]);
const noFilter = "00000000-0000-0000-0000-000000000000";

/** An assignment target must name a real group and filter of this tenant. */
export function checkAssignment(ctx: RequestContext, model: ResourceModel, assignment: unknown): Json {
  if (!isObject(assignment) || !isObject(assignment.target))
    badRequest("Each assignment needs a 'target' object.", ctx.now, model.family);
  const target = assignment.target;
  const type = String(target["@odata.type"] ?? "");
  if (!targetTypes.has(type.startsWith("#") ? type : `#${type}`)) {
    badRequest(
      `An assignment target must carry an @odata.type of a deviceAndAppManagementAssignmentTarget; got '${type}'.`,
      ctx.now,
      model.family,
    );
  }
  if (type.includes("roupAssignmentTarget")) {
    const groupId = target.groupId;
    if (typeof groupId !== "string" || !ctx.tenant.get("group", groupId)) {
      badRequest(
        `The group '${String(groupId)}' in the assignment target does not exist in this tenant.`,
        ctx.now,
        model.family,
      );
    }
  }
  const filterId = target.deviceAndAppManagementAssignmentFilterId;
  if (
    typeof filterId === "string" &&
    filterId &&
    filterId !== noFilter &&
    !ctx.tenant.get("assignmentFilter", filterId)
  ) {
    badRequest(`The assignment filter '${filterId}' does not exist in this tenant.`, ctx.now, model.family);
  }
  return assignment;
}

function assignmentId(objectId: string, assignment: Json): string {
  const target = assignment.target as Json;
  const key =
    typeof target.groupId === "string"
      ? target.groupId
      : String(target["@odata.type"]).replace(/^#microsoft\.graph\./, "");
  return `${objectId}_${key}`;
}

function assignmentRoute(ctx: RequestContext, mount: Mount, object: StoredObject, rest: string[]): GraphResponse {
  const { model } = mount;
  const a = model.assignments;
  if (!a) return noRoute(ctx, model);
  const fragment = `${fragmentOf(mount.prefix)}('${object.id}')/assignments`;
  if (rest[1] === "assign") {
    if (ctx.method !== "POST" || rest.length !== 2 || a.write !== "assign") return noRoute(ctx, model);
    const body = isObject(ctx.body) ? ctx.body : {};
    const key = a.bodyKey ?? "assignments";
    const unexpected = Object.keys(body).find((k) => k !== key);
    if (unexpected || !Array.isArray(body[key])) {
      badRequest(
        `The parameter '${unexpected ?? key}' in the request payload is not a valid parameter for the operation 'assign'.`,
        ctx.now,
        model.family,
      );
    }
    const list = (body[key] as unknown[]).map((x) => checkAssignment(ctx, model, x));
    object.nav.assignments = list.map((x) => childObject(x, assignmentId(object.id, x)));
    behaviours[model.key]?.afterWrite?.(ctx, object);
    if (a.assignStatus === 204) return noContent();
    return json({
      "@odata.context": contextUrl(ctx, `Collection(${model.rootType}Assignment)`),
      value: object.nav.assignments.map((c) => renderChild(c)),
    });
  }
  const assignments = (object.nav.assignments ??= []);
  if (rest.length === 2) {
    if (ctx.method === "GET") {
      if (a.expandOnly) return noRoute(ctx, model);
      return listPage(ctx, { ...model, expand: [] }, assignments, fragment, (c) => renderChild(c));
    }
    if (ctx.method === "POST" && a.write === "perAssignment") {
      const assignment = checkAssignment(ctx, model, ctx.body);
      const child = childObject(assignment, assignmentId(object.id, assignment));
      if (assignments.some((x) => x.id === child.id))
        badRequest("An assignment to this target already exists.", ctx.now, model.family);
      assignments.push(child);
      return json({ "@odata.context": contextUrl(ctx, `${fragment}/$entity`), ...renderChild(child) }, 201);
    }
    return methodNotAllowed(ctx, model);
  }
  const child = assignments.find((x) => x.id === rest[2]);
  if (!child) return notFound(rest[2], ctx.now, model.family);
  if (ctx.method === "GET")
    return json({ "@odata.context": contextUrl(ctx, `${fragment}/$entity`), ...renderChild(child) });
  if (ctx.method === "DELETE" && a.write === "perAssignment") {
    assignments.splice(assignments.indexOf(child), 1);
    return noContent();
  }
  return methodNotAllowed(ctx, model);
}
