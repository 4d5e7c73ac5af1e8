/**
 * graph-routes — the Graph emulator's route table seen over HTTPS: counters keyed by the matched
 * template, child collections served by the one generic handler (localized messages, per-target
 * assignments), actions and wrong verbs, version-specific routes, an OData function's argument in
 * the path, and CORS for browser apps.
 */
import assert from "node:assert/strict";
import type { TestEmulator } from "../helpers/graph-emulator";
import { type GraphSession, startGraphSession } from "./graph-session";

describe("Graph emulator route table", function () {
  this.timeout(20_000);
  let t: TestEmulator;
  let call: GraphSession["call"];
  const firstId = async (resourceKey: string): Promise<string> => {
    const res = await t.control("GET", `/tenants/${t.info.tenantId}/objects/${resourceKey}`);
    assert.equal(res.status, 200);
    return (res.body as { id: string }[])[0].id;
  };
  before(async () => ({ t, call } = await startGraphSession({ throttle: { mode: "off" } })));
  after(async () => t.emulator.stop());

  it("counts each answer under its version and route template, and unknown paths as no route", async () => {
    const id = await firstId("deviceConfiguration");
    const key = "GET /beta/deviceManagement/deviceConfigurations/{id}/assignments";
    const before = t.emulator.counters.byRoute[key]?.[200] ?? 0;
    assert.equal((await call("GET", `/beta/deviceManagement/deviceConfigurations/${id}/assignments`)).status, 200);
    assert.equal(t.emulator.counters.byRoute[key][200], before + 1);
    const unknown = await call("GET", `/beta/deviceManagement/deviceConfigurations/${id}/nothingHere`);
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.error.code, "No method match route template");
    assert.ok((t.emulator.counters.byRoute["GET (no route)"]?.[400] ?? 0) >= 1);
  });

  it("serves localized notification messages through the generic child handler with the type's checks", async () => {
    const templateId = await firstId("notificationMessageTemplate");
    const base = `/beta/deviceManagement/notificationMessageTemplates/${templateId}/localizedNotificationMessages`;
    const message = { locale: "de-de", subject: "Gerät nicht konform", messageTemplate: "Bitte beheben." };
    const created = await call("POST", base, message);
    assert.equal(created.status, 201);
    assert.equal(created.body.isDefault, false);
    assert.match(created.body["@odata.context"], new RegExp(`notificationMessageTemplates\\('${templateId}'\\)`));
    assert.equal((await call("POST", base, message)).status, 400, "one message per locale");
    assert.equal((await call("POST", base, { locale: "fr-fr" })).status, 400, "subject and template are required");
    const changed = await call("PATCH", `${base}/${created.body.id}`, { subject: "Neu" });
    assert.equal(changed.status, 200);
    assert.equal(changed.body.subject, "Neu");
    const locales = (await call("GET", base)).body.value.map((m: { locale: string }) => m.locale);
    assert.deepEqual(locales.sort(), ["de-de", "en-us"]);
    assert.equal((await call("DELETE", `${base}/${created.body.id}`)).status, 204);
    assert.equal((await call("GET", `${base}/${created.body.id}`)).status, 404);
    assert.equal((await call("PUT", base, message)).status, 405);
  });

  it("takes Autopilot assignments one POST at a time, once per target, and has no assign action there", async () => {
    const profileId = await firstId("windowsAutopilotDeploymentProfile");
    const groupId = (
      await call("POST", "/v1.0/groups", {
        displayName: "Autopilot pilots",
        mailNickname: "autopilot-pilots",
        mailEnabled: false,
        securityEnabled: true,
      })
    ).body.id as string;
    const base = `/beta/deviceManagement/windowsAutopilotDeploymentProfiles/${profileId}/assignments`;
    const assignment = { target: { "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupId } };
    const created = await call("POST", base, assignment);
    assert.equal(created.status, 201);
    assert.equal(created.body.id, `${profileId}_${groupId}`);
    assert.equal((await call("POST", base, assignment)).status, 400, "a target is assigned once");
    assert.equal((await call("GET", `${base}/${created.body.id}`)).body.target.groupId, groupId);
    assert.equal((await call("DELETE", `${base}/${created.body.id}`)).status, 204);
    const assign = await call("POST", `/beta/deviceManagement/windowsAutopilotDeploymentProfiles/${profileId}/assign`, {
      assignments: [assignment],
    });
    assert.equal(assign.body.error.code, "No method match route template");
  });

  it("answers an action called with another verb as an unknown route, a collection with another verb with 405", async () => {
    const id = await firstId("deviceConfiguration");
    const wrongVerb = await call("GET", `/beta/deviceManagement/deviceConfigurations/${id}/assign`);
    assert.equal(wrongVerb.status, 400);
    assert.equal(wrongVerb.body.error.code, "No method match route template");
    const put = await call("PUT", "/v1.0/groups");
    assert.equal(put.status, 405);
    assert.equal(put.body.error.code, "Request_BadRequest");
  });

  it("reads an OMA-URI secret through the function whose argument sits in the path", async () => {
    const created = await call("POST", "/beta/deviceManagement/deviceConfigurations", {
      "@odata.type": "#microsoft.graph.windows10CustomConfiguration",
      displayName: "Proxy",
      omaSettings: [
        {
          "@odata.type": "#microsoft.graph.omaSettingString",
          displayName: "Proxy server",
          omaUri: "./Vendor/MSFT/Policy/Config/Connectivity/ProxyServer",
          value: "proxy.contoso.test:8080",
        },
      ],
    });
    assert.equal(created.status, 201);
    const [setting] = created.body.omaSettings as { value: string; secretReferenceValueId: string }[];
    assert.equal(setting.value, "********");
    const fn = `getOmaSettingPlainTextValue(secretReferenceValueId='${setting.secretReferenceValueId}')`;
    const plain = await call("GET", `/beta/deviceManagement/deviceConfigurations/${created.body.id}/${fn}`);
    assert.equal(plain.status, 200);
    assert.equal(plain.body.value, "proxy.contoso.test:8080");
    const missing = await call(
      "GET",
      `/beta/deviceManagement/deviceConfigurations/${created.body.id}/getOmaSettingPlainTextValue(secretReferenceValueId='nope')`,
    );
    assert.equal(missing.status, 404);
  });

  it("serves the authorization policy as an object on v1.0 and as a one-item collection on beta", async () => {
    const v1 = await call("GET", "/v1.0/policies/authorizationPolicy");
    assert.equal(v1.status, 200);
    assert.equal(v1.body.value, undefined);
    const beta = await call("GET", "/beta/policies/authorizationPolicy");
    assert.equal(beta.body.value.length, 1);
    assert.equal((await call("GET", "/beta/policies/authorizationPolicy/authorizationPolicy")).body.id, v1.body.id);
    assert.equal((await call("PATCH", "/beta/policies/authorizationPolicy", {})).status, 400);
    assert.equal((await call("GET", "/v1.0/policies/authorizationPolicy/authorizationPolicy")).status, 400);
  });

  it("answers browser preflights without a token and adds CORS headers when a request has an Origin", async () => {
    const origin = "https://app.contoso.test";
    const preflight = await fetch(`${t.info.graphUrl}/v1.0/groups`, {
      method: "OPTIONS",
      headers: { origin, "access-control-request-method": "GET", "access-control-request-headers": "consistencylevel" },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get("access-control-allow-origin"), origin);
    assert.match(preflight.headers.get("access-control-allow-headers") ?? "", /ConsistencyLevel/);
    assert.match(preflight.headers.get("access-control-allow-methods") ?? "", /PATCH/);
    const withOrigin = await call("GET", "/v1.0/groups", undefined, { origin });
    assert.equal(withOrigin.status, 200);
    assert.equal(withOrigin.headers.get("access-control-allow-origin"), origin);
    assert.match(withOrigin.headers.get("access-control-expose-headers") ?? "", /Retry-After/);
    const refused = await call("GET", "/v1.0/groups", undefined, { origin, authorization: "Bearer nonsense" });
    assert.equal(refused.status, 401);
    assert.equal(refused.headers.get("access-control-allow-origin"), origin, "errors are readable by the app too");
    assert.equal((await call("GET", "/v1.0/groups")).headers.get("access-control-allow-origin"), null);
  });
});
