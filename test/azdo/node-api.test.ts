/**
 * node-api — azure-devops-node-api's BuildApi, unchanged, against the emulator: it discovers the
 * build area's locations (OPTIONS …/_apis/build after …/_apis/resourceAreas) and then reads and
 * writes definitions, builds, the timeline, logs, artifacts and tags through the emulator's routes.
 */
import assert from "node:assert/strict";
import * as azdev from "azure-devops-node-api";
import type { IBuildApi } from "azure-devops-node-api/BuildApi";
import {
  BuildQueryOrder,
  BuildStatus,
  BuildResult,
  TimelineRecordState,
  TaskResult,
} from "azure-devops-node-api/interfaces/BuildInterfaces";
import { startTestAzdoEmulator, type TestAzdoEmulator } from "../helpers/azdo-emulator";

describe("azdo emulator: azure-devops-node-api BuildApi", function () {
  let t: TestAzdoEmulator;
  let api: IBuildApi;
  let project: string;

  before(async () => {
    t = await startTestAzdoEmulator();
    project = t.info.projectId;
    const webApi = new azdev.WebApi(t.info.collectionUri, azdev.getPersonalAccessTokenHandler(await t.userToken()));
    api = await webApi.getBuildApi();
  });

  after(async () => {
    await t?.emulator.stop();
  });

  it("creates YAML definitions, lists them by folder with their latest builds and queues a build", async () => {
    const created = await api.createDefinition(
      {
        name: "tenant-sync-contoso",
        path: "\\TenantSync",
        repository: { id: "repo-1", type: "TfsGit" },
        process: { type: 2, yamlFilename: "/pipelines/contoso.yml" } as never,
      },
      project,
    );
    assert.equal(created.path, "\\TenantSync");
    await api.createDefinition({ name: "other", path: "\\Elsewhere", process: { type: 2 } as never }, project);
    const queued = await api.queueBuild(
      { definition: { id: created.id! }, sourceBranch: "refs/heads/main", templateParameters: { tenant: "contoso" } },
      project,
    );
    assert.equal(queued.status, BuildStatus.NotStarted);
    assert.deepEqual(queued.templateParameters, { tenant: "contoso" });

    const definitions = await api.getDefinitions(
      project,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      "\\TenantSync",
      undefined,
      undefined,
      undefined,
      true,
    );
    assert.deepEqual(
      definitions.map((d) => [d.name, d.latestBuild?.id, d.latestCompletedBuild?.id]),
      [["tenant-sync-contoso", queued.id, undefined]],
    );
    assert.ok(t.emulator.requestsTo("OPTIONS", "/{org}/_apis/{area}") >= 1, "the client discovered the build area");
  });

  it("filters builds, cancels one (completed canceled with no agent) and reads project and build tags", async () => {
    const a = await t.createBuild({ definition: "filters", tenant: "a", status: "completed", result: "failed" });
    const b = await t.createBuild({ definition: "filters", tenant: "b" });
    await api.addBuildTag(project, b.id, "tenant:b");
    const failed = await api.getBuilds(
      project,
      [a.definition.id],
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      BuildResult.Failed,
    );
    assert.deepEqual(
      failed.map((x) => x.id),
      [a.id],
    );
    const inProgress = await api.getBuilds(
      project,
      [b.definition.id],
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      BuildStatus.InProgress,
      undefined,
      ["tenant:b"],
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      BuildQueryOrder.QueueTimeDescending,
    );
    assert.deepEqual(
      inProgress.map((x) => x.id),
      [b.id],
    );

    const cancelled = await api.updateBuild({ status: BuildStatus.Cancelling }, project, b.id);
    assert.equal(cancelled.status, BuildStatus.Completed);
    assert.equal(cancelled.result, BuildResult.Canceled);
    assert.ok((await api.getTags(project)).includes("tenant:b"));
    assert.deepEqual(await api.getBuildTags(project, b.id), ["tenant:b"]);
  });

  it("reads the timeline, the logs and the artifacts the agent wrote", async () => {
    const run = await t.createBuild({ definition: "run" });
    const store = t.emulator.store;
    const build = store.builds.find(undefined, run.id)!;
    const job = store.timelines.addRecord(build, { type: "Job", name: "Plan", state: "inProgress" });
    const log = store.logs.createLog(build, ["Starting: Plan", "device code: ABCD-1234"]);
    store.timelines.addRecord(build, {
      type: "Task",
      name: "Plan tenant",
      parentId: job.id,
      logId: log.id,
      state: "completed",
      result: "succeeded",
    });
    store.artifacts.addArtifact(build, "plan", { "plan.json": "{}" });

    const timeline = await api.getBuildTimeline(project, run.id);
    assert.deepEqual(
      timeline.records!.map((r) => [r.name, r.state, r.result]),
      [
        ["Plan", TimelineRecordState.InProgress, null],
        ["Plan tenant", TimelineRecordState.Completed, TaskResult.Succeeded],
      ],
    );
    const logs = await api.getBuildLogs(project, run.id);
    assert.deepEqual(
      logs.map((l) => [l.id, l.lineCount]),
      [[log.id, 2]],
    );
    assert.deepEqual(await api.getBuildLogLines(project, run.id, log.id, 2, 2), ["device code: ABCD-1234"]);
    const artifacts = await api.getArtifacts(project, run.id);
    assert.equal(artifacts[0].name, "plan");
    assert.match(artifacts[0].resource!.downloadUrl!, /artifactName=plan&api-version=7\.1&%24format=zip$/);
  });
});
