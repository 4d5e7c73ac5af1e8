/**
 * emulator-process — an emulator (Graph or Azure DevOps) in a child process, for tests whose own
 * process is blocked while the code under test runs: MockTestRunner runs a task with spawnSync, so an
 * emulator inside the test process could not answer it. The ready info and the control API are the
 * same as in graph-emulator.ts and azdo-emulator.ts; the child's log goes to a file, never to a pipe
 * nobody drains.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, openSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { AzureDevOpsEmulatorOptions, AzureDevOpsReadyInfo } from "../../emulators/azdo/server";
import type { GraphEmulatorOptions, ReadyInfo } from "../../emulators/graph/server";

export type Control = (method: string, path: string, body?: unknown) => Promise<{ status: number; body: any }>;

export interface EmulatorProcess<Info> {
  info: Info;
  control: Control;
  stop: () => Promise<void>;
}

async function start<Info extends { controlUrl: string }>(
  kind: "graph" | "azdo",
  options: object,
): Promise<EmulatorProcess<Info>> {
  const logFile = join(mkdtempSync(join(tmpdir(), `tenant-sync-${kind}-emulator-`)), "emulator.log");
  const child: ChildProcess = spawn(
    process.execPath,
    ["--require", require.resolve("tsx/cjs"), join(__dirname, "emulator-child.ts"), kind, JSON.stringify(options)],
    {
      stdio: ["ignore", "pipe", openSync(logFile, "w")],
    },
  );
  const info = await new Promise<Info>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const fail = (why: string) =>
      reject(new Error(`the ${kind} emulator did not start (${why}):\n${readFileSync(logFile, "utf8")}`));
    child.once("exit", (code) => fail(`exit ${code}`));
    lines.once("line", (line) => {
      lines.close();
      try {
        resolve(JSON.parse(line) as Info);
      } catch {
        fail(`it printed ${line}`);
      }
    });
  });
  child.removeAllListeners("exit");
  const control: Control = async (method, path, body) => {
    const res = await fetch(`${info.controlUrl}${path}`, {
      method,
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    });
  return { info, control, stop };
}

/** The Graph emulator (demo tenant, throttling off unless `options` say otherwise). */
export function startGraphEmulatorProcess(options: GraphEmulatorOptions = {}): Promise<EmulatorProcess<ReadyInfo>> {
  return start<ReadyInfo>("graph", { throttle: { mode: "off" }, ...options });
}

export function startAzdoEmulatorProcess(
  options: AzureDevOpsEmulatorOptions = {},
): Promise<EmulatorProcess<AzureDevOpsReadyInfo>> {
  return start<AzureDevOpsReadyInfo>("azdo", options);
}
