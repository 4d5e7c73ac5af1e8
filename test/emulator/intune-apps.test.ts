/**
 * intune-apps — the local Graph answers Intune apps as the service does: the mobileApps collection
 * holds every app type and $filter=isof(...) narrows it to web links; web links are created with what
 * the service computes, keep their URL, are assigned with mobileAppAssignments, and link to app
 * categories through $ref.
 */
import assert from "node:assert/strict";
import { allResourceTypes } from "../../src/core/resources/registry";
import { webApp } from "../../src/core/resources/intune/web-app";
import { exportTenant } from "../../src/core/snapshot/export-tenant";
import { planRefWrites, writeApartProperty } from "../../src/core/sync/write-apart";
import { clientFor } from "../deploy/plan-builders";
import { appCaller, type GraphSession, startGraphSession } from "./graph-session";

const apps = "/beta/deviceAppManagement/mobileApps";
const webLinks = `${apps}?$filter=isof('microsoft.graph.webApp')`;

interface App {
  id: string;
  displayName: string;
  "@odata.type": string;
}

describe("Graph emulator: Intune apps (web links)", () => {
  let s: GraphSession;
  let groupId: string;
  let productivity: string;
  before(async () => {
    s = await startGraphSession({ throttle: { mode: "off" } });
    groupId = (await s.call("GET", "/v1.0/groups")).body.value[0].id;
    const categories = await s.call("GET", "/beta/deviceAppManagement/mobileAppCategories");
    productivity = categories.body.value.find((c: { displayName: string }) => c.displayName === "Productivity").id;
  });
  after(async () => s?.t.emulator.stop());

  const webApp = (displayName: string) => ({
    "@odata.type": "#microsoft.graph.webApp",
    displayName,
    publisher: "Contoso",
    appUrl: "https://intranet.contoso.com/",
    useManagedBrowser: false,
  });

  it("lists every app type, and only web links with isof", async () => {
    const all = (await s.call("GET", apps)).body.value as App[];
    const links = (await s.call("GET", webLinks)).body.value as App[];
    assert.ok(all.some((a) => a["@odata.type"] === "#microsoft.graph.iosStoreApp"));
    assert.ok(links.length >= 2);
    assert.ok(links.length < all.length);
    assert.ok(links.every((a) => a["@odata.type"] === "#microsoft.graph.webApp"));
    const named = await s.call(
      "GET",
      `${apps}?$filter=isof('microsoft.graph.webApp') and displayName eq 'Contoso HR portal'`,
    );
    assert.deepEqual(
      named.body.value.map((a: App) => a.displayName),
      ["Contoso HR portal"],
    );
  });

  it("creates a web link published at once, and refuses one without its URL or of a packaged type", async () => {
    const created = await s.call("POST", apps, webApp("Intranet"));
    assert.equal(created.status, 201);
    assert.equal(created.body.publishingState, "published");
    assert.equal(created.body.isAssigned, false);
    const { appUrl: _u, ...noUrl } = webApp("No URL");
    const missing = await s.call("POST", apps, noUrl);
    assert.equal(missing.status, 400);
    assert.match(missing.body.error.message, /appUrl/);
    const untyped = await s.call("POST", apps, { displayName: "Untyped", publisher: "Contoso" });
    assert.equal(untyped.status, 400);
    const packaged = await s.call("POST", apps, {
      "@odata.type": "#microsoft.graph.iosStoreApp",
      displayName: "Packaged",
      publisher: "Contoso",
    });
    // Packaged app types need content uploads: the emulator's schema knows web links only.
    assert.equal(packaged.status, 400);
  });

  it("changes a web link's other properties but not its URL, and refuses read-only ones", async () => {
    const created = (await s.call("POST", apps, webApp("Patched"))).body;
    const path = `${apps}/${created.id}`;
    const patched = await s.call("PATCH", path, { "@odata.type": "#microsoft.graph.webApp", description: "New" });
    assert.equal(patched.status, 200);
    assert.equal((await s.call("GET", path)).body.description, "New");
    const url = await s.call("PATCH", path, { "@odata.type": "#microsoft.graph.webApp", appUrl: "https://other/" });
    assert.equal(url.status, 400);
    const state = await s.call("PATCH", path, { "@odata.type": "#microsoft.graph.webApp", publishingState: "x" });
    assert.equal(state.status, 400);
  });

  it("assigns a web link with mobileAppAssignments (204) and lists the assignments with their intent", async () => {
    const created = (await s.call("POST", apps, webApp("Assigned"))).body;
    const path = `${apps}/${created.id}`;
    const target = { "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupId };
    const wrongKey = await s.call("POST", `${path}/assign`, { assignments: [{ intent: "required", target }] });
    assert.equal(wrongKey.status, 400);
    const assigned = await s.call("POST", `${path}/assign`, {
      mobileAppAssignments: [{ "@odata.type": "#microsoft.graph.mobileAppAssignment", intent: "available", target }],
    });
    assert.equal(assigned.status, 204);
    const list = await s.call("GET", `${path}/assignments`);
    assert.equal(list.body.value[0].intent, "available");
    assert.equal(list.body.value[0].target.groupId, groupId);
    assert.equal((await s.call("GET", path)).body.isAssigned, true);
  });

  it("links and unlinks app categories with $ref, showing the categories as they are", async () => {
    const created = (await s.call("POST", apps, webApp("Categorised"))).body;
    const path = `${apps}/${created.id}`;
    const ref = { "@odata.id": `${s.t.info.graphUrl}/beta/deviceAppManagement/mobileAppCategories/${productivity}` };
    assert.equal((await s.call("POST", `${path}/categories/$ref`, ref)).status, 204);
    assert.equal((await s.call("POST", `${path}/categories/$ref`, ref)).status, 204);
    const listed = await s.call("GET", `${path}/categories`);
    assert.deepEqual(
      listed.body.value.map((c: { displayName: string }) => c.displayName),
      ["Productivity"],
    );
    const unknown = { "@odata.id": `${s.t.info.graphUrl}/beta/deviceAppManagement/mobileAppCategories/nope` };
    assert.equal((await s.call("POST", `${path}/categories/$ref`, unknown)).status, 404);
    assert.equal((await s.call("POST", `${path}/categories/$ref`, { id: productivity })).status, 400);
    assert.equal((await s.call("DELETE", `${path}/categories/${productivity}/$ref`)).status, 204);
    assert.deepEqual((await s.call("GET", `${path}/categories`)).body.value, []);
    assert.equal((await s.call("DELETE", `${path}/categories/${productivity}/$ref`)).status, 404);
  });

  it("needs DeviceManagementApps permissions to list web links and link categories", async () => {
    const other = await appCaller(s.t, ["DeviceManagementManagedDevices.ReadWrite.All"]);
    assert.equal((await other.call("GET", webLinks)).status, 403);
    const hr = ((await s.call("GET", webLinks)).body.value as App[]).find(
      (a) => a.displayName === "Contoso HR portal",
    )!;
    const ref = { "@odata.id": `${s.t.info.graphUrl}/beta/deviceAppManagement/mobileAppCategories/${productivity}` };
    assert.equal((await other.call("POST", `${apps}/${hr.id}/categories/$ref`, ref)).status, 403);
    const reader = await appCaller(s.t, ["DeviceManagementApps.Read.All"]);
    assert.equal((await reader.call("GET", webLinks)).status, 200);
    assert.equal((await reader.call("POST", `${apps}/${hr.id}/categories/$ref`, ref)).status, 403);
  });
});

describe("intune.webApp over the Graph emulator", () => {
  let s: GraphSession;
  before(async () => {
    s = await startGraphSession({ throttle: { mode: "off" } });
  });
  after(async () => s?.t.emulator.stop());

  const exportWebLinks = async () => {
    const graph = clientFor(s.t.info);
    const result = await exportTenant({ graph, types: [webApp], allTypes: allResourceTypes });
    assert.deepEqual(
      result.outcomes.map((o) => o.status),
      ["ok"],
    );
    return result.objects;
  };

  it("backs up the web links only, with categories as references and assignments with their intent", async () => {
    const objects = await exportWebLinks();
    assert.deepEqual(objects.map((o) => o.name).sort(), ["Contoso HR portal", "Microsoft 365 on the web"]);
    const hr = objects.find((o) => o.name === "Contoso HR portal")!.object;
    assert.equal(hr.appUrl, "https://hr.contoso.com/");
    assert.equal(hr.publishingState, undefined);
    assert.deepEqual(
      (hr.categories as { id: { $ref: string } }[]).map((c) => c.id.$ref),
      ['intune.mobileAppCategory["Business"]', 'intune.mobileAppCategory["Contoso line-of-business"]'],
    );
    assert.deepEqual(Object.keys((hr.assignments as object[])[0]).sort(), ["intent", "settings", "target"]);
  });

  it("links a category that is missing and unlinks one that is not wanted, with $ref", async () => {
    const [hr] = (await exportWebLinks()).filter((o) => o.name === "Contoso HR portal");
    const categories = (await s.call("GET", "/beta/deviceAppManagement/mobileAppCategories")).body.value as {
      id: string;
      displayName: string;
    }[];
    const productivity = categories.find((c) => c.displayName === "Productivity")!.id;
    const business = categories.find((c) => c.displayName === "Business")!.id;
    const graph = clientFor(s.t.info);
    const objectPath = `/deviceAppManagement/mobileApps/${hr.id}`;
    await writeApartProperty(
      { graph, type: webApp, address: hr.name, objectId: hr.id, objectPath, isFresh: false },
      "categories",
      [{ id: business }, { id: productivity }],
      "update",
      graph.graphUrl,
    );
    const linked = await s.call("GET", `/beta${objectPath}/categories`);
    assert.deepEqual(linked.body.value.map((c: { displayName: string }) => c.displayName).sort(), [
      "Business",
      "Productivity",
    ]);
  });
});

describe("planRefWrites", () => {
  it("adds the wanted links the tenant lacks and removes the ones not wanted, by id", () => {
    assert.deepEqual(planRefWrites([{ id: "a" }, { id: "b" }], [{ id: "b", displayName: "B" }, { id: "c" }]), {
      add: ["a"],
      remove: ["c"],
    });
    assert.deepEqual(planRefWrites([{ id: "a" }], [{ id: "a" }]), { add: [], remove: [] });
  });
});
