/**
 * write-assignments — makes an object's assignments the wanted ones. Types with an `assign` action get
 * the whole list in one POST (it replaces what was there); types without one (Autopilot, terms and
 * conditions) get one POST per missing assignment and one DELETE per assignment no longer wanted.
 */
import { canonicalCompact } from "../snapshot/canonical-json";
import type { JsonObject } from "../snapshot/pointer";
import type { WriteContext } from "./write-context";

/** Assignments compare by what the snapshot keeps of them: the target and the declared extras. */
function assignmentKey(assignment: JsonObject, keep: string[]): string {
  const picked: JsonObject = {};
  for (const k of ["target", ...keep]) if (k in assignment) picked[k] = assignment[k];
  return canonicalCompact(picked);
}

/** For one-by-one assignment types: which to add and which current ones (by id) to delete. */
export function planAssignmentWrites(
  wanted: JsonObject[],
  current: JsonObject[],
  keep: string[] = [],
): { add: JsonObject[]; remove: string[] } {
  const wantedKeys = new Set(wanted.map((a) => assignmentKey(a, keep)));
  const currentKeys = new Set(current.map((a) => assignmentKey(a, keep)));
  return {
    add: wanted.filter((a) => !currentKeys.has(assignmentKey(a, keep))),
    remove: current
      .filter((a) => !wantedKeys.has(assignmentKey(a, keep)) && typeof a.id === "string")
      .map((a) => String(a.id)),
  };
}

export async function writeAssignments(ctx: WriteContext, wanted: JsonObject[]): Promise<void> {
  const spec = ctx.type.assignments;
  if (!spec) return;
  const { graph, type, address, objectPath } = ctx;
  if (spec.write.kind === "assign") {
    if (ctx.isFresh && wanted.length === 0) return;
    await graph.send("POST", type.version, `${objectPath}/assign`, { [spec.write.bodyKey]: wanted }, address);
    return;
  }
  const current = ctx.isFresh
    ? []
    : ((await graph.listAll(type.version, `${objectPath}/assignments`, address)) as JsonObject[]);
  const { add, remove } = planAssignmentWrites(wanted, current, spec.keep);
  // Deletes first: the service refuses a second assignment to the same target.
  for (const id of remove)
    await graph.send("DELETE", type.version, `${objectPath}/assignments/${encodeURIComponent(id)}`, undefined, address);
  for (const assignment of add)
    await graph.send("POST", type.version, `${objectPath}/assignments`, assignment, address);
}
