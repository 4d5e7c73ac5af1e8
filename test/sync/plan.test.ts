/**
 * The plan step against the Graph emulator: the first sync imports the tenant into an empty repo
 * and settles; a repo edit becomes a field-level update; a portal edit is imported as drift; an
 * object changed on both sides is a conflict that stops the plan with both versions shown; a rename
 * in the repo is an update; deletes and bad repository files are caught.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createCredential } from "../../src/core/graph/credentials";
import { GraphClient } from "../../src/core/graph/graph-client";
import { git } from "../../src/core/snapshot/git";
import { isSyncError } from "../../src/core/errors";
import { planStep, type PlanStepOptions } from "../../src/core/sync/sync";
import { summaryLine, renderMarkdown } from "../../src/core/sync/render-plan";
import { readPlanFile } from "../../src/core/sync/plan-file";
import { startTestEmulator, type TestEmulator } from "../helpers/graph-emulator";

const policyFile = "intune.compliancePolicy/Windows - Compliance baseline.json";

describe("plan step (three-way sync)", function () {
  this.timeout(60_000);
  let t: TestEmulator;
  let repoDir: string;

  const options = (extra: Partial<PlanStepOptions> = {}): PlanStepOptions => {
    const credential = createCredential(
      { kind: "clientSecret", tenantId: t.info.tenantId, clientId: t.info.clientId, clientSecret: t.info.clientSecret },
      { authorityHost: t.info.authorityHost },
    );
    return {
      repoDir,
      graph: new GraphClient({ graphUrl: t.info.graphUrl, credential }),
      identity: { authorityHost: t.info.authorityHost, tenantId: t.info.tenantId, clientId: t.info.clientId },
      ...extra,
    };
  };
  const readDoc = (file: string) => JSON.parse(readFileSync(join(repoDir, file), "utf8"));
  const writeDoc = (file: string, doc: unknown) =>
    writeFileSync(join(repoDir, file), `${JSON.stringify(doc, null, 2)}\n`);
  const commitAll = async (message: string) => {
    await git(["add", "-A"], { cwd: repoDir });
    await git(["-c", "user.name=Test", "-c", "user.email=test@example.com", "commit", "-q", "-m", message], {
      cwd: repoDir,
    });
  };
  const portalEdit = async (
    key: string,
    match: (o: Record<string, unknown>) => boolean,
    change: Record<string, unknown>,
  ) => {
    const objects = (await t.control("GET", `/tenants/${t.info.tenantId}/objects/${key}`)).body as Record<
      string,
      unknown
    >[];
    const target = objects.find(match);
    assert.ok(target, `no ${key} to edit`);
    await t.control("PATCH", `/tenants/${t.info.tenantId}/objects/${key}/${String(target.id)}`, change);
  };

  before(async () => {
    t = await startTestEmulator({ throttle: { mode: "off" } });
    repoDir = join(mkdtempSync(join(tmpdir(), "tenant-sync-plan-test-")), "repo");
  });
  after(async () => t.emulator.stop());

  it("imports the whole tenant into an empty repository on the first sync, then settles base", async () => {
    const result = await planStep(options());
    assert.equal(result.plan.changes.length, 0);
    assert.ok(result.imports.length >= 38, `imported ${result.imports.length}`);
    assert.ok(result.importCommit);
    assert.equal(result.settled, true);
    assert.ok(existsSync(join(repoDir, policyFile)));
    const message = await git(["log", "-1", "--format=%B"], { cwd: repoDir });
    assert.match(message, /^Import \d+ changes made in tenant/);
    assert.match(message, /intune\.compliancePolicy\["Windows - Compliance baseline"\]: added in the tenant/);
    assert.ok((await git(["rev-parse", "tenant-sync/base"], { cwd: repoDir })).trim());
    const again = await planStep(options());
    assert.equal(again.imports.length, 0);
    assert.equal(summaryLine(again.plan), "0 to add, 0 to change, 0 to delete.");
  });

  it("plans a repo edit as a field-level update and imports a portal edit elsewhere as drift", async () => {
    const doc = readDoc(policyFile);
    doc.object.passwordMinimumLength = 14;
    writeDoc(policyFile, doc);
    await commitAll("Require 14 characters");
    await portalEdit("namedLocation", (o) => o.displayName === "Head office", { isTrusted: true });
    const planPath = join(repoDir, "..", "plan.json");
    const result = await planStep(options({ planPath }));
    assert.deepEqual(
      result.imports.map((i) => i.address),
      ['entra.namedLocation["Head office"]'],
    );
    assert.equal(readDoc("entra.namedLocation/Head office.json").object.isTrusted, true, "drift is in the repo");
    assert.equal(result.plan.changes.length, 1);
    const [change] = result.plan.changes;
    assert.equal(change.address, 'intune.compliancePolicy["Windows - Compliance baseline"]');
    assert.equal(change.action, "update");
    assert.deepEqual(change.fields, [{ path: "/passwordMinimumLength", before: 5, after: 14 }]);
    assert.match(String(change.fingerprint), /^sha256:/);
    assert.equal(summaryLine(result.plan), "0 to add, 1 to change, 0 to delete.");
    const fromFile = readPlanFile(planPath);
    assert.deepEqual(fromFile.changes, result.plan.changes);
    const markdown = readFileSync(join(repoDir, "..", "plan.md"), "utf8");
    assert.equal(markdown, renderMarkdown(fromFile));
    assert.match(markdown, /\| `\/passwordMinimumLength` \| 5 \| 14 \|/);
    assert.equal(result.settled, false, "base moves only when nothing is left to deploy");
  });

  it("stops on an object changed in both the repo and the tenant, showing both versions", async () => {
    await portalEdit("deviceCompliancePolicy", (o) => o.displayName === "Windows - Compliance baseline", {
      passwordMinimumLength: 10,
    });
    const result = await planStep(options());
    assert.equal(result.plan.changes.length, 0);
    assert.equal(result.plan.conflicts.length, 1);
    const [conflict] = result.plan.conflicts;
    assert.equal(conflict.resolution, "stopped");
    assert.deepEqual(conflict.fields, [{ path: "/passwordMinimumLength", before: 10, after: 14 }]);
    assert.equal(result.plan.findings.find((f) => f.kind === "conflict")?.addresses[0], conflict.address);
    assert.equal(readDoc(policyFile).object.passwordMinimumLength, 14, "the repo keeps its version");
    const repoWins = await planStep(options({ conflictPolicy: "repo-wins" }));
    assert.equal(repoWins.plan.changes[0].fields[0].after, 14);
    assert.equal(repoWins.plan.conflicts[0].resolution, "repoWins");
    const tenantWins = await planStep(options({ conflictPolicy: "tenant-wins" }));
    assert.equal(tenantWins.plan.changes.length, 0);
    assert.equal(readDoc(policyFile).object.passwordMinimumLength, 10, "the tenant's version was imported");
  });

  it("plans a rename in the repo as an update of the same object, and a removed file as a delete needing confirmation", async () => {
    const file = "intune.assignmentFilter/Windows 11 corporate.json";
    const doc = readDoc(file);
    doc.object.displayName = "Windows 11 corporate devices";
    rmSync(join(repoDir, file));
    writeDoc("intune.assignmentFilter/Windows 11 corporate devices.json", doc);
    rmSync(join(repoDir, "intune.roleScopeTag/Finance.json"));
    await commitAll("Rename a filter, drop a scope tag");
    const { plan } = await planStep(options());
    const rename = plan.changes.find((c) => c.type === "intune.assignmentFilter");
    assert.equal(rename?.action, "update");
    assert.equal(rename?.address, 'intune.assignmentFilter["Windows 11 corporate devices"]');
    assert.deepEqual(
      rename?.fields.map((f) => f.path),
      ["/displayName"],
    );
    const deletion = plan.changes.find((c) => c.action === "delete");
    assert.equal(deletion?.address, 'intune.roleScopeTag["Finance"]');
    assert.deepEqual(
      plan.findings.filter((f) => f.confirm === "deletes").map((f) => f.addresses),
      [['intune.roleScopeTag["Finance"]']],
    );
    assert.equal(plan.changes.at(-1)?.action, "delete", "deletes come after the other changes");
  });

  it("refuses bad repository files with every problem named, before anything else happens", async () => {
    writeFileSync(join(repoDir, "entra.group/Broken.json"), "{ not json");
    writeDoc("intune.compliancePolicy/Typo.json", {
      id: "",
      object: {
        "@odata.type": "#microsoft.graph.windows10CompliancePolicy",
        displayName: "Typo",
        passwordMinimumLenght: 8,
      },
    });
    writeDoc("intune.compliancePolicy/Copy.json", { ...readDoc(policyFile), id: "" });
    writeDoc("intune.compliancePolicy/Sneaky.json", {
      id: "",
      object: { "@odata.type": "#microsoft.graph.windows10CompliancePolicy", displayName: "../../etc/passwd" },
    });
    writeFileSync(join(repoDir, "intune.compliancePolicies.json"), "{}");
    await git(["-c", "core.quotepath=off", "status"], { cwd: repoDir });
    const { mkdirSync } = await import("node:fs");
    mkdirSync(join(repoDir, "intune.compliancePolicies"));
    writeFileSync(join(repoDir, "intune.compliancePolicies", "x.json"), "{}");
    try {
      await assert.rejects(planStep(options()), (e: unknown) => {
        assert.ok(isSyncError(e));
        assert.equal(e.code, "snapshot.invalid");
        assert.match(e.message, /entra\.group\/Broken\.json is not valid JSON/);
        assert.match(
          e.message,
          /Typo\.json "passwordMinimumLenght" is not a property of microsoft\.graph\.windows10CompliancePolicy/,
        );
        assert.match(
          e.message,
          /Copy\.json has the name "Windows - Compliance baseline", like intune\.compliancePolicy\/Windows - Compliance baseline\.json|Windows - Compliance baseline\.json has the name "Windows - Compliance baseline", like intune\.compliancePolicy\/Copy\.json/,
        );
        assert.doesNotMatch(e.message, /Sneaky\.json/, 'a name is never a path: "../../etc/passwd" is a valid name');
        assert.match(e.message, /intune\.compliancePolicies\/ is not a resource type Tenant Sync knows/);
        assert.match(String(e.detail.hint), /Nothing was deployed/);
        return true;
      });
    } finally {
      for (const f of [
        "entra.group/Broken.json",
        "intune.compliancePolicy/Typo.json",
        "intune.compliancePolicy/Copy.json",
        "intune.compliancePolicy/Sneaky.json",
        "intune.compliancePolicies.json",
      ])
        rmSync(join(repoDir, f), { force: true });
      rmSync(join(repoDir, "intune.compliancePolicies"), { recursive: true, force: true });
    }
  });
});
