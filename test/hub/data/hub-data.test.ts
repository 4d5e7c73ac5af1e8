/**
 * The hub's data layer against the local Azure DevOps with the statuses scenario (real runs, the
 * published REST clients in Node): the overview's nine statuses and tiles for a constant number of
 * calls, a tenant's detail (plan, steps, approvers), and the actions — approve, reject, run now,
 * pause and resume — seen through the service's state; a user who may not approve is told who may.
 */
import "./self";
import assert from "node:assert/strict";
import { statusesScenario } from "../../helpers/statuses-scenario";
import { startLocalDevOps, type LocalDevOps } from "../../../emulators/local-devops/organization";
import { commitChange, runScenario } from "../../../emulators/local-devops/scenarios";
import { createHubData, type HubData } from "../../../hub/data/actions";
import type { Overview } from "../../../hub/data/model";

/** Polls what the organisation reaches by itself (a run moving on), with a clear timeout. */
async function until(what: string, condition: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Waited ${timeoutMs / 1000} s for ${what}.`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("hub data layer (local Azure DevOps, statuses scenario)", function () {
  this.timeout(240_000);
  let devops: LocalDevOps;
  let hub: HubData;

  const dataFor = (token: string, user: { id: string; uniqueName: string; displayName: string }) => {
    const info = devops.readyInfo();
    return createHubData({ rootPath: info.collectionUrl, project: info.project, getToken: async () => token, user });
  };
  const row = (o: Overview, tenant: string) => o.rows.find((r) => r.tenant === tenant)!;
  /** GET requests the emulator answered on the routes the overview uses. */
  const overviewRequests = () =>
    ["/build/definitions", "/build/builds", "/pipelines/approvals"].reduce(
      (n, route) => n + devops.azdo.requestsTo("GET", route),
      0,
    );
  const waitingRun = (tenant: string) => {
    const definitionId = devops.tenant(tenant).definition.id;
    return devops.store.approvals.list.find(
      (a) => a.status === "pending" && devops.store.builds.find(undefined, a.buildId)?.definitionId === definitionId,
    );
  };

  before(async () => {
    // Four agents: after the scenario two are busy for good (the held backup, the unanswered device code).
    devops = await startLocalDevOps({ caDir: process.env.TENANT_SYNC_CA_DIR, parallelJobs: 4 });
    await runScenario(devops, "statuses");
    hub = dataFor(devops.user.token, devops.approver as { id: string; uniqueName: string; displayName: string });
  });

  after(async () => {
    await devops?.stop();
  });

  let callsWithout: number;

  it("gives each of the nine tenants its status, and the tiles their counts", async () => {
    const before = overviewRequests();
    const overview = await hub.loadOverview();
    callsWithout = overview.calls;
    assert.equal(overviewRequests() - before, overview.calls, "every call the overview counts reached the service");
    const statuses = Object.fromEntries(overview.rows.map((r) => [r.tenant, r.status.status]));
    assert.deepEqual(
      statuses,
      statusesScenario,
      JSON.stringify(overview.rows.map((r) => [r.tenant, r.status.detail.error])),
    );
    assert.deepEqual(overview.tiles, { running: 2, waiting: 3, issues: 1, failed: 1, neverRun: 1, paused: 0 });
    assert.equal(overview.isActive, true);
    const approval = row(overview, "approval");
    assert.equal(approval.plan?.toChange, 1);
    assert.equal(approval.latestRun?.status, "inProgress");
    assert.match(approval.latestRun!.webUrl, new RegExp(`_build/results\\?buildId=${approval.latestRun!.id}$`));
    assert.deepEqual(approval.status.detail.approval?.approvers, [devops.user.displayName]);
    assert.equal(row(overview, "never-run").latestRun, undefined);
  });

  it("costs the same calls with 200 more tenants, leaving out the project's other pipelines", async () => {
    await runScenario(devops, "empty", { tenants: 200 });
    // Past 200 pipelines the builds call reads the latest build of every pipeline of the project.
    const { store, project } = devops;
    const other = store.builds.createDefinition(project, { name: "tenant-sync-website", path: "\\Web" }, Date.now())!;
    store.builds.add(other, { status: "completed", result: "succeeded" }, Date.now());
    const before = overviewRequests();
    const overview = await hub.loadOverview();
    assert.equal(overview.rows.length, 209);
    assert.ok(!overview.rows.some((r) => r.tenant === "website"), "a pipeline outside \\TenantSync is no tenant");
    assert.equal(overview.calls, callsWithout);
    assert.equal(overviewRequests() - before, callsWithout);
    assert.ok(overview.tiles.failed > 1 && overview.tiles.waiting > 3, JSON.stringify(overview.tiles));
  });

  it("details the tenant waiting for approval: the plan's change, the steps, who may approve", async () => {
    const detail = await hub.loadDetail("approval");
    assert.equal(detail.canApprove, true);
    assert.deepEqual(detail.approvers, [devops.user.displayName]);
    const [change] = detail.plan!.changes;
    assert.equal(change.type, "intune.compliancePolicy");
    assert.equal(change.action, "change");
    const description = change.fields.find((f) => f.pointer === "/description")!;
    assert.equal(`${description.before} (reviewed by the security team)`, description.after);
    assert.deepEqual(detail.plan!.counts, { add: 0, change: 1, delete: 0 });
    assert.deepEqual(
      detail.steps.map((s) => [s.name, s.state]),
      [
        ["Authenticate", "done"],
        ["Backup", "done"],
        ["Import drift", "done"],
        ["Plan", "done"],
        ["Approval", "waiting"],
        ["Deploy", "notStarted"],
        ["Settle", "notStarted"],
      ],
    );
    assert.ok(detail.steps.find((s) => s.name === "Backup")!.jobRecordId);
    assert.equal(detail.history[0].run.id, detail.run!.id);
    assert.equal(detail.history[0].changes, 1);
    const planLink = detail.downloads.artifacts.find((a) => a.name === "tenant-sync-plan")?.url;
    assert.equal((await fetch(planLink!)).status, 200, "the signed link needs no token");
    assert.ok(detail.downloads.logsZip);
  });

  it("tells a user who may not approve who may, as the service refuses the approval", async () => {
    const res = await fetch(`${devops.readyInfo().controlUrl}/tokens`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "Robin Reader" }),
    });
    const token = (await res.json()) as { accessToken: string; id: string; uniqueName: string };
    const reader = dataFor(token.accessToken, {
      id: token.id,
      uniqueName: token.uniqueName,
      displayName: "Robin Reader",
    });
    const detail = await reader.loadDetail("approval");
    assert.equal(detail.canApprove, false);
    assert.deepEqual(detail.approvers, [devops.user.displayName]);
    await assert.rejects(reader.approve(["approval"], "Looks fine to me."), (e: Error) => {
      assert.equal(
        e.message,
        `Approving approval failed: you are not an assigned approver of this run (${devops.user.displayName} may approve).`,
      );
      return true;
    });
    assert.equal(waitingRun("approval")?.status, "pending");
  });

  it("approves: the run deploys", async () => {
    const runId = waitingRun("approval")!.buildId;
    await hub.approve(["approval"], "Reviewed.");
    await devops.agent.whenDone(runId);
    const build = devops.store.builds.find(undefined, runId)!;
    assert.equal(`${build.status} ${build.result}`, "completed succeeded");
    const overview = await hub.loadOverview();
    assert.equal(row(overview, "approval").status.status, "idle");
    const detail = await hub.loadDetail("approval");
    assert.deepEqual(
      detail.steps
        .filter((s) => s.name === "Approval" || s.name === "Deploy" || s.name === "Settle")
        .map((s) => s.state),
      ["done", "done", "done"],
    );
  });

  it("rejects: the tenant is idle, with who rejected and why", async () => {
    await commitChange(devops, devops.tenant("approval"));
    const queued = devops.queueRun("approval");
    await until("the new run to wait for approval", () => waitingRun("approval")?.buildId === queued.id);
    await hub.loadOverview();
    await hub.reject(["approval"], "Not this week.");
    await devops.agent.whenDone(queued.id);
    const overview = await hub.loadOverview();
    const status = row(overview, "approval").status;
    assert.equal(status.status, "idle");
    assert.equal(status.detail.rejected?.evidence, "timeline");
    // The detail reads the rejected approval the timeline points at: who rejected it, and why.
    const detail = await hub.loadDetail("approval");
    const rejected = detail.status?.detail.rejected;
    assert.deepEqual(
      { evidence: rejected?.evidence, by: rejected?.by, comment: rejected?.comment },
      { evidence: "approval", by: devops.user.displayName, comment: "Not this week." },
    );
    assert.equal(detail.steps.find((s) => s.name === "Approval")!.state, "failed");
  });

  it("runs a sync now with the given parameters", async () => {
    const run = await hub.runNow("idle", {
      mode: "backupOnly",
      confirmDeletes: true,
      confirmMassChanges: false,
      confirmSecrets: false,
      conflictPolicy: "stop",
    });
    const build = devops.store.builds.find(undefined, run.id)!;
    assert.equal(build.definitionId, devops.tenant("idle").definition.id);
    assert.deepEqual(build.templateParameters, {
      mode: "backupOnly",
      confirmDeletes: "true",
      confirmMassChanges: "false",
      confirmSecrets: "false",
      conflictPolicy: "stop",
    });
    await devops.agent.whenDone(run.id);
    assert.equal(devops.store.builds.find(undefined, run.id)!.result, "succeeded");
  });

  it("pauses and resumes a tenant's pipeline", async () => {
    const definition = devops.tenant("partial").definition;
    await hub.pause("partial");
    assert.equal(definition.queueStatus, "paused");
    assert.equal(hub.current!.tiles.paused, 1);
    assert.equal(row(hub.current!, "partial").status.paused, true);
    await hub.resume("partial");
    assert.equal(definition.queueStatus, "enabled");
    assert.equal(hub.current!.tiles.paused, 0);
  });
});
