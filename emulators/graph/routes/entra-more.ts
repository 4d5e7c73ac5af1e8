/**
 * entra-more — custom security attributes as the directory serves them: attribute sets named by the
 * id given on create, attribute definitions whose id the service makes from the set and the name,
 * the predefined values of a definition, and the rules the reference pages state (what can change
 * later, what cannot be undone, that neither a set nor a definition can be deleted).
 */
import { methodNotAllowed } from "../answers";
import { entityAnswer, type Hooks } from "../collection";
import type { Mount, RequestContext } from "../context";
import { badRequest, type GraphResponse } from "../errors";
import { checkWrite, childObject, isObject, type Json, toStored } from "../entities";
import { mountAt } from "../mounts";
import type { ChildHooks } from "../nested";
import type { StoredObject } from "../tenant-store";
import type { Area } from "./area";
import { requireFields, route } from "./common";

// Names of sets and definitions: letters and digits of any script, no spaces or other characters.
const plainName = /^[\p{L}\p{N}]{1,32}$/u;
const attributeTypes = ["String", "Integer", "Boolean"];
const statuses = ["Available", "Deprecated"];

const invalid = (ctx: RequestContext, property: string, resource: string, why = ""): never =>
  badRequest(
    `Invalid value specified for property '${property}' of resource '${resource}'.${why ? ` ${why}` : ""}`,
    ctx.now,
    "directory",
  );

const conflict = (ctx: RequestContext): never =>
  badRequest(
    "A conflicting object with one or more of the specified property values is present in the directory.",
    ctx.now,
    "directory",
  );

const same = (a: unknown, b: unknown) => String(a).toLowerCase() === String(b).toLowerCase();

/** Creates with the id the caller or the service chooses (the generic POST always makes a new GUID). */
function createWithId(ctx: RequestContext, mount: Mount, idOf: (body: Json) => string): GraphResponse {
  const type = checkWrite({ model: mount.model, version: ctx.version, body: ctx.body, now: ctx.now, mode: "create" });
  const body = ctx.body as Json;
  const id = idOf(body);
  if (ctx.tenant.list(mount.storeKey).some((o) => same(o.id, id))) conflict(ctx);
  const { id: _given, ...rest } = body;
  const object = toStored(mount.model, id, rest, type, ctx.now);
  ctx.tenant.put(mount.storeKey, object);
  return entityAnswer(ctx, mount, object, 201);
}

function checkMaxAttributes(ctx: RequestContext, body: Json, set?: StoredObject): void {
  if (!("maxAttributesPerSet" in body) || body.maxAttributesPerSet === null) return;
  const max = body.maxAttributesPerSet;
  if (typeof max !== "number" || !Number.isInteger(max) || max < 1 || max > 500)
    return invalid(ctx, "maxAttributesPerSet", "AttributeSet", "It must be a whole number from 1 to 500.");
  const used = set ? definitionsIn(ctx, set.id).length : 0;
  if (max < used)
    invalid(ctx, "maxAttributesPerSet", "AttributeSet", `The set already has ${used} attribute definitions.`);
}

function definitionsIn(ctx: RequestContext, setId: string): StoredObject[] {
  return ctx.tenant.list("customSecurityAttributeDefinition").filter((d) => same(d.props.attributeSet, setId));
}

function createAttributeSet(ctx: RequestContext): GraphResponse {
  const mount = mountAt("/directory/attributeSets");
  return createWithId(ctx, mount, (body) => {
    requireFields(ctx, mount.model, body, ["id"]);
    if (typeof body.id !== "string" || !plainName.test(body.id)) invalid(ctx, "id", "AttributeSet");
    checkMaxAttributes(ctx, body);
    return String(body.id);
  });
}

function checkAllowedValue(ctx: RequestContext, value: Json, mode: "create" | "update"): void {
  for (const k of Object.keys(value))
    if (!(mode === "create" ? ["id", "isActive"] : ["isActive"]).includes(k) && !k.startsWith("@odata."))
      badRequest(`Property '${k}' does not exist as a declared property or extension property.`, ctx.now, "directory");
  if (mode === "create" && (typeof value.id !== "string" || value.id.trim() === "" || value.id.length > 64))
    invalid(ctx, "id", "AllowedValue", "Give the predefined value as id, up to 64 characters.");
  if (typeof value.isActive !== "boolean") invalid(ctx, "isActive", "AllowedValue", "It must be true or false.");
}

function createDefinition(ctx: RequestContext): GraphResponse {
  const mount = mountAt("/directory/customSecurityAttributeDefinitions");
  return createWithId(ctx, mount, (body) => {
    const resource = "CustomSecurityAttributeDefinition";
    requireFields(ctx, mount.model, body, ["attributeSet", "name", "type", "status"]);
    for (const flag of ["isCollection", "isSearchable", "usePreDefinedValuesOnly"])
      if (typeof body[flag] !== "boolean") invalid(ctx, flag, resource, "It is required: true or false.");
    const set = ctx.tenant.list("attributeSet").find((s) => same(s.id, body.attributeSet));
    if (!set) invalid(ctx, "attributeSet", resource, `There is no attribute set '${String(body.attributeSet)}'.`);
    if (typeof body.name !== "string" || !plainName.test(body.name)) invalid(ctx, "name", resource);
    if (!attributeTypes.includes(String(body.type))) invalid(ctx, "type", resource);
    if (!statuses.includes(String(body.status))) invalid(ctx, "status", resource);
    if (body.type === "Boolean" && (body.isCollection || body.usePreDefinedValuesOnly))
      invalid(ctx, "type", resource, "A Boolean attribute takes neither several values nor predefined values only.");
    const max = set!.props.maxAttributesPerSet;
    if (typeof max === "number" && definitionsIn(ctx, set!.id).length >= max)
      invalid(ctx, "attributeSet", resource, `The set allows at most ${max} attribute definitions.`);
    const values = body.allowedValues;
    if (values !== undefined) {
      if (!Array.isArray(values)) invalid(ctx, "allowedValues", resource);
      for (const v of values as unknown[]) checkAllowedValue(ctx, isObject(v) ? v : {}, "create");
    }
    const id = `${set!.id}_${body.name}`;
    // The reference pages do not list id among the create properties: one equal to the id the
    // service makes is taken as that id, another is refused.
    if (body.id !== undefined && !same(body.id, id))
      invalid(ctx, "id", resource, `The id is made by the service: ${id}.`);
    return id;
  });
}

const definition: Hooks = {
  validateUpdate(ctx, body, existing) {
    if ("status" in body && !statuses.includes(String(body.status)))
      invalid(ctx, "status", "CustomSecurityAttributeDefinition");
    if (body.usePreDefinedValuesOnly === true && existing.props.usePreDefinedValuesOnly !== true)
      invalid(
        ctx,
        "usePreDefinedValuesOnly",
        "CustomSecurityAttributeDefinition",
        "It can change from true to false, not from false to true.",
      );
  },
  beforeDelete: (ctx) => methodNotAllowed(ctx, ctx.mount.model),
};

const attributeSet: Hooks = {
  validateUpdate: (ctx, body, existing) => checkMaxAttributes(ctx, body, existing),
  beforeDelete: (ctx) => methodNotAllowed(ctx, ctx.mount.model),
};

const allowedValues: ChildHooks = {
  create(ctx, _parent, siblings) {
    const body = isObject(ctx.body) ? ctx.body : {};
    checkAllowedValue(ctx, body, "create");
    if (siblings.some((s) => s.id === body.id)) conflict(ctx);
    return childObject(body);
  },
  update(ctx, child) {
    const body = isObject(ctx.body) ? ctx.body : {};
    checkAllowedValue(ctx, body, "update");
    child.props.isActive = body.isActive;
  },
};

export const entraMore: Area = {
  hooks: { attributeSet, customSecurityAttributeDefinition: definition },
  children: { "customSecurityAttributeDefinition/allowedValues": allowedValues },
  routes: [
    route(mountAt("/directory/attributeSets"), "POST", "", createAttributeSet),
    route(mountAt("/directory/customSecurityAttributeDefinitions"), "POST", "", createDefinition),
  ],
};
