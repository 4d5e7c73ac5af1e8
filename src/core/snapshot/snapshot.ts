/**
 * snapshot — the normalised form of a configuration: one entry per object, keyed by address, and
 * its on-disk layout (see layout.ts). Everything written is canonical JSON; nothing here talks to
 * Graph. Each file records the tenant id of the object it came from, for pairing.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync, existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { SyncError } from "../errors";
import type { ResourceTypeId } from "../resources/resource-type";
import { canonicalJson } from "./canonical-json";
import { objectPath, placeObjects } from "./layout";
import { addressOf, type NormalizedObject } from "./normalize";
import { isJsonObject, type JsonObject } from "./pointer";

export interface SnapshotEntry {
  type: ResourceTypeId;
  /** Tenant id of the object (empty for objects written by hand that never came from a tenant). */
  id: string;
  name: string;
  object: JsonObject;
  files: Record<string, string>;
  /** File name (without extension) inside the type folder. */
  file?: string;
}

export class Snapshot {
  readonly entries = new Map<string, SnapshotEntry>();
  private readonly perType = new Map<ResourceTypeId, Map<string, SnapshotEntry>>();

  add(entry: SnapshotEntry): void {
    const key = `${addressOf(entry.type, entry.name)}#${entry.id}`;
    this.entries.set(key, entry);
    const forType = this.perType.get(entry.type) ?? new Map<string, SnapshotEntry>();
    forType.set(key, entry);
    this.perType.set(entry.type, forType);
  }

  static fromNormalized(objects: NormalizedObject[]): Snapshot {
    const s = new Snapshot();
    for (const o of objects) s.add({ type: o.type, id: o.id, name: o.name, object: o.object, files: o.files });
    return s;
  }

  byType(type: ResourceTypeId): SnapshotEntry[] {
    return [...(this.perType.get(type)?.values() ?? [])];
  }

  types(): ResourceTypeId[] {
    return [...this.perType.keys()].filter((t) => (this.perType.get(t)?.size ?? 0) > 0).sort();
  }

  get size(): number { return this.entries.size; }
}

/** The JSON document of one object file. */
export function objectDocument(entry: SnapshotEntry): JsonObject {
  return { type: entry.type, id: entry.id, object: entry.object };
}

/** The files of the given types: "/"-separated relative path → content, in layout order. */
export function snapshotFiles(snapshot: Snapshot, types: ResourceTypeId[] = snapshot.types()): Map<string, string> {
  const files = new Map<string, string>();
  for (const type of types) {
    const entries = snapshot.byType(type);
    const suffixes = [...new Set(entries.flatMap((e) => Object.keys(e.files)))];
    const placed = placeObjects(entries.map((e) => ({ id: e.id, name: e.name })), suffixes);
    entries.forEach((entry, i) => {
      entry.file = placed[i].file;
      files.set(objectPath(type, entry.file), canonicalJson(objectDocument(entry)));
      for (const [suffix, content] of Object.entries(entry.files)) files.set(objectPath(type, entry.file, suffix), content);
    });
  }
  return files;
}

/** Writes the given types of the snapshot under `root`. Returns the relative paths written. */
export function writeSnapshotDir(snapshot: Snapshot, root: string, types: ResourceTypeId[] = snapshot.types()): string[] {
  const files = snapshotFiles(snapshot, types);
  for (const type of types) mkdirSync(join(root, type), { recursive: true });
  for (const [path, content] of files) writeFileSync(join(root, path), content);
  return [...files.keys()].sort();
}

/** Reads the object files of a snapshot folder (the type folders given, or all that exist). */
export function readSnapshotDir(root: string, knownTypes: ResourceTypeId[]): Snapshot {
  const snapshot = new Snapshot();
  if (!existsSync(root)) return snapshot;
  for (const type of knownTypes) {
    const folder = join(root, type);
    if (!existsSync(folder) || !statSync(folder).isDirectory()) continue;
    for (const name of readdirSync(folder).sort()) {
      if (!name.endsWith(".json")) continue;
      const path = join(folder, name);
      let doc: unknown;
      try {
        doc = JSON.parse(readFileSync(path, "utf8"));
      } catch (e) {
        throw new SyncError("snapshot.invalid", `${type}/${name} is not valid JSON: ${(e as Error).message}.`, { hint: "Fix the JSON syntax of that file (or restore it from git) and run again." });
      }
      if (!isJsonObject(doc) || !isJsonObject(doc.object)) {
        throw new SyncError("snapshot.invalid", `${type}/${name} must be an object with an "object" property holding the configuration.`, { hint: "Compare it with another file of the same folder." });
      }
      const file = name.slice(0, -".json".length);
      // Only the files its JSON names: "X.ps1.ps1" is object "X.ps1"'s script, not object X's.
      const files: Record<string, string> = {};
      for (const value of Object.values(doc.object)) {
        if (!isJsonObject(value) || typeof value.$file !== "string" || !/^\.[^\\/]+$/.test(value.$file) || value.$file.endsWith(".json")) continue;
        const other = join(folder, `${file}${value.$file}`);
        if (existsSync(other)) files[value.$file] = readFileSync(other, "utf8");
      }
      snapshot.add({ type, id: typeof doc.id === "string" ? doc.id : "", name: "", object: doc.object, files, file });
    }
  }
  return snapshot;
}
