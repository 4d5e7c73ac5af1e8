/**
 * azdo-git — runs the git binary against the Azure DevOps emulator's smart HTTP side, as a pipeline
 * or a developer would: trusting the emulator's CA (GIT_SSL_CAINFO), never prompting, with a job
 * token in http.extraheader (what the agent's persistCredentials sets) or a user token answered
 * as the password of a Basic challenge (what a credential helper does with a PAT). Asynchronous,
 * because the emulator answers in the same process.
 */
import { execFile } from "node:child_process";
import { devNull } from "node:os";

/** A job token sent on every request, or a user token given when git is challenged. */
export type GitAuth = { bearer: string } | { basic: string; user?: string };

export interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

const identity = ["-c", "user.name=Tenant Sync test", "-c", "user.email=test@tenant-sync.invalid"];

function authArgs(auth: GitAuth | undefined): string[] {
  if (!auth) return [];
  if ("bearer" in auth) return ["-c", `http.extraheader=AUTHORIZATION: bearer ${auth.bearer}`];
  // A credential helper answering the Basic challenge; the token travels in the environment, not argv.
  const user = auth.user ?? "tenant-sync";
  return [
    "-c",
    "credential.helper=",
    "-c",
    `credential.helper=!f() { echo username=${user}; echo "password=$AZDO_TEST_TOKEN"; }; f`,
  ];
}

/** Runs git in `cwd` against the emulator; resolves with the exit code (it does not reject on failure). */
export function gitAgainstEmulator(
  caCertPath: string,
  cwd: string,
  args: string[],
  auth?: GitAuth,
): Promise<GitResult> {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("GIT_")) env[k] = v;
  Object.assign(env, {
    GIT_SSL_CAINFO: caCertPath,
    GIT_TERMINAL_PROMPT: "0",
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: devNull,
    AZDO_TEST_TOKEN: auth && "basic" in auth ? auth.basic : "",
  });
  return new Promise((resolve) => {
    execFile(
      "git",
      [...identity, ...authArgs(auth), ...args],
      { cwd, env, encoding: "utf8" },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

/** Like gitAgainstEmulator, but throws with git's output when git fails. */
export async function gitOk(caCertPath: string, cwd: string, args: string[], auth?: GitAuth): Promise<string> {
  const result = await gitAgainstEmulator(caCertPath, cwd, args, auth);
  if (result.code !== 0) throw new Error(`git ${args.join(" ")} failed (${result.code}): ${result.stderr}`);
  return result.stdout;
}
