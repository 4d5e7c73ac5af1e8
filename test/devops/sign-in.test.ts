/**
 * sign-in — how a tenant's run goes when signing in to the tenant is the problem: an app that does
 * not trust the organisation's issuer fails the Backup stage with the task's error on its timeline
 * record and as the run's error fact; a device-code sign-in waits with the code on the run (the
 * hub's TenantSync.DeviceCode) until a person completes it in the tenant, or fails once the code
 * expires. The codes are completed and expired through the Graph emulator's control API and clock.
 */
import assert from "node:assert/strict";
import {
  BuildResult,
  BuildStatus,
  TaskResult,
  TimelineRecordState,
} from "azure-devops-node-api/interfaces/BuildInterfaces";
import { deriveTenantStatus } from "../../src/core/status/derive";
import { parseFacts, runFact, type DeviceCodeFact } from "../../src/core/status/run-facts";
import {
  latestRunsWithFacts,
  overviewOf,
  runPipeline,
  stageOf,
  startTestDevOps,
  timeline,
  waitFor,
  waitForCompletion,
  type TestDevOps,
} from "../helpers/local-devops";

describe("local devops: signing in to the tenant", function () {
  this.timeout(120_000);
  let t: TestDevOps;

  before(async () => {
    // The task polls the token endpoint at the interval the sign-in answer gives: one second, not five.
    t = await startTestDevOps({ graphOptions: { deviceCodeIntervalSeconds: 1 } });
  });

  after(async () => {
    await t?.stop();
  });

  const factsOf = async (tenant: string) => {
    const [run] = await latestRunsWithFacts(t, [t.devops.tenant(tenant).definition.id]);
    return { run, facts: parseFacts(run.properties as Record<string, unknown>) };
  };

  /** The device code the run shows, once it shows one other than `seen`. */
  const waitForDeviceCode = (tenant: string, buildId: number, seen?: string) =>
    waitFor(`a device code on build ${buildId}`, async () => {
      const properties = (await t.buildApi.getBuildProperties(t.info.project, buildId, [runFact.deviceCode])) as {
        value: Record<string, unknown>;
      };
      const fact = parseFacts(properties.value).deviceCode as DeviceCodeFact | undefined;
      if (fact && fact.userCode !== seen) return fact;
      const build = await t.buildApi.getBuild(t.info.project, buildId);
      assert.notEqual(build.status, BuildStatus.Completed, `build ${buildId} ended without showing a new code`);
      return undefined;
    });

  it("fails the backup when the tenant's app does not trust the organisation's issuer", async () => {
    await t.devops.addTenant("untrusted", { federated: false });
    const buildId = await runPipeline(t, "untrusted");
    const build = await waitForCompletion(t, buildId);
    assert.equal(build.result, BuildResult.Failed);

    const records = await timeline(t, buildId);
    const task = records.find((r) => r.type === "Task" && r.name === "Back up tenant untrusted")!;
    assert.equal(task.result, TaskResult.Failed);
    const errors = (task.issues ?? []).filter((i) => i.type === 1);
    assert.ok(errors.length > 0, "the task's error is on its record");
    assert.equal(stageOf(records, "Backup")?.result, TaskResult.Failed);
    for (const stage of ["Plan", "Deploy"])
      assert.equal(stageOf(records, stage)?.result, TaskResult.Skipped, `${stage} is skipped`);

    const { facts } = await factsOf("untrusted");
    assert.equal(facts.error?.code, "auth.failed", JSON.stringify(facts.error));
    assert.equal(facts.error?.step, "authenticate");
    assert.ok(
      errors.some((i) => i.message?.includes(facts.error!.message.trim())),
      `the record's issue says what the fact says: ${JSON.stringify(errors)} / ${facts.error?.message}`,
    );
  });

  it("waits for each device-code sign-in until a person completes it, then goes on", async () => {
    await t.devops.addTenant("signin", { deviceCode: { timeoutSeconds: 120 } });
    const buildId = await runPipeline(t, "signin");
    const first = await waitForDeviceCode("signin", buildId);
    let records = await timeline(t, buildId);
    const backup = records.find((r) => r.type === "Task" && r.name === "Back up tenant signin")!;
    assert.equal(backup.state, TimelineRecordState.InProgress, "the backup waits for the sign-in");
    const pending = (await t.devops.graphControl("GET", "/devicecodes")) as { userCode: string; state: string }[];
    assert.deepEqual(
      pending.filter((d) => d.userCode === first.userCode).map((d) => d.state),
      ["pending"],
    );
    const { latestBuildId: _latest, ...input } = await overviewOf(t, "signin");
    const waiting = deriveTenantStatus(input);
    assert.equal(waiting.status, "pendingAuthentication");
    assert.equal(waiting.detail.deviceCode?.userCode, first.userCode);
    assert.equal(waiting.nextAction.kind, "enterCode");
    await t.devops.graphControl("POST", `/devicecodes/${first.userCode}/complete`, {});
    // Plan signs in on its own: a second code, completed the same way.
    const second = await waitForDeviceCode("signin", buildId, first.userCode);
    await t.devops.graphControl("POST", `/devicecodes/${second.userCode}/complete`, {});

    const build = await waitForCompletion(t, buildId);
    records = await timeline(t, buildId);
    assert.equal(build.result, BuildResult.Succeeded);
    assert.equal(stageOf(records, "Plan")?.result, TaskResult.Succeeded);
    const { facts } = await factsOf("signin");
    assert.equal(facts.deviceCode, undefined, "the code is gone from the run once signed in");
    assert.ok(facts.backup && facts.backup.objects > 0, "the backup ran");
  });

  it("fails with the device-code timeout when nobody enters the code in time", async () => {
    // The task's deviceCodeTimeout runs on the agent's real clock; 10 s is the shortest it takes.
    await t.devops.addTenant("unattended", { deviceCode: { timeoutSeconds: 10 } });
    const buildId = await runPipeline(t, "unattended");
    const code = await waitForDeviceCode("unattended", buildId);
    const build = await waitForCompletion(t, buildId);
    assert.equal(build.result, BuildResult.Failed);
    const records = await timeline(t, buildId);
    const task = records.find((r) => r.type === "Task" && r.name === "Back up tenant unattended")!;
    assert.equal(task.result, TaskResult.Failed);
    assert.ok(
      task.issues?.some((i) => i.type === 1 && /device-code sign-in within 10 seconds/.test(i.message ?? "")),
      JSON.stringify(task.issues),
    );
    for (const stage of ["Plan", "Deploy"]) assert.equal(stageOf(records, stage)?.result, TaskResult.Skipped);
    const { facts } = await factsOf("unattended");
    assert.equal(facts.error?.code, "auth.deviceCodeTimeout");
    assert.equal(facts.error?.step, "authenticate");
    const pending = (await t.devops.graphControl("GET", "/devicecodes")) as { userCode: string; state: string }[];
    assert.equal(pending.find((d) => d.userCode === code.userCode)?.state, "pending", "nobody entered the code");
  });

  it("fails when the tenant says the device code expired", async () => {
    await t.devops.addTenant("expiring", { deviceCode: { timeoutSeconds: 120 } });
    const buildId = await runPipeline(t, "expiring");
    await waitForDeviceCode("expiring", buildId);
    // Past the code's lifetime (15 minutes) on the tenant's clock; put back after, for the tests that follow.
    const advanceMs = 16 * 60 * 1000;
    await t.devops.graphControl("POST", "/clock", { advanceMs });
    let build;
    try {
      build = await waitForCompletion(t, buildId);
    } finally {
      await t.devops.graphControl("POST", "/clock", { advanceMs: -advanceMs });
    }
    assert.equal(build.result, BuildResult.Failed);
    const records = await timeline(t, buildId);
    const task = records.find((r) => r.type === "Task" && r.name === "Back up tenant expiring")!;
    assert.equal(task.result, TaskResult.Failed);
    const { facts } = await factsOf("expiring");
    assert.equal(facts.error?.step, "authenticate");
    assert.match(facts.error?.message ?? "", /device-code sign-in.*expired/, JSON.stringify(facts.error));
    assert.ok(
      task.issues?.some((i) => i.type === 1 && i.message?.includes("expired")),
      JSON.stringify(task.issues),
    );
  });
});
