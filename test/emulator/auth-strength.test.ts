/**
 * Authentication strengths in the Graph emulator: combinations change only through the action, and
 * combination configurations are a contained collection; built-in strengths cannot be changed.
 */
import assert from "node:assert/strict";
import type { TestEmulator } from "../helpers/graph-emulator";
import { type GraphSession, startGraphSession } from "./graph-session";

describe("Graph emulator authentication strengths", function () {
  this.timeout(20_000);
  let t: TestEmulator;
  let graphCall: GraphSession["call"];
  const call = (method: string, path: string, body?: unknown) => graphCall(method, `/v1.0${path}`, body);
  before(async () => ({ t, call: graphCall } = await startGraphSession({ throttle: { mode: "off" } })));
  after(async () => t.emulator.stop());

  it("adds, changes and removes combination configurations of a custom strength", async () => {
    const strengths = (await call("GET", "/policies/authenticationStrengthPolicies")).body.value as {
      id: string;
      policyType: string;
    }[];
    const custom = strengths.find((s) => s.policyType === "custom");
    assert.ok(custom);
    const base = `/policies/authenticationStrengthPolicies/${custom.id}/combinationConfigurations`;
    const created = await call("POST", base, {
      "@odata.type": "#microsoft.graph.fido2CombinationConfiguration",
      allowedAAGUIDs: ["90a3ccdf-635c-4729-a248-9b709135078f"],
      appliesToCombinations: ["fido2"],
    });
    assert.equal(created.status, 201);
    assert.equal((await call("PATCH", `${base}/${created.body.id}`, { allowedAAGUIDs: [] })).status, 204);
    const listed = (await call("GET", base)).body.value as { id: string; allowedAAGUIDs: string[] }[];
    assert.deepEqual(listed.find((c) => c.id === created.body.id)?.allowedAAGUIDs, []);
    assert.equal((await call("DELETE", `${base}/${created.body.id}`)).status, 204);
    assert.equal((await call("GET", `${base}/${created.body.id}`)).status, 404);
  });

  it("refuses changes to a built-in strength and combinations through PATCH", async () => {
    const builtIn = "00000000-0000-0000-0000-000000000002";
    assert.equal(
      (
        await call("POST", `/policies/authenticationStrengthPolicies/${builtIn}/combinationConfigurations`, {
          "@odata.type": "#microsoft.graph.fido2CombinationConfiguration",
          appliesToCombinations: ["fido2"],
        })
      ).status,
      400,
    );
    const strengths = (await call("GET", "/policies/authenticationStrengthPolicies")).body.value as {
      id: string;
      policyType: string;
    }[];
    const custom = strengths.find((s) => s.policyType === "custom");
    const patched = await call("PATCH", `/policies/authenticationStrengthPolicies/${custom?.id}`, {
      allowedCombinations: ["password"],
    });
    assert.equal(patched.status, 400);
    assert.match(patched.body.error.message, /Update allowed combinations action/);
  });
});
