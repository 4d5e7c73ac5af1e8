/**
 * sync — a tenant's pipeline run end to end in the local organisation, as people use it: the first
 * run imports the tenant; a commit to the repository makes the next run's plan, the run waits at
 * the environment's approval until someone approves (or rejects) it through the approvals API, and
 * Deploy changes the tenant (or not). Everything is observed through the REST API, git and the Graph
 * emulator's control API, and the tenant's status is derived from the payloads the hub reads.
 */
import assert from "node:assert/strict";
import AdmZip from "adm-zip";
import { BuildResult, TaskResult, TimelineRecordState } from "azure-devops-node-api/interfaces/BuildInterfaces";
import { deriveTenantStatus } from "../../src/core/status/derive";
import { parseFacts, runTag } from "../../src/core/status/run-facts";
import { planDigest } from "../../src/core/sync/plan-file";
import {
  commitPolicyChange,
  compliancePolicy,
  decide,
  gitIn,
  graphObjects,
  latestRunsWithFacts,
  overviewOf,
  runPipeline,
  stageOf,
  startTestDevOps,
  timeline,
  waitForApproval,
  waitForCompletion,
  waitForRecord,
  type TestDevOps,
} from "../helpers/local-devops";

describe("local devops: a tenant's sync through the REST API", function () {
  this.timeout(180_000);
  let t: TestDevOps;

  before(async () => {
    t = await startTestDevOps();
  });

  after(async () => {
    await t?.stop();
  });

  const policyInTenant = async (tenant: string) =>
    (await graphObjects(t, tenant, "deviceCompliancePolicy")).find(
      (p) => p.displayName === compliancePolicy.displayName,
    )!;

  /** Runs the first sync (it imports the tenant) and checks it ended as a first sync does. */
  const importTenant = async (tenant: string) => {
    await t.devops.addTenant(tenant);
    const buildId = await runPipeline(t, tenant);
    const build = await waitForCompletion(t, buildId);
    const records = await timeline(t, buildId);
    assert.equal(build.result, BuildResult.Succeeded, `the first run of ${tenant} succeeded`);
    assert.equal(stageOf(records, "Deploy")?.result, TaskResult.Skipped, "nothing to deploy after an import");
    return buildId;
  };

  /** Commits a change to the compliance policy, after checking the import holds the tenant's value. */
  const changePolicy = async (tenant: string) => {
    const change = await commitPolicyChange(t, tenant);
    assert.equal(
      change.before,
      (await policyInTenant(tenant)).passwordMinimumLength,
      "the import held the tenant's value",
    );
    return change;
  };

  /** Queues a run and waits until its Deploy stage waits for the approval; answers the build and approval. */
  const runToApproval = async (tenant: string) => {
    const buildId = await runPipeline(t, tenant);
    const record = await waitForRecord(
      t,
      buildId,
      "a pending Checkpoint.Approval",
      (r) => r.type === "Checkpoint.Approval" && r.state === TimelineRecordState.InProgress,
    );
    const approval = await waitForApproval(t, buildId);
    return { buildId, record, approval };
  };

  const refsOf = async (tenant: string) => {
    const refs = await t.gitApi.getRefs(t.devops.tenant(tenant).repository.id, t.info.project, "heads/");
    return Object.fromEntries(refs.map((r) => [r.name!, r.objectId!]));
  };

  it("imports the tenant, then deploys an approved change committed to the repository", async () => {
    await importTenant("contoso");
    const change = await changePolicy("contoso");
    const refsBefore = await refsOf("contoso");

    const { buildId, record, approval } = await runToApproval("contoso");
    assert.equal(approval.id, record.id, "the Checkpoint.Approval record's id is the approval's");
    assert.equal(approval.pipeline.id, String(t.devops.tenant("contoso").definition.id));
    assert.deepEqual(
      approval.steps.map((s) => s.assignedApprover.id),
      [t.info.user.id],
      "the organisation's user is the approver",
    );
    assert.equal((await policyInTenant("contoso")).passwordMinimumLength, change.before, "nothing deployed yet");

    const decided = await decide(t, approval.id, "approved", "Reviewed the plan: longer passwords.");
    assert.equal(decided.status, 200, JSON.stringify(decided.body));
    const build = await waitForCompletion(t, buildId);
    const records = await timeline(t, buildId);
    assert.equal(build.result, BuildResult.Succeeded);
    assert.equal(stageOf(records, "Deploy")?.result, TaskResult.Succeeded);

    assert.equal((await policyInTenant("contoso")).passwordMinimumLength, change.wanted, "the tenant holds the change");

    const refsAfter = await refsOf("contoso");
    assert.notEqual(refsAfter["refs/heads/tenant-sync/base"], refsBefore["refs/heads/tenant-sync/base"], "base moved");
    await gitIn(t, change.dir, "fetch", "-q", "origin");
    assert.equal(
      (await gitIn(t, change.dir, "rev-parse", "origin/tenant-sync/base")).trim(),
      refsAfter["refs/heads/tenant-sync/base"],
    );
    const baseHolds = JSON.parse(
      await gitIn(t, change.dir, "show", `origin/tenant-sync/base:${compliancePolicy.file.replace(/\\/g, "/")}`),
    ) as { object: { passwordMinimumLength: number } };
    assert.equal(baseHolds.object.passwordMinimumLength, change.wanted, "the base records what was deployed");
    await gitIn(t, change.dir, "merge-base", "--is-ancestor", change.pushed, "origin/main");

    const artifacts = await t.buildApi.getArtifacts(t.info.project, buildId);
    assert.ok(
      artifacts.some((a) => a.name === "tenant-sync-plan"),
      `the plan artifact is listed: ${artifacts.map((a) => a.name)}`,
    );
    const zip = new AdmZip(
      Buffer.from(await t.builds.getArtifactContentZip(t.info.project, buildId, "tenant-sync-plan")),
    );
    const planJson = zip.getEntry("tenant-sync-plan/plan.json")?.getData();
    assert.ok(planJson, `plan.json is in the zip: ${zip.getEntries().map((e) => e.entryName)}`);
    assert.ok(zip.getEntry("tenant-sync-plan/plan.md"), "plan.md is in the zip");

    const [listed] = await latestRunsWithFacts(t, [t.devops.tenant("contoso").definition.id]);
    assert.equal(listed.id, buildId);
    const facts = parseFacts(listed.properties as Record<string, unknown>);
    assert.equal(facts.tenant, "contoso");
    assert.equal(
      facts.planDigest,
      planDigest(JSON.parse(planJson.toString("utf8"))),
      "the digest is the artifact's plan",
    );
    assert.deepEqual(
      facts.plan && { toAdd: facts.plan.toAdd, toChange: facts.plan.toChange, toDelete: facts.plan.toDelete },
      { toAdd: 0, toChange: 1, toDelete: 0 },
    );
    assert.equal(facts.deploy?.status, "succeeded");
    assert.equal(facts.deploy?.applied, 1);
    assert.equal(facts.error, undefined);
    for (const tag of [runTag.product, runTag.tenant("contoso")])
      assert.ok(listed.tags.includes(tag), `tag ${tag} on ${listed.tags}`);
  });
  it("rejects a plan: Deploy fails at the approval, the tenant is unchanged, and the status is Idle, rejected", async () => {
    await importTenant("fabrikam");
    const change = await changePolicy("fabrikam");
    const { buildId, approval } = await runToApproval("fabrikam");
    const comment = "Not during the freeze.";
    const decided = await decide(t, approval.id, "rejected", comment);
    assert.equal(decided.status, 200, JSON.stringify(decided.body));

    const build = await waitForCompletion(t, buildId);
    assert.equal(build.result, BuildResult.Failed, "a rejected approval fails the run");
    const records = await timeline(t, buildId);
    const deploy = stageOf(records, "Deploy")!;
    assert.equal(deploy.result, TaskResult.Failed, "the Deploy stage failed at its check");
    assert.equal(records.find((r) => r.id === approval.id)?.result, TaskResult.Failed, "the approval record failed");
    const deployJob = records.find((r) => r.type === "Job" && r.name === "Deploy the approved plan")!;
    assert.equal(deployJob.result, TaskResult.Skipped, "the deployment job never ran");
    assert.ok(!records.some((r) => r.type === "Task" && r.name?.startsWith("Deploy the plan")), "no Deploy task");
    assert.equal((await policyInTenant("fabrikam")).passwordMinimumLength, change.before, "nothing was deployed");

    // The hub's three overview calls, then the timeline it loads when the status is a guess.
    const { latestBuildId, ...input } = await overviewOf(t, "fabrikam");
    assert.equal(latestBuildId, buildId, "the definition's latest build is the rejected run");
    const guessed = deriveTenantStatus(input);
    assert.equal(guessed.status, "idle");
    assert.equal(guessed.run?.id, buildId);
    assert.equal(guessed.detail.rejected?.evidence, "facts");
    assert.equal(guessed.needsTimeline, true);
    const hubTimeline = await t.builds.getBuildTimeline(t.info.project, buildId);
    const confirmed = deriveTenantStatus({ ...input, timeline: hubTimeline.records });
    assert.equal(confirmed.status, "idle");
    assert.equal(confirmed.detail.rejected?.evidence, "timeline");
    assert.equal(confirmed.detail.error, undefined, "a rejection is not an error");

    // With the decided approval itself (read by id), the status says who rejected it and why.
    const read = await t.rest(
      "GET",
      `_apis/pipelines/approvals/${approval.id}?$expand=steps&api-version=7.1-preview.1`,
    );
    assert.equal(read.status, 200, JSON.stringify(read.body));
    assert.equal(read.body.status, "rejected");
    const told = deriveTenantStatus({ ...input, approvals: [read.body] });
    assert.equal(told.status, "idle");
    assert.deepEqual(
      {
        evidence: told.detail.rejected?.evidence,
        by: told.detail.rejected?.by,
        comment: told.detail.rejected?.comment,
      },
      { evidence: "approval", by: t.info.user.displayName, comment },
    );
  });

  it("fails a deploy Graph refuses: the run fails at Deploy and the status is New error naming the object", async () => {
    await importTenant("adatum");
    const change = await changePolicy("adatum");
    const { buildId, approval } = await runToApproval("adatum");
    const policy = await policyInTenant("adatum");
    const message = "Insufficient privileges to complete the operation.";
    await t.devops.graphControl("POST", "/faults", {
      tenantId: t.devops.tenant("adatum").tenantId,
      method: "PATCH",
      pathContains: `/deviceManagement/deviceCompliancePolicies/${policy.id}`,
      count: 1_000,
      action: { kind: "status", status: 403, code: "Authorization_RequestDenied", message },
    });
    try {
      const decided = await decide(t, approval.id, "approved", "Reviewed.");
      assert.equal(decided.status, 200, JSON.stringify(decided.body));
      const build = await waitForCompletion(t, buildId);
      assert.equal(build.result, BuildResult.Failed, "a refused deploy fails the run");
      assert.equal(stageOf(await timeline(t, buildId), "Deploy")?.result, TaskResult.Failed);
    } finally {
      await t.devops.graphControl("DELETE", "/faults");
    }
    assert.equal((await policyInTenant("adatum")).passwordMinimumLength, change.before, "the tenant is unchanged");

    const [listed] = await latestRunsWithFacts(t, [t.devops.tenant("adatum").definition.id]);
    const facts = parseFacts(listed.properties as Record<string, unknown>);
    assert.equal(facts.error?.step, "deploy");
    assert.match(facts.error?.message ?? "", /Insufficient privileges/);
    assert.ok(
      facts.error?.object?.includes(compliancePolicy.displayName),
      `the error names the policy: ${JSON.stringify(facts.error)}`,
    );

    const { latestBuildId, ...input } = await overviewOf(t, "adatum");
    assert.equal(latestBuildId, buildId);
    const status = deriveTenantStatus(input);
    assert.equal(status.status, "newError");
    assert.equal(status.detail.error?.object, facts.error?.object);
    assert.match(status.nextAction.text, /permission|grant|consent/i, status.nextAction.text);
  });
});
