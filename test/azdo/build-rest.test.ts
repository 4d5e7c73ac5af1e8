/**
 * build-rest — the build area over plain REST: definitions' queue status and revisions, queueing,
 * cancelling and retrying with and without a scheduler, the latest build, timeline change ids,
 * log lines, artifact and attachment downloads, excludeUrls, and location discovery (distinct from
 * a CORS preflight).
 */
import assert from "node:assert/strict";
import { request } from "node:https";
import { gunzipSync } from "node:zlib";
import AdmZip from "adm-zip";
import type { Build, BuildScheduler } from "../../emulators/azdo/state/builds";
import { startTestAzdoEmulator, type TestAzdoEmulator } from "../helpers/azdo-emulator";

describe("azdo emulator: build area REST", function () {
  let t: TestAzdoEmulator;
  let token: string;
  let api: string;
  const v = "api-version=7.1";

  before(async () => {
    t = await startTestAzdoEmulator();
    token = await t.userToken();
    api = `${t.info.projectId}/_apis/build`;
  });

  after(async () => {
    await t?.emulator.stop();
  });

  afterEach(() => {
    t.emulator.store.builds.scheduler = undefined;
  });

  async function createDefinition(name: string, queueStatus?: string) {
    const res = await t.rest("POST", `${api}/definitions?${v}`, {
      token,
      body: {
        name,
        path: "\\TenantSync",
        repository: { id: "repo", type: "TfsGit" },
        process: { type: 2, yamlFilename: "tenant.yml" },
        queueStatus,
      },
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body;
  }

  it("refuses queueing on a disabled definition, leaves builds waiting on a paused one and starts them when enabled", async () => {
    const queued: number[] = [];
    t.emulator.store.builds.scheduler = { queued: (b) => queued.push(b.id), cancelRequested: () => undefined };
    const definition = await createDefinition("gated", "disabled");
    const refused = await t.rest("POST", `${api}/builds?${v}`, { token, body: { definition: { id: definition.id } } });
    assert.equal(refused.status, 400);
    assert.equal(refused.body.typeKey, "DefinitionDisabledException");

    const put = (body: Record<string, unknown>) =>
      t.rest("PUT", `${api}/definitions/${definition.id}?${v}`, { token, body: { ...definition, ...body } });
    const paused = await put({ queueStatus: "paused" });
    assert.equal(paused.body.revision, definition.revision + 1);
    const stale = await put({ queueStatus: "enabled" });
    assert.equal(stale.status, 404, "an old revision is refused");
    assert.equal(stale.body.typeKey, "DefinitionNotFoundException");

    const build = await t.rest("POST", `${api}/builds?${v}`, {
      token,
      body: { definition: { id: definition.id }, parameters: '{"mode":"plan"}', templateParameters: { tenant: "x" } },
    });
    assert.equal(build.body.status, "notStarted");
    assert.equal(build.body.parameters, '{"mode":"plan"}');
    assert.deepEqual(queued, [], "a paused definition hands nothing to the scheduler");
    const enabled = await put({ queueStatus: "enabled", revision: paused.body.revision });
    assert.equal(enabled.body.queueStatus, "enabled");
    assert.deepEqual(queued, [build.body.id]);
  });

  it("cancels through the scheduler when there is one, and retries only failed or canceled builds", async () => {
    const cancelled: Build[] = [];
    const scheduler: BuildScheduler = { queued: () => undefined, cancelRequested: (b) => cancelled.push(b) };
    t.emulator.store.builds.scheduler = scheduler;
    const running = await t.createBuild({ definition: "cancel-me" });
    const path = `${api}/builds/${running.id}?${v}`;
    const res = await t.rest("PATCH", path, { token, body: { status: "cancelling" } });
    assert.equal(res.body.status, "cancelling");
    assert.deepEqual(
      cancelled.map((b) => b.id),
      [running.id],
    );

    const retryRunning = await t.rest("PATCH", `${api}/builds/${running.id}?retry=true&${v}`, { token, body: {} });
    assert.equal(retryRunning.status, 400);
    assert.match(retryRunning.body.message, /cannot be retried because it is cancelling/);
    const failed = await t.createBuild({ definition: "cancel-me", status: "completed", result: "failed" });
    const retried = await t.rest("PATCH", `${api}/builds/${failed.id}?retry=true&${v}`, { token, body: {} });
    assert.equal(retried.body.status, "notStarted");
    assert.equal(retried.body.result, undefined);
  });

  it("answers the latest build of a definition (preview only) and filters the list by time and requester", async () => {
    const first = await t.createBuild({ definition: "latest", status: "completed" });
    await t.control("POST", "/clock", { advanceMs: 60_000 });
    const second = await t.createBuild({ definition: "latest" });
    const ga = await t.rest("GET", `${api}/latest/${first.definition.id}?${v}`, { token });
    assert.equal(ga.body.typeKey, "VssInvalidPreviewVersionException");
    const latest = await t.rest("GET", `${api}/latest/latest?api-version=7.2-preview.1`, { token });
    assert.equal(latest.body.id, second.id);
    const since = new Date(t.emulator.store.builds.find(undefined, second.id)!.queueTime);
    const list = await t.rest(
      "GET",
      `${api}/builds?definitions=${first.definition.id}&minTime=${encodeURIComponent(since.toISOString())}&${v}`,
      { token },
    );
    assert.deepEqual(
      list.body.value.map((b: { id: number }) => b.id),
      [second.id],
    );
    const nobody = await t.rest("GET", `${api}/builds?definitions=${first.definition.id}&requestedFor=nobody&${v}`, {
      token,
    });
    assert.equal(nobody.body.count, 0);
  });

  it("serves timeline changes after a changeId, log lines as text or JSON, artifacts and attachments", async () => {
    const run = await t.createBuild({ definition: "outputs" });
    const build = t.emulator.store.builds.find(undefined, run.id)!;
    const { timelines, logs, artifacts, attachments } = t.emulator.store;
    const job = timelines.addRecord(build, { type: "Job", name: "Job", state: "inProgress" });
    const before = timelines.of(build).changeId;
    const log = logs.createLog(build, ["one", "two"]);
    logs.appendLines(build, log.id, ["three"]);
    timelines.updateRecord(build, job.id, {
      logId: log.id,
      percentComplete: 50,
      currentOperation: "waiting for sign-in",
    });
    const changed = await t.rest("GET", `${api}/builds/${run.id}/timeline?changeId=${before}&${v}`, { token });
    assert.deepEqual(
      changed.body.records.map((r: { id: string; state: string; currentOperation: string }) => [
        r.id,
        r.state,
        r.currentOperation,
      ]),
      [[job.id, "inProgress", "waiting for sign-in"]],
    );
    assert.equal(changed.body.id, run.planId);

    const text = await fetch(
      `${t.info.collectionUri}${api}/builds/${run.id}/logs/${log.id}?startLine=2&endLine=3&${v}`,
      {
        headers: { authorization: `Bearer ${token}`, accept: "text/plain" },
      },
    );
    assert.equal(await text.text(), "two\nthree\n");
    const lines = await t.rest("GET", `${api}/builds/${run.id}/logs/${log.id}?${v}`, { token });
    assert.deepEqual(lines.body, { count: 3, value: ["one", "two", "three"] });

    artifacts.addArtifact(build, "drop", { "plan/plan.json": '{"a":1}' });
    const listed = await t.rest("GET", `${api}/builds/${run.id}/artifacts?artifactName=drop&${v}`, { token });
    const downloadUrl: string = listed.body.resource.downloadUrl;
    assert.equal((await fetch(downloadUrl)).status, 401, "the download needs the bearer token");
    const zip = await fetch(downloadUrl, { headers: { authorization: `Bearer ${run.accessToken}` } });
    assert.equal(zip.headers.get("content-type"), "application/zip");
    const entries = new AdmZip(Buffer.from(await zip.arrayBuffer())).getEntries();
    assert.deepEqual(
      entries.map((e) => [e.entryName, e.getData().toString()]),
      [["drop/plan/plan.json", '{"a":1}']],
    );

    attachments.addAttachment(build, run.planId, job.id, "Distributedtask.Core.Summary", "summary.md", "# Plan");
    const attached = await t.rest("GET", `${api}/builds/${run.id}/attachments/Distributedtask.Core.Summary?${v}`, {
      token,
    });
    assert.equal(attached.body.value[0].name, "summary.md");
    const content = await fetch(attached.body.value[0]._links.self.href + `?${v}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(await content.text(), "# Plan");
  });

  it("drops url fields with excludeUrls=true but keeps _links", async () => {
    const run = await t.createBuild({ definition: "urls" });
    const res = await t.rest("GET", `${api}/builds/${run.id}`, {
      token,
      accept: "application/json;api-version=7.1;excludeUrls=true",
    });
    assert.equal(res.body.url, undefined);
    assert.equal(res.body.definition.url, undefined);
    assert.ok(res.body._links.self.href);
  });

  it("gzips a JSON answer of 1 KB or more when the request accepts gzip, and only then", async () => {
    for (let i = 0; i < 12; i++) await createDefinition(`compressed-${i}`);
    const get = (acceptEncoding?: string) =>
      new Promise<{ headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
        const url = new URL(`${t.info.collectionUri}${api}/definitions?${v}`);
        const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: "application/json" };
        if (acceptEncoding) headers["accept-encoding"] = acceptEncoding;
        request(url, { headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
        })
          .on("error", reject)
          .end();
      });
    const plain = await get();
    assert.equal(plain.headers["content-encoding"], undefined);
    assert.ok(plain.body.length >= 1024, `the list is ${plain.body.length} bytes`);
    const zipped = await get("gzip, deflate, br");
    assert.equal(zipped.headers["content-encoding"], "gzip");
    assert.match(String(zipped.headers.vary), /Accept-Encoding/);
    assert.equal(Number(zipped.headers["content-length"]), zipped.body.length);
    assert.ok(zipped.body.length < plain.body.length);
    assert.deepEqual(JSON.parse(gunzipSync(zipped.body).toString("utf8")), JSON.parse(plain.body.toString("utf8")));
    const refused = await get("gzip;q=0, identity");
    assert.equal(refused.headers["content-encoding"], undefined);
    assert.deepEqual(refused.body, plain.body);
  });

  it("answers location discovery with the service's route templates, and a preflight with 204", async () => {
    const res = await fetch(`${t.info.collectionUri}_apis/build`, {
      method: "OPTIONS",
      headers: { accept: "application/json" },
    });
    const body = (await res.json()) as { count: number; value: { id: string; area: string }[] };
    const timeline = body.value.find((l: { id: string }) => l.id === "8baac422-4c6e-4de5-8532-db96d92acffa");
    assert.deepEqual(timeline, {
      id: "8baac422-4c6e-4de5-8532-db96d92acffa",
      area: "build",
      resourceName: "Timeline",
      routeTemplate: "{project}/_apis/{area}/builds/{buildId}/{resource}/{timelineId}",
      resourceVersion: 3,
      minVersion: "1.0",
      maxVersion: "7.2",
      releasedVersion: "7.1",
    });
    assert.ok(body.value.every((l: { area: string }) => l.area === "build"));
    const all = (await (await fetch(`${t.info.collectionUri}_apis/`, { method: "OPTIONS" })).json()) as {
      count: number;
    };
    assert.ok(all.count > body.count, "the whole table has more areas than build");
    const preflight = await fetch(`${t.info.collectionUri}_apis/build`, {
      method: "OPTIONS",
      headers: { origin: "https://hub.example", "access-control-request-method": "GET" },
    });
    assert.equal(preflight.status, 204);
  });
});
