/**
 * The deploy task, run as the agent runs it (MockTestRunner, offline): a plan whose deletes are not
 * confirmed is refused before anything signs in; in a pipeline run, so is an artifact that is not the
 * plan the run's Plan stage recorded; an approved plan is applied to the Graph emulator's tenant,
 * reported, settled and pushed.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AzureDevOpsReadyInfo } from "../../emulators/azdo/server";
import {
  createCredential,
  GraphClient,
  planDigest,
  planStep,
  type Plan,
  runFact,
  writePlanFile,
} from "../../src/core/index";
import { checkoutWithOrigin, git, originBranch } from "../../test/helpers/git-remote";
import {
  type EmulatorProcess,
  startAzdoEmulatorProcess,
  startGraphEmulatorProcess,
} from "../../test/helpers/emulator-process";
import type { ReadyInfo } from "../../emulators/graph/server";
import { declaredOutputs, describeRun, runTaskScenario } from "../../test/helpers/mock-task-runner";

function tempFolder(name: string): string {
  return join(mkdtempSync(join(tmpdir(), "tenant-sync-deploy-test-")), name);
}

/** A plan as the plan task publishes it, deleting one group (a delete needs the "deletes" confirmation). */
function planWithDelete(): Plan {
  const address = 'entra.group["Retired group"]';
  return {
    formatVersion: 1,
    tenantId: "contoso.onmicrosoft.com",
    createdAt: "2025-01-01T00:00:00.000Z",
    changes: [
      {
        address,
        type: "entra.group",
        name: "Retired group",
        action: "delete",
        tenantId: "11111111-1111-1111-1111-111111111111",
        fingerprint: "0".repeat(64),
        before: { object: { displayName: "Retired group" }, files: {} },
        fields: [],
      },
    ],
    conflicts: [],
    findings: [
      {
        kind: "delete",
        confirm: "deletes",
        addresses: [address],
        message: `1 object will be deleted from the tenant: ${address}.`,
      },
    ],
    tenantCounts: { "entra.group": 10 },
    counts: { "entra.group": { delete: 1 } },
  };
}

describe("deploy task", function () {
  this.timeout(120_000);

  it("refuses a plan with unconfirmed deletes before signing in, naming the confirmation", async () => {
    const artifact = tempFolder("tenant-sync-plan");
    mkdirSync(artifact, { recursive: true });
    writePlanFile(join(artifact, "plan.json"), planWithDelete());
    const run = await runTaskScenario("deploy", "unconfirmed-deletes", {
      planPath: artifact,
      artifactFolder: tempFolder("report"),
    });
    assert.equal(run.result, "Failed", describeRun(run));
    assert.match(run.resultMessage ?? "", /confirm "deletes"/);
    assert.match(run.resultMessage ?? "", /entra\.group\["Retired group"\]/);
    assert.ok(!run.stdout.includes("Signing in"), "nothing signed in");
  });

  describe("in a pipeline run (Azure DevOps emulator)", () => {
    let azdo: EmulatorProcess<AzureDevOpsReadyInfo>;
    before(async () => {
      azdo = await startAzdoEmulatorProcess();
    });
    after(async () => azdo?.stop());

    const cases: { name: string; recorded: () => string | undefined; says: RegExp }[] = [
      {
        name: "the run recorded no plan digest",
        recorded: () => undefined,
        says: /the run has no TenantSync\.PlanDigest/,
      },
      {
        name: "the artifact was swapped for another plan",
        recorded: () => planDigest({ ...planWithDelete(), createdAt: "2025-01-02T00:00:00.000Z" }),
        says: /is not the plan this run's Plan stage made: its digest sha256:[0-9a-f]{64} differs from the sha256:[0-9a-f]{64} recorded on run \d+/,
      },
    ];
    for (const c of cases) {
      it(`refuses the artifact before signing in when ${c.name} (plan.unverified)`, async () => {
        const build = (await azdo.control("POST", "/builds", { definition: "tenant-sync-contoso", tenant: "contoso" }))
          .body;
        const artifact = tempFolder("tenant-sync-plan");
        mkdirSync(artifact, { recursive: true });
        writePlanFile(join(artifact, "plan.json"), planWithDelete());
        const recorded = c.recorded();
        if (recorded) {
          const url = `${azdo.info.collectionUri}${azdo.info.projectId}/_apis/build/builds/${build.id}/properties?api-version=7.1-preview.1`;
          const res = await fetch(url, {
            method: "PATCH",
            headers: { authorization: `Bearer ${build.accessToken}`, "content-type": "application/json-patch+json" },
            body: JSON.stringify([{ op: "add", path: `/${runFact.planDigest}`, value: recorded }]),
          });
          assert.equal(res.status, 200, await res.text());
        }
        const run = await runTaskScenario("deploy", "not-this-run", {
          agentVariables: JSON.stringify(build.agentVariables),
          planPath: artifact,
          artifactFolder: tempFolder("report"),
        });
        assert.equal(run.result, "Failed", describeRun(run));
        assert.match(run.resultMessage ?? "", c.says);
        assert.ok((run.resultMessage ?? "").includes(artifact), `names the artifact: ${run.resultMessage}`);
        assert.ok(!run.stdout.includes("Signing in"), "nothing signed in");
      });
    }
  });

  describe("against the Graph emulator", () => {
    let emulator: EmulatorProcess<ReadyInfo>;
    before(async () => {
      emulator = await startGraphEmulatorProcess();
    });
    after(async () => emulator?.stop());

    it("applies the approved plan, reports each change, settles and pushes", async () => {
      const { info } = emulator;
      const checkout = checkoutWithOrigin();
      const credential = createCredential(
        { kind: "clientSecret", tenantId: info.tenantId, clientId: info.clientId, clientSecret: info.clientSecret },
        { authorityHost: info.authorityHost },
      );
      const connection = {
        repoDir: checkout.work,
        graph: new GraphClient({ graphUrl: info.graphUrl, credential }),
        identity: { authorityHost: info.authorityHost, tenantId: info.tenantId, clientId: info.clientId },
      };
      await planStep(connection);
      const file = join(checkout.work, "intune.compliancePolicy", "Windows - Compliance baseline.json");
      const doc = JSON.parse(readFileSync(file, "utf8"));
      doc.object.description = "Managed by Tenant Sync";
      writeFileSync(file, `${JSON.stringify(doc, null, 2)}\n`);
      git(checkout.work, "commit", "-q", "-am", "Describe the compliance baseline");
      const artifact = tempFolder("tenant-sync-plan");
      mkdirSync(artifact);
      const planned = await planStep({ ...connection, planPath: join(artifact, "plan.json") });
      assert.deepEqual(
        planned.plan.changes.map((c) => `${c.action} ${c.address}`),
        ['update intune.compliancePolicy["Windows - Compliance baseline"]'],
      );
      const baseBefore = git(checkout.work, "rev-parse", "tenant-sync/base").trim();

      const reports = tempFolder("report");
      const run = await runTaskScenario("deploy", "deploys", {
        tenantId: info.tenantId,
        clientId: info.clientId,
        clientSecret: info.clientSecret,
        authorityHost: info.authorityHost,
        graphUrl: info.graphUrl,
        planPath: artifact,
        repositoryPath: checkout.work,
        artifactFolder: reports,
      });
      assert.equal(run.result, "Succeeded", describeRun(run));
      assert.deepEqual(
        Object.keys(run.outputs).sort(),
        declaredOutputs("deploy"),
        "sets exactly the declared output variables",
      );
      assert.deepEqual(
        {
          status: run.outputs.status,
          applied: run.outputs.applied,
          failed: run.outputs.failed,
          skipped: run.outputs.skipped,
        },
        { status: "succeeded", applied: "1", failed: "0", skipped: "0" },
      );
      const policy = (
        await emulator.control("GET", `/tenants/${info.tenantId}/objects/deviceCompliancePolicy`)
      ).body.find((p: { displayName: string }) => p.displayName === "Windows - Compliance baseline");
      assert.equal(policy.description, "Managed by Tenant Sync");
      assert.deepEqual(
        run.commandsNamed("artifact.upload").map((c) => c.properties.artifactname),
        ["tenant-sync-deploy"],
      );
      assert.match(
        readFileSync(join(reports, "deploy-report.md"), "utf8"),
        /intune\.compliancePolicy\\\["Windows - Compliance baseline"\\\] \| update \| done/,
      );
      assert.ok(run.commandsNamed("task.uploadsummary").some((c) => c.message.endsWith("Tenant Sync deploy.md")));
      const baseAfter = git(checkout.work, "rev-parse", "tenant-sync/base").trim();
      assert.notEqual(baseAfter, baseBefore, "settle moved base forward");
      assert.equal(originBranch(checkout.origin, "tenant-sync/base"), baseAfter, "and pushed it");
    });
  });
});
