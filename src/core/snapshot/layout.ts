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
/** Leaves room for "~<hash>" and the longest suffix within the 255-byte file name limit (ext4, APFS). */
const maxNameBytes = 200;

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
  // Windows ignores the extension ("nul.txt" is NUL too), so the "_" goes before the first dot.
  if (reserved.test(safe)) safe = safe.replace(/^[^.]*/, "$&_");
  if (safe.length > maxNameLength || Buffer.byteLength(safe) > maxNameBytes) safe = truncate(safe);
  return safe;
}

/** Whole characters only (never half a surrogate pair), and no dot or space left at the end. */
function truncate(name: string): string {
  let out = "";
  let bytes = 0;
  for (const character of name) {
    bytes += Buffer.byteLength(character);
    if (out.length + character.length > maxNameLength || bytes > maxNameBytes) break;
    out += character;
  }
  return out.replace(/[.\s]+$/, "");
}

function shortHash(id: string): string {
  return createHash("sha256").update(id).digest("hex").slice(0, 8);
}

export interface Placed { id: string; name: string; file: string }

/**
 * File names (without folder or extension) for the objects of one type, in input order. Objects
 * whose safe names collide all get "~<hash of tenant id>": a name's file changes only when another
 * object comes to share (or stops sharing) that name, and the suffix is the same on every run.
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

/** Path of an object's file relative to the snapshot root; asserts it stays inside its type folder. */
export function objectPath(type: ResourceTypeId, file: string, suffix = ".json"): string {
  const relative = posix.join(typeFolder(type), `${file}${suffix}`);
  const normal = posix.normalize(relative);
  // "../entra.group/x" is two levels deep yet outside the folder; a backslash separates folders on Windows.
  if (normal.startsWith("..") || posix.isAbsolute(normal) || normal.split("/").length !== 2 || posix.dirname(normal) !== typeFolder(type) || relative.includes("\\")) {
    throw new Error(`unsafe snapshot path "${relative}"`);
  }
  return normal;
}
