/**
 * lock — one sync per tenant at a time: the environment's exclusive lock is taken before its
 * approval, so while one run waits for its approval a second run's Deploy stage waits at the lock
 * (no approval asked yet); under the template's lockBehavior: runLatest a third, newer run cancels
 * the one waiting, and takes the lock when the first run is done. Watched through the timeline, the
 * approvals list and the builds list, as the hub sees it.
 */
import assert from "node:assert/strict";
import {
  BuildResult,
  BuildStatus,
  TaskResult,
  TimelineRecordState,
  type TimelineRecord,
} from "azure-devops-node-api/interfaces/BuildInterfaces";
import { deriveTenantStatus } from "../../src/core/status/derive";
import {
  commitPolicyChange,
  decide,
  overviewOf,
  pendingApprovals,
  runPipeline,
  stageOf,
  startTestDevOps,
  timeline,
  waitForApproval,
  waitForCompletion,
  waitForRecord,
  type TestDevOps,
} from "../helpers/local-devops";

const tenant = "northwind";

/** The Deploy stage waits at its checkpoint with no approval asked: it waits for the lock. */
function waitsAtLock(r: TimelineRecord, all: TimelineRecord[]): boolean {
  const deploy = stageOf(all, "Deploy");
  return (
    r.type === "Checkpoint" &&
    r.parentId === deploy?.id &&
    r.state === TimelineRecordState.InProgress &&
    !all.some((x) => x.type === "Checkpoint.Approval")
  );
}

describe("local devops: the environment's exclusive lock", function () {
  this.timeout(180_000);
  let t: TestDevOps;

  before(async () => {
    // The local agent holds a slot for a run that waits at a check; three runs wait at once here.
    t = await startTestDevOps({ parallelJobs: 3 });
    await t.devops.addTenant(tenant);
    const imported = await waitForCompletion(t, await runPipeline(t, tenant));
    assert.equal(imported.result, BuildResult.Succeeded);
    await commitPolicyChange(t, tenant);
  });

  after(async () => {
    await t?.stop();
  });

  it("keeps a second run at the lock, cancels it for a newer one, and lets the newest go after the first", async () => {
    const first = await runPipeline(t, tenant);
    const firstApproval = await waitForApproval(t, first);

    const second = await runPipeline(t, tenant);
    await waitForRecord(t, second, "the Deploy checkpoint waiting at the lock", waitsAtLock);
    let records = await timeline(t, second);
    assert.equal(stageOf(records, "Plan")?.result, TaskResult.Succeeded, "the second run planned too");
    assert.deepEqual(
      (await pendingApprovals(t)).map((a) => a.pipeline.owner.id),
      [first],
      "only the lock holder asks for an approval",
    );

    const third = await runPipeline(t, tenant);
    const canceled = await waitForCompletion(t, second);
    assert.equal(canceled.result, BuildResult.Canceled, "runLatest cancels the older run waiting at the lock");
    records = await timeline(t, second);
    assert.equal(stageOf(records, "Deploy")?.result, TaskResult.Canceled);
    await waitForRecord(t, third, "the Deploy checkpoint waiting at the lock", waitsAtLock);
    assert.equal((await t.buildApi.getBuild(t.info.project, first)).status, BuildStatus.InProgress);

    // The hub: the first run's approval is what holds things up, with the newer run queued behind it.
    const { latestBuildId, ...input } = await overviewOf(t, tenant);
    assert.equal(latestBuildId, third);
    const status = deriveTenantStatus(input);
    assert.equal(status.status, "pendingApproval");
    assert.equal(status.run?.id, first);
    assert.equal(status.queuedBehind?.id, third);

    const approved = await decide(t, firstApproval.id, "approved", "Go ahead.");
    assert.equal(approved.status, 200, JSON.stringify(approved.body));
    assert.equal((await waitForCompletion(t, first)).result, BuildResult.Succeeded);
    // The lock passes to the newest run, which now asks for its own approval.
    const thirdApproval = await waitForApproval(t, third);
    const rejected = await decide(t, thirdApproval.id, "rejected", "Already deployed by the first run.");
    assert.equal(rejected.status, 200, JSON.stringify(rejected.body));
    assert.equal((await waitForCompletion(t, third)).result, BuildResult.Failed);
  });
});
