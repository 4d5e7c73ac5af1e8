/**
 * emulator — the Azure DevOps emulator's REST surface answers like the service: api-version rules,
 * the json-patch content type, property and tag shapes, the builds list's options, project-scoped
 * job tokens, and the service's error shape for unknown routes.
 */
import assert from "node:assert/strict";
import { startTestAzdoEmulator, type EmulatedBuild, type TestAzdoEmulator } from "../helpers/azdo-emulator";

describe("azdo emulator: build REST routes", function () {
  let t: TestAzdoEmulator;
  let build: EmulatedBuild;
  let buildPath: string;

  before(async () => {
    t = await startTestAzdoEmulator();
    build = await t.createBuild({ definition: "tenant-sync-contoso", tenant: "contoso" });
    buildPath = `${t.info.projectId}/_apis/build/builds/${build.id}`;
  });

  after(async () => {
    await t?.emulator.stop();
  });

  it("updates properties with a json-patch document and answers {count, value} with typed values", async () => {
    const patch = [
      { op: "add", path: "/TenantSync.Step", value: "plan" },
      { op: "add", path: "/Count", value: 3 },
      { op: "add", path: "/Gone", value: "x" },
      { op: "remove", path: "/Gone" },
    ];
    const res = await t.rest("PATCH", `${buildPath}/properties?api-version=7.1-preview.1`, {
      token: build.accessToken,
      body: patch,
      contentType: "application/json-patch+json",
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body, {
      count: 2,
      value: {
        "TenantSync.Step": { $type: "System.String", $value: "plan" },
        Count: { $type: "System.Int32", $value: 3 },
      },
    });
    const filtered = await t.rest("GET", `${buildPath}/properties?filter=tenantsync.*&api-version=7.2-preview.1`, {
      token: build.accessToken,
    });
    assert.deepEqual(filtered.body, {
      count: 1,
      value: { "TenantSync.Step": { $type: "System.String", $value: "plan" } },
    });
  });

  it("refuses a properties PATCH that is not application/json-patch+json (415) and leaves the bag as it was", async () => {
    const res = await t.rest("PATCH", `${buildPath}/properties?api-version=7.1-preview.1`, {
      token: build.accessToken,
      body: [{ op: "add", path: "/X", value: "1" }],
      contentType: "application/json",
    });
    assert.equal(res.status, 415);
    assert.equal(res.body.typeKey, "VssRequestContentTypeNotSupportedException");
    const invalid = await t.rest("PATCH", `${buildPath}/properties?api-version=7.1-preview.1`, {
      token: build.accessToken,
      body: [
        { op: "add", path: "/Y", value: "1" },
        { op: "add", path: "/Z", value: { nested: true } },
      ],
      contentType: "application/json-patch+json",
    });
    assert.equal(invalid.status, 400);
    const stored = (await t.control("GET", `/builds/${build.id}/properties`)).body;
    assert.equal(stored.X, undefined);
    assert.equal(stored.Y, undefined, "a refused document changes nothing");
  });

  it("applies the service's api-version rules: required, preview-only for properties, 7.2 only as a preview", async () => {
    const cases: [string, number, string?][] = [
      [`${buildPath}/properties`, 400, "VssVersionNotSpecifiedException"],
      [`${buildPath}/properties?api-version=7.1`, 400, "VssInvalidPreviewVersionException"],
      [`${buildPath}/properties?api-version=7.1-preview.1`, 200],
      [`${buildPath}/tags?api-version=7.1`, 200],
      [`${buildPath}?api-version=7.2`, 400, "VssInvalidPreviewVersionException"],
      [`${buildPath}?api-version=7.2-preview.8`, 200],
      [`${buildPath}?api-version=8.0`, 400, "VssVersionOutOfRangeException"],
    ];
    for (const [path, status, typeKey] of cases) {
      const res = await t.rest("GET", path, { token: build.accessToken });
      assert.equal(res.status, status, path);
      if (typeKey) assert.equal(res.body.typeKey, typeKey, path);
    }
    const viaAccept = await t.rest("GET", `${buildPath}/properties`, {
      token: build.accessToken,
      accept: "application/json;api-version=7.2-preview.1",
    });
    assert.equal(viaAccept.status, 200);
  });

  it("keeps tags sorted and unique through PUT, POST, PATCH and DELETE", async () => {
    const tags = `${buildPath}/tags`;
    const v = "api-version=7.1";
    assert.deepEqual(
      (await t.rest("PUT", `${tags}/${encodeURIComponent("tenant:contoso")}?${v}`, { token: build.accessToken })).body,
      { count: 1, value: ["tenant:contoso"] },
    );
    assert.deepEqual(
      (await t.rest("POST", `${tags}?${v}`, { token: build.accessToken, body: ["tenant-sync", "Tenant:Contoso", "b"] }))
        .body.value,
      ["b", "tenant-sync", "tenant:contoso"],
    );
    assert.deepEqual(
      (
        await t.rest("PATCH", `${tags}?${v}`, {
          token: build.accessToken,
          body: { tagsToAdd: ["tenant-sync:has-changes"], tagsToRemove: ["b"] },
        })
      ).body.value,
      ["tenant-sync", "tenant-sync:has-changes", "tenant:contoso"],
    );
    assert.deepEqual(
      (await t.rest("DELETE", `${tags}/tenant-sync%3Ahas-changes?${v}`, { token: build.accessToken })).body.value,
      ["tenant-sync", "tenant:contoso"],
    );
    assert.deepEqual(
      (await t.rest("GET", `${tags}?${v}`, { token: build.accessToken, accept: "application/json;noArrayWrap=true" }))
        .body,
      ["tenant-sync", "tenant:contoso"],
    );
    assert.deepEqual((await t.control("GET", `/builds/${build.id}/tags`)).body, ["tenant-sync", "tenant:contoso"]);
  });

  it("lists builds as the extension API asks (noArrayWrap, enumsAsNumbers, msDateFormat) and filters by tag and status", async () => {
    const finished = await t.createBuild({ definition: "tenant-sync-fabrikam", tenant: "fabrikam" });
    await t.control("PATCH", `/builds/${finished.id}`, { status: "completed", result: "partiallySucceeded" });
    const accept =
      "application/json;api-version=7.2-preview.8;excludeUrls=true;enumsAsNumbers=true;msDateFormat=true;noArrayWrap=true";
    const res = await t.rest("GET", `${t.info.project}/_apis/build/builds?buildIds=${finished.id}`, {
      token: await t.userToken(),
      accept,
    });
    assert.equal(res.status, 200);
    assert.ok(Array.isArray(res.body));
    const [b] = res.body;
    assert.equal(b.status, 2);
    assert.equal(b.result, 4);
    assert.match(b.finishTime, /^\/Date\(\d+\)\/$/);
    assert.equal(b.orchestrationPlan.planId, finished.planId);
    assert.equal(b.templateParameters.tenant, "fabrikam");
    const byTag = await t.rest(
      "GET",
      `${t.info.projectId}/_apis/build/builds?tagFilters=tenant:contoso&statusFilter=inProgress&api-version=7.1`,
      { token: build.accessToken },
    );
    assert.deepEqual(
      byTag.body.value.map((x: { id: number }) => x.id),
      [build.id],
    );
  });

  it("pages the builds list with $top and x-ms-continuationtoken", async () => {
    const token = await t.userToken();
    const first = await t.rest("GET", `${t.info.projectId}/_apis/build/builds?$top=1&api-version=7.1`, { token });
    const next = first.headers.get("x-ms-continuationtoken");
    assert.ok(next);
    const second = await t.rest(
      "GET",
      `${t.info.projectId}/_apis/build/builds?$top=1&continuationToken=${next}&api-version=7.1`,
      { token },
    );
    assert.equal(first.body.count, 1);
    assert.equal(second.body.count, 1);
    assert.notEqual(first.body.value[0].id, second.body.value[0].id);
  });

  it("keeps a job token to its own project (401 elsewhere) and answers unknown projects and builds with 404", async () => {
    const other = (await t.control("POST", "/projects", { name: "other" })).body as { id: string };
    const elsewhere = await t.rest("GET", `${other.id}/_apis/build/builds?api-version=7.1`, {
      token: build.accessToken,
    });
    assert.equal(elsewhere.status, 401);
    assert.equal(
      (await t.rest("GET", `${other.id}/_apis/build/builds?api-version=7.1`, { token: await t.userToken() })).status,
      200,
    );
    const noProject = await t.rest("GET", "nope/_apis/build/builds?api-version=7.1", { token: await t.userToken() });
    assert.equal(noProject.status, 404);
    assert.match(noProject.body.message, /TF200016/);
    const noBuild = await t.rest("GET", `${t.info.projectId}/_apis/build/builds/999/tags?api-version=7.1`, {
      token: build.accessToken,
    });
    assert.equal(noBuild.status, 404);
    assert.equal(noBuild.body.typeKey, "BuildNotFoundException");
  });

  it("answers unknown routes with 404 in the service's error shape and counts requests by route", async () => {
    await t.control("DELETE", "/counters");
    const res = await t.rest("GET", `${t.info.projectId}/_apis/build/nothing-here?api-version=7.1`, {
      token: build.accessToken,
    });
    assert.equal(res.status, 404);
    assert.deepEqual(Object.keys(res.body).sort(), [
      "$id",
      "errorCode",
      "eventId",
      "innerException",
      "message",
      "typeKey",
      "typeName",
    ]);
    assert.equal(res.body.eventId, 3000);
    await t.rest("GET", `${buildPath}/tags?api-version=7.1`, { token: build.accessToken });
    await t.rest("GET", `${buildPath}/tags?api-version=7.1`);
    const counters = (await t.control("GET", "/counters")).body;
    assert.deepEqual(counters.byRoute["GET /{org}/{project}/_apis/build/builds/{buildId}/tags"], { 200: 1, 401: 1 });
    assert.deepEqual(counters.byRoute["GET (no route)"], { 404: 1 });
    assert.equal(counters.unauthorized, 1);
  });
});
