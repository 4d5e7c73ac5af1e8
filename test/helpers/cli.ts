/**
 * cli — runs the tenant-sync command line (bin/tenant-sync.js) as a child process for end-to-end
 * tests, with the credentials and Graph URL of a Graph emulator, and collects its exit code and output.
 */
import { type ChildProcess, spawn, type StdioOptions } from "node:child_process";
import { join } from "node:path";
import type { ReadyInfo } from "../../emulators/graph/server";

/** The command line as users run it. */
export const cliBin = join(__dirname, "../../bin/tenant-sync.js");

/** What a finished run of the command line left: exit code (-1 when ended by a signal) and output. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** Variables set over (or, as undefined, removed from) the emulator environment. */
  env?: Record<string, string | undefined>;
}

/** This process's environment with the emulator's tenant, app credentials, authority and Graph URL. */
export function cliEnv(info: ReadyInfo, env: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const merged: NodeJS.ProcessEnv = {
    ...process.env,
    AZURE_TENANT_ID: info.tenantId,
    AZURE_CLIENT_ID: info.clientId,
    AZURE_CLIENT_SECRET: info.clientSecret,
    AZURE_AUTHORITY_HOST: info.authorityHost,
    TENANT_SYNC_GRAPH_URL: info.graphUrl,
    ...env,
  };
  for (const [k, v] of Object.entries(merged)) if (v === undefined) delete merged[k];
  return merged;
}

/** Starts `tenant-sync ...args` against the emulator and returns the child (for signals, or output ignored). */
export function spawnCli(
  info: ReadyInfo,
  args: string[],
  options: CliOptions & { stdio?: StdioOptions } = {},
): ChildProcess {
  return spawn(process.execPath, [cliBin, ...args], {
    env: cliEnv(info, options.env),
    stdio: options.stdio ?? ["ignore", "pipe", "pipe"],
  });
}

/** Runs `tenant-sync ...args` against the emulator to its end (its output streams closed). */
export function runCli(info: ReadyInfo, args: string[], options: CliOptions = {}): Promise<CliRun> {
  return new Promise<CliRun>((resolve, reject) => {
    const child = spawnCli(info, args, { env: options.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (d) => (stdout += d));
    child.stderr?.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
