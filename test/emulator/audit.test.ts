/**
 * audit — the Graph emulator's audit logs over HTTPS: a change made through the control API "as in
 * the portal" is logged with the person who made it and the emulator clock's time (Intune objects
 * in deviceManagement/auditEvents, directory objects in auditLogs/directoryAudits), a Graph write
 * with the app as initiator; paging with $top and @odata.nextLink; the filters each log supports
 * and its answer to one it does not; and the permissions each log needs.
 */
import assert from "node:assert/strict";
import { startTestEmulator, type TestEmulator } from "../helpers/graph-emulator";
import { appCaller } from "./graph-session";

const adele = { userPrincipalName: "adele@contoso.com", displayName: "Adele Vance" };
const auditReaders = ["AuditLog.Read.All", "Directory.Read.All", "DeviceManagementApps.Read.All"];

describe("Graph emulator: audit logs", function () {
  this.timeout(30_000);
  let t: TestEmulator;
  const objects = (key: string) => `/tenants/${t.info.tenantId}/objects/${key}`;
  const caller = (roles: string[]) => appCaller(t, roles);
  let reader: Awaited<ReturnType<typeof caller>>;
  const firstId = async (key: string) => (await t.control("GET", objects(key))).body[0].id as string;
  const filtered = (log: string, filter: string) =>
    reader.call("GET", `/v1.0/${log}?$filter=${encodeURIComponent(filter)}`);

  before(async () => {
    t = await startTestEmulator({ throttle: { mode: "off" } });
    reader = await caller(auditReaders);
  });
  after(async () => t.emulator.stop());

  it("logs a portal change to an Intune object with the person, the emulator clock's time and what changed", async () => {
    const id = await firstId("deviceCompliancePolicy");
    const moved = await t.control("POST", "/clock", { advanceMs: 600_000 });
    const edited = await t.control("PATCH", `${objects("deviceCompliancePolicy")}/${id}`, {
      "@emulator.actor": adele,
      passwordMinimumLength: 14,
    });
    assert.equal(edited.status, 200);
    assert.equal(edited.body["@emulator.actor"], undefined, "the actor is not stored on the object");
    const events = await reader.call("GET", "/v1.0/deviceManagement/auditEvents");
    assert.equal(events.status, 200);
    const event = events.body.value[0];
    assert.equal(event.actor.userPrincipalName, adele.userPrincipalName);
    assert.equal(event.activityOperationType, "Patch");
    assert.equal(event.resources[0].resourceId, id);
    assert.ok(Date.parse(event.activityDateTime) >= Date.parse(moved.body.now), "stamped by the moved clock");
    assert.ok(Date.parse(event.activityDateTime) > Date.now() + 500_000);
    const changed = event.resources[0].modifiedProperties.find(
      (p: { displayName: string }) => p.displayName === "passwordMinimumLength",
    );
    assert.equal(changed.newValue, "14");
    const beta = await reader.call("GET", `/beta/deviceManagement/auditEvents/${event.id}`);
    assert.equal(beta.status, 200);
    assert.equal(beta.body.id, event.id);
  });

  it("logs a portal change to a group in the directory audit, by the tenant's admin when no actor is named", async () => {
    const id = await firstId("group");
    await t.control("PATCH", `${objects("group")}/${id}`, { description: "Changed by someone" });
    const audits = await reader.call("GET", "/v1.0/auditLogs/directoryAudits");
    assert.equal(audits.status, 200);
    const entry = audits.body.value[0];
    assert.equal(entry.category, "GroupManagement");
    assert.equal(entry.activityDisplayName, "Update group");
    assert.equal(entry.targetResources[0].id, id);
    assert.equal(entry.initiatedBy.app, null);
    const tenant = (await t.control("GET", `/tenants/${t.info.tenantId}`)).body;
    assert.equal(entry.initiatedBy.user.userPrincipalName, tenant.users[0].userPrincipalName);
    const bad = await t.control("PATCH", `${objects("group")}/${id}`, { "@emulator.actor": "adele" });
    assert.equal(bad.status, 400);
    assert.match(bad.body.error.message, /userPrincipalName/);
  });

  it("logs a Graph write with the app as initiator", async () => {
    const writer = await caller(["Group.ReadWrite.All", ...auditReaders]);
    const id = await firstId("group");
    const patched = await writer.call("PATCH", `/v1.0/groups/${id}`, { description: "Deployed" });
    assert.equal(patched.status, 204);
    const entry = (await reader.call("GET", "/v1.0/auditLogs/directoryAudits?$top=1")).body.value[0];
    assert.equal(entry.initiatedBy.user, null);
    assert.equal(entry.initiatedBy.app.appId, writer.clientId);
    assert.equal(entry.targetResources[0].id, id);
    assert.deepEqual(
      entry.targetResources[0].modifiedProperties.map((p: { displayName: string }) => p.displayName),
      ["description"],
    );
  });

  it("pages with $top and @odata.nextLink, newest first", async () => {
    const id = await firstId("roleScopeTag");
    for (let i = 0; i < 4; i++)
      await t.control("PATCH", `${objects("roleScopeTag")}/${id}`, { "@emulator.actor": adele, description: `v${i}` });
    const all = (await reader.call("GET", "/v1.0/deviceManagement/auditEvents?$top=100")).body.value;
    const seen: string[] = [];
    let next: string | undefined = "/v1.0/deviceManagement/auditEvents?$top=2";
    let pages = 0;
    while (next) {
      const page: { status: number; body: any } = await reader.call("GET", next);
      assert.equal(page.status, 200);
      assert.ok(page.body.value.length <= 2);
      seen.push(...page.body.value.map((e: { id: string }) => e.id));
      next = page.body["@odata.nextLink"];
      pages++;
    }
    assert.deepEqual(
      seen,
      all.map((e: { id: string }) => e.id),
    );
    assert.equal(pages, Math.ceil(all.length / 2));
    const times = all.map((e: { activityDateTime: string }) => Date.parse(e.activityDateTime));
    assert.deepEqual(
      times,
      [...times].sort((a, b) => b - a),
    );
  });

  it("filters the directory audit on time and target, and refuses a filter the service does not support", async () => {
    const [first, second] = (await t.control("GET", objects("group"))).body.map((g: { id: string }) => g.id);
    const { now } = (await t.control("POST", "/clock", { advanceMs: 60_000 })).body;
    await t.control("PATCH", `${objects("group")}/${second}`, { "@emulator.actor": adele, description: "late" });
    const later = await filtered("auditLogs/directoryAudits", `activityDateTime ge ${now}`);
    assert.equal(later.status, 200);
    assert.deepEqual(
      later.body.value.map((e: any) => e.targetResources[0].id),
      [second],
    );
    const byTarget = await filtered("auditLogs/directoryAudits", `targetResources/any(t: t/id eq '${first}')`);
    assert.ok(byTarget.body.value.length > 0);
    assert.ok(byTarget.body.value.every((e: any) => e.targetResources[0].id === first));
    const both = await filtered(
      "auditLogs/directoryAudits",
      `activityDateTime ge ${now} and (targetResources/any(t: t/id eq '${first}') or targetResources/any(t: t/id eq '${second}'))`,
    );
    assert.deepEqual(
      both.body.value.map((e: any) => e.initiatedBy.user.userPrincipalName),
      [adele.userPrincipalName],
    );
    const unsupported = await filtered("auditLogs/directoryAudits", "operationType eq 'Update'");
    assert.equal(unsupported.status, 400);
    assert.equal(unsupported.body.error.code, "Request_UnsupportedQuery");
    assert.match(unsupported.body.error.message, /operationType/);
    const broken = await filtered("auditLogs/directoryAudits", "activityDateTime ge");
    assert.equal(broken.status, 400);
  });

  it("filters Intune audit events on time and resource, and refuses other filters", async () => {
    const id = await firstId("deviceCompliancePolicy");
    const events = await filtered("deviceManagement/auditEvents", `resources/any(r: r/resourceId eq '${id}')`);
    assert.equal(events.status, 200);
    assert.ok(events.body.value.length > 0);
    assert.ok(events.body.value.every((e: any) => e.resources[0].resourceId === id));
    const future = await filtered("deviceManagement/auditEvents", "activityDateTime gt 2999-01-01T00:00:00Z");
    assert.deepEqual(future.body.value, []);
    const unsupported = await filtered("deviceManagement/auditEvents", "displayName eq 'x'");
    assert.equal(unsupported.status, 400);
    assert.match(unsupported.body.error.message, /displayName/);
  });

  it("needs AuditLog.Read.All and Directory.Read.All for the directory audit, DeviceManagementApps.Read.All for Intune's", async () => {
    const none = await caller(["Group.Read.All"]);
    const denied = await none.call("GET", "/v1.0/auditLogs/directoryAudits");
    assert.equal(denied.status, 403);
    assert.equal(denied.body.error.code, "Authorization_RequestDenied");
    const auditOnly = await caller(["AuditLog.Read.All"]);
    assert.equal((await auditOnly.call("GET", "/v1.0/auditLogs/directoryAudits")).status, 403);
    const intune = await none.call("GET", "/v1.0/deviceManagement/auditEvents");
    assert.equal(intune.status, 403);
    const writerOfApps = await caller(["DeviceManagementApps.ReadWrite.All"]);
    assert.equal((await writerOfApps.call("GET", "/v1.0/deviceManagement/auditEvents")).status, 200);
    assert.equal((await reader.call("POST", "/v1.0/auditLogs/directoryAudits", {})).status, 405);
  });
});
