/**
 * write-apart — writes the properties a declaration's `writeApart` keeps out of the main body, each the
 * way it says: an action, one contained object, contained items paired by key, links to other objects
 * ($ref), or a named hook.
 * Every write here makes the tenant hold the wanted value whatever it held before, so running a step
 * again (a resumed deploy) changes nothing more.
 */
import { SyncError } from "../errors";
import type { SeparateWrite } from "../resources/resource-type";
import { canonicalCompact } from "../snapshot/canonical-json";
import { isJsonObject, type JsonObject, type JsonValue } from "../snapshot/pointer";
import { writeGroupPolicyDefinitionValues } from "./group-policy-values";
import type { WriteContext } from "./write-context";

type ItemsWrite = Extract<SeparateWrite, { kind: "items" }>;
type RefsWrite = Extract<SeparateWrite, { kind: "refs" }>;

export interface ItemWrites {
  create: JsonObject[];
  update: { urlId: string; body: JsonObject }[];
  remove: string[];
  /** Keys of wanted items the service cannot create (fixed sets). */
  refused: string[];
}

function keyOf(item: JsonObject, key: string): string {
  return canonicalCompact(item[key] ?? null);
}

function without(item: JsonObject, ...keys: string[]): JsonObject {
  const out = { ...item };
  for (const k of keys) delete out[k];
  return out;
}

/** Whether the current item already holds every wanted value (no PATCH needed). */
function holds(current: JsonObject, body: JsonObject): boolean {
  return Object.entries(body).every(([k, v]) => canonicalCompact(current[k] ?? null) === canonicalCompact(v));
}

/** Pairs wanted items with the tenant's by `key` and says what to POST, PATCH and DELETE. Pure. */
export function planItemWrites(wanted: JsonObject[], current: JsonObject[], spec: ItemsWrite): ItemWrites {
  const verbs = new Set(spec.verbs ?? ["create", "update", "delete"]);
  const urlKey = spec.urlKey ?? "id";
  const byKey = new Map(current.map((c) => [keyOf(c, spec.key), c]));
  const writes: ItemWrites = { create: [], update: [], remove: [], refused: [] };
  const seen = new Set<string>();
  for (const item of wanted) {
    const key = keyOf(item, spec.key);
    seen.add(key);
    const existing = byKey.get(key);
    if (!existing) {
      if (verbs.has("create")) writes.create.push(without(item, "id"));
      else writes.refused.push(key);
      continue;
    }
    const body = without(item, "id", spec.key);
    if (verbs.has("update") && !holds(existing, body)) writes.update.push({ urlId: String(existing[urlKey]), body });
  }
  if (verbs.has("delete")) {
    for (const [key, c] of byKey) if (!seen.has(key) && c[urlKey] !== undefined) writes.remove.push(String(c[urlKey]));
  }
  return writes;
}

function bareSubPath(ctx: WriteContext, property: string): { list: string; itemPath?: string } {
  const sub = ctx.type.subResources?.find((s) => s.property === property);
  return { list: sub ? sub.path.split("?")[0] : property, itemPath: sub?.itemPath };
}

async function writeItems(
  ctx: WriteContext,
  property: string,
  spec: ItemsWrite,
  wanted: JsonValue,
  graphUrl: string,
): Promise<void> {
  if (!Array.isArray(wanted)) return;
  const { graph, type, address } = ctx;
  const defaults = bareSubPath(ctx, property);
  const listPath = `${ctx.objectPath}/${spec.path ?? defaults.list}`;
  const writePath = spec.itemPath ?? defaults.itemPath ?? listPath;
  const current = ctx.isFresh ? [] : ((await graph.listAll(type.version, listPath, address)) as JsonObject[]);
  const writes = planItemWrites(wanted.filter(isJsonObject), current, spec);
  if (writes.refused.length) {
    throw new SyncError(
      "deploy.failed",
      `${address} wants ${property} ${writes.refused.join(", ")}, which the tenant does not have and the service cannot create.`,
      { object: address, hint: `Keep only the ${property} the tenant has (a fixed set), then plan again.` },
    );
  }
  const bind = spec.bind
    ? { [`${spec.bind}@odata.bind`]: `${graphUrl}/${type.version}${type.collection}('${ctx.objectId}')` }
    : {};
  for (const id of writes.remove)
    await graph.send("DELETE", type.version, `${writePath}/${encodeURIComponent(id)}`, undefined, address);
  for (const { urlId, body } of writes.update)
    await graph.send("PATCH", type.version, `${writePath}/${encodeURIComponent(urlId)}`, body, address);
  for (const body of writes.create) await graph.send("POST", type.version, writePath, { ...body, ...bind }, address);
}

/** Ids of the wanted links and of the tenant's: which to add and which to remove. Pure. */
export function planRefWrites(wanted: JsonValue[], current: JsonValue[]): { add: string[]; remove: string[] } {
  const ids = (list: JsonValue[]) => list.filter(isJsonObject).map((item) => String(item.id));
  const want = new Set(ids(wanted));
  const have = new Set(ids(current));
  return { add: [...want].filter((id) => !have.has(id)), remove: [...have].filter((id) => !want.has(id)) };
}

async function writeRefs(
  ctx: WriteContext,
  property: string,
  spec: RefsWrite,
  wanted: JsonValue,
  graphUrl: string,
): Promise<void> {
  if (!Array.isArray(wanted)) return;
  const { graph, type, address } = ctx;
  const listPath = `${ctx.objectPath}/${spec.path ?? bareSubPath(ctx, property).list}`;
  const current = ctx.isFresh ? [] : ((await graph.listAll(type.version, listPath, address)) as JsonObject[]);
  const { add, remove } = planRefWrites(wanted, current);
  for (const id of remove)
    await graph.send("DELETE", type.version, `${listPath}/${encodeURIComponent(id)}/$ref`, undefined, address);
  for (const id of add) {
    const body = { "@odata.id": `${graphUrl}/${type.version}${spec.target}/${encodeURIComponent(id)}` };
    await graph.send("POST", type.version, `${listPath}/$ref`, body, address);
  }
}

/**
 * Writes one property kept out of the main body. `mode` is how the object itself was written:
 * on create, properties deep-inserted in the POST are already there.
 */
export async function writeApartProperty(
  ctx: WriteContext,
  property: string,
  value: JsonValue,
  mode: "create" | "update",
  graphUrl: string,
): Promise<void> {
  const spec = ctx.type.writeApart?.[property];
  if (!spec) return;
  const { graph, type, address } = ctx;
  switch (spec.kind) {
    case "inline":
      // Only reached for types updated with PATCH, which cannot change it.
      throw new SyncError(
        "deploy.failed",
        `${address}: ${property} can be set only when the object is created (${type.id} is updated with PATCH).`,
        { object: address, hint: `Leave ${property} as the tenant has it, or delete and re-create the object.` },
      );
    case "action":
      if (mode === "create" && (spec.onCreate === "inline" || (Array.isArray(value) && value.length === 0))) return;
      await graph.send("POST", type.version, `${ctx.objectPath}/${spec.action}`, { [spec.bodyKey]: value }, address);
      return;
    case "object":
      if (!isJsonObject(value)) return;
      await graph.send(
        "PATCH",
        type.version,
        `${ctx.objectPath}/${spec.path ?? bareSubPath(ctx, property).list}`,
        without(value, "id"),
        address,
      );
      return;
    case "items":
      await writeItems(ctx, property, spec, value, graphUrl);
      return;
    case "hook":
      if (spec.hook === "groupPolicyDefinitionValues") await writeGroupPolicyDefinitionValues(ctx, value, graphUrl);
      return;
    case "refs":
      await writeRefs(ctx, property, spec, value, graphUrl);
      return;
  }
}
