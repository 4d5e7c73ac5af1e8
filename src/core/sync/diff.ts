/**
 * diff — field-level differences between two snapshot objects, as JSON pointers, and the
 * comparison form both the diff and the three-way decision use: a reference compares by the
 * address it names, not by the tenant id kept beside it (the same group has different ids in
 * different tenants). Pure.
 */
import { canonicalCompact } from "../snapshot/canonical-json";
import { formatPointer, isJsonObject, type JsonObject, type JsonValue } from "../snapshot/pointer";
import type { FieldChange, PlannedObject } from "./plan";

/**
 * The value with every resolved `$ref` reduced to its address, and every `$secret` placeholder to
 * its pointer: the placeholder's `note` names the object, so it changes with a rename and is no setting.
 * A secret written in the repository (a reference with the value's `sha256`) keeps its hash: a new
 * value differs from the tenant's placeholder and from another value.
 */
export function comparable(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(comparable);
  if (isJsonObject(value)) {
    if (typeof value.$ref === "string") return { $ref: value.$ref };
    if (typeof value.$secret === "string")
      return typeof value.sha256 === "string"
        ? { $secret: value.$secret, sha256: value.sha256 }
        : { $secret: value.$secret };
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) out[k] = comparable(v);
    return out;
  }
  return value;
}

/** Equal in comparison form (references by address), stopping at the first difference. */
export function sameValue(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameValue(a[i], b[i])) return false;
    return true;
  }
  if (typeof a.$ref === "string" || typeof b.$ref === "string") return a.$ref === b.$ref;
  if (typeof a.$secret === "string" || typeof b.$secret === "string")
    return a.$secret === b.$secret && a.sha256 === b.sha256;
  let count = 0;
  for (const key of Object.keys(a)) {
    if (a[key] === undefined) continue;
    count++;
    if (!(key in b) || !sameValue(a[key], b[key])) return false;
  }
  for (const key of Object.keys(b)) if (b[key] !== undefined) count--;
  return count === 0;
}

function sameFiles(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

/** Equal as configuration: same object (references by address) and same files. */
export function sameObject(a: PlannedObject | undefined, b: PlannedObject | undefined): boolean {
  if (!a || !b) return a === b;
  return sameFiles(a.files, b.files) && sameValue(a.object, b.object);
}

/** A reference or a secret placeholder: compared whole, in comparison form, never property by property. */
function isRef(v: JsonValue | undefined): boolean {
  return isJsonObject(v) && ("$ref" in v || "$secret" in v);
}

function diffValues(
  before: JsonValue | undefined,
  after: JsonValue | undefined,
  path: (string | number)[],
  out: FieldChange[],
): void {
  if (before === undefined && after === undefined) return;
  if (isRef(before) || isRef(after) || before === undefined || after === undefined) {
    if (
      canonicalCompact(comparable(before ?? null)) !== canonicalCompact(comparable(after ?? null)) ||
      (before === undefined) !== (after === undefined)
    ) {
      out.push({
        path: formatPointer(path),
        ...(before !== undefined ? { before } : {}),
        ...(after !== undefined ? { after } : {}),
      });
    }
    return;
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    before.forEach((b, i) => diffValues(b, after[i], [...path, i], out));
    return;
  }
  if (isJsonObject(before) && isJsonObject(after)) {
    for (const key of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort())
      diffValues(before[key], after[key], [...path, key], out);
    return;
  }
  if (canonicalCompact(comparable(before)) !== canonicalCompact(comparable(after)))
    out.push({ path: formatPointer(path), before, after });
}

/** Differences from `before` to `after`, files included as /$files/<suffix>. */
export function diffObjects(before: PlannedObject | undefined, after: PlannedObject | undefined): FieldChange[] {
  const out: FieldChange[] = [];
  diffValues(before?.object, after?.object, [], out);
  const suffixes = [...new Set([...Object.keys(before?.files ?? {}), ...Object.keys(after?.files ?? {})])].sort();
  for (const s of suffixes) {
    const b = before?.files[s];
    const a = after?.files[s];
    if (b !== a)
      out.push({
        path: formatPointer(["$files", s]),
        ...(b !== undefined ? { before: b } : {}),
        ...(a !== undefined ? { after: a } : {}),
      });
  }
  return out;
}
