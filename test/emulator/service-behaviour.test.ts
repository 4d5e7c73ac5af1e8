/**
 * service-behaviour — the Graph service behaviour the engine must cope with, seen over plain
 * HTTPS: throttling (429 with and without Retry-After, per batch item, scripted), the
 * service-specific 403 bodies of a missing permission, 401 for bad tokens, write validation, OData
 * query options, Intune licensing and beta-only resources.
 */
import assert from "node:assert/strict";
import { ClientSecretCredential } from "@azure/identity";
import { startTestEmulator, type TestEmulator } from "../helpers/graph-emulator";

interface GraphAnswer {
  status: number;
  headers: Headers;
  body: any;
}
interface GraphError {
  error: { code: string; message: string; innerError?: Record<string, unknown> };
}

const compliancePolicyType = "#microsoft.graph.windows10CompliancePolicy";

/** A fresh app-only token: a new credential instance, so newly consented roles are in it. */
async function newToken(t: TestEmulator): Promise<string> {
  const credential = new ClientSecretCredential(t.info.tenantId, t.info.clientId, t.info.clientSecret, {
    authorityHost: t.info.authorityHost,
    disableInstanceDiscovery: true,
  });
  return (await credential.getToken("https://graph.microsoft.com/.default")).token;
}

/** One Graph request with fetch; `token: null` sends no Authorization header. */
async function graph(
  t: TestEmulator,
  token: string | null,
  method: string,
  path: string,
  body?: unknown,
): Promise<GraphAnswer> {
  const headers: Record<string, string> = {};
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(`${t.info.graphUrl}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

async function objectIds(t: TestEmulator, resourceKey: string): Promise<string[]> {
  const res = await t.control("GET", `/tenants/${t.info.tenantId}/objects/${resourceKey}`);
  assert.equal(res.status, 200);
  return (res.body as { id: string }[]).map((o) => o.id);
}

function compliancePolicy(extra: Record<string, unknown> = {}, blockActions = 1): Record<string, unknown> {
  const actions = [
    ...Array.from({ length: blockActions }, () => ({
      actionType: "block",
      gracePeriodHours: 0,
      notificationTemplateId: "",
      notificationMessageCCList: [],
    })),
    { actionType: "notification", gracePeriodHours: 24, notificationTemplateId: "", notificationMessageCCList: [] },
  ];
  return {
    "@odata.type": compliancePolicyType,
    displayName: "Windows - test compliance",
    description: "created by a test",
    passwordRequired: true,
    scheduledActionsForRule: [{ ruleName: "PasswordRequired", scheduledActionConfigurations: actions }],
    ...extra,
  };
}

/** Runs `n` requests, `parallel` at a time, and returns their answers in order. */
async function repeat(n: number, parallel: number, request: () => Promise<GraphAnswer>): Promise<GraphAnswer[]> {
  const answers: GraphAnswer[] = [];
  for (let i = 0; i < n; i += parallel) {
    answers.push(...(await Promise.all(Array.from({ length: Math.min(parallel, n - i) }, () => request()))));
  }
  return answers;
}

describe("Graph emulator throttling and scripted faults", function () {
  let t: TestEmulator;
  let token: string;
  let policyId: string;
  const patchPolicy = () =>
    graph(t, token, "PATCH", `/beta/deviceManagement/deviceCompliancePolicies/${policyId}`, {
      "@odata.type": compliancePolicyType,
      description: "touched",
    });

  before(async () => {
    t = await startTestEmulator({ throttle: { mode: "off" } });
    token = await newToken(t);
    [policyId] = await objectIds(t, "deviceCompliancePolicy");
  });

  after(async () => {
    await t?.emulator.stop();
  });

  afterEach(async () => {
    await t.control("PUT", "/throttle", { mode: "off" });
    await t.control("DELETE", "/faults");
  });

  it("answers Intune writes beyond 100 per 20 s with 429, Retry-After and TooManyRequests, and accepts them again after the Retry-After", async () => {
    // Scale 0.1 (100 writes per 200 s) keeps refills during the test negligible, so it cannot flake.
    await t.control("PUT", "/throttle", { mode: "realistic", scale: 0.1 });
    const throttledBefore = t.emulator.counters.throttled;
    const started = Date.now();
    const answers = await repeat(130, 20, patchPolicy);
    // The bucket refills at 100 per 200 s (0.5 per second of real time) while the requests run.
    const refilled = Math.ceil(((Date.now() - started) / 1000) * 0.5);
    const accepted = answers.filter((a) => a.status === 204).length;
    const throttled = answers.filter((a) => a.status === 429);
    assert.equal(
      accepted + throttled.length,
      answers.length,
      `only 204 and 429: ${answers.map((a) => a.status).join(",")}`,
    );
    assert.ok(
      accepted >= 100 && accepted <= 100 + refilled,
      `100 writes (+${refilled} refilled) accepted, got ${accepted}`,
    );
    assert.ok(throttled.length >= 1);
    const first = throttled[0];
    const retryAfter = Number(first.headers.get("retry-after"));
    assert.ok(retryAfter > 0 && retryAfter <= 200, `Retry-After ${first.headers.get("retry-after")}`);
    const body = first.body as GraphError;
    assert.equal(body.error.code, "TooManyRequests");
    assert.equal(body.error.innerError?.status, "429");
    assert.equal(t.emulator.counters.throttled - throttledBefore, throttled.length);

    // Retrying before the bucket refilled is still throttled; after Retry-After it succeeds.
    assert.equal((await patchPolicy()).status, 429);
    const wait = Number((await patchPolicy()).headers.get("retry-after"));
    await t.control("POST", "/clock", { advanceMs: Math.ceil(wait * 1000) });
    assert.equal((await patchPolicy()).status, 204);
  });

  it("answers conditional access reads beyond 1 per second with 429 without Retry-After", async () => {
    await t.control("PUT", "/throttle", { mode: "realistic", scale: 1 });
    const first = await graph(t, token, "GET", "/v1.0/identity/conditionalAccess/policies");
    const second = await graph(t, token, "GET", "/v1.0/identity/conditionalAccess/policies");
    assert.equal(first.status, 200);
    assert.equal(second.status, 429);
    assert.equal(second.headers.get("retry-after"), null);
    assert.equal((second.body as GraphError).error.code, "TooManyRequests");
    await t.control("POST", "/clock", { advanceMs: 1000 });
    assert.equal((await graph(t, token, "GET", "/v1.0/identity/conditionalAccess/policies")).status, 200);
  });

  it("throttles $batch items one by one, each 429 item with its own Retry-After", async () => {
    await t.control("PUT", "/throttle", { mode: "realistic", scale: 1 });
    const warmUp = await repeat(95, 19, patchPolicy);
    assert.ok(
      warmUp.every((a) => a.status === 204),
      "the first 95 writes fit in the budget",
    );
    const requests = Array.from({ length: 20 }, (_, i) => ({
      id: String(i + 1),
      method: "PATCH",
      url: `/deviceManagement/deviceCompliancePolicies/${policyId}`,
      headers: { "Content-Type": "application/json" },
      body: { "@odata.type": compliancePolicyType, description: `batch ${i + 1}` },
    }));
    const batch = await graph(t, token, "POST", "/beta/$batch", { requests });
    assert.equal(batch.status, 200, "the batch itself is accepted");
    const items = (
      batch.body as { responses: { id: string; status: number; headers: Record<string, string>; body?: GraphError }[] }
    ).responses;
    assert.deepEqual(items.map((i) => i.id).sort(), requests.map((r) => r.id).sort());
    const ok = items.filter((i) => i.status === 204);
    const throttled = items.filter((i) => i.status === 429);
    assert.equal(ok.length + throttled.length, items.length);
    assert.ok(
      ok.length >= 1 && throttled.length >= 1,
      `some items pass and some are throttled: ${items.map((i) => i.status).join(",")}`,
    );
    for (const item of throttled) {
      assert.ok(Number(item.headers["Retry-After"]) > 0, `item ${item.id} carries Retry-After`);
      assert.equal(item.body?.error.code, "TooManyRequests");
    }
  });

  it("answers the next 3 requests to a scripted path with 429 and then serves it again", async () => {
    const path = "/beta/deviceManagement/deviceConfigurations";
    const scripted = await t.control("POST", "/faults", {
      pathContains: "/deviceManagement/deviceConfigurations",
      count: 3,
      action: { kind: "status", status: 429, retryAfterSeconds: 1 },
    });
    assert.equal(scripted.status, 201);
    const injectedBefore = t.emulator.counters.faultsInjected;
    assert.equal((await graph(t, token, "GET", "/v1.0/groups")).status, 200, "other paths are not affected");
    const answers: GraphAnswer[] = [];
    for (let i = 0; i < 4; i++) answers.push(await graph(t, token, "GET", path));
    assert.deepEqual(
      answers.map((a) => a.status),
      [429, 429, 429, 200],
    );
    for (const a of answers.slice(0, 3)) {
      assert.equal(a.headers.get("retry-after"), "1");
      assert.equal((a.body as GraphError).error.code, "TooManyRequests");
    }
    assert.equal(t.emulator.counters.faultsInjected - injectedBefore, 3);
    assert.deepEqual((await t.control("GET", "/faults")).body.scripted, []);
  });

  it("holds a tenant's requests unanswered until the faults are cleared; other tenants are served", async () => {
    const other = await t.control("POST", "/tenants", {
      seed: "demo",
      tenantId: "4d6e7c2a-1b3f-4c5d-8e9f-0a1b2c3d4e5f",
    });
    const otherToken = await newToken({ ...t, info: { ...t.info, ...other.body } });
    await t.control("POST", "/faults", {
      tenantId: t.info.tenantId,
      pathContains: "/groups",
      count: 1,
      action: { kind: "hold" },
    });
    let answered = false;
    const held = graph(t, token, "GET", "/v1.0/groups").then((a) => {
      answered = true;
      return a;
    });
    assert.equal((await graph(t, otherToken, "GET", "/v1.0/groups")).status, 200, "another tenant is served");
    assert.equal((await graph(t, token, "GET", "/v1.0/deviceManagement/deviceCompliancePolicies")).status, 200);
    assert.equal(t.emulator.faults.holding, 1);
    assert.equal(answered, false, "the held request waits");
    await t.control("DELETE", "/faults");
    assert.equal((await held).status, 200);
    assert.equal(t.emulator.faults.holding, 0);
  });
});

describe("Graph emulator permissions (403 bodies per service)", function () {
  let t: TestEmulator;
  let consentedRoles: string[];
  const permissionsPath = () => `/tenants/${t.info.tenantId}/apps/${t.info.clientId}/permissions`;

  async function tokenWithRoles(roles: string[]): Promise<string> {
    const set = await t.control("PUT", permissionsPath(), { roles });
    assert.deepEqual(set.body.roles, roles);
    return newToken(t);
  }

  before(async () => {
    t = await startTestEmulator({ throttle: { mode: "off" } });
    const tenants = (await t.control("GET", "/tenants")).body as {
      tenantId: string;
      apps: { clientId: string; roles: string[] }[];
    }[];
    consentedRoles = tenants
      .find((x) => x.tenantId === t.info.tenantId)!
      .apps.find((a) => a.clientId === t.info.clientId)!.roles;
  });

  after(async () => {
    await t?.emulator.stop();
  });

  afterEach(async () => {
    await t.control("PUT", permissionsPath(), { roles: consentedRoles });
  });

  it("answers an Entra directory read without a group permission with 403 Authorization_RequestDenied", async () => {
    const token = await tokenWithRoles(["Policy.Read.All"]);
    const groups = await graph(t, token, "GET", "/v1.0/groups");
    assert.equal(groups.status, 403);
    assert.equal((groups.body as GraphError).error.code, "Authorization_RequestDenied");
    assert.equal((groups.body as GraphError).error.message, "Insufficient privileges to complete the operation.");
    assert.equal(
      (await graph(t, token, "GET", "/v1.0/identity/conditionalAccess/policies")).status,
      200,
      "the granted permission still works",
    );
  });

  it("answers an identity policy read without Policy.Read.All with 403 AccessDenied", async () => {
    const token = await tokenWithRoles(["Group.Read.All"]);
    const policies = await graph(t, token, "GET", "/v1.0/identity/conditionalAccess/policies");
    assert.equal(policies.status, 403);
    assert.equal((policies.body as GraphError).error.code, "AccessDenied");
    assert.match((policies.body as GraphError).error.message, /required scopes are missing in the token/);
    assert.equal((await graph(t, token, "GET", "/v1.0/groups")).status, 200);
  });

  it("answers an Intune read without its permission with 403 Forbidden whose message is a JSON document naming the acceptable scopes", async () => {
    const token = await tokenWithRoles(["DeviceManagementApps.Read.All"]);
    const configurations = await graph(t, token, "GET", "/beta/deviceManagement/deviceConfigurations");
    assert.equal(configurations.status, 403);
    const error = (configurations.body as GraphError).error;
    assert.equal(error.code, "Forbidden");
    const inner = JSON.parse(error.message) as { _version: number; Message: string };
    assert.equal(inner._version, 3);
    assert.match(
      inner.Message,
      /Application must have one of the following scopes: .*DeviceManagementConfiguration\.Read\.All.* - /,
    );
    assert.equal(
      (await graph(t, token, "GET", "/beta/deviceAppManagement/mobileAppConfigurations")).status,
      200,
      "the granted Intune permission still works",
    );
  });

  it("answers an app-only Intune call with no Intune permission at all with the app-only-context 403", async () => {
    const token = await tokenWithRoles([]);
    const configurations = await graph(t, token, "GET", "/beta/deviceManagement/deviceConfigurations");
    assert.equal(configurations.status, 403);
    const error = (configurations.body as GraphError).error;
    assert.equal(error.code, "Forbidden");
    assert.match(
      JSON.parse(error.message).Message,
      /called in app only context but does not have application permissions configured/,
    );
  });

  it("refuses a write with only the read permission, and honours newly consented roles only in a new token", async () => {
    const readOnly = await tokenWithRoles(["Group.Read.All"]);
    const group = {
      displayName: "Consent test",
      mailEnabled: false,
      mailNickname: "consenttest",
      securityEnabled: true,
    };
    assert.equal((await graph(t, readOnly, "POST", "/v1.0/groups", group)).status, 403);
    await t.control("PUT", permissionsPath(), { roles: ["Group.ReadWrite.All"] });
    assert.equal(
      (await graph(t, readOnly, "POST", "/v1.0/groups", group)).status,
      403,
      "the old token does not carry the new role",
    );
    assert.equal((await graph(t, await newToken(t), "POST", "/v1.0/groups", group)).status, 201);
  });
});

describe("Graph emulator authentication (401)", function () {
  let t: TestEmulator;

  before(async () => {
    t = await startTestEmulator({ throttle: { mode: "off" } });
  });

  after(async () => {
    await t?.emulator.stop();
  });

  it("answers a request without a token with 401 InvalidAuthenticationToken", async () => {
    const res = await graph(t, null, "GET", "/v1.0/groups");
    assert.equal(res.status, 401);
    assert.equal((res.body as GraphError).error.code, "InvalidAuthenticationToken");
  });

  it("answers a malformed token with 401 InvalidAuthenticationToken", async () => {
    for (const bad of ["not-a-jwt", "a.b.c"]) {
      const res = await graph(t, bad, "GET", "/v1.0/groups");
      assert.equal(res.status, 401, bad);
      assert.equal((res.body as GraphError).error.code, "InvalidAuthenticationToken");
    }
  });

  it("answers an expired token with 401 InvalidAuthenticationToken", async () => {
    const token = await newToken(t);
    assert.equal((await graph(t, token, "GET", "/v1.0/groups")).status, 200);
    await t.control("POST", "/clock", { advanceMs: 2 * 60 * 60 * 1000 });
    try {
      const res = await graph(t, token, "GET", "/v1.0/groups");
      assert.equal(res.status, 401);
      assert.equal((res.body as GraphError).error.code, "InvalidAuthenticationToken");
      assert.match((res.body as GraphError).error.message, /expired/);
    } finally {
      await t.control("POST", "/clock", { advanceMs: -2 * 60 * 60 * 1000 });
    }
  });
});

describe("Graph emulator resource behaviour (validation, OData, licensing, versions)", function () {
  let t: TestEmulator;
  let token: string;

  before(async () => {
    t = await startTestEmulator({ throttle: { mode: "off" } });
    token = await newToken(t);
  });

  after(async () => {
    await t?.emulator.stop();
  });

  it("refuses a write that sets a read-only property with 400 ModelValidationFailure", async () => {
    const res = await graph(
      t,
      token,
      "POST",
      "/beta/deviceManagement/deviceCompliancePolicies",
      compliancePolicy({ createdDateTime: "2026-01-01T00:00:00Z" }),
    );
    assert.equal(res.status, 400);
    assert.equal((res.body as GraphError).error.code, "ModelValidationFailure");
    assert.match((res.body as GraphError).error.message, /createdDateTime/);
  });

  it("refuses a write with an unknown property with 400 'does not exist on type'", async () => {
    const res = await graph(
      t,
      token,
      "POST",
      "/beta/deviceManagement/deviceCompliancePolicies",
      compliancePolicy({ notAProperty: true }),
    );
    assert.equal(res.status, 400);
    assert.match((res.body as GraphError).error.message, /'notAProperty' does not exist on type/);
  });

  it("creates a compliance policy only with exactly one block scheduled action", async () => {
    const before = (await objectIds(t, "deviceCompliancePolicy")).length;
    for (const blocks of [0, 2]) {
      const res = await graph(
        t,
        token,
        "POST",
        "/beta/deviceManagement/deviceCompliancePolicies",
        compliancePolicy({}, blocks),
      );
      assert.equal(res.status, 400, `${blocks} block actions`);
      assert.match((res.body as GraphError).error.message, /one and only one block scheduled action/);
    }
    assert.equal((await objectIds(t, "deviceCompliancePolicy")).length, before, "nothing was created");
    const created = await graph(
      t,
      token,
      "POST",
      "/beta/deviceManagement/deviceCompliancePolicies",
      compliancePolicy({}, 1),
    );
    assert.equal(created.status, 201);
    assert.equal(created.body["@odata.type"], compliancePolicyType);
    assert.equal((await objectIds(t, "deviceCompliancePolicy")).length, before + 1);
  });

  it("refuses a device configuration created without @odata.type with 400", async () => {
    const res = await graph(t, token, "POST", "/beta/deviceManagement/deviceConfigurations", {
      displayName: "No type",
    });
    assert.equal(res.status, 400);
    assert.match((res.body as GraphError).error.message, /@odata\.type|abstract/);
  });

  it("allows two groups with the same display name, and $filter eq on displayName finds both", async () => {
    const name = "Duplicate name test";
    const ids: string[] = [];
    for (const nick of ["dup1", "dup2"]) {
      const res = await graph(t, token, "POST", "/v1.0/groups", {
        displayName: name,
        mailEnabled: false,
        mailNickname: nick,
        securityEnabled: true,
      });
      assert.equal(res.status, 201);
      ids.push(res.body.id);
    }
    assert.notEqual(ids[0], ids[1]);
    const filtered = await graph(
      t,
      token,
      "GET",
      `/v1.0/groups?$filter=${encodeURIComponent(`displayName eq '${name}'`)}`,
    );
    assert.equal(filtered.status, 200);
    assert.deepEqual((filtered.body.value as { id: string }[]).map((g) => g.id).sort(), [...ids].sort());
    const one = await graph(
      t,
      token,
      "GET",
      `/v1.0/groups?$filter=${encodeURIComponent("displayName eq 'Pilot users'")}`,
    );
    assert.deepEqual(
      (one.body.value as { displayName: string }[]).map((g) => g.displayName),
      ["Pilot users"],
    );
  });

  it("returns only the $select'ed properties (and id)", async () => {
    const res = await graph(t, token, "GET", "/v1.0/groups?$select=displayName");
    assert.equal(res.status, 200);
    assert.ok(res.body.value.length > 0);
    for (const group of res.body.value as Record<string, unknown>[]) {
      assert.deepEqual(
        Object.keys(group)
          .filter((k) => !k.startsWith("@odata."))
          .sort(),
        ["displayName", "id"],
      );
    }
  });

  it("names the parent object in the @odata.context of its /assignments", async () => {
    const [id] = await objectIds(t, "deviceCompliancePolicy");
    const res = await graph(t, token, "GET", `/beta/deviceManagement/deviceCompliancePolicies/${id}/assignments`);
    assert.equal(res.status, 200);
    assert.ok(
      String(res.body["@odata.context"]).endsWith(
        `$metadata#deviceManagement/deviceCompliancePolicies('${id}')/assignments`,
      ),
      res.body["@odata.context"],
    );
    assert.ok(res.body.value.length >= 1);
  });

  it("returns scriptContent only when a script is read by id", async () => {
    const list = await graph(t, token, "GET", "/beta/deviceManagement/deviceManagementScripts");
    assert.equal(list.status, 200);
    assert.ok(list.body.value.length >= 1);
    for (const script of list.body.value as Record<string, unknown>[]) assert.equal("scriptContent" in script, false);
    const one = await graph(t, token, "GET", `/beta/deviceManagement/deviceManagementScripts/${list.body.value[0].id}`);
    assert.equal(one.status, 200);
    assert.ok(Buffer.from(String(one.body.scriptContent), "base64").toString("utf8").length > 0);
  });

  it("answers Intune calls of a tenant without an Intune licence with 400 'Request not applicable to target tenant.'", async () => {
    const unlicensed = await t.control("PATCH", `/tenants/${t.info.tenantId}`, { licences: { intune: false } });
    assert.equal(unlicensed.body.licences.intune, false);
    try {
      for (const path of [
        "/beta/deviceManagement/deviceConfigurations",
        "/beta/deviceManagement/configurationPolicies",
      ]) {
        const res = await graph(t, token, "GET", path);
        assert.equal(res.status, 400, path);
        assert.equal((res.body as GraphError).error.message, "Request not applicable to target tenant.");
      }
      assert.equal((await graph(t, token, "GET", "/v1.0/groups")).status, 200, "Entra is not affected");
    } finally {
      await t.control("PATCH", `/tenants/${t.info.tenantId}`, { licences: { intune: true } });
    }
    assert.equal((await graph(t, token, "GET", "/beta/deviceManagement/deviceConfigurations")).status, 200);
  });

  it("serves the beta-only configurationPolicies on beta but not on v1.0", async () => {
    const beta = await graph(t, token, "GET", "/beta/deviceManagement/configurationPolicies");
    assert.equal(beta.status, 200);
    const v1 = await graph(t, token, "GET", "/v1.0/deviceManagement/configurationPolicies");
    assert.equal(v1.status, 400);
    assert.match((v1.body as GraphError).error.message, /Resource not found for the segment 'configurationPolicies'/);
  });
});
