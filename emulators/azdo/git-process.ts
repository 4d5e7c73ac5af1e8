/**
 * git-process — runs the git binary for the emulator's repositories: bytes in on stdin, bytes out,
 * never through a shell. The environment is cleaned of the caller's GIT_* variables and of the user's
 * and system's git configuration, so a developer's settings (hooks, credential helpers, signing)
 * cannot change what the emulated service does.
 */
import { spawn } from "node:child_process";
import { devNull } from "node:os";

export interface GitRun {
  code: number;
  stdout: Buffer;
  stderr: string;
}

export interface GitRunOptions {
  cwd?: string;
  input?: Buffer | string;
  env?: Record<string, string>;
}

function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("GIT_")) env[k] = v;
  return { ...env, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: devNull, GIT_TERMINAL_PROMPT: "0", ...extra };
}

/** Runs git and resolves with its exit code and output (it does not reject on a non-zero exit). */
export function runGit(args: string[], o: GitRunOptions = {}): Promise<GitRun> {
  return new Promise((resolve, reject) => {
    const child = spawn("git", args, { cwd: o.cwd, env: cleanEnv(o.env), stdio: ["pipe", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (c: Buffer) => out.push(c));
    child.stderr.on("data", (c: Buffer) => err.push(c));
    child.on("error", reject);
    child.on("close", (code) =>
      resolve({ code: code ?? 1, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString("utf8") }),
    );
    // git may exit before reading all of stdin (a refused request); that is its answer, not our failure.
    child.stdin.on("error", () => undefined);
    child.stdin.end(o.input ?? "");
  });
}

/** Runs git and answers its stdout as text, trimmed; a non-zero exit throws with git's own message. */
export async function gitText(args: string[], o: GitRunOptions = {}): Promise<string> {
  const run = await runGit(args, o);
  if (run.code !== 0) throw new Error(`git ${args[0]} failed (exit ${run.code}): ${run.stderr.trim()}`);
  return run.stdout.toString("utf8").trim();
}
