/**
 * Writes the service leaves to a person, driven from the command line against the Graph emulator: an
 * edit of the backup-only Apple MDM push certificate and the delete of a VPP token (a type Tenant Sync
 * only updates) end in the plan as refused, with why and what to do instead; deploy applies the other
 * changes (a VPP token's and a DEP token's settings, and the tenant-wide Intune settings, written
 * through deviceManagement) and leaves those two objects as the tenant has them; the next plan finds
 * them again.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { GateFinding } from "../../src/core/sync/plan";
import { runCli } from "../helpers/cli";
import { commitAll } from "../helpers/commit";
import { startTestEmulator, type TestEmulator } from "../helpers/graph-emulator";

const apnsFile = "intune.applePushNotificationCertificate/Apple MDM push certificate.json";
const redmondFile = "intune.vppToken/Contoso Ltd - Redmond.json";
const londonFile = "intune.vppToken/Contoso Ltd - London.json";
const apnsAddress = 'intune.applePushNotificationCertificate["Apple MDM push certificate"]';
const londonAddress = 'intune.vppToken["Contoso Ltd - London"]';
const depFile = "intune.depOnboardingSetting/Contoso ABM.json";
const settingsFile = "intune.deviceManagementSettings/Intune tenant settings.json";

describe("tenant-sync plan and deploy with writes the service leaves to a person", function () {
  this.timeout(120_000);
  let t: TestEmulator;
  let work: string;
  let repo: string;

  const cli = (...args: string[]) => runCli(t.info, args);
  const edit = (file: string, change: (object: Record<string, unknown>) => void) => {
    const doc = JSON.parse(readFileSync(join(repo, file), "utf8"));
    change(doc.object);
    writeFileSync(join(repo, file), `${JSON.stringify(doc, null, 2)}\n`);
  };
  const objects = async (key: string) => (await t.control("GET", `/tenants/${t.info.tenantId}/objects/${key}`)).body;
  const pushCertificate = async () =>
    (await t.control("GET", `/tenants/${t.info.tenantId}`)).body.singletons.applePushNotificationCertificate;
  const refusedOf = (findings: GateFinding[]) =>
    findings.filter((f) => f.kind === "refusedWrite").map((f) => [f.addresses[0], f.refused?.action]);

  before(async () => {
    t = await startTestEmulator({ throttle: { mode: "off" } });
    work = mkdtempSync(join(tmpdir(), "tenant-sync-refused-test-"));
    repo = join(work, "repo");
    const first = await cli("sync", "--repo", repo, "--out", join(work, "plan-0.json"));
    assert.equal(first.code, 0, first.stderr);
  });
  after(async () => t.emulator.stop());

  it("plans the allowed changes and lists the refused ones, which deploy never writes", async () => {
    const apnsBefore = await pushCertificate();
    edit(apnsFile, (o) => (o.appleIdentifier = "someone-else@contoso.com"));
    edit(redmondFile, (o) => (o.automaticallyUpdateApps = false));
    rmSync(join(repo, londonFile));
    edit(depFile, (o) => (o.dataSharingConsentGranted = false));
    edit(settingsFile, (o) => (o.deviceComplianceCheckinThresholdDays = 7));
    await commitAll(
      repo,
      "New Apple ID for the push certificate; Redmond apps update by hand; drop London; no DEP data sharing",
    );

    const planPath = join(work, "plan-1.json");
    const planned = await cli("plan", "--repo", repo, "--out", planPath, "--json");
    assert.equal(planned.code, 0, planned.stderr);
    const summary = JSON.parse(planned.stdout.trim());
    assert.equal(summary.summary, "0 to add, 3 to change, 0 to delete (2 refused writes left to a person).");
    assert.deepEqual(refusedOf(summary.findings), [
      [apnsAddress, "update"],
      [londonAddress, "delete"],
    ]);
    assert.ok(!summary.findings.some((f: GateFinding) => f.confirm), "a refused delete asks for no confirmation");
    const report = readFileSync(planPath.replace(/\.json$/, ".md"), "utf8");
    assert.match(report, /### Not deployed: writes the service leaves to a person/);
    assert.match(
      report,
      /Apple MDM push certificate"\\\] — update: .*\*\*Instead:\*\* renew or replace the certificate/,
    );

    await t.control("DELETE", "/counters");
    const deployed = await cli("deploy", "--plan", planPath, "--repo", repo);
    assert.equal(deployed.code, 0, deployed.stderr + deployed.stdout);
    assert.match(deployed.stdout, /Deployed: 3 applied, 0 failed/);
    assert.equal(t.emulator.requestsTo("PATCH", "/deviceManagement/applePushNotificationCertificate"), 0);
    assert.equal(t.emulator.requestsTo("DELETE", "/deviceAppManagement/vppTokens"), 0);
    const tokens = await objects("vppToken");
    const byLocation = (name: string) => tokens.find((o: { locationName: string }) => o.locationName === name);
    assert.equal(byLocation("Contoso Ltd - Redmond").automaticallyUpdateApps, false, "the allowed update is applied");
    assert.ok(byLocation("Contoso Ltd - London"), "the token the repository dropped is still in the tenant");
    assert.equal((await objects("depOnboardingSetting"))[0].dataSharingConsentGranted, false);
    const tenant = (await t.control("GET", `/tenants/${t.info.tenantId}`)).body;
    assert.equal(tenant.singletons.deviceManagementSettings.props.deviceComplianceCheckinThresholdDays, 7);
    const apnsAfter = await pushCertificate();
    assert.deepEqual(apnsAfter, apnsBefore, "the push certificate is as it was");
  });

  it("finds the refused writes again on the next plan, until the repository or the tenant changes", async () => {
    const again = await cli("plan", "--repo", repo, "--out", join(work, "plan-2.json"), "--json");
    assert.equal(again.code, 0, again.stderr);
    const summary = JSON.parse(again.stdout.trim());
    assert.equal(summary.summary, "0 to add, 0 to change, 0 to delete (2 refused writes left to a person).");
    assert.deepEqual(refusedOf(summary.findings), [
      [apnsAddress, "update"],
      [londonAddress, "delete"],
    ]);
  });
});
