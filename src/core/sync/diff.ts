/**
 * diff — field-level differences between two snapshot objects, as JSON pointers, and the
 * comparison form both the diff and the three-way decision use: a reference compares by the
 * address it names, not by the tenant id kept beside it (the same group has different ids in
 * different tenants). Pure.
 */
import { canonicalCompact } from "../snapshot/canonical-json";
import { formatPointer, isJsonObject, type JsonObject, type JsonValue } from "../snapshot/pointer";
import type { FieldChange, PlannedObject } from "./plan";

/** The value with every resolved `$ref` reduced to its address. */
export function comparable(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(comparable);
  if (isJsonObject(value)) {
    if (typeof value.$ref === "string") return { $ref: value.$ref };
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) out[k] = comparable(v);
    return out;
  }
  return value;
}

/** Equal as configuration: same object (references by address) and same files. */
export function sameObject(a: PlannedObject | undefined, b: PlannedObject | undefined): boolean {
  if (!a || !b) return a === b;
  return canonicalCompact(comparable(a.object)) === canonicalCompact(comparable(b.object)) && canonicalCompact(a.files) === canonicalCompact(b.files);
}

function isRef(v: JsonValue | undefined): boolean {
  return isJsonObject(v) && "$ref" in v;
}

function diffValues(before: JsonValue | undefined, after: JsonValue | undefined, path: (string | number)[], out: FieldChange[]): void {
  if (before === undefined && after === undefined) return;
  if (isRef(before) || isRef(after) || before === undefined || after === undefined) {
    if (canonicalCompact(comparable(before ?? null)) !== canonicalCompact(comparable(after ?? null)) || (before === undefined) !== (after === undefined)) {
      out.push({ path: formatPointer(path), ...(before !== undefined ? { before } : {}), ...(after !== undefined ? { after } : {}) });
    }
    return;
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    before.forEach((b, i) => diffValues(b, after[i], [...path, i], out));
    return;
  }
  if (isJsonObject(before) && isJsonObject(after)) {
    for (const key of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) diffValues(before[key], after[key], [...path, key], out);
    return;
  }
  if (canonicalCompact(comparable(before)) !== canonicalCompact(comparable(after))) out.push({ path: formatPointer(path), before, after });
}

/** Differences from `before` to `after`, files included as /$files/<suffix>. */
export function diffObjects(before: PlannedObject | undefined, after: PlannedObject | undefined): FieldChange[] {
  const out: FieldChange[] = [];
  diffValues(before?.object, after?.object, [], out);
  const suffixes = [...new Set([...Object.keys(before?.files ?? {}), ...Object.keys(after?.files ?? {})])].sort();
  for (const s of suffixes) {
    const b = before?.files[s];
    const a = after?.files[s];
    if (b !== a) out.push({ path: formatPointer(["$files", s]), ...(b !== undefined ? { before: b } : {}), ...(a !== undefined ? { after: a } : {}) });
  }
  return out;
}
