/**
 * git — a thin wrapper over the `git` program. Failures become SyncError("git.failed") with the
 * command and git's own message.
 */
import { execFile } from "node:child_process";
import { SyncError } from "../errors";

export interface GitOptions { cwd: string; env?: Record<string, string>; input?: string | Buffer }

/** Identity for commits when the repository has none configured. */
const fallbackIdentity = { GIT_AUTHOR_NAME: "Tenant Sync", GIT_AUTHOR_EMAIL: "tenant-sync@localhost", GIT_COMMITTER_NAME: "Tenant Sync", GIT_COMMITTER_EMAIL: "tenant-sync@localhost" };

export function git(args: string[], options: GitOptions): Promise<string> {
  return run(args, options).then((out) => out.toString("utf8"));
}

/** As git(), with the output as bytes (for cat-file, where sizes count bytes). */
export function gitBytes(args: string[], options: GitOptions): Promise<Buffer> {
  return run(args, options);
}

function run(args: string[], options: GitOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = execFile("git", args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env, GIT_TERMINAL_PROMPT: "0" },
      maxBuffer: 1024 * 1024 * 1024,
      encoding: "buffer",
    }, (error, stdout, stderr) => {
      if (error) {
        const message = (stderr.toString("utf8") || error.message).trim().split("\n").slice(-3).join(" ");
        reject(new SyncError("git.failed", `git ${args.slice(0, 3).join(" ")} failed in ${options.cwd}: ${message}`, {
          hint: (error as NodeJS.ErrnoException).code === "ENOENT" ? "Install git and make sure it is on PATH." : "Check the repository (git status) and run again.",
          cause: error,
        }));
      } else resolve(stdout);
    });
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

/** Author / committer identity: the repository's if configured, else Tenant Sync's. */
export async function commitIdentity(cwd: string): Promise<Record<string, string>> {
  const email = await git(["config", "user.email"], { cwd }).catch(() => "");
  return email.trim() ? {} : fallbackIdentity;
}
