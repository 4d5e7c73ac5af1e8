/**
 * bench-deploy — `npm run bench:deploy`: deploys a plan of 500 changes (updates of Intune policies
 * of a synthetic tenant) against the Graph emulator in its own process with realistic throttling
 * scaled ×10, and prints wall time, writes, throttled answers, and the write-throttling bound:
 * (writes − the Intune write bucket's burst of 100) ÷ (100 writes per 20 s × scale). It then checks
 * the tenant: every change applied exactly once, no duplicate names.
 * Target: wall ÷ bound ≤ 1.2, zero failed or duplicated changes.
 * Usage: npm run bench:deploy [-- --changes 500 --scale 10]
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createCredential } from "../src/core/graph/credentials";
import { GraphClient } from "../src/core/graph/graph-client";
import { commitIdentity, git } from "../src/core/snapshot/git";
import { deploy } from "../src/core/sync/deploy";
import { planStep, type SyncConnection } from "../src/core/sync/sync";

const { values } = parseArgs({
  options: {
    changes: { type: "string", default: "500" },
    scale: { type: "string", default: "10" },
    objects: { type: "string", default: "3000" },
  },
});
const changes = Number(values.changes);
const scale = Number(values.scale);
const intuneFolders = [
  "intune.deviceConfiguration",
  "intune.compliancePolicy",
  "intune.settingsCatalogPolicy",
  "intune.powerShellScript",
  "intune.remediationScript",
];

interface Ready {
  graphUrl: string;
  authorityHost: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  controlUrl: string;
}

function startEmulator(): Promise<{ ready: Ready; stop: () => void }> {
  const child = spawn(
    process.execPath,
    [
      join(__dirname, "../bin/tenant-sync.js"),
      "emulate",
      "graph",
      "--seed",
      `synthetic:${values.objects}:3`,
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
      if (out.includes("\n"))
        resolve({ ready: JSON.parse(out.split("\n")[0]) as Ready, stop: () => child.kill("SIGTERM") });
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

async function main(): Promise<void> {
  const { ready, stop } = await startEmulator();
  const work = mkdtempSync(join(tmpdir(), "tenant-sync-bench-deploy-"));
  const repo = join(work, "repo");
  try {
    const credential = createCredential(
      { kind: "clientSecret", tenantId: ready.tenantId, clientId: ready.clientId, clientSecret: ready.clientSecret },
      { authorityHost: ready.authorityHost },
    );
    const conn: SyncConnection = {
      repoDir: repo,
      graph: new GraphClient({ graphUrl: ready.graphUrl, credential, budgetScale: scale }),
      identity: { authorityHost: ready.authorityHost, tenantId: ready.tenantId, clientId: ready.clientId },
    };
    await planStep(conn);
    let edited = 0;
    for (const folder of intuneFolders) {
      for (const file of readdirSync(join(repo, folder))
        .filter((f) => f.endsWith(".json"))
        .sort()) {
        if (edited >= changes) break;
        const path = join(repo, folder, file);
        const doc = JSON.parse(readFileSync(path, "utf8"));
        doc.object.description = `${String(doc.object.description ?? "")} (reviewed)`;
        writeFileSync(path, `${JSON.stringify(doc, null, 2)}\n`);
        edited++;
      }
    }
    await git(["add", "-A"], { cwd: repo });
    await git(["commit", "-q", "-m", `Review ${edited} policies`], { cwd: repo, env: await commitIdentity(repo) });
    const planPath = join(work, "plan.json");
    const { plan } = await planStep({ ...conn, planPath });
    // Fresh buckets: the bound assumes the deploy starts with the write burst available.
    await new Promise((r) => setTimeout(r, 20_000 / scale + 500));
    await control(ready, "DELETE", "/counters");
    const graph = new GraphClient({ graphUrl: ready.graphUrl, credential, budgetScale: scale });
    const started = performance.now();
    const result = await deploy({ plan, graph, confirm: ["mass"], journalPath: `${planPath}.journal` });
    const wallMs = performance.now() - started;
    const counters = await control(ready, "GET", "/counters");
    const writes = counters.writes as number;
    const boundMs = (Math.max(0, writes - 100) / (100 * scale)) * 20_000;
    const state = await control(ready, "GET", "/state");
    void state;
    const names = new Map<string, number>();
    for (const key of [
      "deviceConfiguration",
      "deviceCompliancePolicy",
      "configurationPolicy",
      "deviceManagementScript",
      "deviceHealthScript",
    ]) {
      for (const o of (await control(ready, "GET", `/tenants/${ready.tenantId}/objects/${key}`)) as {
        displayName?: string;
        name?: string;
      }[]) {
        const n = `${key}:${o.displayName ?? o.name}`;
        names.set(n, (names.get(n) ?? 0) + 1);
      }
    }
    const duplicates = [...names.values()].filter((c) => c > 1).length;
    console.log(
      `\nbench:deploy — ${plan.changes.length} changes, realistic throttling ×${scale} (Intune writes ${100 * scale} per 20 s per app)`,
    );
    console.table([
      {
        changes: plan.changes.length,
        applied: result.applied,
        failed: result.failed,
        "duplicate names": duplicates,
        "wall s": (wallMs / 1000).toFixed(2),
        "graph writes": writes,
        "graph requests": counters.graphRequests,
        throttled: counters.throttled,
        "early retries": counters.earlyRetries,
        "write bound s": (boundMs / 1000).toFixed(2),
        "wall/bound": (wallMs / boundMs).toFixed(2),
      },
    ]);
    console.log("Target: wall/bound ≤ 1.2, zero failed or duplicated changes.");
  } finally {
    stop();
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
