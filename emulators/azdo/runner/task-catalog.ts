/**
 * task-catalog — the tasks the local agent can run, read from folders that each hold a task's
 * task.json and its bundled entry (dist/tasks/<name>/ after `npm run build`). A YAML step names a
 * task as `<name>@<major>`, matched without regard to case, as the service does.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export interface TaskInputDefinition {
  name: string;
  type: string;
  defaultValue?: string;
  aliases?: string[];
}

export interface TaskDefinition {
  id: string;
  name: string;
  friendlyName: string;
  author: string;
  description: string;
  version: { Major: number; Minor: number; Patch: number };
  /** Absolute path of the Node entry (execution Node24, Node20_1, Node16, Node10 or Node). */
  entry: string;
  inputs: TaskInputDefinition[];
  /** restrictions.settableVariables.allowed; undefined: any variable. */
  settableVariables?: string[];
}

export type TaskCatalog = Map<string, TaskDefinition>;

const nodeHandlers = ["Node24", "Node20_1", "Node16", "Node10", "Node"];

export const catalogKey = (name: string, major: number) => `${name.toLowerCase()}@${major}`;

interface TaskJson {
  id: string;
  name: string;
  friendlyName?: string;
  author?: string;
  description?: string;
  version: { Major: number | string; Minor: number | string; Patch: number | string };
  inputs?: TaskInputDefinition[];
  execution?: Record<string, { target: string }>;
  restrictions?: { settableVariables?: { allowed?: string[] } };
}

/** Reads one task folder; refuses a task this agent has no Node handler for. */
export function readTaskFolder(dir: string): TaskDefinition {
  const json = JSON.parse(readFileSync(join(dir, "task.json"), "utf8").replace(/^\uFEFF/, "")) as TaskJson;
  const handler = nodeHandlers.find((h) => json.execution?.[h]);
  if (!handler)
    throw new Error(
      `${join(dir, "task.json")}: no Node execution handler (${nodeHandlers.join(", ")}); this agent runs only Node tasks`,
    );
  const entry = join(dir, json.execution![handler].target);
  return {
    id: json.id,
    name: json.name,
    friendlyName: json.friendlyName ?? json.name,
    author: json.author ?? "",
    description: json.description ?? "",
    version: {
      Major: Number(json.version.Major),
      Minor: Number(json.version.Minor),
      Patch: Number(json.version.Patch),
    },
    entry,
    inputs: json.inputs ?? [],
    settableVariables: json.restrictions?.settableVariables?.allowed,
  };
}

/** Every task in the given folders' subfolders (e.g. dist/tasks). */
export function loadTaskCatalog(...roots: string[]): TaskCatalog {
  const catalog: TaskCatalog = new Map();
  for (const root of roots) {
    if (!existsSync(root)) continue;
    for (const entry of readdirSync(root, { withFileTypes: true })) {
      const dir = join(root, entry.name);
      if (!entry.isDirectory() || !existsSync(join(dir, "task.json"))) continue;
      const task = readTaskFolder(dir);
      catalog.set(catalogKey(task.name, task.version.Major), task);
    }
  }
  return catalog;
}
