/**
 * layout — where an object lives in a snapshot folder: one folder per resource type (its id), one
 * JSON file per object named from its natural key, made safe. No name can leave the snapshot folder
 * or collide, by construction: unsafe characters (and "~", the suffix separator) become "_", Windows
 * device names get a "_", and names whose fold key (an over-approximation of every file system's
 * idea of "the same name") is shared get "~<hash of the tenant id>", the same every time.
 */
import { createHash } from "node:crypto";
import { posix } from "node:path";
import { SyncError } from "../errors";
import type { ResourceTypeId } from "../resources/resource-type";

// Windows device names, also with superscript digits, before spaces and any extension ("nul .txt").
const reserved =
  /^(con|prn|aux|nul|conin\$|conout\$|com[0-9\u00b9\u00b2\u00b3]|lpt[0-9\u00b9\u00b2\u00b3])\s*(\..*)?$/i;
// Control characters, what Windows refuses, and "~" (with its fullwidth form, which NFKC turns into "~").
// eslint-disable-next-line no-control-regex -- control characters are exactly what must go
const unsafe = /[\u0000-\u001f\u007f<>:"/\\|?*~\uff5e]/g;
const maxNameLength = 100;
/** Leaves room for "~<hash>" and the longest suffix within the 255-byte file name limit (ext4, APFS). */
const maxNameBytes = 200;

/** A file-name-safe form of a natural key (no extension). Never holds "~". */
export function safeFileName(name: string): string {
  let safe = name
    .normalize("NFC")
    .replace(unsafe, "_")
    .replace(/\s+/g, " ")
    .trim()
    .replace(/^[.\s]+|[.\s]+$/g, "");
  if (safe === "" || (/^_+$/.test(safe) && name.trim() === "")) safe = "_";
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

/**
 * The key under which two file names might be the same file somewhere: compatibility forms (NFKC,
 * ZFS formKC), full case folding (ß = ss, Kelvin sign = k; upper then lower), the Turkish i's as "i",
 * invisible characters dropped (HFS+), what a safe name would replace as "_", Windows' trailing dots
 * and spaces dropped. It merges more than any one file system does: that only adds suffixes.
 */
export function foldKey(fileName: string): string {
  return (
    fileName
      .normalize("NFKC")
      .toUpperCase()
      .toLowerCase()
      .normalize("NFKD")
      .replace(/i\u0307/g, "i")
      .replace(/\u0131/g, "i")
      .replace(/\p{Default_Ignorable_Code_Point}/gu, "")
      .normalize("NFKC")
      // eslint-disable-next-line no-control-regex -- the same characters safeFileName replaces, but "~" stays (the separator)
      .replace(/[\u0000-\u001f\u007f<>:"/\\|?*]/g, "_")
      .replace(/\s+/g, " ")
      .replace(/[.\s]+$/, "")
  );
}

function hashOf(text: string, length: number): string {
  return createHash("sha256").update(text).digest("hex").slice(0, length);
}

export interface Placed {
  id: string;
  name: string;
  file: string;
}

/**
 * File names (without folder or extension) for the objects of one type, in input order. Objects
 * whose safe names share a fold key all get "~<8 hex of sha256(tenant id)>": a name's file changes
 * only when another object comes to share (or stops sharing) that key, and the suffix is the same on
 * every run. A safe name holds no "~", so a suffixed file never meets an unsuffixed one; suffixes that
 * still meet (same id, or the same 8 hex) are lengthened, then numbered, deterministically. `suffixes`
 * are the attached files' (".ps1"): every file of every object is checked distinct before returning.
 */
export function placeObjects(objects: { id: string; name: string }[], suffixes: readonly string[] = []): Placed[] {
  const safe = objects.map((o) => safeFileName(o.name));
  const counts = new Map<string, number>();
  for (const s of safe) counts.set(foldKey(s), (counts.get(foldKey(s)) ?? 0) + 1);
  const files = objects.map((o, i) =>
    (counts.get(foldKey(safe[i])) ?? 0) > 1 ? `${safe[i]}~${hashOf(o.id || o.name, 8)}` : safe[i],
  );
  for (const clash of clashes(files)) {
    // Same fold key and same 8 hex: a longer hash of id and name, then a number in a fixed order.
    const ordered = [...clash].sort(
      (a, b) => compare(objects[a].id, objects[b].id) || compare(objects[a].name, objects[b].name) || a - b,
    );
    const seen = new Map<string, number>();
    for (const i of ordered) {
      const longer = `${safe[i]}~${hashOf(`${objects[i].id}\u0000${objects[i].name}`, 16)}`;
      const n = (seen.get(foldKey(longer)) ?? 0) + 1;
      seen.set(foldKey(longer), n);
      files[i] = n === 1 ? longer : `${longer}-${n}`;
    }
  }
  const placed = objects.map((o, i) => ({ id: o.id, name: o.name, file: files[i] }));
  assertDistinctFiles(placed, suffixes);
  return placed;
}

/** Groups of indexes whose files share a fold key. */
function clashes(files: string[]): number[][] {
  const byKey = new Map<string, number[]>();
  files.forEach((f, i) => byKey.set(foldKey(f), [...(byKey.get(foldKey(f)) ?? []), i]));
  return [...byKey.values()].filter((group) => group.length > 1);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The invariant: every file of every object (its JSON and each attached suffix) has a fold key of
 * its own, so a snapshot folder holds exactly one JSON file per object. Breaking it is a bug.
 */
export function assertDistinctFiles(placed: Placed[], suffixes: readonly string[] = []): void {
  const owner = new Map<string, Placed>();
  for (const p of placed) {
    for (const suffix of [".json", ...suffixes]) {
      const key = foldKey(`${p.file}${suffix}`);
      const other = owner.get(key);
      if (other && other !== p) {
        throw new SyncError(
          "snapshot.collision",
          `Internal error: the objects named ${JSON.stringify(other.name)} and ${JSON.stringify(p.name)} would share the file "${p.file}${suffix}".`,
          {
            hint: "Nothing was written. Report this as a bug in Tenant Sync, with the two names; renaming one of the objects works around it.",
          },
        );
      }
      owner.set(key, p);
    }
  }
}

/**
 * A file name for an object in a folder that already holds `existing` files (any names, hand-made
 * ones included): `preferred` (the file it has), the name placeObjects gives it alone, or that name
 * with its hash, a longer hash, then a number — the first whose JSON and attached files share no fold
 * key with an existing file.
 */
export function freeFileName(
  object: { id: string; name: string },
  existing: readonly string[],
  suffixes: readonly string[] = [],
  preferred?: string,
): string {
  const taken = new Set(existing.map(foldKey));
  const safe = safeFileName(object.name);
  const longer = `${safe}~${hashOf(`${object.id}\u0000${object.name}`, 16)}`;
  const free = (file: string) => [".json", ...suffixes].every((suffix) => !taken.has(foldKey(`${file}${suffix}`)));
  for (const file of [
    ...(preferred === undefined ? [] : [preferred]),
    safe,
    `${safe}~${hashOf(object.id || object.name, 8)}`,
    longer,
  ])
    if (free(file)) return file;
  for (let n = 2; ; n++) if (free(`${longer}-${n}`)) return `${longer}-${n}`;
}

export function typeFolder(type: ResourceTypeId): string {
  return type;
}

/** Path of an object's file relative to the snapshot root; asserts it stays inside its type folder. */
export function objectPath(type: ResourceTypeId, file: string, suffix = ".json"): string {
  const relative = posix.join(typeFolder(type), `${file}${suffix}`);
  const normal = posix.normalize(relative);
  // "../entra.group/x" is two levels deep yet outside the folder; a backslash separates folders on Windows.
  if (
    normal.startsWith("..") ||
    posix.isAbsolute(normal) ||
    normal.split("/").length !== 2 ||
    posix.dirname(normal) !== typeFolder(type) ||
    relative.includes("\\")
  ) {
    throw new Error(`unsafe snapshot path "${relative}"`);
  }
  return normal;
}
