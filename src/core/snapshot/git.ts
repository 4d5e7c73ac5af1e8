/**
 * git — a thin wrapper over the `git` program. Failures become SyncError("git.failed") with the
 * command and git's own message; gitStatus names the exit codes a caller expects as answers, so no
 * caller has to swallow a failure to learn that a ref or a setting is absent.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { SyncError } from "../errors";

export interface GitOptions {
  cwd: string;
  env?: Record<string, string>;
  input?: string | Buffer;
}

/** Identity for commits when the repository has none configured. */
const fallbackIdentity = {
  GIT_AUTHOR_NAME: "Tenant Sync",
  GIT_AUTHOR_EMAIL: "tenant-sync@localhost",
  GIT_COMMITTER_NAME: "Tenant Sync",
  GIT_COMMITTER_EMAIL: "tenant-sync@localhost",
};

export function git(args: string[], options: GitOptions): Promise<string> {
  return run(args, options, []).then((r) => r.stdout.toString("utf8"));
}

/** As git(), with the output as bytes (for cat-file, where sizes count bytes). */
export function gitBytes(args: string[], options: GitOptions): Promise<Buffer> {
  return run(args, options, []).then((r) => r.stdout);
}

/**
 * As git(), but the exit codes in `allowed` are answers, not failures (`rev-parse -q --verify`
 * exits 1 for a missing ref; `config` 1 for an unset key). Any other failure — git missing, a
 * corrupt repository — rejects with git's own message.
 */
export function gitStatus(
  args: string[],
  options: GitOptions,
  allowed: number[],
): Promise<{ code: number; stdout: string }> {
  return run(args, options, allowed).then((r) => ({ code: r.code, stdout: r.stdout.toString("utf8") }));
}

function run(args: string[], options: GitOptions, allowed: number[]): Promise<{ code: number; stdout: Buffer }> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      "git",
      args,
      {
        cwd: options.cwd,
        env: { ...process.env, ...options.env, GIT_TERMINAL_PROMPT: "0" },
        maxBuffer: 1024 * 1024 * 1024,
        encoding: "buffer",
      },
      (error, stdout, stderr) => {
        if (!error) return resolve({ code: 0, stdout });
        const code = (error as NodeJS.ErrnoException).code as unknown;
        if (typeof code === "number" && allowed.includes(code)) return resolve({ code, stdout });
        const missing = code === "ENOENT" && existsSync(options.cwd);
        const message = missing
          ? "git was not found on PATH"
          : code === "ENOENT"
            ? "the folder does not exist"
            : gitCause(stderr.toString("utf8") || error.message);
        reject(
          new SyncError("git.failed", `git ${args.slice(0, 3).join(" ")} failed in ${options.cwd}: ${message}`, {
            hint: missing
              ? "Install git and make sure it is on PATH."
              : "Check the repository (git status) and run again.",
            cause: error,
          }),
        );
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

/** git's own words: from its first "fatal:" or "error:" line (the rest is advice), at most four lines. */
function gitCause(stderr: string): string {
  const lines = stderr
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  const first = lines.findIndex((l) => /^(fatal|error):/.test(l));
  return lines
    .slice(first < 0 ? Math.max(0, lines.length - 3) : first)
    .slice(0, 4)
    .join(" ");
}

/** Author / committer identity: the repository's if configured, else Tenant Sync's. */
export async function commitIdentity(cwd: string): Promise<Record<string, string>> {
  // Exit 1 with no output: the key is not set. Anything else is a failure with git's cause.
  const email = await gitStatus(["config", "user.email"], { cwd }, [1]);
  return email.code === 0 && email.stdout.trim() ? {} : fallbackIdentity;
}
