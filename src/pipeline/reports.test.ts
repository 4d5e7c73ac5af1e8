import assert from "node:assert/strict";
import { type Change, type GateFinding, GraphError, type Plan, SyncError } from "../core/index";
import { type DeployResult, type Outcome } from "../core/index";
import { deployErrorFact, describeFailure, isDeployable, withObject } from "./reports";

describe("reports: whether a plan is deployable", () => {
  const change: Change = {
    address: 'entra.group["A"]',
    type: "entra.group",
    name: "A",
    action: "delete",
    tenantId: "g-1",
    fingerprint: "sha256:0",
    fields: [],
  };
  const finding = (kind: GateFinding["kind"], confirm?: GateFinding["confirm"]): GateFinding => ({
    kind,
    ...(confirm ? { confirm } : {}),
    addresses: [change.address],
    message: kind,
  });
  const plan = (changes: Change[], findings: GateFinding[], stopped = false): Plan => ({
    formatVersion: 1,
    tenantId: "t",
    createdAt: "2025-01-01T00:00:00.000Z",
    changes,
    findings,
    tenantCounts: {},
    counts: {},
    conflicts: stopped ? [{ address: 'entra.group["B"]', type: "entra.group", resolution: "stopped", fields: [] }] : [],
  });
  const cases: { name: string; plan: Plan; confirmations: string[]; deployable: boolean }[] = [
    { name: "a plan with changes and no findings", plan: plan([change], []), confirmations: [], deployable: true },
    { name: "a plan without changes", plan: plan([], []), confirmations: ["deletes"], deployable: false },
    {
      name: "a delete not confirmed",
      plan: plan([change], [finding("delete", "deletes")]),
      confirmations: ["mass"],
      deployable: false,
    },
    {
      name: "a delete confirmed",
      plan: plan([change], [finding("delete", "deletes")]),
      confirmations: ["deletes"],
      deployable: true,
    },
    {
      name: "deletes and secrets, only deletes confirmed",
      plan: plan([change], [finding("delete", "deletes"), finding("secret", "secrets")]),
      confirmations: ["deletes"],
      deployable: false,
    },
    {
      name: "a missing reference, everything confirmed",
      plan: plan([change], [finding("missingReference")]),
      confirmations: ["deletes", "mass", "secrets"],
      deployable: false,
    },
    {
      name: "a stopped conflict, everything confirmed",
      plan: plan([change], [], true),
      confirmations: ["deletes", "mass", "secrets"],
      deployable: false,
    },
  ];
  for (const c of cases) {
    it(`${c.name}: ${c.deployable}`, () => assert.equal(isDeployable(c.plan, c.confirmations), c.deployable));
  }
});

describe("reports: what stopped a run", () => {
  const cases: Record<string, { error: unknown; message: RegExp; fact: Record<string, unknown> }> = {
    "a SyncError: message, object and hint": {
      error: new SyncError("plan.stale", "The tenant changed after this plan was made.", {
        object: 'entra.group["A"]',
        hint: "Make a new plan.",
      }),
      message: /^The tenant changed after this plan was made\. \(entra\.group\["A"\]\) Make a new plan\.$/,
      fact: { code: "plan.stale", object: 'entra.group["A"]', hint: "Make a new plan.", step: "deploy" },
    },
    "a 403 from Graph: consent": {
      error: new GraphError({
        status: 403,
        graphCode: "Forbidden",
        message: "Insufficient privileges",
        method: "GET",
        url: "https://graph.microsoft.com/v1.0/groups?$skiptoken=abc",
      }),
      message:
        /^Graph refused a request: GET .*\$skiptoken=\[redacted\].* 403 Forbidden: Insufficient privileges .*admin-consent/,
      fact: { code: "auth.consentRequired", step: "deploy" },
    },
    "anything else, redacted": {
      error: new Error("boom with Bearer abc.def.ghi"),
      message: /^Tenant Sync stopped unexpectedly: boom with Bearer \[redacted\]$/,
      fact: { code: "internal", step: "deploy" },
    },
  };
  for (const [name, c] of Object.entries(cases)) {
    it(`describes ${name}`, () => {
      const { message, fact } = describeFailure(c.error, "deploy");
      assert.match(message, c.message);
      for (const [key, value] of Object.entries(c.fact))
        assert.equal((fact as unknown as Record<string, unknown>)[key], value, key);
    });
  }

  it("names the object once", () => {
    assert.equal(withObject('Refused (entra.group["A"])', 'entra.group["A"]'), 'Refused (entra.group["A"])');
    assert.equal(withObject("Refused", 'entra.group["A"]'), 'Refused (entra.group["A"])');
  });
});

describe("reports: a deploy that applied nothing is the run's error", () => {
  const result = (outcomes: Outcome[]): DeployResult => {
    const failed = outcomes.filter((o) => !o.ok).length;
    const applied = outcomes.length - failed;
    return {
      status: failed === 0 ? "succeeded" : applied === 0 ? "failed" : "partiallySucceeded",
      outcomes,
      applied,
      failed,
      skipped: 0,
      created: {},
      requests: 0,
      throttled: 0,
      durationMs: 0,
    };
  };
  const refused = (address: string): Outcome => ({
    address,
    action: "update",
    ok: false,
    error: {
      code: "auth.consentRequired",
      message: "Graph answered 403.",
      hint: "Grant DeviceManagementConfiguration.ReadWrite.All.",
    },
  });

  it("names the first failed change's object, Graph's message, the hint and how many others failed", () => {
    assert.deepEqual(
      deployErrorFact(result([refused('intune.compliancePolicy["A"]'), refused('intune.compliancePolicy["B"]')])),
      {
        code: "auth.consentRequired",
        message:
          'Changing intune.compliancePolicy["A"] failed: Graph answered 403. (1 more change failed too: the deploy report lists each)',
        step: "deploy",
        object: 'intune.compliancePolicy["A"]',
        hint: "Grant DeviceManagementConfiguration.ReadWrite.All.",
      },
    );
  });

  it("is no error when something was applied, or nothing failed", () => {
    const done: Outcome = { address: 'entra.group["G"]', action: "create", ok: true };
    assert.equal(deployErrorFact(result([done, refused('entra.group["H"]')])), undefined);
    assert.equal(deployErrorFact(result([done])), undefined);
  });
});
