/**
 * `tenant-sync devops status` over the statuses scenario of the local Azure DevOps: the nine
 * statuses (as the hub derives them), each with its next action, in a constant number of REST
 * calls; `reject` of a tenant without a pending approval says where the tenant is instead.
 */
import assert from "node:assert/strict";
import { statusesScenario } from "../helpers/statuses-scenario";
import { startLocalDevOps, type LocalDevOps } from "../../emulators/local-devops/organization";
import { runScenario } from "../../emulators/local-devops/scenarios";
import { runDevOps } from "./devops-cli";

describe("tenant-sync devops status over the nine statuses", function () {
  this.timeout(300_000);
  let devops: LocalDevOps;

  before(async () => {
    devops = await startLocalDevOps({ caDir: process.env.TENANT_SYNC_CA_DIR });
    await runScenario(devops, "statuses");
  });

  after(async () => {
    await devops?.stop();
  });

  it("prints every tenant's status and next action as JSON rows", async () => {
    const run = await runDevOps(devops, ["status", "--json"]);
    assert.equal(run.code, 0, run.stderr);
    const rows = JSON.parse(run.stdout) as any[];
    assert.deepEqual(Object.fromEntries(rows.map((r) => [r.tenant, r.status])), statusesScenario);
    const by = Object.fromEntries(rows.map((r) => [r.tenant, r]));
    assert.match(by.approval.next.command, /^tenant-sync devops approve approval/);
    assert.ok(by.approval.next.text.includes(devops.user.displayName), by.approval.next.text);
    assert.match(by["device-code"].next.text, /Sign in at \S+ with the code [A-Z0-9]{6,}/);
    assert.match(by.consent.next.url, /adminconsent\?client_id=/);
    assert.match(by.consent.next.text, /DeviceManagementScripts/);
    assert.match(by.failed.next.text, /federat/i);
    assert.equal(by["never-run"].next.command, "tenant-sync devops run never-run");
  });

  it("prints a table in a constant number of overview calls, reading timelines only where the status needs one", async () => {
    const before = structuredClone(devops.azdo.counters.byRoute);
    const run = await runDevOps(devops, ["status"]);
    assert.equal(run.code, 0, run.stderr);
    for (const label of ["Pending approval", "Pending authentication", "Pending admin consent", "Not run", "New error"])
      assert.ok(run.stdout.includes(label), `${label}\n${run.stdout}`);
    assert.match(run.stdout, /^9 tenants: /m);
    const calls = (key: string) =>
      Object.entries(devops.azdo.counters.byRoute)
        .filter(([route]) => route === key)
        .reduce(
          (n, [route, s]) =>
            n +
            Object.values(s).reduce((a, b) => a + b, 0) -
            Object.values(before[route] ?? {}).reduce((a, b) => a + b, 0),
          0,
        );
    assert.equal(calls("GET /{org}/{project}/_apis/build/definitions"), 1);
    assert.equal(calls("GET /{org}/{project}/_apis/build/builds"), 1);
    assert.equal(calls("GET /{org}/{project}/_apis/pipelines/approvals"), 1);
  });

  it("refuses to reject where nothing waits, naming the tenant and its status", async () => {
    const run = await runDevOps(devops, ["reject", "idle", "nowhere", "--revert"]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /idle: no pending approval: the tenant is Idle/);
    assert.match(run.stderr, /nowhere: no pipeline tenant-sync-nowhere in \\TenantSync/);
  });
});
