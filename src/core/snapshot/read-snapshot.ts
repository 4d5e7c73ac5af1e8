/**
 * read-snapshot — reads a snapshot back from files: the repository's working tree (the desired
 * state people edit) or a commit of the backup history (tenant and base). Repository files are
 * checked: valid JSON, a known resource type folder, the type's schema, a name, no duplicate names,
 * no path-like names, script files present. Every problem names the file and what to fix.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { SyncError } from "../errors";
import type { ResourceType, ResourceTypeId } from "../resources/resource-type";
import { git, gitBytes } from "./git";
import { isJsonObject, type JsonObject } from "./pointer";
import { schemaProblems } from "./schema";
import { Snapshot } from "./snapshot";

export interface SnapshotProblem { file: string; message: string }

const typeFolder = /^(entra|intune)\.[A-Za-z0-9]+$/;

/** Files of the type folders under `root` ("/"-separated relative path → content). */
export function readWorkingTree(root: string): Map<string, string> {
  const files = new Map<string, string>();
  if (!existsSync(root)) return files;
  for (const folder of readdirSync(root).sort()) {
    if (!typeFolder.test(folder) || !statSync(join(root, folder)).isDirectory()) continue;
    for (const name of readdirSync(join(root, folder)).sort()) {
      const path = join(root, folder, name);
      if (statSync(path).isFile()) files.set(`${folder}/${name}`, readFileSync(path, "utf8"));
    }
  }
  return files;
}

/** Files of a commit's tree, read in one `git cat-file --batch`. */
export async function readCommitFiles(repo: string, commit: string): Promise<Map<string, string>> {
  const listing = await git(["ls-tree", "-r", "-z", "--full-tree", commit], { cwd: repo });
  const entries = listing.split("\0").filter(Boolean).map((line) => {
    const tab = line.indexOf("\t");
    const [, kind, sha] = line.slice(0, tab).split(" ");
    return { kind, sha, path: line.slice(tab + 1) };
  }).filter((e) => e.kind === "blob" && typeFolder.test(e.path.split("/")[0]));
  const files = new Map<string, string>();
  if (entries.length === 0) return files;
  const out = await gitBytes(["cat-file", "--batch"], { cwd: repo, input: entries.map((e) => e.sha).join("\n") + "\n" });
  let offset = 0;
  for (const e of entries) {
    const headerEnd = out.indexOf(10, offset);
    const size = Number(out.subarray(offset, headerEnd).toString("utf8").split(" ")[2]);
    files.set(e.path, out.subarray(headerEnd + 1, headerEnd + 1 + size).toString("utf8"));
    offset = headerEnd + 1 + size + 1;
  }
  return files;
}

function pathLike(name: string): boolean {
  return /(^|[\\/])\.\.([\\/]|$)/.test(name) || /^[\\/]/.test(name) || /^[A-Za-z]:[\\/]/.test(name);
}

export interface ParseOptions {
  /** Check repository rules (schema, names). Off for snapshots Tenant Sync wrote itself. */
  strict: boolean;
}

/** Parses snapshot files into a Snapshot; problems are collected, not thrown. */
export function snapshotFromFiles(files: Map<string, string>, types: readonly ResourceType[], options: ParseOptions): { snapshot: Snapshot; problems: SnapshotProblem[] } {
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
      if (options.strict && !reportedFolders.has(folder)) problems.push({ file: `${folder}/`, message: `is not a resource type Tenant Sync knows. Rename the folder to one of the ids 'tenant-sync types' lists, or move it out of the repository root.` });
      reportedFolders.add(folder);
      continue;
    }
    let doc: unknown;
    try {
      doc = JSON.parse(content);
    } catch (e) {
      problems.push({ file: path, message: `is not valid JSON (${(e as Error).message}). Fix the syntax, or restore the file from git.` });
      continue;
    }
    if (!isJsonObject(doc) || !isJsonObject(doc.object)) {
      problems.push({ file: path, message: `must be {"id": …, "object": {…}}: the configuration goes under "object". Compare it with another file of ${folder}/.` });
      continue;
    }
    if (doc.type !== undefined && doc.type !== folder) problems.push({ file: path, message: `says it is a ${String(doc.type)} but sits in ${folder}/. Move it to ${String(doc.type)}/ or correct "type".` });
    const object = doc.object as JsonObject;
    const name = type.kind === "singleton" ? type.title : object[type.naturalKey];
    if (typeof name !== "string" || name.trim() === "") {
      problems.push({ file: path, message: `has no "${type.naturalKey}": every ${type.title.toLowerCase()} needs a name.` });
      continue;
    }
    if (options.strict) {
      if (pathLike(name)) problems.push({ file: path, message: `has the name "${name}", which looks like a file path. Choose a name without "..", a leading slash or a drive letter.` });
      for (const p of schemaProblems(type, object)) problems.push({ file: path, message: `${p}. Correct or remove it.` });
      const key = `${folder}\u0000${name}`;
      const other = names.get(key);
      if (other) problems.push({ file: path, message: `has the name "${name}", like ${other}. Names must be unique within a resource type: rename one of them.` });
      names.set(key, path);
    }
    const base = fileName.slice(0, -".json".length);
    const attached: Record<string, string> = {};
    for (const f of type.files ?? []) {
      const ref = object[f.property];
      if (!isJsonObject(ref) || typeof ref.$file !== "string") continue;
      const filePath = `${folder}/${base}${ref.$file}`;
      const body = files.get(filePath);
      if (body === undefined) problems.push({ file: path, message: `refers to ${filePath} for "${f.property}", which does not exist. Add the file or put the content in the JSON.` });
      else attached[ref.$file] = body;
    }
    snapshot.add({ type: type.id as ResourceTypeId, id: typeof doc.id === "string" ? doc.id : "", name, object, files: attached, file: base });
  }
  return { snapshot, problems };
}

export function throwIfProblems(problems: SnapshotProblem[], where: string): void {
  if (problems.length === 0) return;
  const shown = problems.slice(0, 20).map((p) => `${p.file} ${p.message}`);
  if (problems.length > 20) shown.push(`… and ${problems.length - 20} more`);
  throw new SyncError("snapshot.invalid", `${problems.length} problem${problems.length === 1 ? "" : "s"} in ${where}:\n  ${shown.join("\n  ")}`, { hint: "Fix the files named above and run again. Nothing was deployed." });
}
