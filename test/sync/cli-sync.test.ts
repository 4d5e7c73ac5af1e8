/**
 * The command line as a user drives it against the Graph emulator: sync into an empty repository,
 * edit, plan, deploy (blocked until deletes are confirmed), sync again with nothing to do, reject
 * and revert, and revert to a point in time.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { git } from "../../src/core/snapshot/git";
import { runCli } from "../helpers/cli";
import { commitAll } from "../helpers/commit";
import { startTestEmulator, type TestEmulator } from "../helpers/graph-emulator";

const policyFile = "intune.compliancePolicy/Windows - Compliance baseline.json";

describe("tenant-sync sync, plan, deploy and revert", function () {
  this.timeout(120_000);
  let t: TestEmulator;
  let work: string;
  let repo: string;

  const cli = (...args: string[]) => runCli(t.info, args);
  const editPolicy = (length: number) => {
    const doc = JSON.parse(readFileSync(join(repo, policyFile), "utf8"));
    doc.object.passwordMinimumLength = length;
    writeFileSync(join(repo, policyFile), `${JSON.stringify(doc, null, 2)}\n`);
  };

  before(async () => {
    t = await startTestEmulator({ throttle: { mode: "off" } });
    work = mkdtempSync(join(tmpdir(), "tenant-sync-cli-test-"));
    repo = join(work, "repo");
  });
  after(async () => t.emulator.stop());

  it("takes the tenant into an empty repository and reports being in sync", async () => {
    const r = await cli("sync", "--repo", repo, "--out", join(work, "plan-0.json"));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /In sync: nothing to deploy\./);
    assert.ok(existsSync(join(repo, policyFile)));
  });

  it("plans an edit and a deletion, refuses to deploy the deletion until it is confirmed, then deploys exactly the plan", async () => {
    editPolicy(12);
    rmSync(join(repo, "intune.roleScopeTag/Finance.json"));
    await commitAll(repo, "Longer passwords; drop the Finance scope tag");
    const planPath = join(work, "plan-1.json");
    const planned = await cli("plan", "--repo", repo, "--out", planPath, "--json");
    assert.equal(planned.code, 0, planned.stderr);
    const summary = JSON.parse(planned.stdout.trim());
    assert.equal(summary.summary, "0 to add, 1 to change, 1 to delete (1 finding to confirm).");
    assert.deepEqual(
      summary.findings.map((f: { confirm: string }) => f.confirm),
      ["deletes"],
    );

    const refused = await cli("deploy", "--plan", planPath, "--repo", repo);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /deletes/);
    assert.ok(
      (await t.control("GET", `/tenants/${t.info.tenantId}/objects/roleScopeTag`)).body.some(
        (o: { displayName: string }) => o.displayName === "Finance",
      ),
      "nothing was deleted",
    );

    const deployed = await cli("deploy", "--plan", planPath, "--repo", repo, "--confirm", "deletes");
    assert.equal(deployed.code, 0, deployed.stderr + deployed.stdout);
    assert.match(deployed.stdout, /Deployed: 2 applied, 0 failed/);
    assert.match(deployed.stdout, /Base moved to/);
    const policies = (await t.control("GET", `/tenants/${t.info.tenantId}/objects/deviceCompliancePolicy`)).body;
    assert.equal(policies[0].passwordMinimumLength, 12);
    assert.ok(
      !(await t.control("GET", `/tenants/${t.info.tenantId}/objects/roleScopeTag`)).body.some(
        (o: { displayName: string }) => o.displayName === "Finance",
      ),
    );

    const again = await cli("sync", "--repo", repo, "--out", join(work, "plan-2.json"));
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /0 to add, 0 to change, 0 to delete\.\nIn sync: nothing to deploy\./);
  });

  it("resets pending repository changes to the tenant's state on reject and revert", async () => {
    editPolicy(20);
    await commitAll(repo, "Even longer passwords");
    const r = await cli("revert", "--repo", repo);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Reverted 1 pending change to the tenant's state/);
    assert.equal(JSON.parse(readFileSync(join(repo, policyFile), "utf8")).object.passwordMinimumLength, 12);
    assert.match(
      await git(["log", "-1", "--format=%s"], { cwd: repo }),
      /^Revert 1 pending change to the tenant's state/,
    );
  });

  it("makes an earlier backup the desired state, so the next plan takes the tenant back through the usual gates", async () => {
    const first = (await git(["rev-list", "--max-parents=0", "tenant-sync/backup"], { cwd: repo })).trim();
    const r = await cli("revert", "--repo", repo, "--to", first);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(readFileSync(join(repo, policyFile), "utf8")).object.passwordMinimumLength, 5);
    const planPath = join(work, "plan-3.json");
    const planned = await cli("plan", "--repo", repo, "--out", planPath, "--json");
    const summary = JSON.parse(planned.stdout.trim());
    assert.equal(summary.summary, "1 to add, 1 to change, 0 to delete.");
    const deployed = await cli("deploy", "--plan", planPath, "--repo", repo);
    assert.equal(deployed.code, 0, deployed.stderr + deployed.stdout);
    const tag = (await t.control("GET", `/tenants/${t.info.tenantId}/objects/roleScopeTag`)).body.find(
      (o: { displayName: string }) => o.displayName === "Finance",
    );
    assert.equal(
      JSON.parse(readFileSync(join(repo, "intune.roleScopeTag/Finance.json"), "utf8")).id,
      tag.id,
      "the re-created object's tenant id is recorded in its file",
    );
    assert.match(
      await git(["log", "-1", "--format=%s"], { cwd: repo }),
      /^Record the tenant ids of 1 object the deploy created/,
    );
  });

  it("answers bad usage with exit code 2 and says what to do", async () => {
    const r = await cli("deploy");
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--plan FILE is required/);
    const c = await cli("deploy", "--plan", "x.json", "--confirm", "everything");
    assert.equal(c.code, 2);
    assert.match(c.stderr, /"everything" is not one of deletes, mass, secrets/);
  });
});
