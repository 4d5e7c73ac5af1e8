/**
 * fingerprint — content hashes of normalised objects (sha256 of the compact canonical JSON, files
 * included), per object and per resource type. The plan records them; deploy compares them to
 * refuse a stale plan.
 */
import { createHash } from "node:crypto";
import { canonicalCompact } from "./canonical-json";
import type { JsonValue } from "./pointer";

export function fingerprintOf(value: JsonValue, files: Record<string, string> = {}): string {
  const hash = createHash("sha256").update(canonicalCompact(value));
  for (const name of Object.keys(files).sort()) hash.update(`\0${name}\0${files[name]}`);
  return `sha256:${hash.digest("hex")}`;
}

/** Fingerprint of a set of objects: order-independent. */
export function fingerprintOfSet(fingerprints: string[]): string {
  const hash = createHash("sha256");
  for (const f of [...fingerprints].sort()) hash.update(`${f}\n`);
  return `sha256:${hash.digest("hex")}`;
}
