/**
 * bench-backup — `npm run bench:backup`: backs up synthetic tenants (N = 1000 and 5000 objects)
 * from the Graph emulator running in its own process with 40 ms latency and realistic throttling
 * scaled ×10, and prints per N: wall time, requests (batch items counted), throttled answers, peak
 * RSS, and the lower bound for that work with the ratio wall ÷ bound.
 *
 * Lower bound = max(throttling bound, latency bound):
 * - throttling: per service family, (requests the export needed − the bucket's burst) ÷ allowed rate
 *   (Intune 1000 per 20 s, Entra 3,500 per 10 s, conditional access 1 per s; all × scale);
 * - latency: the longest chain of dependent requests (the pages of the largest collection, then
 *   the $batch rounds for its objects) × latency, or all HTTP requests × latency ÷ concurrency.
 * Usage: npm run bench:backup [-- --sizes 1000,5000 --latency-ms 40 --scale 10]
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createCredential } from "../src/core/graph/credentials";
import { GraphClient } from "../src/core/graph/graph-client";
import { backup } from "../src/core/sync/backup";
import { familyOf, type ServiceFamily } from "../src/core/graph/budget";

const { values } = parseArgs({
  options: {
    sizes: { type: "string", default: "1000,5000" },
    "latency-ms": { type: "string", default: "40" },
    scale: { type: "string", default: "10" },
    seed: { type: "string", default: "1" },
  },
});
const latencyMs = Number(values["latency-ms"]);
const scale = Number(values.scale);
const concurrency = 8;
const pageSize = 20;
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

function startEmulator(n: number): Promise<{ ready: Ready; stop: () => void }> {
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
      "--page-size",
      String(pageSize),
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

function lowerBoundMs(
  counters: { byRoute: Record<string, Record<string, number>>; httpRequests: number },
  largestCollection: number,
): { throttleMs: number; latencyMs: number; needed: Record<ServiceFamily, number> } {
  const needed: Record<ServiceFamily, number> = { intune: 0, entra: 0, conditionalAccess: 0 };
  for (const [route, byStatus] of Object.entries(counters.byRoute)) {
    const path = route.slice(route.indexOf(" ") + 1);
    if (path.endsWith("/$batch")) continue;
    const served = Object.entries(byStatus)
      .filter(([status]) => status !== "429")
      .reduce((a, [, n]) => a + n, 0);
    needed[familyOf(path)] += served;
  }
  const throttleMs = Math.max(
    ...(Object.keys(needed) as ServiceFamily[]).map(
      (f) => Math.max(0, needed[f] - limits[f].capacity) / (limits[f].perMs * scale),
    ),
  );
  const chain = Math.ceil(largestCollection / pageSize) + 3;
  const latency = Math.max(chain * latencyMs, (counters.httpRequests * latencyMs) / concurrency);
  return { throttleMs, latencyMs: latency, needed };
}

async function benchOne(n: number): Promise<Record<string, string | number>> {
  const { ready, stop } = await startEmulator(n);
  const repo = join(mkdtempSync(join(tmpdir(), "tenant-sync-bench-")), "repo");
  try {
    const credential = createCredential(
      { kind: "clientSecret", tenantId: ready.tenantId, clientId: ready.clientId, clientSecret: ready.clientSecret },
      { authorityHost: ready.authorityHost },
    );
    await credential.getToken("https://graph.microsoft.com/.default");
    const graph = new GraphClient({
      graphUrl: ready.graphUrl,
      credential,
      budgetScale: scale,
      maxConcurrency: concurrency,
    });
    await control(ready, "DELETE", "/counters");
    const started = performance.now();
    const debug = (m: string) => {
      if (process.env.BENCH_DEBUG) console.error(`${Math.round(performance.now() - started)} ms ${m}`);
    };
    const log = { info: debug, warn: debug, error: debug, debug };
    const result = await backup({
      repoDir: repo,
      graph,
      identity: { authorityHost: ready.authorityHost, tenantId: ready.tenantId, clientId: ready.clientId },
      log,
    });
    const wallMs = performance.now() - started;
    const counters = await control(ready, "GET", "/counters");
    const objects = Object.values(result.objects).reduce<number>((a, b) => a + (b ?? 0), 0);
    const largest = Math.max(...Object.values(result.objects).map((x) => x ?? 0));
    const bound = lowerBoundMs(counters, largest);
    const boundMs = Math.max(bound.throttleMs, bound.latencyMs);
    if (process.env.BENCH_DEBUG)
      for (const [route, byStatus] of Object.entries(counters.byRoute as Record<string, Record<string, number>>))
        if (byStatus["429"]) console.error(`429 ${route}: ${byStatus["429"]}`);
    return {
      N: n,
      objects,
      "wall s": (wallMs / 1000).toFixed(2),
      requests: counters.graphRequests - counters.batchRequests,
      "http requests": counters.httpRequests,
      "batch items": counters.batchItems,
      throttled: counters.throttled,
      "early retries": counters.earlyRetries,
      "failed types": result.failed.length,
      "peak RSS MB": Math.round(process.resourceUsage().maxRSS / 1024),
      "throttle bound s": (bound.throttleMs / 1000).toFixed(2),
      "latency bound s": (bound.latencyMs / 1000).toFixed(2),
      "wall/bound": (wallMs / boundMs).toFixed(2),
    };
  } finally {
    stop();
    rmSync(repo, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const rows = [];
  for (const n of String(values.sizes).split(",").map(Number)) rows.push(await benchOne(n));
  console.log(
    `\nbench:backup — emulator latency ${latencyMs} ms, realistic throttling ×${scale}, client concurrency ${concurrency}, page size ${pageSize}`,
  );
  console.table(rows);
  console.log("Targets: wall/bound ≤ 1.3 at N = 5000, zero failed types, peak RSS ≤ 300 MB.");
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
