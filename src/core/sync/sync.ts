/**
 * sync — the plan step of a sync (DESIGN §2.1–2.4) and the settle after a deploy (§2.6):
 * back the tenant up; read base, repo and tenant; import drift into the repo; make the plan; and,
 * when nothing is left to deploy, move base forward. After a deploy, settle re-reads the tenant and
 * moves base forward for exactly the objects the plan touched.
 */
import { writeFileSync } from "node:fs";
import { realClock } from "../clock";
import { silentLogger } from "../logger";
import { allResourceTypes, getResourceType } from "../resources/registry";
import type { ResourceTypeId } from "../resources/resource-type";
import { gitStatus } from "../snapshot/git";
import { readCommitFiles, readWorkingTree, snapshotFromFiles, throwIfProblems } from "../snapshot/read-snapshot";
import { Snapshot } from "../snapshot/snapshot";
import { readSyncConfig } from "../sync-config";
import { backup, type BackupOptions, type BackupResult } from "./backup";
import { baseBranch, commitBase, composeBase, readSnapshotAt } from "./base";
import { attributeImports, commitTime, personOf, tenantChanges } from "./attribution";
import { importDrift } from "./import-drift";
import { type ConflictPolicy, type Import, makePlan } from "./make-plan";
import { addressOf } from "../snapshot/normalize";
import { rawIdsToPlaceholders } from "../snapshot/reference";
import type { ImportedChange, Plan } from "./plan";
import { writePlanFile } from "./plan-file";
import { renderMarkdown } from "./render-plan";
import {
  equaliseSecrets,
  maskRepoEntry,
  recordDeployedHashes,
  secretsReplacedByImports,
  uncommittedSecrets,
} from "./repo-secrets";
import { pairObjects, type PairingProblem, type Triple } from "./three-way";

/** What every step of a sync works with: the repository, Graph, the identity, the types. */
export type SyncConnection = BackupOptions;

export interface PlanStepOptions extends SyncConnection {
  conflictPolicy?: ConflictPolicy;
  /** Share of a type's objects a plan may change before it needs confirming (0–1); default: tenant-sync.json. */
  massChangeThreshold?: number;
  /** Where to write plan.json (and plan.md beside it). */
  planPath?: string;
}

export interface PlanStepResult {
  backup: BackupResult;
  plan: Plan;
  imports: Import[];
  importCommit?: string;
  /** Base moved forward (nothing left to deploy). */
  settled: boolean;
  planPath?: string;
  problems: PairingProblem[];
}

/** HEAD's commit; undefined for an unborn HEAD (exit 1). No git or a corrupt repository fails. */
async function headCommit(repoDir: string): Promise<string | undefined> {
  const head = await gitStatus(["rev-parse", "-q", "--verify", "HEAD"], { cwd: repoDir }, [1]);
  return head.code === 0 ? head.stdout.trim() : undefined;
}

export interface ThreeSides {
  backup: BackupResult;
  repoDir: string;
  /** Types read from the tenant in this run (the others are left out of the comparison). */
  considered: ResourceTypeId[];
  tenant: { snapshot: Snapshot; commit?: string };
  base: { snapshot: Snapshot; commit?: string };
  triples: Triple[];
  problems: PairingProblem[];
}

/** Backs the tenant up, reads base and the repository, and pairs their objects. */
export async function readThreeSides(o: SyncConnection): Promise<ThreeSides> {
  const log = o.log ?? silentLogger;
  const tree = readWorkingTree(o.repoDir, allResourceTypes);
  for (const w of tree.warnings) log.warn(`${w.file} ${w.message}`);
  const repoFiles = snapshotFromFiles(tree.files, allResourceTypes, { strict: true });
  throwIfProblems([...tree.problems, ...repoFiles.problems], `the repository ${o.repoDir}`);
  const backed = await backup(o);
  const repoDir = backed.repo;
  const considered = Object.keys(backed.objects) as ResourceTypeId[];
  const types = allResourceTypes.filter((t) => considered.includes(t.id));
  for (const s of backed.skipped) log.warn(`${s.type} is left out: ${s.reason}.`);
  for (const f of backed.failed) log.warn(`${f.type} is left out: ${f.error}`, f.object);
  const tenant = await readSnapshotAt(repoDir, backed.branch, types);
  const base = await readSnapshotAt(repoDir, baseBranch, allResourceTypes);
  const triples: Triple[] = [];
  const problems: PairingProblem[] = [];
  for (const type of types) {
    // Secrets written in the repository become references (no clear value past this point).
    const paired = pairObjects(
      type.id,
      base.snapshot.byType(type.id),
      repoFiles.snapshot.byType(type.id).map(maskRepoEntry),
      tenant.snapshot.byType(type.id),
    );
    triples.push(...paired.triples.map(equaliseSecrets));
    problems.push(...paired.problems);
  }
  for (const p of problems) log.warn(p.message);
  return { backup: backed, repoDir, considered, tenant, base, triples, problems };
}

export async function planStep(o: PlanStepOptions): Promise<PlanStepResult> {
  const log = o.log ?? silentLogger;
  const clock = o.clock ?? realClock;
  const sides = await readThreeSides(o);
  const { backup: backed, repoDir, considered, tenant, base, triples, problems } = sides;
  const config = readSyncConfig(
    repoDir,
    allResourceTypes.map((t) => t.id),
  );
  const { plan, imports } = makePlan({
    triples,
    problems,
    knownTypes: considered,
    tenantId: backed.tenantId,
    createdAt: new Date(clock.now()).toISOString(),
    commits: { repo: await headCommit(repoDir), tenant: tenant.commit, base: base.commit },
    conflictPolicy: o.conflictPolicy ?? config.conflictPolicy,
    createMissingGroups: config.createMissingGroups,
    gates: {
      massChangeThreshold: o.massChangeThreshold ?? config.massChangeThreshold,
      massChangeMinimum: config.massChangeMinimum,
    },
  });
  for (const line of secretsReplacedByImports(imports, plan.repoCommit)) log.warn(line);
  const attribution = await attributeImports(o.graph, imports, await commitTime(repoDir, base.commit));
  for (const line of attribution.warnings) log.warn(line);
  const importCommit = await importDrift(repoDir, imports, backed.tenantId, undefined, attribution.byAddress);
  // Drift exists against a base: the first sync's import of the whole tenant is no one's change.
  if (importCommit && base.commit) plan.imported = importedChanges(imports, attribution.byAddress);
  if (importCommit) {
    plan.repoCommit = importCommit;
    log.info(
      `Imported ${imports.length} change${imports.length === 1 ? "" : "s"} made in the tenant into the repository (${importCommit.slice(0, 12)}).`,
    );
  }
  for (const line of await uncommittedSecrets(plan, repoDir)) log.warn(line);
  let settled = false;
  if (plan.changes.length === 0 && !plan.conflicts.some((c) => c.resolution === "stopped")) {
    // Everything considered now agrees: base = tenant for those types.
    const next = composeBase(base.snapshot, tenant.snapshot, { replaceTypes: considered });
    await commitBase(
      repoDir,
      next,
      allResourceTypes,
      `Settle: repository and tenant ${backed.tenantId} agree (${tenant.commit?.slice(0, 12) ?? "empty"})\n`,
    );
    settled = true;
  }
  if (o.planPath) {
    writePlanFile(o.planPath, plan);
    writeFileSync(o.planPath.replace(/\.json$/, "") + ".md", renderMarkdown(plan));
  }
  return { backup: backed, plan, imports, importCommit, settled, planPath: o.planPath, problems };
}

/** What the plan says of the tenant changes it imported: each object, and who changed it when known. */
function importedChanges(
  imports: Import[],
  byAddress: Awaited<ReturnType<typeof attributeImports>>["byAddress"],
): ImportedChange[] {
  return tenantChanges(imports).map((i) => {
    const who = byAddress.get(i.address);
    return {
      address: i.address,
      type: i.type,
      change: !i.tenant ? "deleted" : !i.repo ? "added" : "changed",
      ...(who ? { changedBy: personOf(who), changedAt: who.at } : {}),
    };
  });
}

/**
 * After a deploy: back up again and move base forward for the objects the plan touched. Base records
 * the hash of each repository secret a change deployed (`outcomes` say which succeeded).
 */
export async function settleAfterDeploy(
  o: SyncConnection & { plan: Plan; outcomes?: { address: string; ok: boolean }[] },
): Promise<{ backup: BackupResult; baseCommit: string; idsCommit?: string }> {
  const backed = await backup(o);
  const types = allResourceTypes.filter((t) => (Object.keys(backed.objects) as string[]).includes(t.id));
  const tenant = await readSnapshotAt(backed.repo, backed.branch, types);
  const base = await readSnapshotAt(backed.repo, baseBranch, allResourceTypes);
  const old = base.commit
    ? base.snapshot
    : o.plan.tenantCommit
      ? await readCommitSnapshot(backed.repo, o.plan.tenantCommit)
      : new Snapshot();
  const addresses = new Set(o.plan.changes.map((c) => c.address));
  const ids = new Set(o.plan.changes.map((c) => c.tenantId).filter((id): id is string => Boolean(id)));
  const next = withDeployedHashes(
    composeBase(old, tenant.snapshot, { replaceTypes: [], addresses, ids }),
    o.plan,
    o.outcomes ?? [],
  );
  const baseCommit = await commitBase(
    backed.repo,
    next,
    allResourceTypes,
    `Settle after deploy: ${o.plan.changes.length} change${o.plan.changes.length === 1 ? "" : "s"} agreed with tenant ${backed.tenantId}\n`,
  );
  const recorded = await recordCreatedIds(backed.repo, o.plan, tenant.snapshot, backed.tenantId);
  return { backup: backed, baseCommit, idsCommit: recorded };
}

/** Base with the hash of each repository secret a successful change deployed beside the tenant's placeholder. */
function withDeployedHashes(base: Snapshot, plan: Plan, outcomes: { address: string; ok: boolean }[]): Snapshot {
  const ok = new Set(outcomes.filter((x) => x.ok).map((x) => x.address));
  const deployed = new Map(
    plan.changes
      .filter((c) => ok.has(c.address) && c.after && c.action !== "delete")
      .map((c) => [c.address, c.after as NonNullable<typeof c.after>]),
  );
  if (deployed.size === 0) return base;
  const next = new Snapshot();
  for (const e of base.entries.values()) {
    const after = deployed.get(addressOf(e.type, e.name));
    next.add(after ? recordDeployedHashes(e, after) : e);
  }
  return next;
}

/**
 * Writes the tenant ids of objects the deploy created into their repository files (which had none,
 * or an old object's), so later syncs pair them by id and a portal rename stays an update. One
 * commit, or none.
 */
async function recordCreatedIds(
  repoDir: string,
  plan: Plan,
  tenant: Snapshot,
  tenantId: string,
): Promise<string | undefined> {
  const created = new Set(plan.changes.filter((c) => c.action === "create").map((c) => c.address));
  if (created.size === 0) return undefined;
  const repo = snapshotFromFiles(readWorkingTree(repoDir, allResourceTypes).files, allResourceTypes, {
    strict: false,
  }).snapshot;
  const tenantByAddress = new Map([...tenant.entries.values()].map((e) => [addressOf(e.type, e.name), e]));
  const imports: Import[] = [];
  for (const entry of repo.entries.values()) {
    const address = addressOf(entry.type, entry.name);
    const fresh = tenantByAddress.get(address);
    if (!created.has(address) || !fresh || entry.id === fresh.id) continue;
    imports.push({ type: entry.type, address, reason: "recordId", repo: entry, tenant: { ...entry, id: fresh.id } });
  }
  const title = `Record the tenant ids of ${imports.length} object${imports.length === 1 ? "" : "s"} the deploy created`;
  return importDrift(repoDir, withReplacedIdReferrers(repo, imports), tenantId, title);
}

/** Plus the files that referred to a replaced id by raw id: that reference is written by name now, as it was deployed. */
function withReplacedIdReferrers(repo: Snapshot, recorded: Import[]): Import[] {
  const replaced = new Map<string, { name: string; id?: string }>();
  for (const i of recorded)
    if (i.repo?.id) replaced.set(`${i.type}\u0000${i.repo.id}`, { name: i.repo.name, id: i.tenant?.id });
  if (replaced.size === 0) return recorded;
  const out = [...recorded];
  for (const entry of repo.entries.values()) {
    const object = rawIdsToPlaceholders(entry.object, getResourceType(entry.type), (type, id) =>
      replaced.get(`${type}\u0000${id}`),
    );
    if (JSON.stringify(object) === JSON.stringify(entry.object)) continue;
    const own = out.find((i) => i.repo === entry);
    if (own?.tenant) own.tenant = { ...own.tenant, object };
    else
      out.push({
        type: entry.type,
        address: addressOf(entry.type, entry.name),
        reason: "recordId",
        repo: entry,
        tenant: { ...entry, object },
      });
  }
  return out;
}

async function readCommitSnapshot(repo: string, commit: string): Promise<Snapshot> {
  return snapshotFromFiles(await readCommitFiles(repo, commit), allResourceTypes, { strict: false }).snapshot;
}
