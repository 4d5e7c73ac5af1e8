/**
 * queue — a tenant's pipeline whose definition is paused keeps its queued runs waiting (other
 * pipelines' runs go ahead) until it is enabled again; a disabled one refuses new runs with the
 * service's error. The queue status is changed as a person does, with PUT on the definition.
 */
import assert from "node:assert/strict";
import { BuildResult, BuildStatus, DefinitionQueueStatus } from "azure-devops-node-api/interfaces/BuildInterfaces";
import { runPipeline, startTestDevOps, waitForCompletion, type TestDevOps } from "../helpers/local-devops";

/** The template's quickest run: the Backup stage alone. */
const backupOnly = { templateParameters: { mode: "backupOnly" } };

describe("local devops: a paused or disabled pipeline", function () {
  this.timeout(120_000);
  let t: TestDevOps;

  before(async () => {
    t = await startTestDevOps();
    await t.devops.addTenant("paused");
    await t.devops.addTenant("other");
  });

  after(async () => {
    await t?.stop();
  });

  const setQueueStatus = async (tenant: string, queueStatus: DefinitionQueueStatus) => {
    const id = t.devops.tenant(tenant).definition.id;
    const definition = await t.buildApi.getDefinition(t.info.project, id);
    const updated = await t.buildApi.updateDefinition({ ...definition, queueStatus }, t.info.project, id);
    assert.equal(updated.queueStatus, queueStatus);
  };

  it("keeps a run queued while its pipeline is paused, and starts it once enabled", async () => {
    await setQueueStatus("paused", DefinitionQueueStatus.Paused);
    const waiting = await runPipeline(t, "paused", backupOnly);
    // Another pipeline's run starts and ends meanwhile: the agent is free, the paused run is held.
    const other = await waitForCompletion(t, await runPipeline(t, "other", backupOnly));
    assert.equal(other.result, BuildResult.Succeeded);
    const held = await t.buildApi.getBuild(t.info.project, waiting);
    assert.equal(held.status, BuildStatus.NotStarted, "the paused pipeline's run has not started");
    assert.equal(held.startTime, undefined);

    await setQueueStatus("paused", DefinitionQueueStatus.Enabled);
    const ran = await waitForCompletion(t, waiting);
    assert.equal(ran.result, BuildResult.Succeeded);
    assert.ok(ran.startTime && ran.startTime >= other.finishTime!, "it started after being enabled");
  });

  it("refuses to queue a run of a disabled pipeline, with the service's error", async () => {
    await setQueueStatus("other", DefinitionQueueStatus.Disabled);
    const before = (await t.buildApi.getBuilds(t.info.project, [t.devops.tenant("other").definition.id])).length;
    const refused = await runPipeline(t, "other", backupOnly).then(
      () => undefined,
      (e: { status?: number; serverError?: { typeKey?: string; message?: string } }) => e,
    );
    assert.ok(refused, "runPipeline was refused");
    assert.equal(refused.status, 400);
    assert.equal(refused.serverError?.typeKey, "BuildRequestValidationFailedException");
    assert.match(refused.serverError?.message ?? "", /disabled/);
    const after = (await t.buildApi.getBuilds(t.info.project, [t.devops.tenant("other").definition.id])).length;
    assert.equal(after, before, "no run was queued");
  });
});
