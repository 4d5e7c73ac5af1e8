/**
 * entities — what the generic verbs do to one object: validate a write like the service (unknown,
 * read-only and create-only properties, @odata.type where required), build, patch and stamp it, and
 * render it with $select / $expand. Type-specific rules live in routes/*; this file knows only the
 * service model.
 */
import { randomUUID } from "node:crypto";
import { badRequest, fail } from "./errors";
import type { ResourceModel } from "./service-model";
import { declaredProperties, fullTypeName, isAbstractType, isAssignableTo, isKnownType } from "./spec";
import type { StoredObject } from "./tenant-store";

export type Json = Record<string, unknown>;

export function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Service-side type name as Intune spells it in messages. */
function serviceTypeName(model: ResourceModel, type: string): string {
  return model.family === "intune" ? type.replace("microsoft.graph.", "microsoft.management.services.api.") : type;
}

export interface WriteCheck {
  model: ResourceModel;
  version: "v1.0" | "beta";
  body: unknown;
  now: number;
  mode: "create" | "update" | "replace";
  existing?: StoredObject;
  /** The type a write collection demands (app protection per-platform collections). */
  expectedType?: string;
}

/** Validates a write body like the service and returns the object's full type name. */
export function checkWrite(c: WriteCheck): string {
  const { model, now } = c;
  if (!isObject(c.body)) badRequest("The request body must be a JSON object.", now, model.family);
  const body = c.body;
  const expected = c.expectedType ?? model.rootType;
  const rawType = body["@odata.type"];
  if (rawType !== undefined && typeof rawType !== "string")
    badRequest("The @odata.type annotation must be a string.", now, model.family);
  const existingType = c.existing?.props["@odata.type"];
  let type = rawType ? fullTypeName(rawType) : existingType ? fullTypeName(String(existingType)) : expected;
  if (!rawType && model.requiresODataType && c.mode !== "update") {
    badRequest(
      isAbstractType(expected)
        ? "Cannot create an abstract class."
        : `The @odata.type annotation is required to create a ${expected}.`,
      now,
      model.family,
    );
  }
  if (!rawType && model.requiresODataType && c.mode === "update" && model.family === "intune") {
    badRequest(
      `A type annotation (@odata.type) is required when updating an object of the polymorphic type '${serviceTypeName(model, expected)}'.`,
      now,
      model.family,
    );
  }
  if (rawType) {
    if (!isKnownType(type)) {
      badRequest(
        `A type named '${serviceTypeName(model, type)}' could not be resolved by the model. When a model is available, each type name must resolve to a valid type.`,
        now,
        model.family,
      );
    }
    if (!isAssignableTo(type, expected) && isAssignableTo(type, "microsoft.graph.entity")) {
      badRequest(
        `An entry with type '${serviceTypeName(model, type)}' was found, but it is not assignable to the expected type '${serviceTypeName(model, expected)}'. The type specified in the entry must be equal to either the expected type or a derived type.`,
        now,
        model.family,
      );
    }
    if (existingType && fullTypeName(String(existingType)) !== type) {
      badRequest(
        `The type of an existing object cannot change (from '${fullTypeName(String(existingType))}' to '${type}'). Delete it and create a new one.`,
        now,
        model.family,
      );
    }
    if (c.mode === "create" && isAbstractType(type)) badRequest("Cannot create an abstract class.", now, model.family);
  }
  type = fullTypeName(type);
  checkProperties(c, body, type);
  return type;
}

function checkProperties(c: WriteCheck, body: Json, type: string): void {
  const { model, now } = c;
  const declared = declaredProperties(type, c.version);
  for (const [key, value] of Object.entries(body)) {
    if (key.startsWith("@odata.") || key.endsWith("@odata.bind") || key.endsWith("@odata.context")) continue;
    if (model.readOnly.includes(key)) {
      badRequest(
        `The property '${key}' is read-only and cannot be set on type '${serviceTypeName(model, type)}'. Remove it from the request body.`,
        now,
        model.family,
      );
    }
    if (model.deepInsert.includes(key)) {
      if (c.mode === "update")
        badRequest(
          `Cannot apply PATCH to navigation property '${key}' on entity type '${serviceTypeName(model, type)}'.`,
          now,
          model.family,
        );
      continue;
    }
    if (declared && !declared.has(key)) {
      const suffix = model.family === "intune" ? "." : " or mark the type as open type.";
      if (model.family === "directory")
        badRequest(`Property '${key}' does not exist as a declared property or extension property.`, now, model.family);
      badRequest(
        `The property '${key}' does not exist on type '${serviceTypeName(model, type)}'. Make sure to only use property names that are defined by the type${suffix}`,
        now,
        model.family,
      );
    }
    if (
      c.mode === "update" &&
      c.existing &&
      model.createOnly.includes(key) &&
      JSON.stringify(c.existing.props[key]) !== JSON.stringify(value)
    ) {
      badRequest(`The property '${key}' cannot be changed after the object is created.`, now, model.family);
    }
  }
}

/** Splits a create body into stored properties and contained navigation collections. */
export function toStored(model: ResourceModel, id: string, body: Json, type: string, now: number): StoredObject {
  const props: Json = {};
  const nav: Record<string, StoredObject[]> = {};
  for (const [key, value] of Object.entries(body)) {
    if (model.deepInsert.includes(key)) {
      nav[key] = (Array.isArray(value) ? value : []).map((item) => childObject(item as Json));
    } else if (key !== "@odata.type") props[key] = value;
  }
  if (model.requiresODataType || body["@odata.type"]) props["@odata.type"] = `#${type}`;
  stampCreated(model, props, now);
  return { id, props, nav };
}

/** A contained object (assignment, setting, rule, localized message…): keeps its id or gets one. */
export function childObject(
  item: Json,
  id: string = typeof item.id === "string" && item.id ? item.id : randomUUID(),
): StoredObject {
  const props: Json = {};
  const nav: Record<string, StoredObject[]> = {};
  for (const [k, v] of Object.entries(item)) {
    if (k === "id") continue;
    if (k === "scheduledActionConfigurations" && Array.isArray(v)) nav[k] = v.map((x) => childObject(x as Json));
    else props[k] = v;
  }
  return { id, props, nav };
}

function iso(now: number): string {
  return new Date(now).toISOString();
}

function stampCreated(model: ResourceModel, props: Json, now: number): void {
  if (model.readOnly.includes("createdDateTime")) props.createdDateTime = iso(now);
  if (model.readOnly.includes("lastModifiedDateTime")) props.lastModifiedDateTime = iso(now);
  if (model.readOnly.includes("modifiedDateTime")) props.modifiedDateTime = iso(now);
  if (model.readOnly.includes("version") && model.family === "intune") props.version = 1;
}

export function stampModified(model: ResourceModel, object: StoredObject, now: number): void {
  const props = object.props;
  if ("lastModifiedDateTime" in props) props.lastModifiedDateTime = iso(now);
  if ("modifiedDateTime" in props) props.modifiedDateTime = iso(now);
  if (typeof props.version === "number") props.version += 1;
}

export function applyPatch(model: ResourceModel, object: StoredObject, body: Json, now: number): void {
  for (const [key, value] of Object.entries(body)) {
    if (key === "@odata.type" || key === "id") continue;
    object.props[key] = value;
  }
  stampModified(model, object, now);
}

export function assertMutable(model: ResourceModel, object: StoredObject, now: number, verb: string): void {
  if (model.isBuiltIn?.(object.props)) {
    fail(
      400,
      "BadRequest",
      `The built-in object '${String(object.props[model.nameProp] ?? object.id)}' cannot be ${verb}. Built-in objects are managed by Microsoft.`,
      now,
    );
  }
}

export interface RenderOptions {
  select?: string[];
  expand?: { name: string; options: URLSearchParams }[];
  byId: boolean;
  /**
   * Where the object lives, for the @odata.context of expanded navigation properties: the
   * metadata URL (`<graphUrl>/<version>/$metadata#`), the entity set's path and, when it is not the
   * model's root type, the set's type (per-platform app protection sets).
   */
  at?: { metadata: string; entitySet: string; singleton?: boolean; baseType?: string };
  /** Finds a linked object (for expanding `links` navigation properties). */
  linked?: (storeKey: string, id: string) => StoredObject | undefined;
}

/**
 * The @odata.context of an expanded navigation property, as the service writes it:
 * `…$metadata#<entity set>('<id>')[/<derived type>]/<navigation>[(<nested>())]`. Captured responses
 * show the key segment and, when the object is of a type derived from the set's, its cast segment —
 * e.g. "deviceManagement/deviceCompliancePolicies('1adf…')/microsoft.graph.macOSCompliancePolicy/assignments",
 * ".../scheduledActionsForRule(scheduledActionConfigurations())" for a nested $expand, and without a
 * cast "deviceAppManagement/targetedManagedAppConfigurations('A_d550…')/assignments" and
 * "deviceManagement/configurationPolicies('1547…')/assignments" (recorded Intune portal requests in
 * deploymenttheory/terraform-provider-microsoft365 and exported Intune baselines).
 */
function navigationContext(model: ResourceModel, object: StoredObject, at: NonNullable<RenderOptions["at"]>): string {
  const type = object.props["@odata.type"];
  const base = at.baseType ?? model.rootType;
  const cast = typeof type === "string" && type !== `#${base}` ? `/${type.replace(/^#/, "")}` : "";
  return `${at.metadata}${at.entitySet}${at.singleton ? "" : `('${object.id}')`}${cast}`;
}

/** The wire form of a stored object. */
export function render(model: ResourceModel, object: StoredObject, options: RenderOptions): Json {
  const out: Json = {};
  if (object.props["@odata.type"]) out["@odata.type"] = object.props["@odata.type"];
  out.id = object.id;
  for (const [k, v] of Object.entries(object.props)) {
    if (k === "@odata.type") continue;
    if (!options.byId && model.onlyOnGetById.includes(k)) continue;
    out[k] = v;
  }
  // Children kept in a property are always there, empty or not (authentication strengths list
  // combinationConfigurations: [] in every item, unasked).
  for (const child of model.children ?? []) if (child.inProperty && !(child.name in out)) out[child.name] = [];
  for (const e of options.expand ?? []) {
    const link = model.links?.[e.name];
    const children = link
      ? (object.nav[e.name] ?? [])
          .map((c) => options.linked?.(link.storeKey, c.id))
          .filter((c): c is StoredObject => c !== undefined)
          .map((c) => ({ ...c, props: { "@odata.type": link.odataType, ...c.props } }))
      : (object.nav[e.name] ?? []);
    const nested = nestedNames(e.options.get("$expand"));
    const base = options.at ? `${navigationContext(model, object, options.at)}/${e.name}` : undefined;
    if (base)
      out[`${e.name}@odata.context`] = `${base}${nested.length ? `(${nested.map((n) => `${n}()`).join(",")})` : ""}`;
    const empty = options.byId && model.expandEmptyById?.includes(e.name);
    out[e.name] = empty ? [] : children.map((c) => renderChild(c, e.options.get("$expand"), base));
  }
  if (options.select) {
    const keep = new Set([
      ...options.select,
      "id",
      "@odata.type",
      ...(options.expand ?? []).flatMap((e) => [e.name, `${e.name}@odata.context`]),
    ]);
    for (const k of Object.keys(out)) if (!keep.has(k)) delete out[k];
  }
  return out;
}

function nestedNames(nestedExpand?: string | null): string[] {
  return (nestedExpand ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

/** A contained child; `context` is its collection's context URL, for the @odata.context of nested expansions. */
export function renderChild(child: StoredObject, nestedExpand?: string | null, context?: string): Json {
  const out: Json = {};
  if (child.props["@odata.type"]) out["@odata.type"] = child.props["@odata.type"];
  out.id = child.id;
  for (const [k, v] of Object.entries(child.props)) if (k !== "@odata.type") out[k] = v;
  for (const name of nestedNames(nestedExpand)) {
    if (context) out[`${name}@odata.context`] = `${context}('${child.id}')/${name}`;
    out[name] = (child.nav[name] ?? []).map((c) => renderChild(c));
  }
  return out;
}
