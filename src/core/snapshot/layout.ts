/**
 * layout — where an object lives in a snapshot folder: one folder per resource type (its id), one
 * JSON file per object named from its natural key, made safe. No name can leave the snapshot
 * folder or collide: unsafe characters become "_", Windows device names get a "_", and names that
 * are equal (ignoring case) get a short suffix from their tenant id, the same every time.
 */
import { createHash } from "node:crypto";
import { posix } from "node:path";
import type { ResourceTypeId } from "../resources/resource-type";

const reserved = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;
const maxNameLength = 100;

/** A file-name-safe form of a natural key (no extension). */
export function safeFileName(name: string): string {
  let safe = name
    .normalize("NFC")
    // eslint-disable-next-line no-control-regex -- control characters are exactly what must go
    .replace(/[\u0000-\u001f\u007f<>:"/\\|?*]/g, "_")
    .replace(/\s+/g, " ")
    .trim()
    .replace(/^[.\s]+|[.\s]+$/g, "");
  if (safe === "" || /^_+$/.test(safe) && name.trim() === "") safe = "_";
  if (reserved.test(safe)) safe = `${safe}_`;
  if (safe.length > maxNameLength) safe = safe.slice(0, maxNameLength).trimEnd();
  return safe;
}

function shortHash(id: string): string {
  return createHash("sha256").update(id).digest("hex").slice(0, 8);
}

export interface Placed { id: string; name: string; file: string }

/**
 * File names (without folder or extension) for the objects of one type, in input order. Objects
 * whose safe names collide all get "~<hash of tenant id>", so adding or removing one never renames
 * another.
 */
export function placeObjects(objects: { id: string; name: string }[]): Placed[] {
  const safe = objects.map((o) => safeFileName(o.name));
  const counts = new Map<string, number>();
  for (const s of safe) counts.set(s.toLowerCase(), (counts.get(s.toLowerCase()) ?? 0) + 1);
  return objects.map((o, i) => ({
    id: o.id, name: o.name,
    file: (counts.get(safe[i].toLowerCase()) ?? 0) > 1 ? `${safe[i]}~${shortHash(o.id || o.name)}` : safe[i],
  }));
}

export function typeFolder(type: ResourceTypeId): string {
  return type;
}

/** Path of an object's file relative to the snapshot root; asserts it stays inside. */
export function objectPath(type: ResourceTypeId, file: string, suffix = ".json"): string {
  const relative = posix.join(typeFolder(type), `${file}${suffix}`);
  const normal = posix.normalize(relative);
  if (normal.startsWith("..") || posix.isAbsolute(normal) || normal.split("/").length !== 2) {
    throw new Error(`unsafe snapshot path "${relative}"`);
  }
  return normal;
}
