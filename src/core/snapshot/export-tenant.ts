/**
 * export-tenant — reads a tenant completely through Graph and returns its normalised snapshot.
 * Generic over the resource declarations: list each collection (with $expand where declared), then
 * fetch what the list lacks — objects by id, assignments, sub-resources and their children — in
 * $batch requests. A type the app may not read (403) is skipped and reported; any other failure
 * marks the result partial and names the object. A type is exported only with every reference
 * resolved: one into a type that failed (transitively) or to an id the tenant lacks fails the
 * type, naming both; no reference is ever written as null. Nothing here writes files.
 */
import { GraphError, isGraphError } from "../errors";
import type { GraphClient, Json } from "../graph/graph-client";
import { mapConcurrent } from "../graph/concurrency";
import { silentLogger, type Logger } from "../logger";
import {
  listExpansions,
  navigationOf,
  type ResourceType,
  type ResourceTypeId,
  type SubResourceSpec,
} from "../resources/resource-type";
import { addressOf, nameOf, normalizeObject, type NormalizedObject, type ReferenceIndex } from "./normalize";
import type { JsonObject } from "./pointer";

export type TypeOutcome =
  | { type: ResourceTypeId; status: "ok"; objects: number }
  | { type: ResourceTypeId; status: "forbidden"; objects: 0; error: string }
  | { type: ResourceTypeId; status: "unavailable"; objects: 0; error: string }
  | { type: ResourceTypeId; status: "failed"; objects: number; error: string; object?: string };

export interface ExportResult {
  objects: NormalizedObject[];
  outcomes: TypeOutcome[];
  /** Some type failed for a reason other than a missing permission or licence. */
  partial: boolean;
  warnings: string[];
}

export interface ExportOptions {
  graph: GraphClient;
  /** Types to export. */
  types: ResourceType[];
  /** Every declared type (to resolve references to types not exported). */
  allTypes: readonly ResourceType[];
  log?: Logger;
  /** Types exported at once (default: all; the Graph client bounds requests in flight). */
  typeConcurrency?: number;
}

interface RawType {
  type: ResourceType;
  objects: JsonObject[];
  outcome: TypeOutcome;
  referenceOnly: JsonObject[];
}

class ObjectFailure extends Error {
  constructor(
    override readonly cause: unknown,
    readonly object: string,
  ) {
    super(String(cause));
  }
}

function collectionQuery(type: ResourceType, select?: string): string {
  const expand = select ? [] : listExpansions(type);
  const options = [
    ...(type.listFilter ? [`$filter=${encodeURIComponent(type.listFilter)}`] : []),
    ...(select ? [`$select=${select}`] : []),
    ...(expand.length ? [`$expand=${expand.join(",")}`] : []),
    ...(type.pageSize ? [`$top=${type.pageSize}`] : []),
  ];
  return options.length ? `?${options.join("&")}` : "";
}

/**
 * The rest of a navigation property expanded on the list, when the service paged it
 * (`<nav>@odata.nextLink` on the object): never dropped, always followed.
 */
async function restOfExpansions(graph: GraphClient, type: ResourceType, objects: JsonObject[]): Promise<void> {
  const navs = listExpansions(type).map(navigationOf);
  for (const object of objects)
    for (const nav of navs) {
      const next = object[`${nav}@odata.nextLink`];
      if (typeof next !== "string") continue;
      const items = Array.isArray(object[nav]) ? [...(object[nav] as JsonObject[])] : [];
      for await (const item of graph.list(type.version, next)) items.push(item as JsonObject);
      object[nav] = items as never;
      delete object[`${nav}@odata.nextLink`];
    }
}

function byIdPath(type: ResourceType, object: JsonObject): string | undefined {
  const expand = [
    ...(type.readById ? (type.expand ?? []) : []),
    ...(type.assignments?.read === "expand" ? ["assignments"] : []),
  ];
  if (!type.readById && expand.length === 0) return undefined;
  const base = type.writeCollections?.[String(object["@odata.type"])] ?? type.collection;
  return `${base}/${encodeURIComponent(String(object.id))}${expand.length ? `?$expand=${[...new Set(expand)].join(",")}` : ""}`;
}

function outcomeOf(type: ResourceType, error: unknown, objects = 0): TypeOutcome {
  if (isGraphError(error) && error.status === 403)
    return { type: type.id, status: "forbidden", objects: 0, error: error.message };
  if (isGraphError(error) && error.status === 400 && /not applicable to target tenant/i.test(error.message)) {
    return { type: type.id, status: "unavailable", objects: 0, error: "The tenant has no Intune licence." };
  }
  const object = error instanceof ObjectFailure ? error.object : undefined;
  const cause = error instanceof ObjectFailure ? error.cause : error;
  return {
    type: type.id,
    status: "failed",
    objects,
    error: cause instanceof Error ? cause.message : String(cause),
    object,
  };
}

/** GET a collection through $batch results: the first page came in the batch; follow nextLinks. */
async function restOfPages(graph: GraphClient, type: ResourceType, first: Json): Promise<JsonObject[]> {
  const items = [...((first.value as JsonObject[] | undefined) ?? [])];
  const next = first["@odata.nextLink"];
  if (typeof next === "string") for await (const item of graph.list(type.version, next)) items.push(item as JsonObject);
  return items;
}

/** A failed $batch item as the GraphError a direct request would have thrown (redacted). */
function batchFailure(
  status: number,
  body: unknown,
  headers: Record<string, string> | undefined,
  method: string,
  url: string,
  object: string,
): GraphError {
  const error = (
    body as { error?: { code?: string; message?: string; innerError?: { "request-id"?: string } } } | undefined
  )?.error;
  const requestId = headers?.["request-id"] ?? error?.innerError?.["request-id"];
  return new GraphError({
    status,
    graphCode: error?.code,
    message: error?.message ?? (status === 0 ? "no answer for this request in the batch" : "no message"),
    requestId,
    method,
    url,
    object,
  });
}

/** Completes the listed objects of one type with what the list lacks, in $batch requests. */
async function completeObjects(
  graph: GraphClient,
  type: ResourceType,
  listed: JsonObject[],
  warnings: string[],
): Promise<JsonObject[]> {
  interface Pending {
    object: JsonObject;
    index: number;
    key: string;
    url: string;
    apply: (body: Json) => Promise<void>;
  }
  const address = (o: JsonObject) => addressOf(type.id, nameOf(type, o));
  const gone = new Set<number>();
  const round = async (pending: Pending[]) => {
    if (pending.length === 0) return;
    const results = await graph.batch(
      type.version,
      pending.map((p) => ({ id: p.key, method: "GET", url: p.url })),
    );
    const next: Pending[] = [];
    for (const p of pending) {
      const r = results.get(p.key);
      if (r?.status === 404) {
        gone.add(p.index);
        warnings.push(`${address(p.object)} was deleted while the backup ran; it is left out.`);
        continue;
      }
      if (!r || r.status >= 300)
        throw new ObjectFailure(
          batchFailure(r?.status ?? 0, r?.body, r?.headers, "GET", p.url, address(p.object)),
          address(p.object),
        );
      await p.apply(r.body as Json);
      next.push(...followUps.splice(0));
    }
    await round(next);
  };
  const followUps: Pending[] = [];
  const subRequests = (
    object: JsonObject,
    index: number,
    parentPath: string,
    specs: SubResourceSpec[],
    target: JsonObject,
  ): Pending[] =>
    specs.map((sub) => ({
      object,
      index,
      key: `${index}.${sub.property}.${followCounter++}`,
      url: `${parentPath}/${sub.path}`,
      apply: async (body: Json) => {
        const items = await restOfPages(graph, type, body);
        target[sub.property] = items as never;
        followUps.push(...itemFollowUps(object, index, parentPath, sub, items));
      },
    }));
  /** What each item of a sub-resource still needs: its full form by id, its own sub-resources. */
  const itemFollowUps = (
    object: JsonObject,
    index: number,
    parentPath: string,
    sub: SubResourceSpec,
    items: JsonObject[],
  ): Pending[] =>
    items.flatMap((item) => {
      if (typeof item.id !== "string") return [];
      const id = item.id;
      const full: Pending[] = sub.itemPath
        ? [
            {
              object,
              index,
              key: `${index}.${sub.property}.${followCounter++}`,
              url: `${sub.itemPath}/${encodeURIComponent(id)}`,
              apply: async (b: Json) => {
                Object.assign(item, b);
              },
            },
          ]
        : [];
      const children = sub.children?.length
        ? subRequests(
            object,
            index,
            `${parentPath}/${navigationOf(sub.path)}/${encodeURIComponent(id)}`,
            sub.children,
            item,
          )
        : [];
      return [...full, ...children];
    });
  let followCounter = 0;
  const first: Pending[] = [];
  listed.forEach((object, index) => {
    const path = `${type.collection}/${encodeURIComponent(String(object.id))}`;
    const byId = byIdPath(type, object);
    if (byId)
      first.push({
        object,
        index,
        key: `${index}.byId`,
        url: byId,
        apply: async (body) => {
          Object.assign(object, body);
        },
      });
    if (type.assignments?.read === "list") {
      first.push({
        object,
        index,
        key: `${index}.assignments`,
        url: `${path}/assignments`,
        apply: async (body) => {
          object.assignments = (await restOfPages(graph, type, body)) as never;
        },
      });
    }
    const [withList, apart] = partition(type.subResources ?? [], (sub) => sub.withList === true);
    first.push(...subRequests(object, index, path, apart, object));
    // Expanded on the list: their items are here; only what each item still needs is read.
    for (const sub of withList) {
      const items = Array.isArray(object[sub.property]) ? (object[sub.property] as JsonObject[]) : [];
      first.push(...itemFollowUps(object, index, path, sub, items));
    }
  });
  await round(first);
  return listed.filter((_, i) => !gone.has(i));
}

function partition<T>(items: T[], test: (item: T) => boolean): [T[], T[]] {
  return [items.filter(test), items.filter((i) => !test(i))];
}

function isSkipped(type: ResourceType, object: JsonObject): boolean {
  return Object.entries(type.skip ?? {}).some(([k, v]) => object[k] === v);
}

async function readType(graph: GraphClient, type: ResourceType, warnings: string[]): Promise<RawType> {
  try {
    if (type.kind === "singleton") {
      const object = await graph.get(type.version, type.collection, addressOf(type.id, type.title)).catch((e) => {
        if (type.mayBeAbsent && isGraphError(e) && e.status === 404) return undefined;
        throw e;
      });
      if (!object)
        return { type, objects: [], referenceOnly: [], outcome: { type: type.id, status: "ok", objects: 0 } };
      const [complete] = await completeSingleton(graph, type, object as JsonObject, warnings);
      return { type, objects: [complete], referenceOnly: [], outcome: { type: type.id, status: "ok", objects: 1 } };
    }
    const all = (await graph.listAll(type.version, `${type.collection}${collectionQuery(type)}`)) as JsonObject[];
    await restOfExpansions(graph, type, all);
    const managed = all.filter((o) => !isSkipped(type, o));
    const objects = await completeObjects(graph, type, managed, warnings);
    return {
      type,
      objects,
      referenceOnly: all.filter((o) => isSkipped(type, o)),
      outcome: { type: type.id, status: "ok", objects: objects.length },
    };
  } catch (e) {
    return { type, objects: [], referenceOnly: [], outcome: outcomeOf(type, e) };
  }
}

/** Singletons: sub-resources hang off the singleton's own path. */
async function completeSingleton(
  graph: GraphClient,
  type: ResourceType,
  object: JsonObject,
  warnings: string[],
): Promise<JsonObject[]> {
  for (const sub of type.subResources ?? []) {
    const body = await graph.get(type.version, `${type.collection}/${sub.path}`, addressOf(type.id, type.title));
    object[sub.property] = (
      Array.isArray(body.value) ? await restOfPages(graph, type, body) : stripContext(body)
    ) as never;
  }
  void warnings;
  return [object];
}

function stripContext(body: Json): JsonObject {
  const { "@odata.context": _c, ...rest } = body;
  return rest as JsonObject;
}

/** Reads only id and natural key of a type that is referenced but not exported. */
function readNames(graph: GraphClient, type: ResourceType): Promise<JsonObject[]> {
  return graph.listAll(type.version, `${type.collection}${collectionQuery(type, `id,${type.naturalKey}`)}`) as Promise<
    JsonObject[]
  >;
}

/** Why references into a type cannot be resolved in this run: type → the sentence saying so. */
type Unresolvable = Map<ResourceTypeId, string>;

function whyUnreadable(outcome: TypeOutcome): string {
  const error = outcome.status === "ok" ? "" : outcome.error;
  return outcome.status === "failed"
    ? `${outcome.type} failed: ${error}`
    : `${outcome.type} could not be read (${outcome.status}): ${error}`;
}

function refersTo(type: ResourceType, ids: ReadonlySet<ResourceTypeId>): boolean {
  return Object.values(type.references ?? {}).some((r) => ids.has(r.type));
}

/**
 * A type is backed up only if every reference its objects hold resolves: one it cannot resolve
 * fails the whole type (leaving an object out would read as its deletion; a null reference would
 * be imported as the desired state). Returns the failed outcome, or undefined.
 */
function referenceFailure(
  objects: NormalizedObject[],
  unresolvable: Unresolvable,
): { object: string; reason: string } | undefined {
  const problems = objects.flatMap((n) => n.unresolved.map((u) => ({ ...u, address: addressOf(n.type, n.name) })));
  if (problems.length === 0) return undefined;
  const blocked = problems.find((p) => unresolvable.has(p.type));
  if (blocked)
    return {
      object: blocked.address,
      reason: `its references to ${blocked.type} could not be resolved because ${unresolvable.get(blocked.type)}`,
    };
  const shown = problems
    .slice(0, 5)
    .map((p) => `${p.address} refers at ${p.pointer} to ${p.type} ${p.id}, which is not in the tenant`);
  const more = problems.length > shown.length ? `; and ${problems.length - shown.length} more` : "";
  return {
    object: problems[0].address,
    reason: `${shown.join("; ")}${more}. Remove or fix the reference in the tenant (e.g. the assignment to a deleted group), then run again.`,
  };
}

export async function exportTenant(options: ExportOptions): Promise<ExportResult> {
  const log = options.log ?? silentLogger;
  const warnings: string[] = [];
  const exported = new Set(options.types.map((t) => t.id));
  const index: ReferenceIndex = new Map();
  // A type whose referenced types have all been read is normalised while the rest is still being
  // read (the export mostly waits on the service's pace): the same result as after the whole read,
  // which the first pass below takes instead of normalising again.
  const read = new Map<ResourceTypeId, RawType>();
  const early = new Map<ResourceTypeId, NormalizedObject[]>();
  const normaliseWhatIsReady = () => {
    for (const r of read.values()) {
      if (early.has(r.type.id) || r.outcome.status !== "ok") continue;
      const targets = Object.values(r.type.references ?? {}).map((ref) => ref.type);
      if (targets.every((t) => exported.has(t) && read.get(t)?.outcome.status === "ok"))
        early.set(
          r.type.id,
          r.objects.map((o) => normalizeObject(r.type, o, index)),
        );
    }
  };
  const raw = await mapConcurrent(options.types, options.typeConcurrency ?? options.types.length, async (type) => {
    const result = await readType(options.graph, type, warnings);
    log.progress?.("export", exported.size, exported.size);
    log.debug(`${type.id}: ${result.outcome.status} (${result.objects.length} objects)`);
    read.set(type.id, result);
    if (result.outcome.status === "ok") index.set(type.id, namesOf(type, [...result.objects, ...result.referenceOnly]));
    normaliseWhatIsReady();
    return result;
  });
  const outcomes = new Map(raw.map((r) => [r.type.id, r.outcome]));
  const unresolvable: Unresolvable = new Map(
    raw.filter((r) => r.outcome.status !== "ok").map((r) => [r.type.id, whyUnreadable(r.outcome)]),
  );
  const referenced = new Set(options.types.flatMap((t) => Object.values(t.references ?? {}).map((r) => r.type)));
  for (const id of referenced) {
    if (exported.has(id)) continue;
    const type = options.allTypes.find((t) => t.id === id);
    if (!type || type.kind !== "collection") continue;
    try {
      index.set(id, namesOf(type, await readNames(options.graph, type)));
    } catch (e) {
      unresolvable.set(id, `the names of ${id} could not be read: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  log.debug(`read ${raw.reduce((n, r) => n + r.objects.length, 0)} objects; normalising`);
  // Until nothing changes: a type that fails leaves its referrers unresolvable too (transitively).
  const normalized = new Map<ResourceTypeId, NormalizedObject[]>();
  let pending = raw.filter((r) => r.outcome.status === "ok");
  let firstPass = true;
  while (pending.length) {
    const failedNow = new Set<ResourceTypeId>();
    for (const r of pending) {
      const objects =
        (firstPass ? early.get(r.type.id) : undefined) ?? r.objects.map((o) => normalizeObject(r.type, o, index));
      const failure = referenceFailure(objects, unresolvable);
      if (!failure) {
        normalized.set(r.type.id, objects);
        continue;
      }
      outcomes.set(r.type.id, {
        type: r.type.id,
        status: "failed",
        objects: 0,
        object: failure.object,
        error: `not backed up: ${failure.reason}`,
      });
      normalized.delete(r.type.id);
      index.delete(r.type.id);
      unresolvable.set(r.type.id, `${r.type.id} was not backed up: ${failure.reason}`);
      failedNow.add(r.type.id);
    }
    firstPass = false;
    pending = raw.filter((r) => normalized.has(r.type.id) && refersTo(r.type, failedNow));
  }
  const objects = raw.flatMap((r) => normalized.get(r.type.id) ?? []);
  const results = raw.map((r) => outcomes.get(r.type.id) as TypeOutcome);
  return { objects, outcomes: results, partial: results.some((o) => o.status === "failed"), warnings };
}

function namesOf(type: ResourceType, objects: JsonObject[]): Map<string, string> {
  return new Map(objects.filter((o) => typeof o.id === "string").map((o) => [String(o.id), nameOf(type, o)]));
}
