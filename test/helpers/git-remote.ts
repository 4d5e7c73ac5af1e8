/**
 * git-remote — a working copy with a local bare repository as its origin, for tests of what a task
 * fetches and pushes: the pipeline's checkout, without a server.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const identity = ["-c", "user.name=Tenant Sync test", "-c", "user.email=test@tenant-sync.invalid"];

export function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", [...identity, ...args], { cwd, encoding: "utf8" });
}

export interface RemoteCheckout {
  root: string;
  origin: string;
  work: string;
}

/** A bare origin with one commit on main, cloned into `work` (on main). */
export function checkoutWithOrigin(): RemoteCheckout {
  const root = mkdtempSync(join(tmpdir(), "tenant-sync-remote-"));
  const origin = join(root, "origin.git");
  const work = join(root, "work");
  execFileSync("git", ["init", "-q", "--bare", "-b", "main", origin]);
  execFileSync("git", ["clone", "-q", origin, work], { stdio: "ignore" });
  writeFileSync(join(work, "README.md"), "Tenant configuration\n");
  git(work, "add", "README.md");
  git(work, "commit", "-q", "-m", "Start");
  git(work, "push", "-q", "origin", "main");
  return { root, origin, work };
}

/** The commit a branch of the origin points at, or undefined. */
export function originBranch(origin: string, branch: string): string | undefined {
  try {
    return (
      execFileSync("git", ["rev-parse", "-q", "--verify", `refs/heads/${branch}`], {
        cwd: origin,
        encoding: "utf8",
      }).trim() || undefined
    );
  } catch {
    return undefined;
  }
}
