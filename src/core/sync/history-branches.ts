/**
 * history-branches — refuses settings that would mix histories before a backup sends a request or
 * commits: the backup branch must be neither the base branch nor the branch checked out. The
 * checked-out branch comes from git itself, exactly (an unborn branch counts; a detached HEAD has none).
 */
import { isSyncError } from "../errors";
import { git } from "../snapshot/git";
import { refuseHistoryBranches, type SyncConfig } from "../sync-config";
import { baseBranch } from "./base";

/** The branch HEAD points at ("main"), also before its first commit; undefined for a detached HEAD. */
export async function currentBranch(repo: string): Promise<string | undefined> {
  try {
    const ref = (await git(["symbolic-ref", "-q", "HEAD"], { cwd: repo })).trim();
    return ref.startsWith("refs/heads/") ? ref.slice("refs/heads/".length) : undefined;
  } catch (e) {
    // `symbolic-ref -q` exits 1, silently, exactly when HEAD is detached; anything else is a real failure.
    const exit = isSyncError(e) ? (e.cause as { code?: unknown } | undefined)?.code : undefined;
    if (exit === 1) return undefined;
    throw e;
  }
}

/** `workingBranch`: the branch a detached checkout stands for (a pipeline's Build.SourceBranch), when known. */
export async function checkHistoryBranches(repo: string, config: SyncConfig, workingBranch?: string): Promise<void> {
  refuseHistoryBranches(config, {
    base: baseBranch,
    current: workingBranch?.replace(/^refs\/heads\//, "") || (await currentBranch(repo)),
  });
}
