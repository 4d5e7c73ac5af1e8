/**
 * Backup against the Graph emulator over real HTTPS: the whole demo tenant into the backup branch,
 * byte-identical trees for an unchanged tenant, the same tree under injected faults, missing
 * permissions, partial failures, a killed run, and bad configuration.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createCredential } from "../../src/core/graph/credentials";
import { GraphClient } from "../../src/core/graph/graph-client";
import { allResourceTypes } from "../../src/core/resources/registry";
import { git } from "../../src/core/snapshot/git";
import { backup, type BackupResult } from "../../src/core/sync/backup";
import { isSyncError } from "../../src/core/errors";
import { startTestEmulator, type TestEmulator } from "../helpers/graph-emulator";

const branch = "tenant-sync/backup";

function newRepoDir(): string {
  return join(mkdtempSync(join(tmpdir(), "tenant-sync-backup-test-")), "repo");
}

function client(t: TestEmulator, secret = t.info.clientSecret): GraphClient {
  const credential = createCredential(
    { kind: "clientSecret", tenantId: t.info.tenantId, clientId: t.info.clientId, clientSecret: secret },
    { authorityHost: t.info.authorityHost },
  );
  return new GraphClient({ graphUrl: t.info.graphUrl, credential, retry: { baseDelayMs: 20, maxDelayMs: 2000 } });
}

function run(
  t: TestEmulator,
  repoDir: string,
  extra: Partial<Parameters<typeof backup>[0]> = {},
): Promise<BackupResult> {
  return backup({
    repoDir,
    graph: client(t),
    identity: { authorityHost: t.info.authorityHost, tenantId: t.info.tenantId, clientId: t.info.clientId },
    ...extra,
  });
}

async function treeOf(repo: string): Promise<string> {
  return (await git(["rev-parse", `${branch}^{tree}`], { cwd: repo })).trim();
}

describe("backup", function () {
  this.timeout(60_000);
  let t: TestEmulator;

  before(async () => {
    t = await startTestEmulator({ throttle: { mode: "off" } });
  });
  after(async () => t.emulator.stop());
  afterEach(async () => {
    await t.control("DELETE", "/faults");
  });

  it("exports every resource type of the demo tenant into the backup branch", async () => {
    const repo = newRepoDir();
    const result = await run(t, repo);
    assert.equal(result.partial, false);
    assert.deepEqual(result.failed, []);
    assert.deepEqual(result.missingPermissions, []);
    assert.equal(result.changed, true);
    assert.deepEqual(Object.keys(result.objects).sort(), allResourceTypes.map((x) => x.id).sort());
    const files = (await git(["ls-tree", "-r", "--name-only", branch], { cwd: result.repo })).trim().split("\n");
    assert.ok(files.includes("intune.compliancePolicy/Windows - Compliance baseline.json"));
    assert.ok(files.includes("intune.powerShellScript/Set time zone.ps1"), "script bodies are files beside the JSON");
    const doc = JSON.parse(
      await git(["show", `${branch}:intune.compliancePolicy/Windows - Compliance baseline.json`], { cwd: result.repo }),
    );
    const tenantPolicy = (await t.control("GET", `/tenants/${t.info.tenantId}/objects/deviceCompliancePolicy`)).body[0];
    assert.equal(doc.id, tenantPolicy.id, "the file records the object's tenant id");
    assert.equal(doc.object.assignments[0].target.groupId.$ref, 'entra.group["All Windows devices"]');
    assert.equal(doc.object.createdDateTime, undefined, "server-managed properties are dropped");
    const script = await git(["show", `${branch}:intune.powerShellScript/Set time zone.ps1`], { cwd: result.repo });
    assert.equal(script, "Set-TimeZone -Id 'W. Europe Standard Time'\n");
    const oma = JSON.parse(
      await git(["show", `${branch}:intune.deviceConfiguration/Windows - Custom OMA-URI.json`], { cwd: result.repo }),
    );
    assert.ok(!JSON.stringify(oma).includes("proxy.contoso.com"), "secret values never reach git");
    assert.equal(oma.object.omaSettings[1].value.$secret, "/omaSettings/1/value");
    assert.ok(result.batchItems > 0 && result.requests > result.batchItems);
  });

  it("leaves the branch where it was when the tenant has not changed, and records one commit per change", async () => {
    const repo = newRepoDir();
    const first = await run(t, repo);
    const second = await run(t, repo);
    assert.equal(second.changed, false);
    assert.equal(second.commit, first.commit);
    const policy = (await t.control("GET", `/tenants/${t.info.tenantId}/objects/deviceCompliancePolicy`)).body[0];
    await t.control("PATCH", `/tenants/${t.info.tenantId}/objects/deviceCompliancePolicy/${policy.id}`, {
      description: "Edited in the portal",
    });
    const third = await run(t, repo);
    assert.equal(third.changed, true);
    const changed = (
      await git(["diff", "--name-only", String(first.commit), String(third.commit)], { cwd: first.repo })
    ).trim();
    assert.equal(changed, "intune.compliancePolicy/Windows - Compliance baseline.json");
    const log = (await git(["log", "--format=%s", branch], { cwd: first.repo })).trim().split("\n");
    assert.equal(log.length, 2);
    await t.control("PATCH", `/tenants/${t.info.tenantId}/objects/deviceCompliancePolicy/${policy.id}`, {
      description: policy.description,
    });
  });

  it("produces a byte-identical tree under 5xx, bursts of 429 with and without Retry-After, and connection resets", async () => {
    const clean = await run(t, newRepoDir());
    await t.control("DELETE", "/counters");
    await t.control("PUT", "/faults", { errorRate: 0.1, resetRate: 0.03, seed: 7 });
    await t.control("POST", "/faults", {
      pathContains: "/deviceManagement",
      count: 6,
      action: { kind: "status", status: 429, retryAfterSeconds: 0.2 },
    });
    await t.control("POST", "/faults", {
      pathContains: "/identity/conditionalAccess",
      count: 3,
      action: { kind: "status", status: 429 },
    });
    await t.control("POST", "/faults", { pathContains: "/groups", count: 2, action: { kind: "reset" } });
    const faulty = await run(t, newRepoDir());
    const counters = (await t.control("GET", "/counters")).body;
    assert.ok(counters.faultsInjected >= 10, `faults were injected (${counters.faultsInjected})`);
    assert.ok(counters.connectionResets >= 2);
    assert.equal(counters.earlyRetries, 0, "no request was sent before its Retry-After had passed");
    assert.equal(faulty.partial, false);
    assert.equal(await treeOf(faulty.repo), await treeOf(clean.repo));
  });

  it("skips a type the app may not read, names the missing permission and the consent URL, and does not call it", async () => {
    const repo = newRepoDir();
    const full = await run(t, repo);
    const app = (await t.control("GET", "/state")).body.tenants[0].apps[0];
    await t.control("PUT", `/tenants/${t.info.tenantId}/apps/${t.info.clientId}/permissions`, {
      roles: app.roles.filter((r: string) => !r.startsWith("DeviceManagementApps")),
    });
    try {
      await t.control("DELETE", "/counters");
      const result = await run(t, repo);
      assert.deepEqual(result.missingPermissions, ["DeviceManagementApps.Read.All"]);
      assert.match(String(result.consentUrl), /\/adminconsent\?client_id=/);
      assert.deepEqual(result.skipped.map((s) => s.type).sort(), [
        "intune.appProtectionPolicy",
        "intune.managedAppConfiguration",
        "intune.mobileAppCategory",
        "intune.mobileAppConfiguration",
        "intune.webApp",
      ]);
      assert.equal(result.partial, false);
      // VPP tokens live under /deviceAppManagement too, but are read with the service configuration permission.
      assert.equal(
        t.emulator.requestsTo("GET", "/deviceAppManagement") -
          t.emulator.requestsTo("GET", "/deviceAppManagement/vppTokens"),
        0,
        "missing permissions are known before calling",
      );
      assert.equal(
        await treeOf(result.repo),
        await treeOf(full.repo),
        "the skipped types keep their previous snapshot",
      );
    } finally {
      await t.control("PUT", `/tenants/${t.info.tenantId}/apps/${t.info.clientId}/permissions`, { roles: app.roles });
    }
  });

  it("marks the backup partial when a type fails, keeping that type's previous snapshot and naming the failure", async () => {
    const repo = newRepoDir();
    const full = await run(t, repo);
    const filter = (await t.control("GET", `/tenants/${t.info.tenantId}/objects/assignmentFilter`)).body[0];
    await t.control("PATCH", `/tenants/${t.info.tenantId}/objects/assignmentFilter/${filter.id}`, {
      description: "changed while broken",
    });
    // A change elsewhere, so the partial backup makes a commit whose message names what it kept.
    const location = (await t.control("GET", `/tenants/${t.info.tenantId}/objects/namedLocation`)).body[0];
    await t.control("PATCH", `/tenants/${t.info.tenantId}/objects/namedLocation/${location.id}`, {
      displayName: `${location.displayName} (renamed)`,
    });
    await t.control("POST", "/faults", {
      pathContains: "/deviceManagement/assignmentFilters",
      count: 100,
      action: { kind: "status", status: 400, code: "BadRequest", message: "Injected failure" },
    });
    const result = await run(t, repo);
    await t.control("DELETE", "/faults");
    await t.control("PATCH", `/tenants/${t.info.tenantId}/objects/assignmentFilter/${filter.id}`, {
      description: filter.description,
    });
    await t.control("PATCH", `/tenants/${t.info.tenantId}/objects/namedLocation/${location.id}`, {
      displayName: location.displayName,
    });
    assert.equal(result.partial, true);
    assert.deepEqual(
      result.failed.map((f) => f.type),
      ["intune.assignmentFilter", "intune.settingsCatalogPolicy"],
      "a type whose references into the failed type cannot be resolved is not backed up either",
    );
    assert.match(result.failed[0].error, /Injected failure/);
    assert.match(
      result.failed[1].error,
      /its references to intune\.assignmentFilter could not be resolved because intune\.assignmentFilter failed: .*Injected failure/,
    );
    const files = await git(["ls-tree", "-r", "--name-only", branch, "intune.assignmentFilter"], { cwd: full.repo });
    assert.match(files, /Windows 11 corporate\.json/, "the failed type keeps its previous snapshot");
    const message = await git(["log", "-1", "--format=%B", branch], { cwd: full.repo });
    assert.match(message, /intune\.assignmentFilter: not backed up \(failed\); previous snapshot kept/);
  });

  it("stops with a clear error on a bad tenant-sync.json before any Graph call", async () => {
    const repo = newRepoDir();
    await run(t, repo, { include: ["intune.compliancePolicy"] });
    writeFileSync(
      join(repo, "tenant-sync.json"),
      JSON.stringify({ resourceTypes: { include: ["intune.compliancePolicies"] } }),
    );
    await t.control("DELETE", "/counters");
    await assert.rejects(run(t, repo), (e: unknown) => {
      assert.ok(isSyncError(e));
      assert.equal(e.code, "config.invalid");
      assert.match(
        e.message,
        /tenant-sync\.json.*\/resourceTypes\/include\/0.*did you mean "intune\.compliancePolicy"/,
      );
      return true;
    });
    assert.equal(t.emulator.counters.graphRequests, 0);
  });

  it("leaves the previous snapshot intact when the backup process is killed midway", async () => {
    const repo = newRepoDir();
    const first = await run(t, repo);
    const policy = (await t.control("GET", `/tenants/${t.info.tenantId}/objects/deviceCompliancePolicy`)).body[0];
    await t.control("PATCH", `/tenants/${t.info.tenantId}/objects/deviceCompliancePolicy/${policy.id}`, {
      description: "changed before the kill",
    });
    await t.control("PUT", "/faults", { latencyMs: 150 });
    await t.control("DELETE", "/counters");
    const child = spawn(process.execPath, [join(__dirname, "../../bin/tenant-sync.js"), "backup", "--repo", repo], {
      env: {
        ...process.env,
        AZURE_TENANT_ID: t.info.tenantId,
        AZURE_CLIENT_ID: t.info.clientId,
        AZURE_CLIENT_SECRET: t.info.clientSecret,
        AZURE_AUTHORITY_HOST: t.info.authorityHost,
        TENANT_SYNC_GRAPH_URL: t.info.graphUrl,
      },
      stdio: "ignore",
    });
    while (t.emulator.counters.graphRequests < 5) await new Promise((r) => setTimeout(r, 20));
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));
    await t.control("PUT", "/faults", { latencyMs: 0 });
    await t.control("PATCH", `/tenants/${t.info.tenantId}/objects/deviceCompliancePolicy/${policy.id}`, {
      description: policy.description,
    });
    const head = (await git(["rev-parse", branch], { cwd: first.repo })).trim();
    assert.equal(head, first.commit, "the branch did not move");
    assert.equal(
      (await git(["status", "--porcelain"], { cwd: first.repo })).trim(),
      "",
      "the working tree is untouched",
    );
    await git(["fsck", "--no-progress"], { cwd: first.repo });
  });

  it("prints one JSON result object with --json", async () => {
    const repo = newRepoDir();
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [
          join(__dirname, "../../bin/tenant-sync.js"),
          "backup",
          "--repo",
          repo,
          "--json",
          "--types",
          "entra.group,entra.namedLocation",
        ],
        {
          env: {
            ...process.env,
            AZURE_TENANT_ID: t.info.tenantId,
            AZURE_CLIENT_ID: t.info.clientId,
            AZURE_CLIENT_SECRET: t.info.clientSecret,
            AZURE_AUTHORITY_HOST: t.info.authorityHost,
            TENANT_SYNC_GRAPH_URL: t.info.graphUrl,
          },
        },
      );
      let out = "";
      child.stdout.on("data", (d) => (out += d));
      child.on("exit", (code) => (code === 0 ? resolve(out) : reject(new Error(`exit ${code}: ${out}`))));
    });
    const lines = output.trim().split("\n");
    assert.equal(lines.length, 1);
    const result = JSON.parse(lines[0]);
    assert.deepEqual(result.objects, { "entra.group": 5, "entra.namedLocation": 2 });
    assert.equal(result.partial, false);
    assert.equal(typeof result.requests, "number");
    assert.equal(typeof result.throttled, "number");
    assert.ok(result.filesWritten >= 7);
    void readFileSync;
  });
});

describe("backup of a tenant without the optional singletons", function () {
  this.timeout(60_000);
  let t: TestEmulator;

  before(async () => {
    // The synthetic tenants never set up Apple device management: no push certificate.
    t = await startTestEmulator({ seed: "synthetic:40:1", throttle: { mode: "off" } });
  });
  after(async () => t.emulator.stop());

  it("holds no Apple push certificate where the service answers 404 for it, and is not partial", async () => {
    const direct = await fetch(`${t.info.graphUrl}/beta/deviceManagement/applePushNotificationCertificate`, {
      headers: { authorization: `Bearer ${await client(t).accessToken()}` },
    });
    assert.equal(direct.status, 404, "the tenant has no push certificate");
    const result = await run(t, newRepoDir(), { include: ["intune.applePushNotificationCertificate", "entra.group"] });
    assert.deepEqual(result.failed, []);
    assert.equal(result.partial, false);
    assert.equal(result.objects["intune.applePushNotificationCertificate"], 0);
    const files = (await git(["ls-tree", "-r", "--name-only", branch], { cwd: result.repo })).trim().split("\n");
    assert.ok(!files.some((f) => f.startsWith("intune.applePushNotificationCertificate/")));
  });
});
