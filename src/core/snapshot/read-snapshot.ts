/**
 * read-snapshot — reads a snapshot back from files: the repository's working tree (the desired
 * state people edit) or a commit of the backup history (tenant and base). Repository files are
 * read only through repo-files (no links, nothing outside, bounded, UTF-8) and checked: valid JSON,
 * a known resource type folder, the type's schema, a name, no duplicate names, script files
 * present. Files the engine would ignore are reported. Every problem names the file and what to fix.
 */
import { existsSync } from "node:fs";
import { SyncError } from "../errors";
import type { ResourceType, ResourceTypeId } from "../resources/resource-type";
import { closest } from "../sync-config";
import { git, gitBytes } from "./git";
import { isJsonObject, type JsonObject } from "./pointer";
import {
  decodeUtf8,
  entryRefusal,
  isRefusal,
  listRepoFolder,
  readRepoBytes,
  type Refusal,
  throwIfRefused,
} from "./repo-files";
import { schemaProblems } from "./schema";
import { Snapshot } from "./snapshot";

export interface SnapshotProblem {
  file: string;
  message: string;
}

const typeFolder = /^(entra|intune)\.[A-Za-z0-9]+$/;

/** The working tree's type-folder files, and what would be ignored: warnings, and problems where an object would be dropped. */
export interface WorkingTree {
  files: Map<string, string>;
  warnings: SnapshotProblem[];
  problems: SnapshotProblem[];
}

const normalised = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, "");

/** The type id a folder name almost is (case, punctuation, a small typo), if any. */
export function nearTypeId(name: string, ids: readonly string[]): string | undefined {
  return ids.find((id) => normalised(id) === normalised(name)) ?? closest(name, ids);
}

/** Bounded walk, not following links: how many ".json" files (any case) lie under a folder. */
function countJson(root: string, relative: string, refusals: Refusal[], depth = 0): number {
  let n = 0;
  for (const e of listRepoFolder(root, relative)) {
    const path = `${relative}/${e.name}`;
    if (e.kind === "symlink") refusals.push(entryRefusal(root, path, e.kind) as Refusal);
    else if (e.kind === "folder" && depth < 8) n += countJson(root, path, refusals, depth + 1);
    else if (e.kind === "file" && e.name.toLowerCase().endsWith(".json")) n++;
  }
  return n;
}

const utf8Hint = {
  json: "Save it as UTF-8 (with or without a byte order mark).",
  attached:
    'Save it as UTF-8 (with or without a byte order mark), or, to deploy other bytes exactly, put them base64-encoded in the JSON property instead of {"$file": …}.',
};

function readText(root: string, path: string, hint: string, refusals: Refusal[]): string | undefined {
  const bytes = readRepoBytes(root, path);
  const text = bytes === undefined || isRefusal(bytes) ? bytes : decodeUtf8(bytes, path, hint);
  if (isRefusal(text)) refusals.push(text);
  return isRefusal(text) ? undefined : text;
}

function readTypeFolder(root: string, type: ResourceType, tree: WorkingTree, refusals: Refusal[]): void {
  const folder = type.id as string;
  const entries = listRepoFolder(root, folder);
  const objectBases = new Set(
    entries.filter((e) => e.name.endsWith(".json")).map((e) => e.name.slice(0, -".json".length)),
  );
  const suffixes = (type.files ?? []).map((f) => f.suffix);
  for (const e of entries) {
    const path = `${folder}/${e.name}`;
    const refused = entryRefusal(root, path, e.kind);
    if (refused) {
      refusals.push(refused);
    } else if (e.kind === "folder") {
      const json = countJson(root, path, refusals);
      if (json)
        tree.problems.push({
          file: `${path}/`,
          message: `is a folder inside ${folder}/: Tenant Sync reads only the files directly in a type folder, so its ${json} .json file${json === 1 ? "" : "s"} would be ignored. Move the objects up into ${folder}/, or the folder out of the repository.`,
        });
      else
        tree.warnings.push({
          file: `${path}/`,
          message: `is a folder inside ${folder}/ and is ignored: Tenant Sync reads only the files directly in a type folder.`,
        });
    } else if (e.name.endsWith(".json")) {
      const text = readText(root, path, utf8Hint.json, refusals);
      if (text !== undefined) tree.files.set(path, text.replace(/^\uFEFF/, ""));
    } else if (e.name.toLowerCase().endsWith(".json")) {
      const text = readText(root, path, utf8Hint.json, refusals);
      const fixed = `${e.name.slice(0, -".json".length)}.json`;
      if (text !== undefined && looksLikeObject(text))
        tree.problems.push({
          file: path,
          message: `holds an object, but only files ending in ".json" (lower case) are read, so it would be ignored. Rename it to ${fixed}.`,
        });
      else
        tree.warnings.push({
          file: path,
          message: `is ignored: only files ending in ".json" (lower case) are object files.`,
        });
    } else if (suffixes.some((s) => e.name.endsWith(s) && objectBases.has(e.name.slice(0, -s.length)))) {
      const text = readText(root, path, utf8Hint.attached, refusals);
      if (text !== undefined) tree.files.set(path, text);
    } else {
      const read = suffixes.length
        ? `object files (.json) and their ${suffixes.join(" / ")} files`
        : "object files (.json)";
      tree.warnings.push({ file: path, message: `is ignored: Tenant Sync reads only ${read} in ${folder}/.` });
    }
  }
}

function looksLikeObject(text: string): boolean {
  try {
    const doc: unknown = JSON.parse(text.replace(/^\uFEFF/, ""));
    return isJsonObject(doc) && isJsonObject(doc.object);
  } catch {
    return false; // not JSON at all: an ignored file, reported as a warning
  }
}

/**
 * Reads the type folders under `root` ("/"-separated relative path → content). Throws a SyncError
 * (repo.unsafePath, repo.fileTooLarge, repo.notUtf8) naming every file that may not be read; files
 * it ignores come back as warnings, or as problems where an object would be silently dropped.
 */
export function readWorkingTree(root: string, types: readonly ResourceType[]): WorkingTree {
  const tree: WorkingTree = { files: new Map(), warnings: [], problems: [] };
  const refusals: Refusal[] = [];
  if (!existsSync(root)) return tree;
  const known = new Map(types.map((t) => [t.id as string, t]));
  const ids = [...known.keys()];
  for (const e of listRepoFolder(root, "")) {
    if (e.name.startsWith(".")) continue;
    const type = known.get(e.name);
    const near = type ? undefined : nearTypeId(e.name, ids);
    if (!type && !near && !typeFolder.test(e.name)) continue; // README.md, docs/, pipelines: not the engine's
    const refused = entryRefusal(root, e.name, e.kind);
    if (refused) refusals.push(refused);
    else if (e.kind !== "folder") continue;
    else if (type) readTypeFolder(root, type, tree, refusals);
    else unknownFolder(root, e.name, near, tree, refusals);
  }
  throwIfRefused(refusals, `the repository ${root}`);
  return tree;
}

function unknownFolder(
  root: string,
  name: string,
  near: string | undefined,
  tree: WorkingTree,
  refusals: Refusal[],
): void {
  const json = countJson(root, name, refusals);
  const meant = near ? ` (did you mean ${near}?)` : "";
  if (json)
    tree.problems.push({
      file: `${name}/`,
      message: `is not a resource type Tenant Sync knows${meant}: its ${json} .json file${json === 1 ? "" : "s"} would be ignored. Rename the folder to one of the ids 'tenant-sync types' lists, or move it out of the repository root.`,
    });
  else
    tree.warnings.push({
      file: `${name}/`,
      message: `is ignored: it is not a resource type Tenant Sync knows${meant}.`,
    });
}

/** Files of a commit's tree, read in one `git cat-file --batch`. */
export async function readCommitFiles(repo: string, commit: string): Promise<Map<string, string>> {
  const listing = await git(["ls-tree", "-r", "-z", "--full-tree", commit], { cwd: repo });
  const entries = listing
    .split("\0")
    .filter(Boolean)
    .map((line) => {
      const tab = line.indexOf("\t");
      const [, kind, sha] = line.slice(0, tab).split(" ");
      return { kind, sha, path: line.slice(tab + 1) };
    })
    .filter((e) => e.kind === "blob" && typeFolder.test(e.path.split("/")[0]));
  const files = new Map<string, string>();
  if (entries.length === 0) return files;
  const out = await gitBytes(["cat-file", "--batch"], {
    cwd: repo,
    input: entries.map((e) => e.sha).join("\n") + "\n",
  });
  let offset = 0;
  for (const e of entries) {
    const headerEnd = out.indexOf(10, offset);
    const size = Number(out.subarray(offset, headerEnd).toString("utf8").split(" ")[2]);
    files.set(e.path, out.subarray(headerEnd + 1, headerEnd + 1 + size).toString("utf8"));
    offset = headerEnd + 1 + size + 1;
  }
  return files;
}

export interface ParseOptions {
  /** Check repository rules (schema, names). Off for snapshots Tenant Sync wrote itself. */
  strict: boolean;
}

/** Parses snapshot files into a Snapshot; problems are collected, not thrown. */
export function snapshotFromFiles(
  files: Map<string, string>,
  types: readonly ResourceType[],
  options: ParseOptions,
): { snapshot: Snapshot; problems: SnapshotProblem[] } {
  const snapshot = new Snapshot();
  const problems: SnapshotProblem[] = [];
  const known = new Map(types.map((t) => [t.id as string, t]));
  const reportedFolders = new Set<string>();
  const names = new Map<string, string>();
  for (const [path, content] of files) {
    const [folder, fileName] = path.split("/");
    if (!fileName?.endsWith(".json")) continue;
    const type = known.get(folder);
    if (!type) {
      if (options.strict && !reportedFolders.has(folder))
        problems.push({
          file: `${folder}/`,
          message: `is not a resource type Tenant Sync knows. Rename the folder to one of the ids 'tenant-sync types' lists, or move it out of the repository root.`,
        });
      reportedFolders.add(folder);
      continue;
    }
    let doc: unknown;
    try {
      doc = JSON.parse(content);
    } catch (e) {
      problems.push({
        file: path,
        message: `is not valid JSON (${(e as Error).message}). Fix the syntax, or restore the file from git.`,
      });
      continue;
    }
    if (!isJsonObject(doc) || !isJsonObject(doc.object)) {
      problems.push({
        file: path,
        message: `must be {"id": …, "object": {…}}: the configuration goes under "object". Compare it with another file of ${folder}/.`,
      });
      continue;
    }
    if (doc.type !== undefined && doc.type !== folder)
      problems.push({
        file: path,
        message: `says it is a ${String(doc.type)} but sits in ${folder}/. Move it to ${String(doc.type)}/ or correct "type".`,
      });
    const object = doc.object as JsonObject;
    const name = type.kind === "singleton" ? type.title : object[type.naturalKey];
    if (typeof name !== "string" || name.trim() === "") {
      problems.push({
        file: path,
        message: `has no "${type.naturalKey}": every ${type.title.toLowerCase()} needs a name.`,
      });
      continue;
    }
    if (options.strict) {
      for (const p of schemaProblems(type, object))
        problems.push({ file: path, message: `${p}. Correct or remove it.` });
      const key = `${folder}\u0000${name}`;
      const other = names.get(key);
      if (other)
        problems.push({
          file: path,
          message: `has the name "${name}", like ${other}. Names must be unique within a resource type: rename one of them.`,
        });
      names.set(key, path);
    }
    const base = fileName.slice(0, -".json".length);
    const attached: Record<string, string> = {};
    for (const f of type.files ?? []) {
      const ref = object[f.property];
      if (!isJsonObject(ref) || !("$file" in ref)) continue;
      if (ref.$file !== f.suffix) {
        if (options.strict)
          problems.push({
            file: path,
            message: `has {"$file": ${JSON.stringify(ref.$file)}} in "${f.property}"; for a ${type.title.toLowerCase()} it must be {"$file": ${JSON.stringify(f.suffix)}}, the file ${folder}/${base}${f.suffix} beside it. Correct "$file".`,
          });
        continue;
      }
      const filePath = `${folder}/${base}${ref.$file}`;
      const body = files.get(filePath);
      if (body === undefined)
        problems.push({
          file: path,
          message: `refers to ${filePath} for "${f.property}", which does not exist. Add the file or put the content in the JSON.`,
        });
      else attached[ref.$file] = body;
    }
    snapshot.add({
      type: type.id as ResourceTypeId,
      id: typeof doc.id === "string" ? doc.id : "",
      name,
      object,
      files: attached,
      file: base,
    });
  }
  return { snapshot, problems };
}

export function throwIfProblems(problems: SnapshotProblem[], where: string): void {
  if (problems.length === 0) return;
  const shown = problems.slice(0, 20).map((p) => `${p.file} ${p.message}`);
  if (problems.length > 20) shown.push(`… and ${problems.length - 20} more`);
  throw new SyncError(
    "snapshot.invalid",
    `${problems.length} problem${problems.length === 1 ? "" : "s"} in ${where}:\n  ${shown.join("\n  ")}`,
    { hint: "Fix the files named above and run again. Nothing was deployed." },
  );
}
