/**
 * Who changed what: drift made "in the portal" (the Graph emulator's control API, with the person
 * named) is imported by `tenant-sync sync` into a commit with a Changed-By trailer per object and
 * that person as author when one person made every change (the tool's identity otherwise), and
 * plan.md says who and when. Without the directory audit's permission the import still works and
 * the warning names the permission to grant.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { git } from "../../src/core/snapshot/git";
import { runCli } from "../helpers/cli";
import { startTestEmulator, type TestEmulator } from "../helpers/graph-emulator";

const adele = { userPrincipalName: "adele@contoso.com", displayName: "Adele Vance" };
const bob = { userPrincipalName: "bob@contoso.com", displayName: "Bob Kelly" };

describe("tenant-sync sync: who changed what the import brings in", function () {
  this.timeout(120_000);
  let t: TestEmulator;
  let work: string;
  let repo: string;
  let seededRoles: string[];
  let syncs = 0;

  const cli = (...args: string[]) => runCli(t.info, args);
  const objects = (key: string) => `/tenants/${t.info.tenantId}/objects/${key}`;
  const setRoles = (roles: string[]) =>
    t.control("PUT", `/tenants/${t.info.tenantId}/apps/${t.info.clientId}/permissions`, { roles });
  const first = async (key: string) =>
    (await t.control("GET", objects(key))).body[0] as { id: string; displayName: string };
  const edit = async (key: string, actor: typeof adele, change: Record<string, unknown>) => {
    const target = await first(key);
    const r = await t.control("PATCH", `${objects(key)}/${target.id}`, { "@emulator.actor": actor, ...change });
    assert.equal(r.status, 200);
    return target;
  };
  const sync = async () => {
    const out = join(work, `plan-${++syncs}.json`);
    const r = await cli("sync", "--repo", repo, "--out", out);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    return { ...r, planMd: readFileSync(out.replace(/\.json$/, ".md"), "utf8") };
  };
  const lastCommit = async () => {
    const [subject, author, committer, ...trailers] = (
      await git(["log", "-1", "--format=%s%n%an <%ae>%n%cn <%ce>%n%(trailers:key=Changed-By,valueonly)"], {
        cwd: repo,
      })
    )
      .trim()
      .split("\n");
    return { subject, author, committer, trailers: trailers.filter(Boolean) };
  };

  before(async () => {
    t = await startTestEmulator({ throttle: { mode: "off" } });
    work = mkdtempSync(join(tmpdir(), "tenant-sync-attribution-test-"));
    repo = join(work, "repo");
    const state = (await t.control("GET", "/state")).body;
    seededRoles = state.tenants[0].apps[0].roles;
    await setRoles([...seededRoles, "AuditLog.Read.All", "Directory.Read.All"]);
    await sync();
  });
  after(async () => t.emulator.stop());

  it("commits drift made by one person with a Changed-By trailer per object and that person as author", async () => {
    const policy = await edit("deviceCompliancePolicy", adele, { passwordMinimumLength: 9 });
    const group = await edit("group", adele, { description: "Adele was here" });
    const reads = () => [
      t.emulator.requestsTo("GET", "/auditLogs/directoryAudits"),
      t.emulator.requestsTo("GET", "/deviceManagement/auditEvents"),
    ];
    const before = reads();
    const r = await sync();
    assert.deepEqual(
      reads().map((n, i) => n - before[i]),
      [1, 1],
      "one list call per log, not one per object",
    );
    const commit = await lastCommit();
    assert.match(commit.subject, /^Import 2 changes made in tenant/);
    assert.equal(commit.author, "Adele Vance <adele@contoso.com>");
    assert.notEqual(commit.committer, commit.author, "the tool commits; Adele is the author");
    assert.equal(commit.trailers.length, 2, commit.trailers.join("\n"));
    for (const [type, name] of [
      ["intune.compliancePolicy", policy.displayName],
      ["entra.group", group.displayName],
    ]) {
      const trailer = commit.trailers.find((x) => x.includes(`${type}["${name}"]`));
      assert.ok(trailer, `a trailer for ${type} ${name}: ${commit.trailers.join(" | ")}`);
      assert.match(trailer, /^Adele Vance <adele@contoso\.com> \(.+, \d{4}-\d\d-\d\dT[\d:.]+Z\)$/);
    }
    assert.match(r.planMd, /### Imported from the tenant/);
    const line = r.planMd.split("\n").find((l) => l.includes(group.displayName)) ?? "";
    assert.ok(line.includes("— changed in the tenant by Adele Vance \\<adele@contoso.com\\> at 20"), line);
    assert.doesNotMatch(r.stderr, /Cannot tell who made/);
    const plan = JSON.parse(readFileSync(join(work, `plan-${syncs}.json`), "utf8"));
    assert.deepEqual(
      plan.imported.map((i: { change: string; changedBy: string }) => [i.change, i.changedBy]),
      [
        ["changed", "Adele Vance <adele@contoso.com>"],
        ["changed", "Adele Vance <adele@contoso.com>"],
      ],
    );
    assert.ok(plan.imported.every((i: { changedAt: string }) => Date.parse(i.changedAt) > 0));
  });

  it("names each person per object and keeps the tool as author when two people made the changes", async () => {
    const policy = await edit("deviceCompliancePolicy", adele, { passwordMinimumLength: 10 });
    const group = await edit("group", bob, { description: "Bob was here" });
    const r = await sync();
    const commit = await lastCommit();
    assert.equal(commit.author, commit.committer, "the tool's identity");
    const byName = (name: string) => commit.trailers.find((x) => x.includes(`["${name}"]`)) ?? "";
    assert.match(byName(policy.displayName), /^Adele Vance <adele@contoso\.com> /);
    assert.match(byName(group.displayName), /^Bob Kelly <bob@contoso\.com> /);
    assert.match(r.planMd, /Bob Kelly/);
    assert.match(r.planMd, /Adele Vance/);
  });

  it("imports without AuditLog.Read.All, saying which permission would name who changed what", async () => {
    await setRoles(seededRoles.filter((r) => r !== "AuditLog.Read.All"));
    const group = await edit("group", adele, { description: "Nobody can tell" });
    const r = await sync();
    const commit = await lastCommit();
    assert.match(commit.subject, /^Import 1 change made in tenant/);
    assert.deepEqual(commit.trailers, []);
    assert.equal(commit.author, commit.committer);
    assert.match(r.stderr, /AuditLog\.Read\.All/);
    assert.match(r.stderr, /403/);
    const line = r.planMd.split("\n").find((l) => l.includes(group.displayName)) ?? "";
    assert.ok(line.includes("— changed in the tenant (who: not in the audit log read)"), line);
  });
});
