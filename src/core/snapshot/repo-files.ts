/**
 * repo-files — the one way the engine reads the repository's working tree. Rule: nothing outside
 * the repository is ever read. Every path component below the root is checked with lstat and a
 * symbolic link (or a path leaving the root, or anything but a plain file or folder) is refused by
 * name; a file is opened without following links, bounded in size before it is read, and must be
 * UTF-8. The root itself may be a symbolic link: containment is judged against its real path.
 */
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  readdirSync,
  readlinkSync,
  readSync,
  realpathSync,
  type Stats,
} from "node:fs";
import { join, sep } from "node:path";
import { SyncError } from "../errors";

/**
 * Largest file the engine reads from the repository: 4 MiB. Microsoft Graph refuses request bodies
 * above about 4 MB, and an attached file travels base64-encoded (4/3 larger) inside one, so a
 * bigger object file or script body could never be deployed; refusing it early also keeps a stray
 * disk image or log from being loaded into memory.
 */
export const maxRepoFileBytes = 4 * 1024 * 1024;

export type RefusalCode = "repo.unsafePath" | "repo.fileTooLarge" | "repo.notUtf8";

/** A file the engine will not read, with what to do about it. */
export interface Refusal {
  code: RefusalCode;
  file: string;
  message: string;
}

export type EntryKind = "file" | "folder" | "symlink" | "other";

export interface RepoEntry {
  name: string;
  kind: EntryKind;
  size: number;
}

function kindOf(stats: Stats): EntryKind {
  return stats.isSymbolicLink() ? "symlink" : stats.isDirectory() ? "folder" : stats.isFile() ? "file" : "other";
}

function linkTarget(path: string): string {
  try {
    return readlinkSync(path);
  } catch (e) {
    return `unreadable link: ${(e as Error).message}`;
  }
}

/** The refusal for an entry that is a link or not a plain file/folder; undefined for a safe one. */
export function entryRefusal(root: string, relative: string, kind: EntryKind): Refusal | undefined {
  if (kind === "symlink") {
    return {
      code: "repo.unsafePath",
      file: relative,
      message: `is a symbolic link (to ${linkTarget(join(root, relative))}). Tenant Sync reads only files stored in the repository itself: replace the link with the file's content, or remove it.`,
    };
  }
  if (kind === "other")
    return {
      code: "repo.unsafePath",
      file: relative,
      message: "is not a regular file or folder (a device, pipe or socket). Remove it from the repository.",
    };
  return undefined;
}

/** Checks a "/"-separated repository-relative path: no "..", no absolute path, no empty segment. */
function segmentsOf(relative: string): string[] | undefined {
  const parts = relative.split("/");
  if (
    relative.startsWith("/") ||
    /^[A-Za-z]:/.test(relative) ||
    parts.some((p) => p === "" || p === "." || p === ".." || p.includes("\\"))
  )
    return undefined;
  return parts;
}

function outside(relative: string): Refusal {
  return {
    code: "repo.unsafePath",
    file: relative,
    message: "resolves outside the repository. Tenant Sync reads only files inside the repository's working tree.",
  };
}

/** The entries of a repository folder ("" is the root), not following links, sorted by name. */
export function listRepoFolder(root: string, relative: string): RepoEntry[] {
  const folder = relative ? join(root, relative) : root;
  return readdirSync(folder)
    .sort()
    .map((name) => {
      const stats = lstatSync(join(folder, name));
      return { name, kind: kindOf(stats), size: stats.size };
    });
}

/**
 * Reads one repository file as bytes: undefined when it does not exist, a Refusal when it may not
 * be read (a link on the way, outside the root, not a plain file, too large).
 */
export function readRepoBytes(root: string, relative: string): Buffer | Refusal | undefined {
  const parts = segmentsOf(relative);
  if (!parts) return outside(relative);
  let stats: Stats | undefined;
  for (let i = 1; i <= parts.length; i++) {
    const partial = parts.slice(0, i).join("/");
    stats = lstatSync(join(root, partial), { throwIfNoEntry: false });
    if (!stats) return undefined;
    const kind = kindOf(stats);
    const refused = entryRefusal(root, partial, kind);
    if (refused) return refused;
    if (i < parts.length && kind !== "folder") return undefined;
  }
  if (!stats?.isFile())
    return {
      code: "repo.unsafePath",
      file: relative,
      message: "is a folder where a file was expected. Rename or remove it.",
    };
  const real = realpathSync(join(root, relative));
  if (!real.startsWith(realRootOf(root) + sep)) return outside(relative);
  if (stats.size > maxRepoFileBytes) return tooLarge(relative, stats.size);
  return readOpened(root, relative);
}

let lastRoot: { root: string; real: string } | undefined;

/** The root's real path (it may itself be a link), remembered for the many files of one tree. */
function realRootOf(root: string): string {
  if (lastRoot?.root !== root) lastRoot = { root, real: realpathSync(root) };
  return lastRoot.real;
}

function tooLarge(relative: string, size: number): Refusal {
  return {
    code: "repo.fileTooLarge",
    file: relative,
    message: `is ${size} bytes; Tenant Sync reads at most ${maxRepoFileBytes} bytes (4 MiB) per file, the most one Microsoft Graph request can carry. Shrink it or move it out of the repository.`,
  };
}

/** Opens without following a link (closing the gap between lstat and open) and reads within the bound. */
function readOpened(root: string, relative: string): Buffer | Refusal {
  const path = join(root, relative);
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ELOOP") return entryRefusal(root, relative, "symlink") as Refusal;
    throw e;
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) return entryRefusal(root, relative, "other") as Refusal;
    if (stats.size > maxRepoFileBytes) return tooLarge(relative, stats.size);
    const buffer = Buffer.alloc(stats.size);
    let read = 0;
    while (read < buffer.length) {
      const n = readSync(fd, buffer, read, buffer.length - read, read);
      if (n === 0) break;
      read += n;
    }
    return buffer.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** What an undecodable file probably is, for the message. */
function encodingGuess(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return "UTF-16 (little endian)";
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return "UTF-16 (big endian)";
  if (bytes.includes(0)) return "binary or UTF-16 without a byte order mark";
  return "another encoding (such as Windows-1252)";
}

/**
 * The exact text of UTF-8 bytes (a byte order mark and CRLF line ends are kept), or a Refusal.
 * `hint` says what to do instead, e.g. for an attached file: put its bytes base64 in the JSON.
 */
export function decodeUtf8(bytes: Buffer, relative: string, hint: string): string | Refusal {
  try {
    return utf8.decode(bytes);
  } catch {
    return {
      code: "repo.notUtf8",
      file: relative,
      message: `is not UTF-8 text: it looks like ${encodingGuess(bytes)}. ${hint}`,
    };
  }
}

export function isRefusal(value: unknown): value is Refusal {
  return (
    typeof value === "object" &&
    value !== null &&
    !Buffer.isBuffer(value) &&
    typeof (value as Refusal).code === "string" &&
    typeof (value as Refusal).file === "string"
  );
}

const refusalOrder: RefusalCode[] = ["repo.unsafePath", "repo.fileTooLarge", "repo.notUtf8"];

/** Throws one SyncError naming every refused file; its code is that of the gravest refusal. */
export function throwIfRefused(refusals: Refusal[], where: string): void {
  if (refusals.length === 0) return;
  const code = refusalOrder.find((c) => refusals.some((r) => r.code === c)) as RefusalCode;
  const shown = refusals.slice(0, 20).map((r) => `${r.file} ${r.message}`);
  if (refusals.length > 20) shown.push(`… and ${refusals.length - 20} more`);
  throw new SyncError(
    code,
    `${refusals.length} file${refusals.length === 1 ? "" : "s"} in ${where} cannot be read safely:\n  ${shown.join("\n  ")}`,
    {
      object: refusals[0].file,
      hint: "Fix the files named above and run again. Nothing was read from them.",
    },
  );
}

/** Reads a repository text file (e.g. tenant-sync.json): undefined when absent; throws when refused. */
export function readRepoText(root: string, relative: string, hint: string): string | undefined {
  const bytes = readRepoBytes(root, relative);
  if (bytes === undefined) return undefined;
  const text = isRefusal(bytes) ? bytes : decodeUtf8(bytes, relative, hint);
  if (isRefusal(text)) throwIfRefused([text], `the repository ${root}`);
  return text as string;
}
