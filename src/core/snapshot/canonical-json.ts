/**
 * canonical-json — the one way a snapshot object is written: keys sorted (code point order),
 * two-space indent, a trailing newline. Equal values give equal bytes, so an unchanged tenant
 * gives an unchanged tree.
 */
import type { JsonValue } from "./pointer";

export function sortKeysDeep(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (value && typeof value === "object") {
    const out: { [k: string]: JsonValue } = {};
    for (const k of Object.keys(value).sort()) out[k] = sortKeysDeep(value[k]);
    return out;
  }
  return value;
}

export function canonicalJson(value: JsonValue): string {
  return `${JSON.stringify(sortKeysDeep(value), null, 2)}\n`;
}

/** Compact canonical form, for hashing and comparing. */
export function canonicalCompact(value: JsonValue): string {
  return JSON.stringify(sortKeysDeep(value));
}
