/**
 * write-context — where one object is written in Graph and what every write step of a change needs
 * to know about it: its type, its path (`{collection}/{id}`, the per-platform collection for app
 * protection, or the singleton's path), its id, and whether it was just created (nothing to read).
 */
import { SyncError } from "../errors";
import type { GraphClient } from "../graph/graph-client";
import type { ResourceType } from "../resources/resource-type";
import type { JsonObject } from "../snapshot/pointer";

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
