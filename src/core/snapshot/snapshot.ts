/**
 * snapshot — the normalised form of a configuration: one entry per object, keyed by address, and
 * its on-disk layout (see layout.ts). Everything written is canonical JSON; nothing here talks to
 * Graph. Each file records the tenant id of the object it came from, for pairing.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ResourceTypeId } from "../resources/resource-type";
import { canonicalJson } from "./canonical-json";
import { objectPath, placeObjects } from "./layout";
import { addressOf, type NormalizedObject } from "./normalize";
import type { JsonObject } from "./pointer";

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

  get size(): number {
    return this.entries.size;
  }
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
    const placed = placeObjects(
      entries.map((e) => ({ id: e.id, name: e.name })),
      suffixes,
    );
    entries.forEach((entry, i) => {
      entry.file = placed[i].file;
      files.set(objectPath(type, entry.file), canonicalJson(objectDocument(entry)));
      for (const [suffix, content] of Object.entries(entry.files))
        files.set(objectPath(type, entry.file, suffix), content);
    });
  }
  return files;
}

/** Writes the given types of the snapshot under `root`. Returns the relative paths written. */
export function writeSnapshotDir(
  snapshot: Snapshot,
  root: string,
  types: ResourceTypeId[] = snapshot.types(),
): string[] {
  const files = snapshotFiles(snapshot, types);
  for (const type of types) mkdirSync(join(root, type), { recursive: true });
  for (const [path, content] of files) writeFileSync(join(root, path), content);
  return [...files.keys()].sort();
}
