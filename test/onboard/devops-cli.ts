/**
 * devops-cli — `tenant-sync devops …` run as a user runs it, against a local Azure DevOps
 * organisation: the organisation's URL, project and user token are added to the arguments; the
 * emulator CA is trusted through this process's NODE_EXTRA_CA_CERTS, which the child inherits.
 */
import { spawn } from "node:child_process";
import type { LocalDevOps } from "../../emulators/local-devops/organization";
import { cliBin, type CliRun } from "../helpers/cli";

export function runDevOps(devops: LocalDevOps, args: string[]): Promise<CliRun> {
  const info = devops.readyInfo();
  const [sub, ...rest] = args;
  const argv = [
    cliBin,
    "devops",
    sub,
    "--org",
    info.collectionUrl,
    "--project",
    info.project,
    "--token",
    info.token,
    ...rest,
  ];
  return new Promise((resolve, reject) => {
    const env = { ...process.env };
    delete env.AZURE_DEVOPS_EXT_PAT;
    const child = spawn(process.execPath, argv, { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** The local Graph as the tenant's cloud: it stands in for a national cloud's Graph and sign-in host. */
export function localGraphArgs(devops: LocalDevOps): string[] {
  return ["--graph-url", devops.graphUrl, "--authority-host", devops.graphUrl];
}

/** Polls a condition the organisation reaches by itself (a run moving on), with a clear timeout. */
export async function until(what: string, condition: () => boolean, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Waited ${timeoutMs / 1000} s for ${what}.`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The run id in a run URL (…/_build/results?buildId=N) printed by the command. */
export function runIdIn(text: string): number {
  const m = /buildId=(\d+)/.exec(text);
  if (!m) throw new Error(`No run URL in:\n${text}`);
  return Number(m[1]);
}
