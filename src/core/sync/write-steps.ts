/**
 * write-steps — the Graph writes of one change, generic over the declarations. Create: POST the body
 * (deep-inserting what the service wants on create) to the collection or the declared create action,
 * then what is written apart, then assignments. Update: PATCH or PUT the body if it changed, then only
 * the parts written apart and the assignments that changed. Delete: DELETE. Every step leaves the
 * wanted state, so a resumed change can rerun it.
 */
import { SyncError, isGraphError } from "../errors";
import type { GraphClient } from "../graph/graph-client";
import type { ResourceType, ResourceTypeId } from "../resources/resource-type";
import { canonicalCompact } from "../snapshot/canonical-json";
import { isJsonObject, type JsonObject, type JsonValue } from "../snapshot/pointer";
import { comparable } from "./diff";
import type { Change, PlannedObject } from "./plan";
import { type NameIndex, resolveObject, splitObject } from "./references";
import type { SecretValues } from "./repo-secrets";
import { writeApartProperty } from "./write-apart";
import { writeAssignments } from "./write-assignments";
import { createRequestOf, objectPathOf, type WriteContext } from "./write-context";

export interface ChangeRun {
  graph: GraphClient;
  change: Change;
  type: ResourceType;
  /** The target tenant's names, with what this deploy created so far. */
  names: NameIndex;
  duplicateNames?: Map<ResourceTypeId, Set<string>>;
  /** The tenant's object as read at deploy time: the one updated or deleted, or the create adopted. */
  tenantNow?: PlannedObject;
  /** The object an interrupted run of this create already made: finish it instead of creating another. */
  adoptedId?: string;
  /** Called with the new id as soon as the POST answers, before anything else is written. */
  onCreated?: (id: string) => void;
  /** Secret values written in the repository, read and checked for this deploy. */
  secretValues?: SecretValues;
}

function fail(change: Change, message: string, hint: string): never {
  throw new SyncError("deploy.failed", message, { object: change.address, hint });
}

function wanted(change: Change): PlannedObject {
  return change.after ?? fail(change, `${change.address} has no target object in the plan.`, "Make a new plan.");
}

function hasSecretPlaceholder(value: JsonValue): boolean {
  if (Array.isArray(value)) return value.some(hasSecretPlaceholder);
  if (!isJsonObject(value)) return false;
  return "$secret" in value || Object.values(value).some(hasSecretPlaceholder);
}

/** Equal as configuration (references by address, files included); no `before` counts as different. */
function differs(before: JsonValue | undefined, after: JsonValue | undefined, hasBefore: boolean): boolean {
  return !hasBefore || canonicalCompact(comparable(before ?? null)) !== canonicalCompact(comparable(after ?? null));
}

/** What the update body carries, in snapshot form: for "did it change" and "what was removed". */
function mainPart(type: ResourceType, planned: PlannedObject): { body: JsonObject; files: Record<string, string> } {
  return { body: splitObject(type, planned.object, "update").body, files: planned.files };
}

/** A PATCH leaves properties it does not name as they are: one removed from the object is sent as null. */
function clearRemoved(body: JsonObject, before: JsonObject | undefined): JsonObject {
  const out = { ...body };
  for (const key of Object.keys(before ?? {})) if (!(key in out)) out[key] = null;
  return out;
}

async function updateObject(run: ChangeRun, id: string): Promise<void> {
  const { graph, change, type } = run;
  const after = wanted(change);
  const before = change.before;
  const address = change.address;
  const objectPath = objectPathOf(type, after.object, id, address);
  const raw = hasSecretPlaceholder(after.object)
    ? ((await graph.get(type.version, objectPath, address)) as JsonObject)
    : undefined;
  const resolved = resolveObject(type, after, {
    address,
    mode: "update",
    names: run.names,
    duplicateNames: run.duplicateNames,
    raw,
    secretValues: run.secretValues,
  });
  const split = splitObject(type, resolved, "update");
  const ctx: WriteContext = { graph, type, address, objectId: id, objectPath, isFresh: false };
  const onlyAssignments = change.action === "assign";
  const beforeMain = before ? mainPart(type, before) : undefined;
  if (
    !onlyAssignments &&
    differs(beforeMain as unknown as JsonValue, mainPart(type, after) as unknown as JsonValue, Boolean(before))
  ) {
    const body = type.update === "PATCH" ? clearRemoved(split.body, beforeMain?.body) : split.body;
    const through = type.writtenThrough;
    if (through) await graph.send(type.update, type.version, through.path, { [through.property]: body }, address);
    else await graph.send(type.update, type.version, objectPath, body, address);
  }
  for (const [property, value] of Object.entries(split.apart)) {
    if (onlyAssignments || !differs(before?.object[property], after.object[property], Boolean(before))) continue;
    await writeApartProperty(ctx, property, value, "update", graph.graphUrl);
  }
  if (split.assignments && differs(before?.object.assignments, after.object.assignments, Boolean(before))) {
    await writeAssignments(ctx, split.assignments);
  }
}

async function createObject(run: ChangeRun): Promise<string | undefined> {
  const { graph, change, type } = run;
  if (type.kind === "singleton") {
    // Every tenant has its singletons: "creating" one is setting it.
    await updateObject({ ...run, change: { ...change, before: undefined } }, change.tenantId ?? type.id);
    return undefined;
  }
  if (run.adoptedId) {
    // The interrupted run's POST went through: bring that object from what it holds to the wanted state.
    await updateObject({ ...run, change: { ...change, action: "update", before: run.tenantNow } }, run.adoptedId);
    return run.adoptedId;
  }
  const after = wanted(change);
  const address = change.address;
  const resolved = resolveObject(type, after, {
    address,
    mode: "create",
    names: run.names,
    duplicateNames: run.duplicateNames,
    secretValues: run.secretValues,
  });
  const split = splitObject(type, resolved, "create");
  const request = createRequestOf(type, resolved, split.body, address);
  const created = await graph.send("POST", type.version, request.path, request.body, address);
  const id = created?.id;
  if (typeof id !== "string" || id === "")
    return fail(
      change,
      `Graph created ${address} but its answer carried no id.`,
      "Look the object up in the tenant; plan again before deploying again.",
    );
  run.onCreated?.(id);
  const ctx: WriteContext = {
    graph,
    type,
    address,
    objectId: id,
    objectPath: objectPathOf(type, resolved, id, address),
    isFresh: true,
  };
  for (const [property, value] of Object.entries(split.apart))
    await writeApartProperty(ctx, property, value, "create", graph.graphUrl);
  if (split.assignments) await writeAssignments(ctx, split.assignments);
  return id;
}

async function deleteObject(run: ChangeRun): Promise<void> {
  const { graph, change, type } = run;
  if (type.kind === "singleton")
    fail(
      change,
      `${change.address} is a tenant-wide setting and cannot be deleted.`,
      "Set it to the wanted values instead.",
    );
  const id = change.tenantId ?? fail(change, `${change.address} has no tenant id in the plan.`, "Make a new plan.");
  const path = objectPathOf(type, run.tenantNow?.object ?? change.before?.object, id, change.address);
  try {
    await graph.send("DELETE", type.version, path, undefined, change.address);
  } catch (e) {
    // Already gone (an interrupted run deleted it): the wanted state holds.
    if (!(isGraphError(e) && e.status === 404)) throw e;
  }
}

/** After an update that renames: the tenant's names now give the new name, and the old one is free. */
function renameInIndex(run: ChangeRun, id: string): void {
  const { change, type } = run;
  const old = change.before?.object[type.naturalKey];
  if (type.kind === "singleton" || typeof old !== "string" || old === change.name) return;
  const names = run.names.get(type.id) ?? new Map<string, string>();
  if (names.get(old) === id) names.delete(old);
  run.names.set(type.id, names.set(change.name, id));
}

/** Applies one change; returns the id of the object a create made. Throws what stops the change. */
export async function applyChange(run: ChangeRun): Promise<{ id?: string }> {
  switch (run.change.action) {
    case "create":
      return { id: await createObject(run) };
    case "update":
    case "assign": {
      const id =
        run.change.tenantId ??
        (run.type.kind === "singleton"
          ? run.type.id
          : fail(run.change, `${run.change.address} has no tenant id in the plan.`, "Make a new plan."));
      await updateObject(run, id);
      renameInIndex(run, id);
      return {};
    }
    case "delete":
      await deleteObject(run);
      return {};
  }
}
