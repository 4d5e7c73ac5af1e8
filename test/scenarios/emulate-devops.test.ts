/**
 * `tenant-sync emulate devops` as a user (or the hub's browser tests) starts it: the ready line, and
 * the statuses scenario read back through the three REST calls of the hub's overview, each tenant's
 * status derived by the shared function — nine tenants, nine statuses, the same ids every time.
 */
import assert from "node:assert/strict";
import { statusesScenario } from "../helpers/statuses-scenario";
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { deriveTenantStatus, type TenantStatusKind } from "../../src/core/status/derive";
import { stableGuid } from "../../emulators/local-devops/organization";
import { cliBin } from "../helpers/cli";

interface Ready {
  collectionUrl: string;
  project: string;
  token: string;
  user: { id: string; displayName: string; uniqueName: string };
  caCertPath: string;
  controlUrl: string;
  hubUrl: string;
  graph?: { graphUrl: string; controlUrl: string };
  tenants: { name: string; tenantId: string; pipelineId: number; repository: string }[];
}

/** Starts the command and resolves with its ready line (or rejects with its stderr if it exits first). */
function startEmulateDevops(args: string[]): Promise<{ child: ChildProcess; ready: Ready; stderr: () => string }> {
  const child = spawn(process.execPath, [cliBin, "emulate", "devops", ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stderr!.on("data", (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    child.stdout!.on("data", (d) => {
      stdout += d;
      const line = stdout.split("\n")[0];
      if (stdout.includes("\n")) resolve({ child, ready: JSON.parse(line) as Ready, stderr: () => stderr });
    });
    child.on("exit", (code) => reject(new Error(`emulate devops exited (${code}) before it was ready:\n${stderr}`)));
  });
}

function stopped(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    child.once("exit", (code) => resolve(code));
    child.kill("SIGTERM");
  });
}

describe("tenant-sync emulate devops", function () {
  this.timeout(180_000);

  describe("--scenario statuses", function () {
    let run: Awaited<ReturnType<typeof startEmulateDevops>>;
    const get = async (path: string) => {
      const res = await fetch(`${run.ready.collectionUrl}${run.ready.project}/_apis/${path}`, {
        headers: { authorization: `Bearer ${run.ready.token}` },
      });
      assert.equal(res.status, 200, `${path}: ${await res.clone().text()}`);
      return (await res.json()) as { value: any[] };
    };

    before(async () => {
      run = await startEmulateDevops(["--scenario", "statuses"]);
    });

    after(async () => {
      if (run) assert.equal(await stopped(run.child), 0, run.stderr());
    });

    it("prints one ready line with what a client needs", function () {
      const { ready } = run;
      assert.match(ready.collectionUrl, /^https:\/\/127\.0\.0\.1:\d+\/[^/]+\/$/);
      assert.equal(ready.project, "TenantSync");
      assert.ok(existsSync(ready.caCertPath), ready.caCertPath);
      assert.match(ready.controlUrl, /^https:\/\/127\.0\.0\.1:\d+\/_emulator$/);
      assert.match(ready.hubUrl, /^https:\/\/127\.0\.0\.1:\d+\/tenant-sync-local\/TenantSync\/_apps\/hub\/[\w.-]+$/);
      assert.ok(ready.graph?.graphUrl.startsWith("https://127.0.0.1:"));
      assert.equal(ready.user.displayName, "Alex Approver");
      assert.match(ready.user.uniqueName, /@/);
      assert.equal(ready.tenants.length, 9);
      // Deterministic: the same tenant ids every time (the hub's browser tests rely on them).
      for (const t of ready.tenants) assert.equal(t.tenantId, stableGuid(`tenant:${t.name}`));
    });

    it("has a tenant in each of the nine statuses, read through the hub's three calls", async () => {
      const definitions = await get("build/definitions?path=%5CTenantSync&includeLatestBuilds=true&api-version=7.1");
      const ids = definitions.value.map((d) => d.id).join(",");
      const builds = await get(
        `build/builds?definitions=${ids}&maxBuildsPerDefinition=1&properties=TenantSync.*&api-version=7.1`,
      );
      const approvals = await get("pipelines/approvals?state=pending&$expand=steps&api-version=7.1-preview.1");
      const statuses: Record<string, TenantStatusKind> = {};
      for (const definition of definitions.value) {
        const runs = builds.value.filter((b) => b.definition.id === definition.id);
        const status = deriveTenantStatus({ definition, runs, approvals: approvals.value, now: Date.now() });
        statuses[definition.name.replace(/^tenant-sync-/, "")] = status.status;
        if (status.status === "pendingApproval")
          assert.ok(status.detail.approval?.approvers.some((a) => a.includes(run.ready.user.displayName)));
        if (status.status === "pendingAuthentication")
          assert.match(status.detail.deviceCode!.userCode, /^[A-Z0-9]{6,}$/);
        if (status.status === "newError") assert.match(status.detail.error!.message, /federat|sign in/i);
      }
      assert.deepEqual(statuses, statusesScenario);
    });

    it("assigns the pending approval to the printed user, whose token may approve it", async () => {
      const approvals = await get("pipelines/approvals?state=pending&$expand=steps&api-version=7.1-preview.1");
      assert.equal(approvals.value.length, 1);
      const [approval] = approvals.value;
      assert.deepEqual(
        approval.steps.map((s: any) => s.assignedApprover.id),
        [run.ready.user.id],
      );
      const res = await fetch(
        `${run.ready.collectionUrl}${run.ready.project}/_apis/pipelines/approvals?api-version=7.1-preview.1`,
        {
          method: "PATCH",
          headers: { authorization: `Bearer ${run.ready.token}`, "content-type": "application/json" },
          body: JSON.stringify([{ approvalId: approval.id, status: "approved", comment: "Looks right." }]),
        },
      );
      assert.equal(res.status, 200, await res.clone().text());
      assert.equal(((await res.json()) as any).value[0].status, "approved");
    });
  });

  it("refuses an unknown scenario and a Graph URL without its control URL, saying what to do", async () => {
    for (const [args, message] of [
      [["--scenario", "everything"], /--scenario must be one of empty, demo, statuses; got 'everything'/],
      [["--graph-url", "https://127.0.0.1:1"], /--graph-url needs --graph-control-url too/],
    ] as const) {
      await assert.rejects(startEmulateDevops([...args]), message);
    }
  });
});
