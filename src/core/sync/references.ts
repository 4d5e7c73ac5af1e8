/**
 * references — turns a snapshot object into what Graph accepts, for one tenant. Pure. A `$ref` becomes
 * the id of the object with that name in the TARGET tenant (never the id carried beside it, which may
 * come from another tenant), a `$file` the base64 of its file, a `$secret` placeholder the tenant's
 * own value (updates only), a secret reference the value deploy read from the repository. The main body leaves out assignments and what `writeApart` writes apart.
 */
import { SyncError } from "../errors";
import type { ResourceType, ResourceTypeId } from "../resources/resource-type";
import {
  formatPointer,
  getAt,
  isJsonObject,
  type JsonObject,
  type JsonValue,
  parsePointer,
  removePattern,
} from "../snapshot/pointer";
import { addressesOf, isRefPlaceholder, placeholderReference } from "../snapshot/reference";
import type { PlannedObject } from "./plan";
import { isSecretReference, secretKey, type SecretValues } from "./repo-secrets";

/** Names of the target tenant's objects: type → natural key → id (plus ids created by this deploy). */
export type NameIndex = Map<ResourceTypeId, Map<string, string>>;

export interface ReferenceContext {
  /** The object being written, for messages. */
  address: string;
  mode: "create" | "update";
  names: NameIndex;
  /** Names that several objects of a type carry in the tenant: a reference to one is ambiguous. */
  duplicateNames?: Map<ResourceTypeId, Set<string>>;
  /** The tenant's object as Graph returns it: the source of secret values kept on update. */
  raw?: JsonObject;
  /** Secret values written in the repository, read from git and checked for this deploy (repo-secrets). */
  secretValues?: SecretValues;
}

/** Addresses and the `$ref` walker live in one place (snapshot/reference.ts); kept here for callers. */
export { parseAddress } from "../snapshot/reference";

/** Every address a value refers to through `$ref`. */
export function referencedAddresses(value: JsonValue | undefined, out = new Set<string>()): Set<string> {
  for (const address of addressesOf(value)) out.add(address);
  return out;
}

function isPlaceholder(value: JsonValue, key: "$file" | "$secret"): boolean {
  return isJsonObject(value) && key in value;
}

function fail(ctx: ReferenceContext, message: string, hint: string): never {
  throw new SyncError("deploy.failed", message, { object: ctx.address, hint });
}

function resolveRef(placeholder: JsonObject, ctx: ReferenceContext): string {
  const ref = placeholderReference(placeholder);
  if (ref?.kind !== "address") {
    const legacy = ref?.kind === "unresolved" ? ref : undefined;
    return fail(
      ctx,
      `${ctx.address} refers to ${legacy?.type ?? "an object"} with id ${legacy?.id ?? "?"}, which was already missing from the tenant it was exported from.`,
      'Point the reference at an existing object by address (type["name"]) or remove it, then plan again.',
    );
  }
  const target = ref.target;
  if (!target)
    return fail(
      ctx,
      `${ctx.address} holds a reference that is not an address: ${JSON.stringify(ref.address)}.`,
      'Write references as {"$ref": "type[\\"name\\"]"}, then plan again.',
    );
  if (ctx.duplicateNames?.get(target.type)?.has(target.name)) {
    return fail(
      ctx,
      `${ctx.address} refers to ${ref.address}, but several objects of ${target.type} carry that name in the tenant.`,
      `Rename them in the tenant so the name is unique, then plan again.`,
    );
  }
  const id = ctx.names.get(target.type)?.get(target.name);
  if (id === undefined) {
    return fail(
      ctx,
      `${ctx.address} refers to ${ref.address}, which does not exist in the target tenant.`,
      `Create ${ref.address} first (add it to the repo so the plan creates it, or create it in the tenant), or remove the reference; then plan again.`,
    );
  }
  return id;
}

function resolveFile(placeholder: JsonObject, planned: PlannedObject, ctx: ReferenceContext): string {
  const suffix = String(placeholder.$file);
  const content = planned.files[suffix];
  if (content === undefined)
    return fail(
      ctx,
      `${ctx.address} names the file "${suffix}" beside its JSON, but the plan carries no such file.`,
      "Add the file next to the object's JSON in the repo, then plan again.",
    );
  // A lone surrogate has no UTF-8 form: encoding it would send other bytes than the plan shows.
  if (/\p{Surrogate}/u.test(content))
    return fail(
      ctx,
      `${ctx.address}: the file "${suffix}" holds text with no exact UTF-8 form (a lone surrogate), so the tenant would not get the plan's bytes.`,
      "Plan again from the repository (a plan file is not edited by hand); keep binary content as base64 in the JSON.",
    );
  return Buffer.from(content, "utf8").toString("base64");
}

/** Whether `pointer` (concrete) matches `pattern` (with `*`). */
function matchesPattern(pointer: string, pattern: string): boolean {
  const p = parsePointer(pointer);
  const q = parsePointer(pattern);
  return p.length === q.length && q.every((seg, i) => seg === "*" || seg === p[i]);
}

/**
 * The tenant's value for a secret placeholder, with the siblings the service keeps beside it and the
 * snapshot drops (isEncrypted, secretReferenceValueId): sending them back keeps the stored secret.
 */
function resolveSecret(
  type: ResourceType,
  placeholder: JsonObject,
  parent: JsonObject,
  key: string,
  ctx: ReferenceContext,
): void {
  const pointer = String(placeholder.$secret);
  if (isSecretReference(placeholder)) {
    // A value written in the repository: sent as it is; the service encrypts it and makes a new reference.
    const value = ctx.secretValues?.get(secretKey(placeholder));
    if (value === undefined) {
      throw new SyncError(
        "secret.unavailable",
        `${ctx.address} sets the secret at ${pointer} from ${placeholder.file}, but deploy has not read that value from the repository.`,
        {
          object: ctx.address,
          hint: "Run deploy with the repository the plan was made from (--repo DIR, or the task's repositoryPath).",
        },
      );
    }
    parent[key] = value;
    return;
  }
  if (ctx.mode === "create" || !ctx.raw) {
    fail(
      ctx,
      `${ctx.address} holds a secret at ${pointer} that is not stored in git, and the object does not exist in this tenant yet, so there is no value to keep.`,
      "Supply the secret: create the object (or just this setting) in the tenant with its value, then plan again — deploy then keeps the tenant's value; or, for this one deploy, replace the placeholder with the value in a local copy of the repo without committing it.",
    );
  }
  const value = getAt(ctx.raw, pointer);
  if (value === undefined) {
    fail(
      ctx,
      `${ctx.address} keeps the tenant's secret at ${pointer}, but the tenant's object has no value there.`,
      "Set the value in the tenant (or move the placeholder to the setting it belongs to), then plan again.",
    );
  }
  parent[key] = value;
  const segments = parsePointer(pointer);
  const rawParent = getAt(ctx.raw, formatPointer(segments.slice(0, -1)));
  if (!isJsonObject(rawParent)) return;
  const parentPointer = formatPointer(segments.slice(0, -1));
  for (const [sibling, v] of Object.entries(rawParent)) {
    if (sibling in parent) continue;
    if (type.serverManaged.some((pattern) => matchesPattern(`${parentPointer}/${sibling}`, pattern)))
      parent[sibling] = v;
  }
}

function resolveNode(type: ResourceType, node: JsonValue, planned: PlannedObject, ctx: ReferenceContext): JsonValue {
  if (Array.isArray(node)) return node.map((v) => resolveNode(type, v, planned, ctx));
  if (!isJsonObject(node)) return node;
  if (isRefPlaceholder(node)) return resolveRef(node, ctx);
  if (isPlaceholder(node, "$file")) return resolveFile(node, planned, ctx);
  const out: JsonObject = {};
  const secrets: [string, JsonObject][] = [];
  for (const [k, v] of Object.entries(node)) {
    if (isPlaceholder(v, "$secret")) secrets.push([k, v as JsonObject]);
    else out[k] = resolveNode(type, v, planned, ctx);
  }
  for (const [k, v] of secrets) resolveSecret(type, v, out, k, ctx);
  return out;
}

/** The whole object with every placeholder resolved for the target tenant; nothing left out. */
export function resolveObject(type: ResourceType, planned: PlannedObject, ctx: ReferenceContext): JsonObject {
  return resolveNode(type, planned.object, planned, ctx) as JsonObject;
}

/** Whether a property written apart goes in the main body after all (deep insert, PUT). */
export function isSentInBody(type: ResourceType, property: string, mode: "create" | "update"): boolean {
  const write = type.writeApart?.[property];
  if (!write) return false;
  if (write.kind === "inline") return mode === "create" || type.update === "PUT";
  return write.kind === "action" && write.onCreate === "inline" && mode === "create";
}

/** Top-level properties that are not part of the main body (assignments, sub-resources, writeApart). */
export function apartProperties(type: ResourceType): string[] {
  return [
    ...new Set([
      ...(type.assignments ? ["assignments"] : []),
      ...Object.keys(type.writeApart ?? {}),
      ...(type.subResources ?? []).map((s) => s.property),
    ]),
  ];
}

export interface SplitObject {
  /** What the create POST or the update PATCH / PUT carries. */
  body: JsonObject;
  /** writeApart properties to write after the body, resolved. */
  apart: Record<string, JsonValue>;
  /** The wanted assignments, when the object states them. */
  assignments?: JsonObject[];
}

/** Splits a resolved object into the main body, the properties written apart and the assignments. */
export function splitObject(type: ResourceType, resolved: JsonObject, mode: "create" | "update"): SplitObject {
  const body = structuredClone(resolved);
  const apart: Record<string, JsonValue> = {};
  for (const property of apartProperties(type)) {
    if (!(property in body) || isSentInBody(type, property, mode)) continue;
    if (property !== "assignments" && type.writeApart?.[property]) apart[property] = body[property];
    delete body[property];
  }
  if (mode === "update") for (const pattern of type.createOnly ?? []) removePattern(body, pattern);
  const assignments =
    type.assignments && Array.isArray(resolved.assignments) ? resolved.assignments.filter(isJsonObject) : undefined;
  return { body, apart, ...(assignments ? { assignments } : {}) };
}

/** The body Graph accepts for creating or updating the object (assignments and sub-resources apart). */
export function toGraphBody(type: ResourceType, planned: PlannedObject, ctx: ReferenceContext): JsonObject {
  return splitObject(type, resolveObject(type, planned, ctx), ctx.mode).body;
}
