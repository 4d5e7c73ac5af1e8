/**
 * graph-client — the Microsoft Graph JavaScript SDK against the emulator: PageIterator reads a
 * paged collection to the end (empty pages with a nextLink included), and JSON batching answers
 * every item by id, refuses more than 20 items, and fails dependants of a failed item with 424.
 */
import assert from "node:assert/strict";
import { ClientSecretCredential } from "@azure/identity";
import {
  BatchRequestContent,
  BatchResponseContent,
  Client,
  GraphError,
  PageIterator,
  type PageCollection,
} from "@microsoft/microsoft-graph-client";
import { TokenCredentialAuthenticationProvider } from "@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials";
import { startTestEmulator, type TestEmulator } from "../helpers/graph-emulator";

interface GraphObject {
  id: string;
  displayName?: string;
}

describe("Graph emulator with the Microsoft Graph SDK (@microsoft/microsoft-graph-client)", function () {
  let t: TestEmulator;
  let client: Client;

  before(async () => {
    t = await startTestEmulator({ throttle: { mode: "off" } });
    const credential = new ClientSecretCredential(t.info.tenantId, t.info.clientId, t.info.clientSecret, {
      authorityHost: t.info.authorityHost,
      disableInstanceDiscovery: true,
    });
    client = Client.initWithMiddleware({
      authProvider: new TokenCredentialAuthenticationProvider(credential, {
        scopes: ["https://graph.microsoft.com/.default"],
      }),
      baseUrl: t.info.graphUrl,
      customHosts: new Set(["127.0.0.1"]),
      defaultVersion: "beta",
    });
  });

  after(async () => {
    await t?.emulator.stop();
  });

  afterEach(async () => {
    await t.control("PUT", "/paging", { defaultPageSize: 20, emptyPageEvery: 0 });
  });

  async function groupIdsInEmulator(): Promise<string[]> {
    const objects = await t.control("GET", `/tenants/${t.info.tenantId}/objects/group`);
    assert.equal(objects.status, 200);
    return (objects.body as GraphObject[]).map((o) => o.id);
  }

  async function iterateGroups(): Promise<{ ids: string[]; pageRequests: number }> {
    const before = t.emulator.requestsTo("GET", "/beta/groups");
    const firstPage = (await client.api("/groups").get()) as PageCollection;
    const ids: string[] = [];
    await new PageIterator(client, firstPage, (group: GraphObject) => {
      ids.push(group.id);
      return true;
    }).iterate();
    return { ids, pageRequests: t.emulator.requestsTo("GET", "/beta/groups") - before };
  }

  it("lists a paged collection completely with PageIterator", async () => {
    await t.control("PUT", "/paging", { defaultPageSize: 2 });
    const expected = await groupIdsInEmulator();
    assert.ok(expected.length > 2, "the seed has more groups than one page holds");
    const firstPage = (await client.api("/groups").get()) as PageCollection;
    assert.equal(firstPage.value.length, 2);
    assert.match(String(firstPage["@odata.nextLink"]), /\$skiptoken=/);
    const { ids, pageRequests } = await iterateGroups();
    assert.deepEqual([...ids].sort(), [...expected].sort());
    assert.equal(new Set(ids).size, ids.length, "no group is listed twice");
    assert.equal(pageRequests, Math.ceil(expected.length / 2));
  });

  it("follows the nextLink of an empty page to the end of the collection", async () => {
    await t.control("PUT", "/paging", { defaultPageSize: 2, emptyPageEvery: 2 });
    const expected = await groupIdsInEmulator();
    const emptyPages: number[] = [];
    let page = (await client.api("/groups").get()) as PageCollection;
    for (let i = 0; page["@odata.nextLink"]; i++) {
      page = (await client.api(page["@odata.nextLink"]).get()) as PageCollection;
      if (page.value.length === 0) emptyPages.push(i);
    }
    assert.ok(emptyPages.length >= 1, "the emulator served an empty page with a nextLink");
    const { ids, pageRequests } = await iterateGroups();
    assert.deepEqual([...ids].sort(), [...expected].sort());
    assert.ok(pageRequests > Math.ceil(expected.length / 2), "the empty pages were requested too");
  });

  it("answers every item of a $batch of GETs built with BatchRequestContent by its id", async () => {
    const groups = await groupIdsInEmulator();
    const steps = [
      { id: "groups", url: "/groups?$top=1" },
      { id: "group", url: `/groups/${groups[0]}` },
      { id: "compliance", url: "/deviceManagement/deviceCompliancePolicies" },
      { id: "settings", url: "/deviceManagement/configurationPolicies" },
      { id: "ca", url: "/identity/conditionalAccess/policies" },
    ];
    const batch = new BatchRequestContent(
      steps.map((s) => ({ id: s.id, request: new Request(`${t.info.graphUrl}${s.url}`, { method: "GET" }) })),
    );
    const itemsBefore = t.emulator.counters.batchItems;
    const raw = await client.api("/$batch").post(await batch.getContent());
    const responses = new BatchResponseContent(raw);
    assert.equal(responses.getResponses().size, steps.length);
    for (const step of steps) {
      const response = responses.getResponseById(step.id);
      assert.ok(response, `a response for ${step.id}`);
      assert.equal(response.status, 200, `${step.id} succeeded`);
    }
    const group = (await responses.getResponseById("group").json()) as GraphObject;
    assert.equal(group.id, groups[0]);
    const compliance = (await responses.getResponseById("compliance").json()) as { value: GraphObject[] };
    assert.equal(
      compliance.value.length,
      (await t.control("GET", `/tenants/${t.info.tenantId}/objects/deviceCompliancePolicy`)).body.length,
    );
    assert.equal(t.emulator.counters.batchItems - itemsBefore, steps.length);
  });

  it("refuses a $batch of 21 requests with 400", async () => {
    const requests = Array.from({ length: 21 }, (_, i) => ({ id: String(i + 1), method: "GET", url: "/groups" }));
    const itemsBefore = t.emulator.counters.batchItems;
    await assert.rejects(client.api("/$batch").post({ requests }), (e: GraphError) => {
      assert.equal(e.statusCode, 400);
      assert.match(e.message, /at most 20/);
      return true;
    });
    assert.equal(t.emulator.counters.batchItems, itemsBefore, "no item of the refused batch ran");
  });

  it("answers 424 Failed Dependency for an item whose dependency failed", async () => {
    const batch = new BatchRequestContent([
      {
        id: "1",
        request: new Request(`${t.info.graphUrl}/groups/00000000-0000-0000-0000-000000000404`, { method: "GET" }),
      },
      { id: "2", request: new Request(`${t.info.graphUrl}/groups`, { method: "GET" }), dependsOn: ["1"] },
    ]);
    const listCalls = () =>
      Object.values(t.emulator.counters.byRoute["GET /beta/groups"] ?? {}).reduce((a, b) => a + b, 0);
    const listedBefore = listCalls();
    const responses = new BatchResponseContent(await client.api("/$batch").post(await batch.getContent()));
    assert.equal(responses.getResponseById("1").status, 404);
    assert.equal(responses.getResponseById("2").status, 424);
    assert.equal(listCalls(), listedBefore, "the dependant was not run");
  });
});
