/**
 * backup — the first step of a sync (DESIGN §2.1): check the token's permissions against what the
 * enabled types need, export the tenant, and commit the snapshot to the backup-history branch (one
 * commit per backup that changed anything). All or nothing: the branch moves only after the whole
 * snapshot is written; types that could not be read keep their previous snapshot and the result
 * says so.
 */
import type { Clock } from "../clock";
import { realClock } from "../clock";
import type { GraphClient } from "../graph/graph-client";
import { adminConsentUrl, checkConsent } from "../graph/permissions";
import { silentLogger, type Logger } from "../logger";
import { allResourceTypes, applyOrder } from "../resources/registry";
import type { ResourceType, ResourceTypeId } from "../resources/resource-type";
import { exportTenant, type TypeOutcome } from "../snapshot/export-tenant";
import { commitSnapshot, ensureRepository } from "../snapshot/git-store";
import { Snapshot, snapshotFiles } from "../snapshot/snapshot";
import { enabledTypeIds, readSyncConfig } from "../sync-config";
import { checkHistoryBranches } from "./history-branches";
import { SyncError } from "../errors";

export interface BackupOptions {
  repoDir: string;
  graph: GraphClient;
  /** For the admin-consent URL. */
  identity: { authorityHost: string; tenantId: string; clientId: string };
  include?: ResourceTypeId[];
  exclude?: ResourceTypeId[];
  /** The branch the working tree stands for when HEAD is detached (a pipeline's checkout). */
  workingBranch?: string;
  log?: Logger;
  clock?: Clock;
}

export interface BackupResult {
  tenantId: string;
  repo: string;
  branch: string;
  commit?: string;
  /** A new commit was made (the tenant changed since the last backup). */
  changed: boolean;
  /** Some type failed: its previous snapshot was kept. */
  partial: boolean;
  objects: Partial<Record<ResourceTypeId, number>>;
  filesWritten: number;
  requests: number;
  batchItems: number;
  throttled: number;
  missingPermissions: string[];
  consentUrl?: string;
  skipped: { type: ResourceTypeId; reason: string }[];
  failed: { type: ResourceTypeId; error: string; object?: string }[];
  warnings: string[];
  durationMs: number;
}

function commitMessage(tenantId: string, objects: BackupResult["objects"], outcomes: TypeOutcome[]): string {
  const total = Object.values(objects).reduce<number>((a, b) => a + (b ?? 0), 0);
  const failed = outcomes.filter((o) => o.status === "failed");
  const lines = [`Backup of tenant ${tenantId}: ${total} objects${failed.length ? " (partial)" : ""}`, ""];
  for (const [type, n] of Object.entries(objects).sort()) lines.push(`${type}: ${n}`);
  for (const o of outcomes.filter((x) => x.status !== "ok"))
    lines.push(`${o.type}: not backed up (${o.status}); previous snapshot kept`);
  return `${lines.join("\n")}\n`;
}

export async function backup(options: BackupOptions): Promise<BackupResult> {
  const clock = options.clock ?? realClock;
  const started = clock.now();
  const statsBefore = { ...options.graph.stats };
  const log = options.log ?? silentLogger;
  const repo = await ensureRepository(options.repoDir);
  const ids = allResourceTypes.map((t) => t.id);
  const config = readSyncConfig(repo, ids);
  await checkHistoryBranches(repo, config, options.workingBranch);
  const enabled = new Set(enabledTypeIds(ids, config, { include: options.include, exclude: options.exclude }));
  if (enabled.size === 0) {
    throw new SyncError(
      "config.invalid",
      `The resource types chosen leave none to back up: ${describeSelection(options, config)}.`,
      {
        hint: "Name at least one type that is not also excluded (tenant-sync types lists them), or drop the exclusion.",
      },
    );
  }
  const types = applyOrder(allResourceTypes.filter((t) => enabled.has(t.id)));

  const token = await options.graph.accessToken();
  const consent = checkConsent(
    token,
    types.flatMap((t) => t.permissions.read),
    options.identity,
  );
  const missing = new Set(consent.missing);
  const readable = types.filter((t) => t.permissions.read.every((p) => !missing.has(p)));
  const skipped: BackupResult["skipped"] = types
    .filter((t) => !readable.includes(t))
    .map((t) => ({
      type: t.id,
      reason: `missing permission ${t.permissions.read.filter((p) => missing.has(p)).join(", ")}`,
    }));
  if (missing.size)
    log.warn(
      `The app lacks ${[...missing].join(", ")}; ${skipped.map((s) => s.type).join(", ")} will not be backed up. Grant admin consent: ${consent.consentUrl}`,
    );

  log.info(`Exporting ${readable.length} resource types from tenant ${options.identity.tenantId}…`);
  const exported = await exportTenant({ graph: options.graph, types: readable, allTypes: allResourceTypes, log });
  for (const o of exported.outcomes) {
    if (o.status === "forbidden") {
      const type = readable.find((t) => t.id === o.type) as ResourceType;
      type.permissions.read.forEach((p) => missing.add(p));
      skipped.push({ type: o.type, reason: `Graph refused access (403): ${o.error}` });
    } else if (o.status === "unavailable") skipped.push({ type: o.type, reason: o.error });
  }
  const okTypes = exported.outcomes.filter((o) => o.status === "ok").map((o) => o.type);
  const objects: BackupResult["objects"] = {};
  for (const o of exported.outcomes) if (o.status === "ok") objects[o.type] = o.objects;

  const snapshot = Snapshot.fromNormalized(exported.objects);
  log.debug(`normalised ${exported.objects.length} objects at ${clock.now() - started} ms`);
  const files = snapshotFiles(snapshot, okTypes);
  const commit = await commitSnapshot({
    repo,
    branch: config.backupBranch,
    files,
    replaceFolders: okTypes,
    message: commitMessage(options.identity.tenantId, objects, exported.outcomes),
  });
  log.debug(`committed at ${clock.now() - started} ms`);
  const stats = options.graph.stats;
  const failed = exported.outcomes
    .filter((o): o is Extract<TypeOutcome, { status: "failed" }> => o.status === "failed")
    .map((o) => ({ type: o.type, error: o.error, object: o.object }));
  return {
    tenantId: options.identity.tenantId,
    repo,
    branch: config.backupBranch,
    commit: commit.commit,
    changed: commit.changed,
    partial: exported.partial,
    objects,
    filesWritten: files.size,
    requests:
      stats.httpRequests -
      statsBefore.httpRequests -
      (stats.batchEnvelopes - statsBefore.batchEnvelopes) +
      (stats.batchItems - statsBefore.batchItems),
    batchItems: stats.batchItems - statsBefore.batchItems,
    throttled: stats.throttled - statsBefore.throttled,
    missingPermissions: [...missing].sort(),
    consentUrl: missing.size
      ? adminConsentUrl(options.identity.authorityHost, options.identity.tenantId, options.identity.clientId)
      : undefined,
    skipped,
    failed,
    warnings: exported.warnings,
    durationMs: clock.now() - started,
  };
}

function describeSelection(options: BackupOptions, config: ReturnType<typeof readSyncConfig>): string {
  const include = options.include?.length
    ? `--types ${options.include.join(",")}`
    : config.resourceTypes.include?.length
      ? `include ${config.resourceTypes.include.join(",")}`
      : "every type";
  const exclude = [...(config.resourceTypes.exclude ?? []), ...(options.exclude ?? [])];
  return `${include}${exclude.length ? ` minus ${exclude.join(",")}` : ""}`;
}
