/**
 * bench-backup — `npm run bench:backup`: backs up synthetic tenants through the CLI as a user runs it
 * (`tenant-sync backup` from the built bundle, process start included) from the Graph emulator
 * running in its own process with 40 ms latency and the service's throttling, and prints per N: wall time, requests (batch items
 * counted) against the minimal request count for that tenant, requests per object, throttled answers,
 * peak RSS of the CLI process, and the lower bound for the minimal count with the ratio wall ÷ bound.
 * Rows: N = 1000 and 5000 with throttling scaled ×10, and N = 20,000 at the service's real pace (×1).
 *
 * Minimal count (scripts/minimal-requests.ts): every collection in pages at its page maximum with
 * what its list can expand, plus the per-object reads the service makes necessary — by the emulator's
 * model of the service, not by the engine's declarations.
 * Lower bound = max(throttling bound, latency bound), both for the minimal count:
 * - throttling: per service family, (minimal requests − the bucket's burst) ÷ allowed rate
 *   (Intune 1000 per 20 s, Entra 3,500 per 10 s, conditional access 1 per s; all × scale);
 * - latency: the longest chain of dependent requests (the pages of the largest collection, then
 *   its $batch rounds) × latency, or all minimal HTTP requests × latency ÷ the client's concurrency.
 * Usage: npm run bench:backup [-- --sizes 1000,5000 --scale 10 --real-pace-size 20000 --latency-ms 40]
 * (--real-pace-size 0 leaves the real-pace row out).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { syntheticTenant } from "../emulators/graph/seeds";
import type { ServiceFamily } from "../src/core/graph/budget";
import { allResourceTypes } from "../src/core/resources/registry";
import { bundlesAreStale, prepare, root } from "./fresh-bundles";
import { type MinimalCount, minimalRequests } from "./minimal-requests";

const { values } = parseArgs({
  options: {
    sizes: { type: "string", default: "1000,5000" },
    "latency-ms": { type: "string", default: "40" },
    scale: { type: "string", default: "10" },
    "real-pace-size": { type: "string", default: "20000" },
    seed: { type: "string", default: "1" },
  },
});
const latencyMs = Number(values["latency-ms"]);
/** The CLI's Graph client keeps at most this many requests in flight (src/core/graph/graph-client.ts). */
const concurrency = 8;
const limits: Record<ServiceFamily, { capacity: number; perMs: number }> = {
  intune: { capacity: 1000, perMs: 1000 / 20_000 },
  entra: { capacity: 3500, perMs: 3500 / 10_000 },
  conditionalAccess: { capacity: 1, perMs: 1 / 1_000 },
};

interface Ready {
  graphUrl: string;
  authorityHost: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  controlUrl: string;
}

function startEmulator(n: number, scale: number): Promise<{ ready: Ready; stop: () => void }> {
  const child = spawn(
    process.execPath,
    [
      join(__dirname, "../bin/tenant-sync.js"),
      "emulate",
      "graph",
      "--seed",
      `synthetic:${n}:${values.seed}`,
      "--latency-ms",
      String(latencyMs),
      "--throttle",
      "realistic",
      "--throttle-scale",
      String(scale),
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      const line = out.split("\n")[0];
      if (out.includes("\n")) resolve({ ready: JSON.parse(line) as Ready, stop: () => child.kill("SIGTERM") });
    });
    child.once("exit", (code) => reject(new Error(`emulator exited with ${code}`)));
  });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the control API answers loosely shaped JSON
async function control(ready: Ready, method: string, path: string): Promise<any> {
  const res = await fetch(`${ready.controlUrl}${path}`, { method });
  const text = await res.text();
  return text ? JSON.parse(text) : undefined;
}

function lowerBoundMs(minimal: MinimalCount, scale: number): { throttleMs: number; latencyMs: number } {
  const throttleMs = Math.max(
    ...(Object.keys(limits) as ServiceFamily[]).map(
      (f) => Math.max(0, minimal.byFamily[f] - limits[f].capacity) / (limits[f].perMs * scale),
    ),
  );
  const latency = Math.max(minimal.chain * latencyMs, (minimal.httpRequests * latencyMs) / concurrency);
  return { throttleMs, latencyMs: latency };
}

/** `tenant-sync backup` as a user runs it; resolves with its wall time, result and peak RSS. */
interface CliResult {
  objects: Record<string, number>;
  failed: unknown[];
}

function runCli(
  ready: Ready,
  repo: string,
  scale: number,
): Promise<{ wallMs: number; result: CliResult; rssKiB: number }> {
  const rssFile = join(repo, "..", "rss");
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [
      "--require",
      join(__dirname, "report-rss.cjs"),
      // What bin/tenant-sync.js runs in an installed package (no sources beside it): the bundle's main.
      "-e",
      `require(${JSON.stringify(join(root, "dist", "cli", "main.js"))}).main(process.argv.slice(1))`,
      "backup",
      "--repo",
      repo,
      "--json",
      "--tenant-id",
      ready.tenantId,
      "--client-id",
      ready.clientId,
      "--authority-host",
      ready.authorityHost,
      "--graph-url",
      ready.graphUrl,
      "--budget-scale",
      String(scale),
      ...(process.env.BENCH_DEBUG ? ["--verbose"] : []),
    ],
    {
      stdio: ["ignore", "pipe", process.env.BENCH_DEBUG ? "inherit" : "ignore"],
      env: { ...process.env, AZURE_CLIENT_SECRET: ready.clientSecret, TENANT_SYNC_BENCH_RSS_FILE: rssFile },
    },
  );
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  return new Promise((resolve, reject) => {
    // "close", not "exit": the JSON result may still be in the pipe when the process has exited.
    child.once("close", (code) => {
      const wallMs = performance.now() - started;
      if (code !== 0) return reject(new Error(`tenant-sync backup exited with ${code}: ${out.slice(0, 2000)}`));
      resolve({
        wallMs,
        result: JSON.parse(out.trim().split("\n").pop() ?? "{}"),
        rssKiB: Number(readFileSync(rssFile, "utf8")),
      });
    });
  });
}

async function benchOne(n: number, scale: number): Promise<Record<string, string | number>> {
  const { ready, stop } = await startEmulator(n, scale);
  const repo = join(mkdtempSync(join(tmpdir(), "tenant-sync-bench-")), "repo");
  try {
    // The emulator's tenant, made again here from the same seed: what the minimal count is computed over.
    const minimal = minimalRequests(syntheticTenant(n, Number(values.seed)), allResourceTypes);
    await control(ready, "DELETE", "/counters");
    const { wallMs, result, rssKiB } = await runCli(ready, repo, scale);
    const counters = await control(ready, "GET", "/counters");
    const objects = Object.values(result.objects).reduce((a, b) => a + b, 0);
    const bound = lowerBoundMs(minimal, scale);
    const boundMs = Math.max(bound.throttleMs, bound.latencyMs);
    // Every Graph call the emulator answered: plain requests and $batch items (the outer POST is not one).
    const requests = counters.graphRequests;
    if (process.env.BENCH_DEBUG)
      for (const [route, byStatus] of Object.entries(counters.byRoute as Record<string, Record<string, number>>))
        console.error(`${route}: ${JSON.stringify(byStatus)}`);
    return {
      N: n,
      scale: `×${scale}`,
      objects,
      "wall s": (wallMs / 1000).toFixed(2),
      requests,
      minimal: minimal.requests,
      "req/minimal": (requests / minimal.requests).toFixed(3),
      "req/object": (requests / objects).toFixed(3),
      "http requests": counters.httpRequests,
      "minimal http": minimal.httpRequests,
      throttled: counters.throttled,
      "failed types": result.failed.length,
      "peak RSS MB": Math.round(rssKiB / 1024),
      "throttle bound s": (bound.throttleMs / 1000).toFixed(2),
      "latency bound s": (bound.latencyMs / 1000).toFixed(2),
      "wall/bound": (wallMs / boundMs).toFixed(2),
    };
  } finally {
    stop();
    rmSync(join(repo, ".."), { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  // The CLI a user installs is the bundle: built first when missing or older than its sources.
  if (bundlesAreStale()) prepare("build.ts", "Building dist/ for the benchmark");
  const rows = [];
  const scale = Number(values.scale);
  for (const n of String(values.sizes).split(",").filter(Boolean).map(Number)) rows.push(await benchOne(n, scale));
  const realPace = Number(values["real-pace-size"]);
  if (realPace > 0) rows.push(await benchOne(realPace, 1));
  console.log(
    `\nbench:backup — tenant-sync backup (CLI, process start included) against the Graph emulator: latency ${latencyMs} ms, realistic throttling at the scale shown`,
  );
  console.table(rows);
  console.log(
    "Targets: requests ≤ 1.1 × minimal; wall/bound ≤ 1.5 at N = 1000, ≤ 1.3 at N = 5000; at N = 20,000 and ×1: wall ≤ 120 s, peak RSS ≤ 400 MB; no failed types.",
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
