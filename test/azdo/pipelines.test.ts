/**
 * pipelines — the Pipelines API of the Azure DevOps emulator through the published extension
 * client (PipelinesRestClient): create a YAML pipeline, queue runs with parameters, refuse what the
 * service refuses; and signed links to a run's logs and artifacts that work without a token until
 * they expire on the emulator's clock.
 */
import assert from "node:assert/strict";
import AdmZip from "adm-zip";
import { startTestAzdoEmulator, type TestAzdoEmulator } from "../helpers/azdo-emulator";
import type { Build } from "../../emulators/azdo/state/builds";
import type { RunContent } from "../../emulators/azdo/state/runcontent";

// The extension client's fetch polyfill looks for a browser's `self`; Node's own fetch stays in use.
(globalThis as { self?: unknown }).self ??= globalThis;
const { PipelinesRestClient, ConfigurationType } =
  require("azure-devops-extension-api/Pipelines") as typeof import("azure-devops-extension-api/Pipelines");

describe("azdo emulator: pipelines and runs", function () {
  let t: TestAzdoEmulator;
  let client: InstanceType<typeof PipelinesRestClient>;
  let token: string;

  before(async () => {
    t = await startTestAzdoEmulator();
    token = await t.userToken();
    client = new PipelinesRestClient({
      rootPath: t.info.collectionUri,
      authTokenProvider: { getAuthorizationHeader: async () => `Bearer ${token}` },
    });
  });

  after(async () => {
    await t?.emulator.stop();
  });

  it("creates a YAML pipeline as a build definition with its repository and file, and reads it back", async () => {
    const created = await client.createPipeline(
      {
        name: "tenant-sync-contoso",
        folder: "\\TenantSync",
        configuration: {
          type: ConfigurationType.Yaml,
          path: "pipelines/sync.yml",
          repository: { id: "repo-1", type: "azureReposGit" },
        },
      } as never,
      t.info.project,
    );
    const definition = t.emulator.store.builds.findDefinition(t.emulator.defaultProject, created.id)!;
    assert.equal(definition.repositoryId, "repo-1");
    assert.equal(definition.yamlPath, "/pipelines/sync.yml");
    assert.equal(definition.path, "\\TenantSync");
    const read = await client.getPipeline(t.info.project, created.id);
    assert.equal(read.name, "tenant-sync-contoso");
    assert.equal(read.folder, "\\TenantSync");
    const list = await client.listPipelines(t.info.project);
    assert.deepEqual(
      list.map((p) => p.name),
      ["tenant-sync-contoso"],
    );
  });

  it("queues a run with template parameters, branch and variables; the run is the build", async () => {
    const d = t.emulator.store.builds.definitions.find((x) => x.name === "tenant-sync-contoso")!;
    d.declaredParameters = ["tenant", "confirm"];
    const run = await client.runPipeline(
      {
        templateParameters: { tenant: "contoso", confirm: "false" },
        resources: { repositories: { self: { refName: "refs/heads/release" } } },
        variables: { extra: { value: "1", isSecret: false } },
        stagesToSkip: ["deploy"],
      } as never,
      t.info.project,
      d.id,
    );
    const build = t.emulator.store.builds.find(undefined, run.id)!;
    assert.equal(run.name, build.buildNumber);
    assert.equal(build.status, "notStarted");
    assert.equal(build.sourceBranch, "refs/heads/release");
    assert.deepEqual(build.templateParameters, { tenant: "contoso", confirm: "false" });
    assert.deepEqual(build.variables, { extra: { value: "1", isSecret: false } });
    assert.deepEqual(build.stagesToSkip, ["deploy"]);
    assert.equal(run.state, 1, "inProgress as the client's RunState number");
    t.emulator.store.builds.update(build, { status: "completed", result: "failed" }, t.emulator.now());
    const done = await client.getRun(t.info.project, d.id, run.id);
    assert.equal(done.state, 4);
    assert.equal(done.result, 2);
    assert.ok(done.finishedDate, "a completed run has its finish date");
    const runs = await client.listRuns(t.info.project, d.id);
    assert.deepEqual(
      runs.map((r) => r.id),
      [run.id],
    );
  });

  it("refuses parameters the YAML does not declare, a disabled pipeline and a preview run", async () => {
    const d = t.emulator.store.builds.definitions.find((x) => x.name === "tenant-sync-contoso")!;
    const before = t.emulator.store.builds.list.length;
    const path = `${t.info.projectId}/_apis/pipelines/${d.id}/runs?api-version=7.1`;
    const undeclared = await t.rest("POST", path, { token, body: { templateParameters: { tennant: "x" } } });
    assert.equal(undeclared.status, 400);
    assert.equal(undeclared.body.typeKey, "PipelineValidationException");
    assert.match(undeclared.body.message, /'tennant'/);
    const preview = await t.rest("POST", path, { token, body: { previewRun: true } });
    assert.equal(preview.status, 400);
    assert.match(preview.body.message, /not supported by the emulator/);
    t.emulator.store.builds.setQueueStatus(d, "disabled");
    const disabled = await t.rest("POST", path, { token, body: {} });
    t.emulator.store.builds.setQueueStatus(d, "enabled");
    assert.equal(disabled.status, 400);
    assert.match(disabled.body.message, /disabled/);
    assert.equal(t.emulator.store.builds.list.length, before, "no run was queued");
    const missing = await t.rest("GET", `${t.info.projectId}/_apis/pipelines/999?api-version=7.1`, { token });
    assert.equal(missing.status, 404);
    assert.equal(missing.body.typeKey, "PipelineNotFoundException");
  });
});

describe("azdo emulator: signed links to a run's logs and artifacts", function () {
  let t: TestAzdoEmulator;
  let token: string;
  let build: Build;
  let runPath: string;

  before(async () => {
    t = await startTestAzdoEmulator();
    // Outlives the clock moves below, so only the links expire.
    token = (await t.control("POST", "/tokens", { name: "hub user", expiresInSeconds: 30 * 86400 })).body.accessToken;
    const created = await t.createBuild({ definition: "tenant-sync-fabrikam", status: "completed" });
    build = t.emulator.store.builds.find(undefined, created.id)!;
    runPath = `${t.info.projectId}/_apis/pipelines/${created.definition.id}/runs/${created.id}`;
    const stub: RunContent = {
      logs: (b) =>
        b.id === build.id ? [{ id: 3, lineCount: 2, createdOn: b.queueTime, lastChangedOn: b.queueTime }] : [],
      logText: (b, id) => (b.id === build.id && id === 3 ? "line one\nline two\n" : undefined),
      artifact: (b, name) =>
        b.id === build.id && name === "plan"
          ? { name: "plan", files: new Map([["fabrikam/plan.json", Buffer.from('{"changes":1}')]]) }
          : undefined,
    };
    t.emulator.store.runContent = stub;
  });

  after(async () => {
    await t?.emulator.stop();
  });

  it("gives each log a signed URL that serves its text without a token, until it expires", async () => {
    const res = await t.rest("GET", `${runPath}/logs?$expand=signedContent&api-version=7.1`, { token });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const [log] = res.body.logs;
    assert.equal(log.id, 3);
    assert.equal(log.lineCount, 2);
    assert.ok(new URL(log.signedContent.url).origin === new URL(t.info.collectionUri).origin);
    assert.equal(Date.parse(log.signedContent.signatureExpires) - t.emulator.now() <= 3600_000, true);
    const text = await fetch(log.signedContent.url);
    assert.equal(text.status, 200);
    assert.equal(await text.text(), "line one\nline two\n");
    const all = await fetch(res.body.signedContent.url);
    assert.equal(all.headers.get("content-type"), "application/zip");
    const zip = new AdmZip(Buffer.from(await all.arrayBuffer()));
    assert.equal(zip.readAsText("3.txt"), "line one\nline two\n");
    t.emulator.clock.advance(3600_000 + 1);
    const expired = await fetch(log.signedContent.url);
    assert.equal(expired.status, 403);
    assert.match(((await expired.json()) as { message: string }).message, /expired/);
  });

  it("refuses an altered link (403) and leaves out signedContent unless asked", async () => {
    const res = await t.rest("GET", `${runPath}/logs/3?$expand=signedContent&api-version=7.1`, { token });
    const url = new URL(res.body.signedContent.url);
    url.pathname = url.pathname.replace(/\/3$/, "/4");
    const tampered = await fetch(url);
    assert.equal(tampered.status, 403);
    const stretched = new URL(res.body.signedContent.url);
    stretched.searchParams.set("expires", new Date(t.emulator.now() + 48 * 3600_000).toISOString());
    assert.equal((await fetch(stretched)).status, 403);
    const plain = await t.rest("GET", `${runPath}/logs/3?api-version=7.1`, { token });
    assert.equal(plain.body.signedContent, undefined);
    const anonymous = await t.rest("GET", `${runPath}/logs?api-version=7.1`);
    assert.equal(anonymous.status, 401, "the REST route itself still needs a token");
  });

  it("signs an artifact's download: a zip of its files", async () => {
    const res = await t.rest("GET", `${runPath}/artifacts?artifactName=plan&$expand=signedContent&api-version=7.1`, {
      token,
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.name, "plan");
    const download = await fetch(res.body.signedContent.url);
    assert.equal(download.status, 200);
    const zip = new AdmZip(Buffer.from(await download.arrayBuffer()));
    assert.equal(zip.readAsText("plan/fabrikam/plan.json"), '{"changes":1}');
    const missing = await t.rest("GET", `${runPath}/artifacts?artifactName=nope&api-version=7.1`, { token });
    assert.equal(missing.status, 404);
  });
});
