/**
 * entra-policies — the local Graph serves every declared resource type at the declaration's version
 * and path, and answers the tenant-wide Entra policies, the application policies (token lifetime,
 * claims mapping, home realm discovery) and the template-based group settings as the service does.
 */
import assert from "node:assert/strict";
import { allResourceTypes } from "../../src/core/resources/registry";
import { type GraphSession, startGraphSession } from "./graph-session";

const groupUnified = "62375ab9-6b52-47ed-826b-58e47e0e304b";
const passwordRules = "5cf42378-d67d-4f36-ba46-e8b86229381d";

describe("Graph emulator: Entra policies", () => {
  let s: GraphSession;
  before(async () => (s = await startGraphSession({ throttle: { mode: "off" } })));
  after(async () => s?.t.emulator.stop());

  it("serves every declared resource type at its declared version and path", async () => {
    for (const type of allResourceTypes) {
      const res = await s.call("GET", `/${type.version}${type.collection}`);
      assert.equal(res.status, 200, `${type.id}: GET /${type.version}${type.collection} answered ${res.status}`);
      if (type.kind === "collection") assert.ok(Array.isArray(res.body.value), `${type.id} is no collection`);
      else assert.equal(res.body.value, undefined, `${type.id} is no single object`);
    }
  });

  it("changes a tenant-wide policy with PATCH and refuses its read-only properties", async () => {
    const path = "/v1.0/policies/authenticationFlowsPolicy";
    const before = await s.call("GET", path);
    assert.equal(before.body.id, "authenticationFlowsPolicy");
    assert.match(before.body["@odata.context"], /\$metadata#policies\/authenticationFlowsPolicy\/\$entity$/);
    assert.equal((await s.call("PATCH", path, { selfServiceSignUp: { isEnabled: false } })).status, 204);
    assert.deepEqual((await s.call("GET", path)).body.selfServiceSignUp, { isEnabled: false });
    const refused = await s.call("PATCH", path, { displayName: "Mine" });
    assert.equal(refused.status, 400);
    assert.match(refused.body.error.message, /displayName/);
  });

  it("keeps security defaults off in the demo tenant, which uses conditional access", async () => {
    const res = await s.call("GET", "/v1.0/policies/identitySecurityDefaultsEnforcementPolicy");
    assert.equal(res.body.id, "00000000-0000-0000-0000-000000000005");
    assert.equal(res.body.isEnabled, false);
  });

  it("serves the external identities policy on beta only", async () => {
    assert.equal((await s.call("GET", "/beta/policies/externalIdentitiesPolicy")).body.id, "externalIdentityPolicy");
    assert.equal((await s.call("GET", "/v1.0/policies/externalIdentitiesPolicy")).status, 400);
  });

  it("creates an application policy only with a displayName and a JSON definition", async () => {
    const path = "/v1.0/policies/tokenLifetimePolicies";
    const definition = ['{"TokenLifetimePolicy":{"Version":1,"AccessTokenLifetime":"02:00:00"}}'];
    assert.equal((await s.call("POST", path, { definition })).status, 400);
    const notJson = await s.call("POST", path, { displayName: "Broken", definition: ["{TokenLifetimePolicy"] });
    assert.equal(notJson.status, 400);
    const created = await s.call("POST", path, { displayName: "Two hours", definition, isOrganizationDefault: false });
    assert.equal(created.status, 201);
    assert.deepEqual(created.body.definition, definition);
    const unknown = await s.call("PATCH", `${path}/${created.body.id}`, { lifetime: "02:00:00" });
    assert.equal(unknown.status, 400);
  });

  it("allows one group setting per template, with the template's names and displayName", async () => {
    const list = await s.call("GET", "/v1.0/groupSettings");
    const unified = list.body.value.find((v: { templateId: string }) => v.templateId === groupUnified);
    assert.equal(unified.displayName, "Group.Unified");
    const again = await s.call("POST", "/v1.0/groupSettings", { templateId: groupUnified, values: [] });
    assert.equal(again.status, 400);
    const wrongName = await s.call("POST", "/v1.0/groupSettings", {
      templateId: passwordRules,
      values: [{ name: "EnableGroupCreation", value: "false" }],
    });
    assert.equal(wrongName.status, 400);
    assert.match(wrongName.body.error.message, /EnableGroupCreation/);
    const created = await s.call("POST", "/v1.0/groupSettings", {
      templateId: passwordRules,
      values: [{ name: "LockoutThreshold", value: "5" }],
    });
    assert.equal(created.status, 201);
    assert.equal(created.body.displayName, "Password Rule Settings");
    const values = new Map(created.body.values.map((v: { name: string; value: string }) => [v.name, v.value]));
    assert.equal(values.get("LockoutThreshold"), "5");
    assert.equal(values.get("LockoutDurationInSeconds"), "60");
    const patch = await s.call("PATCH", `/v1.0/groupSettings/${created.body.id}`, {
      values: [{ name: "LockoutDurationInSeconds", value: "120" }],
    });
    assert.equal(patch.status, 204);
    const after = await s.call("GET", `/v1.0/groupSettings/${created.body.id}`);
    const now = new Map(after.body.values.map((v: { name: string; value: string }) => [v.name, v.value]));
    assert.equal(now.get("LockoutDurationInSeconds"), "120");
    assert.equal(now.get("LockoutThreshold"), "5");
    const changeTemplate = await s.call("PATCH", `/v1.0/groupSettings/${created.body.id}`, {
      templateId: groupUnified,
    });
    assert.equal(changeTemplate.status, 400);
  });
});
