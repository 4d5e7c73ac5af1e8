/**
 * git-store — the snapshots kept in git. The backup history is a branch of its own (default
 * "tenant-sync/backup") holding one snapshot per commit. A commit is built in a temporary index
 * from a fresh snapshot folder and the branch moves only at the end, with compare-and-swap, so a
 * run that fails or is killed midway leaves the branch and the working tree untouched.
 */
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { commitIdentity, git } from "./git";

export const defaultBackupBranch = "tenant-sync/backup";

/** Opens the repository at `dir`, creating it (and the folder) if missing. Returns its top folder. */
export async function ensureRepository(dir: string): Promise<string> {
  const root = resolve(dir);
  if (!existsSync(root) || !existsSync(join(root, ".git"))) {
    const inside = existsSync(root) && statSync(root).isDirectory() ? await git(["rev-parse", "--show-toplevel"], { cwd: root }).catch(() => "") : "";
    if (!inside.trim()) {
      const { mkdirSync } = await import("node:fs");
      mkdirSync(root, { recursive: true });
      await git(["init", "-q", "-b", "main"], { cwd: root });
    }
  }
  return (await git(["rev-parse", "--show-toplevel"], { cwd: root })).trim();
}

export async function branchHead(repo: string, branch: string): Promise<string | undefined> {
  const out = await git(["rev-parse", "-q", "--verify", `refs/heads/${branch}^{commit}`], { cwd: repo }).catch(() => "");
  return out.trim() || undefined;
}

export interface CommitSnapshotOptions {
  repo: string;
  branch: string;
  /** Folder holding the fresh snapshot files of `replaceFolders`. */
  snapshotDir: string;
  /** Top-level folders (resource types) replaced by this snapshot; the rest are kept from the parent. */
  replaceFolders: string[];
  message: string;
}

export interface CommitResult { commit: string; changed: boolean; tree: string }

/** Commits the snapshot onto the branch if its tree differs from the branch head's. */
export async function commitSnapshot(o: CommitSnapshotOptions): Promise<CommitResult> {
  const temp = mkdtempSync(join(tmpdir(), "tenant-sync-index-"));
  const env = { GIT_INDEX_FILE: join(temp, "index") };
  try {
    const parent = await branchHead(o.repo, o.branch);
    if (parent) await git(["read-tree", parent], { cwd: o.repo, env });
    else await git(["read-tree", "--empty"], { cwd: o.repo, env });
    for (const folder of o.replaceFolders) {
      await git(["rm", "-r", "-q", "--cached", "--ignore-unmatch", "--", folder], { cwd: o.repo, env });
    }
    const present = o.replaceFolders.filter((f) => existsSync(join(o.snapshotDir, f)));
    if (present.length > 0) {
      await git(["--work-tree", o.snapshotDir, "add", "-A", "-f", "--", ...present], { cwd: o.repo, env });
    }
    const tree = (await git(["write-tree"], { cwd: o.repo, env })).trim();
    const parentTree = parent ? (await git(["rev-parse", `${parent}^{tree}`], { cwd: o.repo })).trim() : undefined;
    if (parent && parentTree === tree) return { commit: parent, changed: false, tree };
    const identity = await commitIdentity(o.repo);
    const commit = (await git(["commit-tree", tree, ...(parent ? ["-p", parent] : []), "-F", "-"], { cwd: o.repo, env: identity, input: o.message })).trim();
    await git(["update-ref", "-m", "tenant-sync backup", `refs/heads/${o.branch}`, commit, parent ?? "0".repeat(40)], { cwd: o.repo });
    return { commit, changed: true, tree };
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

/** Files of a branch's snapshot, materialised into a fresh folder (for reading and comparing). */
export async function checkoutBranchTo(repo: string, branch: string, dir: string): Promise<boolean> {
  const head = await branchHead(repo, branch);
  if (!head) return false;
  const temp = mkdtempSync(join(tmpdir(), "tenant-sync-index-"));
  try {
    const env = { GIT_INDEX_FILE: join(temp, "index") };
    await git(["read-tree", head], { cwd: repo, env });
    await git(["--work-tree", dir, "checkout-index", "-a", "-f"], { cwd: repo, env });
    return true;
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}
