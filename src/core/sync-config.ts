/**
 * sync-config — the repository's `tenant-sync.json`: which resource types to sync and the policies
 * of a sync. Validated against a JSON schema; every bad value is reported with its place in the
 * file and what is allowed, and nothing runs on a bad file.
 */
import Ajv, { type ErrorObject } from "ajv";
import { SyncError } from "./errors";
import type { ResourceTypeId } from "./resources/resource-type";
import { readRepoText } from "./snapshot/repo-files";

export const configFileName = "tenant-sync.json";

export interface SyncConfig {
  resourceTypes: { include?: ResourceTypeId[]; exclude?: ResourceTypeId[] };
  backupBranch: string;
  conflictPolicy: "stop" | "repo-wins" | "tenant-wins";
  /** Share of a type's objects a plan may change before it needs confirming (0–1). */
  massChangeThreshold: number;
  /** Changes to at most this many objects of a type never count as mass. */
  massChangeMinimum: number;
  /** Plan a plain security group for each referenced group the target tenant lacks. */
  createMissingGroups: boolean;
}

export const defaultConfig: SyncConfig = {
  resourceTypes: {},
  backupBranch: "tenant-sync/backup",
  conflictPolicy: "stop",
  massChangeThreshold: 0.05,
  massChangeMinimum: 3,
  createMissingGroups: false,
};

export function configSchema(typeIds: readonly string[]): object {
  const typeList = { type: "array", items: { enum: [...typeIds] }, uniqueItems: true };
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    title: "Tenant Sync configuration (tenant-sync.json)",
    type: "object",
    additionalProperties: false,
    properties: {
      $schema: { type: "string" },
      resourceTypes: {
        type: "object",
        additionalProperties: false,
        properties: { include: typeList, exclude: typeList },
      },
      backupBranch: { type: "string", pattern: "^(?!/)(?!.*\\.\\.)(?!.*//)[A-Za-z0-9._/-]+(?<!/)(?<!\\.lock)$" },
      conflictPolicy: { enum: ["stop", "repo-wins", "tenant-wins"] },
      massChangeThreshold: { type: "number", minimum: 0, maximum: 1 },
      massChangeMinimum: { type: "integer", minimum: 0 },
      createMissingGroups: { type: "boolean" },
    },
  };
}

/** Edit distance, for "did you mean". */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length];
}

export function closest(value: string, options: readonly string[]): string | undefined {
  const scored = options
    .map((o) => ({ o, d: distance(value.toLowerCase(), o.toLowerCase()) }))
    .sort((x, y) => x.d - y.d);
  return scored[0] && scored[0].d <= Math.max(2, Math.floor(value.length / 4)) ? scored[0].o : undefined;
}

function describe(error: ErrorObject, data: unknown, typeIds: readonly string[]): string {
  const where = error.instancePath || "(top level)";
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "additionalProperties":
      return `${where}: unknown setting "${String(params.additionalProperty)}"`;
    case "enum": {
      const got = error.instancePath
        .split("/")
        .slice(1)
        .reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], data);
      const allowed = params.allowedValues as string[];
      const hint = typeof got === "string" && allowed.length === typeIds.length ? closest(got, typeIds) : undefined;
      return `${where}: ${JSON.stringify(got)} is not one of ${allowed.length > 6 ? "the resource type ids" : allowed.map((a) => JSON.stringify(a)).join(", ")}${hint ? ` (did you mean "${hint}"?)` : ""}`;
    }
    default:
      return `${where}: ${error.message ?? "is not valid"}`;
  }
}

/** Parses and validates a configuration text; `source` names it in errors. */
export function parseSyncConfig(text: string, source: string, typeIds: readonly string[]): SyncConfig {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new SyncError("config.invalid", `${source} is not valid JSON: ${(e as Error).message}.`, {
      hint: "Fix the JSON syntax and run again.",
    });
  }
  const validate = new Ajv({ allErrors: true, strict: false }).compile(configSchema(typeIds));
  if (!validate(data)) {
    const problems = (validate.errors ?? []).map((e) => describe(e, data, typeIds));
    throw new SyncError(
      "config.invalid",
      `${source} has ${problems.length} problem${problems.length === 1 ? "" : "s"}: ${problems.join("; ")}.`,
      {
        hint: `Correct ${source}; the valid resource type ids are listed by 'tenant-sync types'.`,
      },
    );
  }
  const { $schema: _schema, ...settings } = data as Partial<SyncConfig> & { $schema?: string };
  const config = { ...structuredClone(defaultConfig), ...settings };
  refuseEmptySelection(config, source, typeIds as ResourceTypeId[]);
  return config;
}

/** An empty include list reads as "all" by accident, and a selection of no type syncs nothing: both refused. */
function refuseEmptySelection(config: SyncConfig, source: string, typeIds: readonly ResourceTypeId[]): void {
  if (config.resourceTypes.include?.length === 0) {
    throw new SyncError(
      "config.invalid",
      `${source}: resourceTypes.include lists no types; remove "include" to sync every type, or name the types to sync.`,
      { hint: `Remove "include" from ${source} to sync every type, or name the types to sync.` },
    );
  }
  if (enabledTypeIds(typeIds, config).length === 0) {
    throw new SyncError(
      "config.invalid",
      `${source}: resourceTypes.include and resourceTypes.exclude leave no resource type to sync; exclude fewer types, or include one that is not excluded.`,
      { hint: `Correct resourceTypes in ${source}: exclude fewer types, or include one that is not excluded.` },
    );
  }
}

/**
 * Refuses a backupBranch that would write backups into other history: the base branch or the
 * branch the repository has checked out (compared ignoring case: refs collide on Windows and macOS).
 */
export function refuseHistoryBranches(
  config: SyncConfig,
  branches: { base: string; current?: string },
  source = configFileName,
): void {
  const same = (a: string, b?: string) => b !== undefined && a.toLowerCase() === b.toLowerCase();
  const clash = same(config.backupBranch, branches.base)
    ? `the base branch ${branches.base}`
    : same(config.backupBranch, branches.current)
      ? `the branch the repository has checked out (${String(branches.current)})`
      : undefined;
  if (clash) {
    throw new SyncError(
      "config.invalid",
      `${source}: backupBranch "${config.backupBranch}" is ${clash}; backups would be committed into it. Set backupBranch to a branch of its own.`,
      { hint: `Set backupBranch in ${source} to a branch of its own (the default is ${defaultConfig.backupBranch}).` },
    );
  }
  if (same(branches.base, branches.current)) {
    throw new SyncError(
      "config.invalid",
      `The repository has the base branch ${branches.base} checked out; imported changes would be committed into it. Check out the branch holding the desired state.`,
      { hint: "Check out the branch that holds the desired state (e.g. git switch main) and run again." },
    );
  }
}

/** Reads `tenant-sync.json` from the repository folder; the defaults when there is none. */
export function readSyncConfig(repoDir: string, typeIds: readonly string[]): SyncConfig {
  const text = readRepoText(repoDir, configFileName, "Save it as UTF-8.");
  if (text === undefined) return structuredClone(defaultConfig);
  return parseSyncConfig(text.replace(/^\uFEFF/, ""), configFileName, typeIds);
}

/** The enabled types: include (or all) minus exclude, with command-line choices taking precedence. */
export function enabledTypeIds(
  all: readonly ResourceTypeId[],
  config: SyncConfig,
  override: { include?: ResourceTypeId[]; exclude?: ResourceTypeId[] } = {},
): ResourceTypeId[] {
  const include = override.include?.length
    ? override.include
    : config.resourceTypes.include?.length
      ? config.resourceTypes.include
      : all;
  const exclude = new Set([...(config.resourceTypes.exclude ?? []), ...(override.exclude ?? [])]);
  return all.filter((id) => include.includes(id) && !exclude.has(id));
}
