/**
 * extension-api — azure-devops-extension-api's BuildRestClient, unchanged, against the emulator, as
 * the hub uses it: its Accept header asks for excludeUrls, enumsAsNumbers, msDateFormat and
 * noArrayWrap; paging comes back on the array as continuationToken; the logs zip is real. The
 * client is the package's CommonJS build (its Build entry); its fetch polyfill needs `self`, which Node lacks, so
 * the test points `self` at the global object (Node's own fetch stays in place).
 */
import assert from "node:assert/strict";
import AdmZip from "adm-zip";
import type { BuildRestClient as BuildRestClientType } from "azure-devops-extension-api/Build";
import { startTestAzdoEmulator, type TestAzdoEmulator } from "../helpers/azdo-emulator";

function loadBuildClient(): typeof BuildRestClientType {
  (globalThis as { self?: unknown }).self ??= globalThis;
  // Required (not imported) so it loads after the `self` shim above.
  return (require("azure-devops-extension-api/Build") as { BuildRestClient: typeof BuildRestClientType })
    .BuildRestClient;
}

describe("azdo emulator: azure-devops-extension-api BuildRestClient", function () {
  let t: TestAzdoEmulator;
  let client: BuildRestClientType;
  let project: string;

  before(async () => {
    t = await startTestAzdoEmulator();
    project = t.info.projectId;
    const token = await t.userToken();
    const BuildRestClient = loadBuildClient();
    client = new BuildRestClient({
      rootPath: t.info.collectionUri,
      authTokenProvider: { getAuthorizationHeader: async () => `Bearer ${token}` },
    });
  });

  after(async () => {
    await t?.emulator.stop();
  });

  it("pages builds with the continuation token and answers in the hub's wire format", async () => {
    const created = [];
    for (const tenant of ["a", "b", "c"]) created.push(await t.createBuild({ definition: "paged", tenant }));
    const definitionId = created[0].definition.id;
    const first = await client.getBuilds(
      project,
      [definitionId],
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      2,
    );
    assert.equal(first.length, 2);
    assert.ok(first.continuationToken, "a second page is announced");
    const second = await client.getBuilds(
      project,
      [definitionId],
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      2,
      first.continuationToken,
    );
    assert.deepEqual([...first, ...second].map((b) => b.id).sort(), created.map((b) => b.id).sort());
    assert.equal(second.continuationToken, null);
    assert.equal(first[0].status, 1, "enumsAsNumbers: inProgress is 1");
    assert.ok(first[0].queueTime instanceof Date, "msDateFormat dates become Date objects");
    assert.equal((first[0] as { url?: string }).url, undefined, "excludeUrls drops url");
    assert.ok(first[0]._links.web.href.includes(`buildId=${first[0].id}`), "_links stay");
  });

  it("lists definitions and reads a timeline, the logs zip and the artifacts", async () => {
    const run = await t.createBuild({ definition: "hub-run", status: "completed", result: "failed" });
    const build = t.emulator.store.builds.find(undefined, run.id)!;
    const { timelines, logs, artifacts } = t.emulator.store;
    const job = timelines.addRecord(build, {
      type: "Job",
      name: "Deploy contoso",
      state: "completed",
      result: "failed",
    });
    const log = logs.createLog(build, ["Starting: Deploy", "##[error]Consent missing"]);
    timelines.addRecord(build, {
      type: "Task",
      name: "Deploy tenant",
      parentId: job.id,
      logId: log.id,
      state: "completed",
      result: "failed",
      issues: [{ type: "error", message: "Consent missing" }],
    });
    artifacts.addArtifact(build, "plan", { "plan.json": '{"changes":1}' });

    const definitions = await client.getDefinitions(project, "hub-*");
    assert.deepEqual(
      definitions.map((d) => d.name),
      ["hub-run"],
    );

    const timeline = await client.getBuildTimeline(project, run.id);
    const task = timeline.records.find((r) => r.type === "Task")!;
    assert.equal(task.result, 2, "TaskResult failed is 2");
    assert.equal(task.errorCount, 1);
    assert.equal(task.issues[0].type, 1, "IssueType error is 1");
    const later = await client.getBuildTimeline(project, run.id, undefined, timeline.changeId);
    assert.deepEqual(later.records, [], "nothing changed after the last changeId");

    const zip = new AdmZip(Buffer.from(await client.getBuildLogsZip(project, run.id)));
    const entries = zip.getEntries().map((e) => [e.entryName, e.getData().toString("utf8")]);
    assert.deepEqual(entries, [["Deploy contoso/1_Deploy tenant.txt", "Starting: Deploy\n##[error]Consent missing\n"]]);

    const [artifact] = await client.getArtifacts(project, run.id);
    assert.equal(artifact.name, "plan");
    assert.equal(artifact.resource.type, "Container");
  });
});
