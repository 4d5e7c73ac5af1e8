/**
 * run-facts — the publisher writes a run's facts and tags to the Azure DevOps emulator with the job
 * token, and the one builds query the hub makes (maxBuildsPerDefinition=1&properties=…) reads them
 * back into the same facts through parseFacts().
 */
import assert from "node:assert/strict";
import { parseFacts, runFact, runTag, type RunFacts } from "../../src/core/status/run-facts";
import {
  createRunFactsPublisher,
  isRunFactsPublishError,
  type RunFactsPublisher,
} from "../../src/pipeline/run-facts-publisher";
import { startTestAzdoEmulator, type EmulatedBuild, type TestAzdoEmulator } from "../helpers/azdo-emulator";

const allFacts = Object.values(runFact).join(",");

const facts: RunFacts = {
  tenant: "contoso",
  step: "authenticate",
  deviceCode: {
    userCode: "BCDFGHJKL",
    verificationUri: "https://microsoft.com/devicelogin",
    expiresAt: "2030-01-01T00:03:00.000Z",
    message: "Open the page and enter the code.",
  },
  missingPermissions: {
    permissions: ["Policy.Read.All"],
    consentUrl: "https://login.microsoftonline.com/x/adminconsent",
    skippedTypes: ["entra.conditionalAccessPolicy"],
  },
  backup: {
    objects: 42,
    changed: true,
    partial: false,
    failedTypes: [],
    commit: "0123abc",
    requests: 17,
    throttled: 1,
  },
  plan: {
    summary: "3 to add, 1 to change, 0 to delete.",
    toAdd: 3,
    toChange: 1,
    toDelete: 0,
    conflicts: 0,
    hasChanges: true,
    needsConfirmation: [],
    blocked: false,
    imported: 2,
  },
  planDigest: `sha256:${"ab".repeat(32)}`,
};

describe("azdo: run-facts publisher", function () {
  let t: TestAzdoEmulator;
  let build: EmulatedBuild;
  let userToken: string;
  let publisher: RunFactsPublisher;

  const latestBuilds = async (definitionIds: number[]) => {
    const res = await t.rest(
      "GET",
      `${t.info.projectId}/_apis/build/builds?definitions=${definitionIds.join(",")}&maxBuildsPerDefinition=1&queryOrder=queueTimeDescending&properties=${allFacts}&api-version=7.1`,
      { token: userToken },
    );
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.value as {
      id: number;
      tags: string[];
      properties: Record<string, { $type: string; $value: string }>;
    }[];
  };

  before(async () => {
    t = await startTestAzdoEmulator();
    build = await t.createBuild({ definition: "tenant-sync-contoso", tenant: "contoso" });
    userToken = await t.userToken();
    publisher = createRunFactsPublisher({
      collectionUri: t.info.collectionUri,
      projectId: t.info.projectId,
      buildId: build.id,
      accessToken: build.accessToken,
    });
  });

  after(async () => {
    await t?.emulator.stop();
  });

  it("publishes facts as string properties and tags that the builds list gives back to parseFacts", async () => {
    await publisher.publish(facts);
    await publisher.addTags([runTag.product, runTag.tenant("contoso"), runTag.product]);
    const [latest] = await latestBuilds([build.definition.id]);
    assert.equal(latest.id, build.id);
    assert.deepEqual(parseFacts(latest.properties), facts);
    assert.deepEqual(latest.tags, ["tenant-sync", "tenant:contoso"]);
    for (const [name, value] of Object.entries(latest.properties)) assert.equal(value.$type, "System.String", name);
    assert.equal(latest.properties[runFact.step].$value, "authenticate");
  });

  it("removes the device code when it is published as null, and leaves the other facts alone", async () => {
    await publisher.publish({ deviceCode: null, step: "backup" });
    const [latest] = await latestBuilds([build.definition.id]);
    const { deviceCode: _gone, ...rest } = facts;
    assert.deepEqual(parseFacts(latest.properties), { ...rest, step: "backup" });
    const stored = (await t.control("GET", `/builds/${build.id}/properties`)).body as Record<string, string>;
    assert.equal(stored[runFact.deviceCode], undefined);
    assert.equal(stored[runFact.step], "backup");
  });

  it("reads named facts back from the build's properties with the job token", async () => {
    assert.deepEqual(await publisher.read([runFact.planDigest]), { planDigest: facts.planDigest });
    const stored = (await t.control("GET", `/builds/${build.id}/properties`)).body as Record<string, string>;
    assert.equal(stored[runFact.planDigest], facts.planDigest, "the digest is a plain string property");
    const fresh = await t.createBuild({ definition: build.definition.id, tenant: "contoso" });
    assert.deepEqual(
      await createRunFactsPublisher({
        collectionUri: t.info.collectionUri,
        projectId: t.info.projectId,
        buildId: fresh.id,
        accessToken: fresh.accessToken,
      }).read([runFact.planDigest]),
      {},
      "a run without one has none",
    );
  });

  it("sends nothing when no fact and no tag is given", async () => {
    const before = t.emulator.counters.requests;
    await publisher.publish({});
    await publisher.addTags(["", "  "]);
    assert.equal(t.emulator.counters.requests, before);
  });

  it("lists only the newest run of each definition, each with its own facts", async () => {
    const newer = await t.createBuild({ definition: build.definition.id, tenant: "contoso" });
    const other = await t.createBuild({ definition: "tenant-sync-fabrikam", tenant: "fabrikam" });
    await createRunFactsPublisher({
      collectionUri: t.info.collectionUri,
      projectId: t.info.projectId,
      buildId: newer.id,
      accessToken: newer.accessToken,
    }).publish({ tenant: "contoso", step: "plan" });
    await createRunFactsPublisher({
      collectionUri: t.info.collectionUri.replace(/\/$/, ""),
      projectId: t.info.projectId,
      buildId: other.id,
      accessToken: other.accessToken,
    }).publish({ tenant: "fabrikam", step: "deploy" });
    const latest = await latestBuilds([build.definition.id, other.definition.id]);
    assert.deepEqual(
      latest.map((b) => [b.id, parseFacts(b.properties)]).sort(),
      [
        [newer.id, { tenant: "contoso", step: "plan" }],
        [other.id, { tenant: "fabrikam", step: "deploy" }],
      ].sort(),
    );
  });

  it("rejects with a RunFactsPublishError naming the build when the token is refused, without the token in it", async () => {
    const badToken = `${build.accessToken.slice(0, -4)}AAAA`;
    const refused = createRunFactsPublisher({
      collectionUri: t.info.collectionUri,
      projectId: t.info.projectId,
      buildId: build.id,
      accessToken: badToken,
    });
    for (const attempt of [
      () => refused.publish({ step: "plan" }),
      () => refused.addTags(["x"]),
      () => refused.read([runFact.planDigest]),
    ]) {
      await assert.rejects(attempt(), (e: unknown) => {
        assert.ok(isRunFactsPublishError(e), String(e));
        assert.equal(e.detail.status, 401);
        assert.match(e.message, new RegExp(`build ${build.id}`));
        assert.match(e.message, /TF400813/);
        assert.ok(!e.message.includes(badToken) && !e.detail.hint.includes(badToken));
        return true;
      });
    }
  });

  it("rejects with a RunFactsPublishError when the collection cannot be reached", async () => {
    const unreachable = createRunFactsPublisher({
      collectionUri: "https://127.0.0.1:1/org/",
      projectId: t.info.projectId,
      buildId: build.id,
      accessToken: build.accessToken,
      timeoutMs: 5000,
    });
    await assert.rejects(
      unreachable.publish({ step: "plan" }),
      (e: unknown) =>
        isRunFactsPublishError(e) && e.detail.status === undefined && /agent can reach/.test(e.detail.hint),
    );
  });
});
