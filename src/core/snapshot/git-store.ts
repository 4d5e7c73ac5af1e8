/**
 * git-store — the snapshots kept in git. The backup history is a branch of its own (default
 * "tenant-sync/backup") holding one snapshot per commit. A commit is built in a temporary index
 * from a fresh snapshot folder and the branch moves only at the end, with compare-and-swap, so a
 * run that fails or is killed midway leaves the branch and the working tree untouched.
 */
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { commitIdentity, git, gitStatus } from "./git";

export const defaultBackupBranch = "tenant-sync/backup";

/** Opens the repository at `dir`, creating it (and the folder) if missing. Returns its top folder. */
export async function ensureRepository(dir: string): Promise<string> {
  const root = resolve(dir);
  if (!existsSync(root) || !existsSync(join(root, ".git"))) {
    // Inside another repository's work tree: use it (git below says so, or fails with its cause).
    if (!(existsSync(root) && statSync(root).isDirectory() && insideWorkTree(root))) {
      const { mkdirSync } = await import("node:fs");
      mkdirSync(root, { recursive: true });
      await git(["init", "-q", "-b", "main"], { cwd: root });
    }
  }
  return (await git(["rev-parse", "--show-toplevel"], { cwd: root })).trim();
}

/** A `.git` in a parent folder (or GIT_DIR set), found the way git looks for one. */
function insideWorkTree(dir: string): boolean {
  if (process.env.GIT_DIR) return true;
  for (let d = dirname(dir); ; d = dirname(d)) {
    if (existsSync(join(d, ".git"))) return true;
    if (dirname(d) === d) return false;
  }
}

/** The branch's commit; undefined when it does not exist (rev-parse -q --verify exits 1). */
export async function branchHead(repo: string, branch: string): Promise<string | undefined> {
  const out = await gitStatus(["rev-parse", "-q", "--verify", `refs/heads/${branch}^{commit}`], { cwd: repo }, [1]);
  return out.code === 0 ? out.stdout.trim() : undefined;
}

export interface CommitSnapshotOptions {
  repo: string;
  branch: string;
  /** The snapshot's files: "/"-separated path relative to the snapshot root → content. */
  files: Map<string, string>;
  /** Top-level folders (resource types) replaced by this snapshot; the rest are kept from the parent. */
  replaceFolders: string[];
  message: string;
}

export interface CommitResult {
  commit: string;
  changed: boolean;
  tree: string;
}

/**
 * Commits the snapshot onto the branch if its tree differs from the branch head's. The objects go
 * into git in one `git fast-import` stream (one pack, no temporary files); the commit lands on a
 * staging ref first and the branch moves with compare-and-swap only if the tree changed.
 */
export async function commitSnapshot(o: CommitSnapshotOptions): Promise<CommitResult> {
  const staging = `refs/tenant-sync/staging/${process.pid}-${Date.now()}`;
  const [parent, committer] = await Promise.all([
    branchHead(o.repo, o.branch),
    commitIdentity(o.repo).then(async (identity) =>
      (await git(["var", "GIT_COMMITTER_IDENT"], { cwd: o.repo, env: identity })).trim(),
    ),
  ]);
  const chunks: Buffer[] = [];
  const data = (text: string) => {
    const bytes = Buffer.from(text, "utf8");
    chunks.push(Buffer.from(`data ${bytes.length}\n`), bytes, Buffer.from("\n"));
  };
  const paths = [...o.files.keys()].sort();
  paths.forEach((path, i) => {
    chunks.push(Buffer.from(`blob\nmark :${i + 1}\n`));
    data(o.files.get(path) as string);
  });
  chunks.push(Buffer.from(`commit ${staging}\ncommitter ${committer}\n`));
  data(o.message);
  if (parent) chunks.push(Buffer.from(`from ${parent}\n`));
  for (const folder of o.replaceFolders) chunks.push(Buffer.from(`D ${quotePath(folder)}\n`));
  paths.forEach((path, i) => chunks.push(Buffer.from(`M 100644 :${i + 1} ${quotePath(path)}\n`)));
  chunks.push(Buffer.from("\n"));
  let failed = false;
  try {
    await git(["fast-import", "--quiet", "--date-format=raw"], { cwd: o.repo, input: Buffer.concat(chunks) });
    const [commit, tree, parentTree] = (
      await git(["rev-parse", staging, `${staging}^{tree}`, ...(parent ? [`${parent}^{tree}`] : [])], { cwd: o.repo })
    )
      .trim()
      .split("\n");
    if (parent && parentTree === tree) return { commit: parent, changed: false, tree };
    await git(["update-ref", "-m", "tenant-sync backup", `refs/heads/${o.branch}`, commit, parent ?? "0".repeat(40)], {
      cwd: o.repo,
    });
    return { commit, changed: true, tree };
  } catch (e) {
    failed = true;
    throw e;
  } finally {
    // Deleting a ref that was never made succeeds; a failure here is real, but never hides the first one.
    const deleted = git(["update-ref", "-d", staging], { cwd: o.repo });
    if (failed) await deleted.catch(() => undefined);
    else await deleted;
  }
}

/** fast-import paths: C-style quoted when they hold characters that need it. */
function quotePath(path: string): string {
  if (!/["\\\n\r\t]/.test(path) && !path.startsWith('"')) return path;
  return `"${path.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n").replace(/\r/g, "\\r").replace(/\t/g, "\\t")}"`;
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
