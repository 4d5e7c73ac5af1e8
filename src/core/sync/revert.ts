/**
 * revert — the approver's "Reject and revert" and the restore from history (DESIGN §2):
 * rejectAndRevert() resets the repository's pending changes (all, or those of one plan) to the
 * tenant's current state with a commit saying so; revertToBackup() makes an earlier backup the
 * desired state, so the next plan takes the tenant back to it through the same gates as any plan.
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { isSyncError, SyncError } from "../errors";
import { allResourceTypes } from "../resources/registry";
import { git, gitStatus } from "../snapshot/git";
import { readCommitFiles, readWorkingTree, snapshotFromFiles } from "../snapshot/read-snapshot";
import { writeSnapshotDir } from "../snapshot/snapshot";
import { addressOf } from "../snapshot/normalize";
import { commitIdentity } from "../snapshot/git";
import { importDrift } from "./import-drift";
import type { Import } from "./make-plan";
import type { Plan } from "./plan";
import { secretsReplacedByImports } from "./repo-secrets";
import { readThreeSides, type SyncConnection } from "./sync";
import { classify } from "./three-way";

/**
 * What a Reject and revert did. `leftOut`: types the backup could not read (a partial run); their
 * pending changes were not reverted and stay in the repository.
 */
export interface RevertResult {
  commit?: string;
  reverted: string[];
  leftOut: { type: string; error: string }[];
}

export async function rejectAndRevert(o: SyncConnection & { plan?: Plan }): Promise<RevertResult> {
  const sides = await readThreeSides(o);
  const only = o.plan ? new Set(o.plan.changes.map((c) => c.address)) : undefined;
  const imports: Import[] = [];
  for (const t of sides.triples) {
    const kind = classify(t);
    if (kind !== "repoChanged" && kind !== "conflict") continue;
    const address = addressOf(t.type, (t.repo ?? t.tenant ?? t.base)?.name ?? "");
    const tenantAddress = t.tenant ? addressOf(t.type, t.tenant.name) : address;
    if (only && !only.has(address) && !only.has(tenantAddress)) continue;
    imports.push({ type: t.type, address, reason: "revert", tenant: t.tenant, repo: t.repo });
  }
  const title = `Revert ${imports.length} pending change${imports.length === 1 ? "" : "s"} to the tenant's state${o.plan ? ` (plan of ${o.plan.createdAt} rejected)` : ""}`;
  for (const line of secretsReplacedByImports(imports, await headOrNone(sides.repoDir))) o.log?.warn(line);
  const commit = await importDrift(sides.repoDir, imports, sides.backup.tenantId, title);
  return {
    commit,
    reverted: imports.map((i) => i.address),
    leftOut: sides.backup.failed.map((f) => ({ type: f.type, error: f.error })),
  };
}

/** The repository's HEAD commit; none while the branch has no commit yet (git rev-parse answers "no"). */
async function headOrNone(repoDir: string): Promise<string | undefined> {
  try {
    return (await git(["rev-parse", "-q", "--verify", "HEAD"], { cwd: repoDir })).trim() || undefined;
  } catch (e) {
    if (isSyncError(e) && e.code === "git.failed") return undefined;
    throw e;
  }
}

/** Makes the snapshot of a backup commit the repository's desired state, in one commit. */
export async function revertToBackup(repoDir: string, to: string): Promise<{ commit?: string; backupCommit: string }> {
  const found = await gitStatus(["rev-parse", "-q", "--verify", `${to}^{commit}`], { cwd: repoDir }, [1]);
  const backupCommit = found.code === 0 ? found.stdout.trim() : "";
  if (!backupCommit)
    throw new SyncError("config.invalid", `"${to}" is not a commit of the repository ${repoDir}.`, {
      hint: "Pick a commit of the backup history: git log tenant-sync/backup",
    });
  const { snapshot } = snapshotFromFiles(await readCommitFiles(repoDir, backupCommit), allResourceTypes, {
    strict: false,
  });
  const present = [...readWorkingTree(repoDir, allResourceTypes).files.keys()].map((p) => p.split("/")[0]);
  for (const folder of new Set([...present, ...snapshot.types()]))
    rmSync(join(repoDir, folder), { recursive: true, force: true });
  const written = writeSnapshotDir(snapshot, repoDir);
  const folders = [...new Set([...present, ...written.map((p) => p.split("/")[0])])];
  await git(["add", "-A", "--", ...folders], { cwd: repoDir });
  const staged = (await git(["diff", "--cached", "--name-only"], { cwd: repoDir })).trim();
  if (!staged) return { backupCommit };
  const date = (await git(["log", "-1", "--format=%cI", backupCommit], { cwd: repoDir })).trim();
  await git(["commit", "-q", "-F", "-", "--", ...folders], {
    cwd: repoDir,
    env: await commitIdentity(repoDir),
    input: `Revert the configuration to backup ${backupCommit.slice(0, 12)} of ${date}\n\nThe next plan takes the tenant back to this state; it goes through the same gates as any plan.\n`,
  });
  return { commit: (await git(["rev-parse", "HEAD"], { cwd: repoDir })).trim(), backupCommit };
}
