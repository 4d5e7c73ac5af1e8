/**
 * git-push — keeps the Tenant Sync branches on the remote, so the next run (on another agent, in a
 * fresh checkout) starts from them: before the engine runs, the backup and base branches are fetched
 * from the remote into local branches; after it, they are pushed back, with the repository's own new
 * commits (imported drift, recorded ids) pushed to the repository branch. A pipeline checkout is a
 * detached HEAD, so that branch is named, not guessed. Pushing needs the checkout's credentials
 * (`persistCredentials: true`). Failures are SyncErrors ("git.failed") saying what to do.
 */
import {
  baseBranch,
  gitStatus as engineGitStatus,
  isSyncError,
  type Logger,
  readSyncConfig,
  resourceTypeIds,
  safeText,
  SyncError,
} from "../core/index";
import type { GitInputs } from "./task-inputs";

function git(args: string[], cwd: string): Promise<string> {
  return gitStatus(args, cwd, []).then((r) => r.stdout);
}

/**
 * The engine's gitStatus (exit codes in `allowed` are answers: a missing ref, "not an ancestor"), with
 * the next step an agent needs when git refuses to authenticate a fetch or push.
 */
async function gitStatus(args: string[], cwd: string, allowed: number[]): Promise<{ code: number; stdout: string }> {
  try {
    return await engineGitStatus(args, { cwd }, allowed);
  } catch (e) {
    if (!isSyncError(e) || !/authentication|could not read Username|403|401|permission/i.test(e.message)) throw e;
    throw new SyncError("git.failed", e.message, {
      hint: "Let the job push: check out the repository with persistCredentials: true, and give the project's build service Contribute and Create branch on it.",
      cause: e.detail.cause,
    });
  }
}

/** The branches Tenant Sync keeps beside the repository's own: backup history and base. */
export function tenantSyncBranches(repoDir: string): string[] {
  return [readSyncConfig(repoDir, resourceTypeIds).backupBranch, baseBranch];
}

export interface RepositoryState {
  repoDir: string;
  /** HEAD when the run began: commits after it are the run's own. */
  startHead?: string;
}

/** A ref's commit; undefined when it does not exist (rev-parse -q --verify exits 1). */
async function commitOf(repoDir: string, ref: string): Promise<string | undefined> {
  const r = await gitStatus(["rev-parse", "-q", "--verify", ref], repoDir, [1]);
  return r.code === 0 ? r.stdout.trim() : undefined;
}

function head(repoDir: string): Promise<string | undefined> {
  return commitOf(repoDir, "HEAD");
}

/**
 * A later stage of the run checks out the commit the run was queued on; an earlier stage may have
 * pushed commits (imported drift) since. Move to the remote branch when that is a fast-forward, so
 * this stage's own commits (recorded ids) land on top of them instead of being refused.
 */
async function catchUpWithRemoteBranch(repoDir: string, o: GitInputs, log: Logger): Promise<void> {
  const branch = o.repositoryBranch?.replace(/^refs\/heads\//, "");
  const current = await head(repoDir);
  if (!branch || !current) return;
  // The remote may not have the branch (exit 2): nothing to catch up with. Any other failure stops.
  const listed = await gitStatus(
    ["ls-remote", "--exit-code", "--heads", o.gitRemote, `refs/heads/${branch}`],
    repoDir,
    [2],
  );
  if (listed.code === 2) return;
  await git(["fetch", "--no-tags", "--quiet", o.gitRemote, `refs/heads/${branch}`], repoDir);
  const remote = (await git(["rev-parse", "FETCH_HEAD"], repoDir)).trim();
  if (remote === current) return;
  // Exit 1: not an ancestor. Anything else (an unknown commit, a broken repository) fails.
  const fastForward = (await gitStatus(["merge-base", "--is-ancestor", current, remote], repoDir, [1])).code === 0;
  if (!fastForward) {
    log.warn(
      safeText(
        `The checkout (${current.slice(0, 12)}) is not behind ${branch} on "${o.gitRemote}" (${remote.slice(0, 12)}); staying on the checkout.`,
      ),
    );
    return;
  }
  await git(["checkout", "--quiet", "--detach", remote], repoDir);
  log.info(
    safeText(
      `Moved the checkout from ${current.slice(0, 12)} to ${branch} at ${remote.slice(0, 12)} (commits pushed earlier in this run).`,
    ),
  );
}

/** Fetches the Tenant Sync branches the remote has into local branches of the same name. */
export async function fetchTenantSyncBranches(repoDir: string, o: GitInputs, log: Logger): Promise<RepositoryState> {
  if (o.pushChanges) await catchUpWithRemoteBranch(repoDir, o, log);
  const state = { repoDir, startHead: await head(repoDir) };
  if (!o.pushChanges) return state;
  const branches = tenantSyncBranches(repoDir);
  const listed = await git(["ls-remote", "--heads", o.gitRemote, ...branches.map((b) => `refs/heads/${b}`)], repoDir);
  const present = branches.filter((b) => listed.split("\n").some((line) => line.endsWith(`\trefs/heads/${b}`)));
  if (present.length === 0) {
    log.info(
      `The remote "${o.gitRemote}" has no Tenant Sync branches yet (${branches.join(", ")}): this is the first sync.`,
    );
    return state;
  }
  await git(
    ["fetch", "--no-tags", "--quiet", o.gitRemote, ...present.map((b) => `+refs/heads/${b}:refs/heads/${b}`)],
    repoDir,
  );
  log.info(`Fetched ${present.join(", ")} from "${o.gitRemote}".`);
  return state;
}

/** The checked-out branch; undefined for a detached HEAD (symbolic-ref -q exits 1). */
async function currentBranch(repoDir: string): Promise<string | undefined> {
  const r = await gitStatus(["symbolic-ref", "-q", "--short", "HEAD"], repoDir, [1]);
  return r.code === 0 ? r.stdout.trim() || undefined : undefined;
}

/**
 * Pushes the Tenant Sync branches that exist locally, and HEAD to the repository branch if the run
 * committed to it. Returns the refs pushed.
 */
export async function pushTenantSyncBranches(state: RepositoryState, o: GitInputs, log: Logger): Promise<string[]> {
  if (!o.pushChanges) return [];
  const { repoDir } = state;
  const refspecs: string[] = [];
  for (const branch of tenantSyncBranches(repoDir)) {
    if (await commitOf(repoDir, `refs/heads/${branch}`)) refspecs.push(`refs/heads/${branch}:refs/heads/${branch}`);
  }
  const now = await head(repoDir);
  if (now && now !== state.startHead) {
    const branch = o.repositoryBranch ?? (await currentBranch(repoDir));
    if (!branch) {
      log.warn(
        `The run committed to the repository (${now.slice(0, 12)}), but HEAD is detached and the input "repositoryBranch" is empty, so the commit was not pushed.`,
      );
    } else refspecs.push(`HEAD:refs/heads/${branch}`);
  }
  if (refspecs.length === 0) return [];
  await git(["push", "--quiet", o.gitRemote, ...refspecs], repoDir);
  const pushed = refspecs.map((r) => r.split(":")[1].replace(/^refs\/heads\//, ""));
  log.info(safeText(`Pushed ${pushed.join(", ")} to "${o.gitRemote}".`));
  return pushed;
}
