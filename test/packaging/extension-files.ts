/**
 * extension-files — what the packaging and template tests read from the source tree: the package
 * version, the task folders and their task.json, the manifest. Read-only; no building here.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

export const root = join(__dirname, "..", "..");

export interface TaskJson {
  id: string;
  name: string;
  version: { Major: number; Minor: number; Patch: number };
  inputs?: TaskInput[];
  outputVariables?: { name: string }[];
  [key: string]: unknown;
}

export interface TaskInput {
  name: string;
  type: string;
  aliases?: string[];
  required?: boolean;
  defaultValue?: string;
  visibleRule?: string;
  options?: Record<string, string>;
  properties?: Record<string, string>;
}

export interface ManifestContribution {
  id: string;
  type: string;
  targets: string[];
  includes?: string[];
  properties: { name?: string; uri?: string; icon?: string; order?: number };
}

export interface Manifest {
  id: string;
  publisher: string;
  version?: string;
  scopes: string[];
  files: { path: string; addressable?: boolean }[];
  icons: { default: string };
  content: { details: { path: string } };
  contributions: ManifestContribution[];
}

export function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, "utf8").replace(/^\uFEFF/, "")) as T;
}

export function packageVersion(): { text: string; Major: number; Minor: number; Patch: number } {
  const text = readJson<{ version: string }>(join(root, "package.json")).version;
  const [Major, Minor, Patch] = text.split(".").map(Number);
  return { text, Major, Minor, Patch };
}

/** Folder names under tasks/ that hold a task.json, as scripts/build.ts discovers them. */
export function taskFolders(): string[] {
  const dir = join(root, "tasks");
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(dir, e.name, "task.json")))
    .map((e) => e.name)
    .sort();
}

export function readTaskJson(folder: string): TaskJson {
  return readJson<TaskJson>(join(root, "tasks", folder, "task.json"));
}

export function readManifest(): Manifest {
  return readJson<Manifest>(join(root, "vss-extension.json"));
}

export const taskContributionType = "ms.vss-distributed-task.task";

/** Width and height from a PNG's IHDR chunk; throws if the bytes are not a PNG. */
export function pngSize(bytes: Buffer): { width: number; height: number } {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (!bytes.subarray(0, 8).equals(signature) || bytes.toString("ascii", 12, 16) !== "IHDR")
    throw new Error("not a PNG");
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}
