/**
 * applications — the Graph emulator's app registrations over HTTPS: create, find by appId and by
 * $filter, PATCH and DELETE; federated identity credentials with the service's duplicate answers;
 * service principals; the permissions each call needs (Application.Read.All to read,
 * Application.ReadWrite.All or .OwnedBy to write, the owned ones only with OwnedBy); and that
 * requested permissions are not consented ones: the app's token carries no roles until consent.
 */
import assert from "node:assert/strict";
import { startTestEmulator, type TestEmulator } from "../helpers/graph-emulator";
import { appCaller } from "./graph-session";

const graphAppId = "00000003-0000-0000-c000-000000000000";
const groupReadAll = "5b567255-7703-4780-807c-7be8301ae99b";

describe("Graph emulator: applications, federated identity credentials, service principals", function () {
  this.timeout(30_000);
  let t: TestEmulator;
  /** A caller app with these consented roles, and a `call` signed in as it. */
  const caller = (roles: string[]) => appCaller(t, roles);
  let admin: Awaited<ReturnType<typeof caller>>;

  before(async () => {
    t = await startTestEmulator({ throttle: { mode: "off" } });
    admin = await caller(["Application.ReadWrite.All"]);
  });
  after(async () => t.emulator.stop());

  it("creates an app with an object id and a client id, finds it by appId and by $filter, and never shows secrets", async () => {
    const created = await admin.call("POST", "/v1.0/applications", {
      displayName: "Tenant Sync – org – contoso",
      signInAudience: "AzureADMyOrg",
      requiredResourceAccess: [{ resourceAppId: graphAppId, resourceAccess: [{ id: groupReadAll, type: "Role" }] }],
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const { id, appId } = created.body;
    assert.match(id, /^[0-9a-f-]{36}$/);
    assert.match(appId, /^[0-9a-f-]{36}$/);
    assert.notEqual(id, appId);
    assert.match(created.body["@odata.context"], /\/v1\.0\/\$metadata#applications\/\$entity$/);
    assert.deepEqual(created.body.requiredResourceAccess[0].resourceAccess, [{ id: groupReadAll, type: "Role" }]);

    const byAppId = await admin.call("GET", `/v1.0/applications(appId='${appId}')`);
    assert.equal(byAppId.status, 200);
    assert.equal(byAppId.body.id, id);
    const filtered = await admin.call("GET", `/beta/applications?$filter=appId eq '${appId}'`);
    assert.deepEqual(
      filtered.body.value.map((a: { id: string }) => a.id),
      [id],
    );
    const byName = await admin.call(
      "GET",
      `/v1.0/applications?$filter=${encodeURIComponent("displayName eq 'Tenant Sync – org – contoso'")}`,
    );
    assert.deepEqual(
      byName.body.value.map((a: { appId: string }) => a.appId),
      [appId],
    );
    // The seeded app's secret exists; Graph shows its hint and key id, not its value.
    const seeded = await admin.call("GET", `/v1.0/applications(appId='${t.info.clientId}')`);
    assert.equal(seeded.body.passwordCredentials.length, 1);
    assert.equal(seeded.body.passwordCredentials[0].secretText, null);
    assert.ok(!JSON.stringify(seeded.body).includes(t.info.clientSecret));

    assert.equal((await admin.call("PATCH", `/v1.0/applications/${id}`, { displayName: "Renamed" })).status, 204);
    assert.equal((await admin.call("GET", `/v1.0/applications/${id}`)).body.displayName, "Renamed");
    const readOnly = await admin.call("PATCH", `/v1.0/applications/${id}`, { appId: "x" });
    assert.equal(readOnly.status, 400);
    assert.equal(readOnly.body.error.code, "Request_BadRequest");
    const badAccess = await admin.call("POST", "/v1.0/applications", {
      displayName: "x",
      requiredResourceAccess: [{ resourceAppId: graphAppId, resourceAccess: [{ id: groupReadAll, type: "Admin" }] }],
    });
    assert.equal(badAccess.status, 400);
    assert.equal((await admin.call("POST", "/v1.0/applications", {})).status, 400, "displayName is required");
    assert.equal((await admin.call("DELETE", `/v1.0/applications/${id}`)).status, 204);
    const gone = await admin.call("GET", `/v1.0/applications/${id}`);
    assert.equal(gone.status, 404);
    assert.equal(gone.body.error.code, "Request_ResourceNotFound");
  });

  it("requested permissions are not consented: the new app has no roles and no secret", async () => {
    const created = await admin.call("POST", "/v1.0/applications", {
      displayName: "Requests Group.Read.All",
      requiredResourceAccess: [{ resourceAppId: graphAppId, resourceAccess: [{ id: groupReadAll, type: "Role" }] }],
    });
    const state = (await t.control("GET", `/tenants/${t.info.tenantId}`)).body;
    const stored = state.apps.find((a: { clientId: string }) => a.clientId === created.body.appId);
    assert.deepEqual(stored.roles, []);
    assert.deepEqual(stored.secrets, [], "an app made through Graph has no secret until one is added");
  });

  it("adds federated identity credentials, refuses a second with the same name (409) or issuer and subject (400), deletes one", async () => {
    const { id } = (await admin.call("POST", "/v1.0/applications", { displayName: "Federated" })).body;
    const base = `/v1.0/applications/${id}/federatedIdentityCredentials`;
    const fic = {
      name: "azure-devops",
      issuer: "https://vstoken.dev.azure.com/org-id",
      subject: "sc://org/project/tenant-sync-contoso",
      audiences: ["api://AzureADTokenExchange"],
      description: "The service connection",
    };
    const added = await admin.call("POST", base, fic);
    assert.equal(added.status, 201, JSON.stringify(added.body));
    assert.deepEqual(
      { ...added.body, "@odata.context": undefined, id: undefined },
      { ...fic, "@odata.context": undefined, id: undefined },
    );
    const sameName = await admin.call("POST", base, { ...fic, subject: "sc://org/project/other" });
    assert.equal(sameName.status, 409);
    assert.equal(sameName.body.error.code, "Request_MultipleObjectsWithSameKeyValue");
    const sameSubject = await admin.call("POST", base, { ...fic, name: "another" });
    assert.equal(sameSubject.status, 400);
    assert.equal(sameSubject.body.error.code, "InvalidFederatedIdentityCredentialValue");
    assert.equal((await admin.call("POST", base, { ...fic, name: "no-audience", audiences: [] })).status, 400);
    const listed = await admin.call("GET", base);
    assert.deepEqual(
      listed.body.value.map((c: { name: string }) => c.name),
      ["azure-devops"],
    );
    // The token endpoint reads the same credentials.
    const state = (await t.control("GET", `/tenants/${t.info.tenantId}`)).body;
    const stored = state.apps.find((a: { objectId?: string }) => a.objectId === id);
    assert.deepEqual(
      stored.federatedCredentials.map((c: { issuer: string; subject: string }) => [c.issuer, c.subject]),
      [[fic.issuer, fic.subject]],
    );
    assert.equal((await admin.call("DELETE", `${base}/${added.body.id}`)).status, 204);
    assert.deepEqual((await admin.call("GET", base)).body.value, []);
  });

  it("creates a service principal once per app and finds it by appId", async () => {
    const { appId } = (await admin.call("POST", "/v1.0/applications", { displayName: "With principal" })).body;
    const filter = `/v1.0/servicePrincipals?$filter=appId eq '${appId}'`;
    assert.deepEqual((await admin.call("GET", filter)).body.value, []);
    const created = await admin.call("POST", "/v1.0/servicePrincipals", { appId });
    assert.equal(created.status, 201);
    assert.equal(created.body.appId, appId);
    assert.equal(created.body.servicePrincipalType, "Application");
    assert.deepEqual(
      (await admin.call("GET", filter)).body.value.map((p: { id: string }) => p.id),
      [created.body.id],
    );
    assert.equal((await admin.call("POST", "/v1.0/servicePrincipals", { appId })).status, 409);
    const unknown = await admin.call("POST", "/v1.0/servicePrincipals", {
      appId: "0f0e0d0c-0000-4000-8000-000000000000",
    });
    assert.equal(unknown.status, 400);
  });

  it("refuses a caller without Application permissions (403 Authorization_RequestDenied); OwnedBy manages only its own apps", async () => {
    const reader = await caller(["Application.Read.All"]);
    assert.equal((await reader.call("GET", "/v1.0/applications")).status, 200);
    const refused = await reader.call("POST", "/v1.0/applications", { displayName: "Not allowed" });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, "Authorization_RequestDenied");
    const nobody = await caller(["Group.Read.All"]);
    assert.equal((await nobody.call("GET", "/v1.0/applications")).status, 403);

    const owner = await caller(["Application.ReadWrite.OwnedBy"]);
    const own = await owner.call("POST", "/v1.0/applications", { displayName: "Owned" });
    assert.equal(own.status, 201);
    const seen = (await owner.call("GET", "/v1.0/applications")).body.value.map((a: { id: string }) => a.id);
    assert.deepEqual(seen, [own.body.id]);
    assert.equal((await owner.call("PATCH", `/v1.0/applications/${own.body.id}`, { displayName: "Mine" })).status, 204);
    const other = await owner.call("PATCH", `/v1.0/applications(appId='${t.info.clientId}')`, {
      displayName: "Theirs",
    });
    assert.equal(other.status, 403);
    assert.equal(other.body.error.code, "Authorization_RequestDenied");
  });
});
