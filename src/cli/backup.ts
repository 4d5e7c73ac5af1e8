/**
 * backup — `tenant-sync backup`: export the tenant into the repository's backup-history branch.
 * Progress on stderr; --json prints one result object on stdout.
 * Exit codes: 0 complete, 1 failed, 3 partial (some types kept their previous snapshot: one that
 * failed, or whose references could not be resolved; named on stderr), 4 complete but some types
 * lack permissions (pending admin consent), 6 another run holds the repository's lock.
 */
import { describeError } from "../core/errors";
import { safeJson, safeOutput } from "../core/safe-text";
import { resourceTypeIds } from "../core/resources/registry";
import type { ResourceTypeId } from "../core/resources/resource-type";
import { backup, type BackupResult } from "../core/sync/backup";
import { createCliLogger } from "./cli-logger";
import { type Command, UsageError } from "./command";
import { authorityHostOf, connect, connectionOptions, graphUrlOf, isLoopbackUrl } from "./connection";
import { rerunTrustingLocalCa } from "./local-ca";
import { lockedCommand, repoOf } from "./lock";

export function parseTypeList(value: string | boolean | undefined, flag: string): ResourceTypeId[] | undefined {
  if (typeof value !== "string" || value.trim() === "") return undefined;
  const ids = value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = ids.filter((id) => !resourceTypeIds.includes(id as ResourceTypeId));
  if (unknown.length)
    throw new UsageError(
      `--${flag}: unknown resource type ${unknown.map((u) => `"${u}"`).join(", ")}. Run 'tenant-sync types' for the list.`,
    );
  return ids as ResourceTypeId[];
}

export function summarizeBackup(r: BackupResult): string {
  const total = Object.values(r.objects).reduce<number>((a, b) => a + (b ?? 0), 0);
  const lines = [
    `${r.changed ? "Backed up" : "No change since the last backup:"} ${total} objects of ${Object.keys(r.objects).length} resource types to ${r.branch} (${r.commit?.slice(0, 12) ?? "no commit"}) in ${(r.durationMs / 1000).toFixed(1)} s; ${r.requests} requests, ${r.throttled} throttled.`,
  ];
  for (const s of r.skipped) lines.push(`  skipped ${s.type}: ${s.reason}`);
  for (const f of r.failed)
    lines.push(`  FAILED ${f.type}${f.object ? ` at ${f.object}` : ""}: ${f.error} (previous snapshot kept)`);
  if (r.missingPermissions.length)
    lines.push(`Missing permissions: ${r.missingPermissions.join(", ")}. An admin can consent here: ${r.consentUrl}`);
  if (r.partial)
    lines.push("The backup is PARTIAL: run again; if it keeps failing, the message above names the object.");
  return lines.join("\n");
}

export function backupExitCode(r: BackupResult): number {
  return r.partial ? 3 : r.missingPermissions.length ? 4 : 0;
}

export const backupCommand: Command = lockedCommand(
  {
    name: "backup",
    summary:
      "Export the tenant through Microsoft Graph and commit it to the repository's backup-history branch (created if missing).",
    usage: "tenant-sync backup --repo DIR [--types a,b] [--exclude c] [--json] [connection options]",
    options: {
      repo: { type: "string", value: "DIR", description: "Git repository (created if missing)." },
      types: {
        type: "string",
        value: "IDS",
        description: "Only these resource types (comma-separated ids; see 'tenant-sync types').",
      },
      exclude: { type: "string", value: "IDS", description: "Leave out these resource types." },
      json: { type: "boolean", description: "Print one JSON result object on stdout." },
      verbose: { type: "boolean", description: "Show debug lines (retries, per-type results)." },
      ...connectionOptions,
    },
    async run(values) {
      if (typeof values.repo !== "string" || !values.repo)
        throw new UsageError("--repo DIR is required: the git repository to back up into.");
      const include = parseTypeList(values.types, "types");
      const exclude = parseTypeList(values.exclude, "exclude");
      if (isLoopbackUrl(graphUrlOf(values)) || isLoopbackUrl(authorityHostOf(values))) {
        const rerun = rerunTrustingLocalCa(undefined, false);
        if (rerun !== undefined) return rerun;
      }
      const log = createCliLogger({ verbose: Boolean(values.verbose) });
      const { graph, identity } = connect(values, log);
      try {
        const result = await backup({ repoDir: values.repo, graph, identity, include, exclude, log });
        if (values.json) process.stdout.write(`${safeJson(result)}\n`);
        else process.stdout.write(safeOutput(`${summarizeBackup(result)}\n`));
        for (const w of result.warnings) log.warn(w);
        if (result.partial)
          log.error(
            `The backup is PARTIAL: ${result.failed.map((f) => f.type).join(", ")} could not be backed up; their previous snapshots are kept.`,
          );
        return backupExitCode(result);
      } catch (e) {
        if (values.json)
          process.stdout.write(`${safeJson({ error: describeError(e), code: (e as { code?: string }).code })}\n`);
        throw e;
      }
    },
  },
  (v) => ({ repo: repoOf(v) }),
);
