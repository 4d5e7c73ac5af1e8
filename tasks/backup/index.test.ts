/**
 * The backup task, run as the agent runs it (MockTestRunner, offline) against the Graph emulator:
 * what it tells the agent (result, issues, progress, summary, artifact, outputs) and what it pushes.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AzureDevOpsReadyInfo } from "../../emulators/azdo/server";
import { parseFacts, runFact, type RunFacts } from "../../src/core/index";
import { checkoutWithOrigin, originBranch } from "../../test/helpers/git-remote";
import {
  startAzdoEmulatorProcess,
  type EmulatorProcess,
  startGraphEmulatorProcess,
} from "../../test/helpers/emulator-process";
import type { ReadyInfo } from "../../emulators/graph/server";
import { declaredOutputs, describeRun, runTaskScenario } from "../../test/helpers/mock-task-runner";

describe("backup task", function () {
  this.timeout(120_000);

  it("fails before doing anything when an input is missing, naming the input", async () => {
    const run = await runTaskScenario("backup", "missing-tenant");
    assert.equal(run.result, "Failed", describeRun(run));
    assert.match(run.resultMessage ?? "", /input "tenant" is required/);
    assert.deepEqual(
      run.issues.map((i) => i.type),
      ["error"],
    );
  });

  describe("against the Graph emulator", () => {
    let emulator: EmulatorProcess<ReadyInfo>;
    before(async () => {
      emulator = await startGraphEmulatorProcess();
    });
    after(async () => emulator?.stop());

    it("backs the tenant up, pushes the backup branch and publishes progress, a summary and the report", async () => {
      const checkout = checkoutWithOrigin();
      const artifactFolder = join(mkdtempSync(join(tmpdir(), "tenant-sync-artifact-")), "backup");
      const { info } = emulator;
      const run = await runTaskScenario("backup", "backs-up", {
        tenantId: info.tenantId,
        clientId: info.clientId,
        clientSecret: info.clientSecret,
        authorityHost: info.authorityHost,
        graphUrl: info.graphUrl,
        repositoryPath: checkout.work,
        artifactFolder,
      });
      assert.equal(run.result, "Succeeded", describeRun(run));
      assert.deepEqual(
        Object.keys(run.outputs).sort(),
        declaredOutputs("backup"),
        "sets exactly the declared output variables",
      );
      assert.ok(Number(run.outputs.objects) > 0, "objects output");
      assert.equal(run.outputs.changed, "true");
      assert.equal(run.outputs.partial, "false");
      assert.ok(run.commandsNamed("task.setprogress").length > 0, "progress");
      const summary = run.commandsNamed("task.uploadsummary").map((c) => c.message);
      assert.equal(summary.length, 1);
      assert.ok(summary[0].endsWith("Tenant Sync backup.md") && existsSync(summary[0]));
      const artifact = run.commandsNamed("artifact.upload");
      assert.deepEqual(
        artifact.map((c) => [c.properties.artifactname, c.message]),
        [["tenant-sync-backup", artifactFolder]],
      );
      assert.ok(existsSync(join(artifactFolder, "backup-report.json")));
      assert.ok(
        run.commandsNamed("task.setsecret").some((c) => c.message === info.clientSecret),
        "the client secret is registered as a secret",
      );
      assert.ok(originBranch(checkout.origin, "tenant-sync/backup"), "the backup branch is pushed to origin");
    });
  });

  describe("in a pipeline run (Azure DevOps emulator)", () => {
    let graph: EmulatorProcess<ReadyInfo>;
    let azdo: EmulatorProcess<AzureDevOpsReadyInfo>;
    before(async () => {
      [graph, azdo] = await Promise.all([
        startGraphEmulatorProcess({ deviceCodeIntervalSeconds: 1 }),
        startAzdoEmulatorProcess(),
      ]);
    });
    after(async () => Promise.all([graph?.stop(), azdo?.stop()]));

    /** The run's facts and tags as the hub reads them: the latest build of the definition, with its properties. */
    async function latestFacts(definitionId: number): Promise<{ facts: RunFacts; tags: string[] }> {
      const userToken = (await azdo.control("POST", "/tokens", { name: "test user" })).body.accessToken;
      const url = `${azdo.info.collectionUri}${azdo.info.projectId}/_apis/build/builds?definitions=${definitionId}&maxBuildsPerDefinition=1&properties=${Object.values(runFact).join(",")}&api-version=7.1`;
      const response = await fetch(url, {
        headers: { authorization: `Bearer ${userToken}`, accept: "application/json" },
      });
      const [latest] = ((await response.json()) as { value: { properties: Record<string, unknown>; tags: string[] }[] })
        .value;
      return { facts: parseFacts(latest.properties), tags: [...latest.tags].sort() };
    }

    it("signs in with workload identity federation and publishes the run's facts and tags for the hub", async () => {
      const { info } = graph;
      const connection = (
        await azdo.control("POST", "/serviceconnections", {
          name: "tenant-sync-contoso",
          tenantId: info.tenantId,
          clientId: info.clientId,
        })
      ).body;
      const federated = await graph.control("PATCH", `/tenants/${info.tenantId}/apps/${info.clientId}`, {
        federatedCredentials: [
          { issuer: azdo.info.oidcIssuer, subject: connection.subject, audiences: [connection.audience] },
        ],
      });
      assert.equal(federated.status, 200, JSON.stringify(federated.body));
      const build = (await azdo.control("POST", "/builds", { definition: "tenant-sync-contoso", tenant: "contoso" }))
        .body;
      const checkout = checkoutWithOrigin();
      const run = await runTaskScenario("backup", "in-pipeline", {
        agentVariables: JSON.stringify(build.agentVariables),
        serviceConnection: connection.id,
        tenantId: info.tenantId,
        clientId: info.clientId,
        authorityHost: info.authorityHost,
        graphUrl: info.graphUrl,
        repositoryPath: checkout.work,
        artifactFolder: join(mkdtempSync(join(tmpdir(), "tenant-sync-artifact-")), "backup"),
      });
      assert.equal(run.result, "Succeeded", describeRun(run));
      assert.ok(
        run.commandsNamed("task.setsecret").some((c) => c.message === build.accessToken),
        "the job token is registered as a secret",
      );

      const { facts, tags } = await latestFacts(build.definition.id);
      assert.equal(facts.tenant, "contoso");
      assert.equal(facts.step, "backup");
      assert.equal(facts.error, undefined);
      assert.equal(facts.missingPermissions, undefined);
      assert.deepEqual(
        {
          ...facts.backup,
          objects: facts.backup!.objects > 0,
          commit: typeof facts.backup!.commit,
          requests: facts.backup!.requests > 0,
        },
        {
          objects: true,
          changed: true,
          partial: false,
          failedTypes: [],
          commit: "string",
          requests: true,
          throttled: 0,
        },
      );
      assert.deepEqual(tags, ["tenant-sync", "tenant:contoso"]);
    });

    it("shows the device code while a person signs in, and publishes the permissions the app lacks", async () => {
      const { info } = graph;
      const app = (await graph.control("GET", "/tenants")).body[0].apps[0];
      const withoutPolicy = (app.scopes as string[]).filter((s) => !s.startsWith("Policy."));
      assert.equal(
        (
          await graph.control("PUT", `/tenants/${info.tenantId}/apps/${info.clientId}/permissions`, {
            scopes: withoutPolicy,
          })
        ).status,
        200,
      );
      const build = (await azdo.control("POST", "/builds", { definition: "tenant-sync-fabrikam", tenant: "contoso" }))
        .body;
      const run = await runTaskScenario("backup", "device-code", {
        agentVariables: JSON.stringify(build.agentVariables),
        tenantId: info.tenantId,
        clientId: info.clientId,
        graphControlUrl: info.controlUrl,
        authorityHost: info.authorityHost,
        graphUrl: info.graphUrl,
        repositoryPath: checkoutWithOrigin().work,
        artifactFolder: join(mkdtempSync(join(tmpdir(), "tenant-sync-artifact-")), "backup"),
      });
      assert.equal(run.result, "SucceededWithIssues", describeRun(run));
      assert.match(run.resultMessage ?? "", /Not backed up for lack of permissions \(Policy\.Read\.All/);
      assert.ok(
        run
          .commandsNamed("task.setprogress")
          .some((c) => /^Waiting for sign-in: enter [A-Z]+ at https:/.test(c.message)),
        "the code is on the task's record",
      );
      const { facts, tags } = await latestFacts(build.definition.id);
      assert.equal(facts.deviceCode, undefined, "the code is withdrawn once signed in");
      assert.ok(
        facts.missingPermissions?.permissions.includes("Policy.Read.All"),
        JSON.stringify(facts.missingPermissions),
      );
      assert.match(facts.missingPermissions?.consentUrl ?? "", /\/adminconsent\?client_id=/);
      assert.ok(facts.missingPermissions?.skippedTypes.includes("entra.conditionalAccessPolicy"));
      assert.deepEqual(tags, ["tenant-sync", "tenant-sync:pending-consent", "tenant:contoso"]);
    });
  });
});
