/**
 * write-context — where one object is written in Graph and what every write step of a change needs
 * to know about it: its type, its path (`{collection}/{id}`, the per-platform collection for app
 * protection, or the singleton's path), its id, and whether it was just created (nothing to read);
 * and where a new object is POSTed (its collection, or the create action its declaration names).
 */
import { SyncError } from "../errors";
import type { GraphClient } from "../graph/graph-client";
import type { ResourceType } from "../resources/resource-type";
import type { JsonObject, JsonValue } from "../snapshot/pointer";

export interface WriteContext {
  graph: GraphClient;
  type: ResourceType;
  address: string;
  objectId: string;
  objectPath: string;
  /** Created by this run just now: the tenant holds no items or assignments of it yet. */
  isFresh: boolean;
}

/** The collection an object is created in (and addressed through). */
export function writeCollectionOf(type: ResourceType, object: JsonObject | undefined, address: string): string {
  if (!type.writeCollections) return type.collection;
  const odataType = String(object?.["@odata.type"] ?? "");
  const collection = type.writeCollections[odataType];
  if (!collection) {
    throw new SyncError(
      "deploy.failed",
      `${address} has @odata.type "${odataType}", which no collection of ${type.id} accepts for writing.`,
      {
        object: address,
        hint: `Set @odata.type to one of ${Object.keys(type.writeCollections).join(", ")}, then plan again.`,
      },
    );
  }
  return collection;
}

/** Path of an object: the singleton's own path, or `{write collection}/{id}`. */
export function objectPathOf(type: ResourceType, object: JsonObject | undefined, id: string, address: string): string {
  return type.kind === "singleton"
    ? type.collection
    : `${writeCollectionOf(type, object, address)}/${encodeURIComponent(id)}`;
}

/**
 * The POST that creates an object: to its write collection with the body as it is, or to the type's
 * `createVia` action, with the path's `{name}` values taken out of the body and its keys renamed. Pure.
 */
export function createRequestOf(
  type: ResourceType,
  object: JsonObject,
  body: JsonObject,
  address: string,
): { path: string; body: JsonObject } {
  const via = type.createVia;
  if (!via) return { path: writeCollectionOf(type, object, address), body };
  const rest: JsonObject = { ...body };
  const path = via.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value: JsonValue | undefined = object[name];
    if (typeof value !== "string" || value === "")
      throw new SyncError("deploy.failed", `${address} has no ${name}, which ${type.id} objects are created from.`, {
        object: address,
        hint: `Set ${name} in the object's file (the value the source tenant's object has), then plan again.`,
      });
    delete rest[name];
    return encodeURIComponent(value);
  });
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(rest)) out[via.bodyKeys?.[k] ?? k] = v;
  return { path, body: out };
}
