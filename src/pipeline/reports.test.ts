import assert from "node:assert/strict";
import { GraphError, SyncError } from "../core/index";
import { describeFailure, withObject } from "./reports";

describe("reports: what stopped a run", () => {
  const cases: Record<string, { error: unknown; message: RegExp; fact: Record<string, unknown> }> = {
    "a SyncError: message, object and hint": {
      error: new SyncError("plan.stale", "The tenant changed after this plan was made.", { object: 'entra.group["A"]', hint: "Make a new plan." }),
      message: /^The tenant changed after this plan was made\. \(entra\.group\["A"\]\) Make a new plan\.$/,
      fact: { code: "plan.stale", object: 'entra.group["A"]', hint: "Make a new plan.", step: "deploy" },
    },
    "a 403 from Graph: consent": {
      error: new GraphError({ status: 403, graphCode: "Forbidden", message: "Insufficient privileges", method: "GET", url: "https://graph.microsoft.com/v1.0/groups?$skiptoken=abc" }),
      message: /^Graph refused a request: GET .*\$skiptoken=\[redacted\].* 403 Forbidden: Insufficient privileges .*admin-consent/,
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
      for (const [key, value] of Object.entries(c.fact)) assert.equal((fact as unknown as Record<string, unknown>)[key], value, key);
    });
  }

  it("names the object once", () => {
    assert.equal(withObject("Refused (entra.group[\"A\"])", 'entra.group["A"]'), 'Refused (entra.group["A"])');
    assert.equal(withObject("Refused", 'entra.group["A"]'), 'Refused (entra.group["A"])');
  });
});
