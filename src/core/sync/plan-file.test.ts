import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isSyncError } from "../errors";
import type { ResourceTypeId } from "../resources/resource-type";
import { canonicalJson } from "../snapshot/canonical-json";
import type { JsonObject, JsonValue } from "../snapshot/pointer";
import type { SnapshotEntry } from "../snapshot/snapshot";
import { makePlan } from "./make-plan";
import type { Plan } from "./plan";
import { parsePlan, planDigest, readPlanFile, writePlanFile } from "./plan-file";
import type { Triple } from "./three-way";

function entry(
  type: ResourceTypeId,
  id: string,
  name: string,
  object: JsonObject = {},
  files: Record<string, string> = {},
): SnapshotEntry {
  return { type, id, name, object: { displayName: name, ...object }, files };
}

/** A plan with a create, an update, an assign, a delete, a stopped conflict and findings, as makePlan makes it. */
function samplePlan(): Plan {
  const staff = entry("entra.group", "g-1", "All staff");
  const assigned = (group: string) => ({
    assignments: [{ target: { groupId: { $ref: `entra.group["${group}"]`, id: "g-1" } } }],
  });
  const policy = entry("intune.compliancePolicy", "p-1", "Windows baseline", {
    passwordMinimumLength: 8,
    ...assigned("All staff"),
  });
  const profile = entry("intune.deviceConfiguration", "d-1", "Kiosk", {
    omaSettings: [{ value: { $secret: "/omaSettings/0/value", note: "kept" } }],
  });
  const script = entry(
    "intune.powerShellScript",
    "s-1",
    "Clean up",
    { scriptContent: { $file: ".ps1" } },
    { ".ps1": "Remove-Item C:\\Temp\\* -Recurse\n" },
  );
  const conflicted = entry("entra.namedLocation", "l-1", "Head office", { ipRanges: ["192.0.2.0/24"] });
  const triples: Triple[] = [
    { type: "entra.group", base: staff, repo: staff, tenant: staff },
    { type: "entra.group", repo: entry("entra.group", "", "Pilot") },
    {
      type: "intune.compliancePolicy",
      base: policy,
      repo: { ...policy, object: { ...policy.object, passwordMinimumLength: 12 } },
      tenant: policy,
    },
    {
      type: "intune.deviceConfiguration",
      base: profile,
      repo: { ...profile, object: { ...profile.object, ...assigned("Pilot") } },
      tenant: profile,
    },
    { type: "intune.powerShellScript", base: script, tenant: script },
    {
      type: "entra.namedLocation",
      base: conflicted,
      repo: { ...conflicted, object: { ...conflicted.object, ipRanges: ["198.51.100.0/24"] } },
      tenant: { ...conflicted, object: { ...conflicted.object, ipRanges: [] } },
    },
  ];
  const { plan } = makePlan({
    triples,
    tenantId: "contoso.onmicrosoft.com",
    createdAt: "2025-03-01T08:00:00.000Z",
    conflictPolicy: "stop",
    commits: { repo: "a".repeat(40), tenant: "b".repeat(40), base: "c".repeat(40) },
  });
  return plan;
}

function withTempDir(body: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), "plan-file-"));
  try {
    body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

type EditablePlan = { [k: string]: JsonValue } & { changes: JsonObject[] };

/** A plan's JSON as writePlanFile writes it (with its digest). */
function planText(plan: Plan): string {
  return JSON.stringify({ ...plan, digest: planDigest(plan) });
}

/** A valid plan's JSON with `edit` applied to it, its digest made again (so only the edit is wrong). */
function editedPlan(edit: (plan: EditablePlan) => void): string {
  const data = JSON.parse(JSON.stringify(samplePlan())) as EditablePlan;
  edit(data);
  return planText(data as unknown as Plan);
}

/** A valid plan's JSON edited after its digest was made (what a hand edit of plan.json gives). */
function tamperedPlan(edit: (plan: EditablePlan) => void): string {
  const data = JSON.parse(planText(samplePlan())) as EditablePlan;
  edit(data);
  return JSON.stringify(data);
}

const isPlanInvalid = (source: string) => (e: unknown) => {
  assert.ok(isSyncError(e), String(e));
  assert.equal(e.code, "plan.invalid");
  assert.ok(e.message.includes(source), `"${e.message}" does not name ${source}`);
  return true;
};

describe("writePlanFile", () => {
  it("writes the plan as canonical JSON, with its gate settings and the digest of the rest", () =>
    withTempDir((dir) => {
      const plan = samplePlan();
      const digest = writePlanFile(join(dir, "plan.json"), plan);
      assert.match(digest, /^sha256:[0-9a-f]{64}$/);
      assert.deepEqual(plan.gates, { massChangeThreshold: 0.05, massChangeMinimum: 3 });
      assert.equal(
        readFileSync(join(dir, "plan.json"), "utf8"),
        canonicalJson({ ...plan, digest } as unknown as JsonValue),
      );
    }));

  it("gives equal plans the same digest and different plans different ones", () => {
    const plan = samplePlan();
    assert.equal(planDigest(plan), planDigest(JSON.parse(JSON.stringify(plan)) as Plan));
    assert.equal(
      planDigest(plan),
      planDigest({ ...plan, digest: "sha256:whatever" }),
      "the digest does not cover itself",
    );
    assert.notEqual(planDigest(plan), planDigest({ ...plan, findings: [] }));
  });
});

describe("readPlanFile", () => {
  it("reads back exactly the plan that was written", () =>
    withTempDir((dir) => {
      const plan = samplePlan();
      assert.deepEqual(
        plan.changes.map((c) => c.action),
        ["create", "update", "assign", "delete"],
      );
      assert.deepEqual(
        plan.findings.map((f) => f.kind),
        ["delete", "conflict"],
      );
      const digest = writePlanFile(join(dir, "plan.json"), plan);
      assert.deepEqual(readPlanFile(join(dir, "plan.json")), { ...plan, digest });
    }));

  it("refuses a file it cannot read, naming the path", () =>
    withTempDir((dir) => {
      const path = join(dir, "missing", "plan.json");
      assert.throws(() => readPlanFile(path), isPlanInvalid(path));
    }));

  it("refuses a file that is not a plan, naming the path", () =>
    withTempDir((dir) => {
      const path = join(dir, "plan.json");
      writeFileSync(path, '{"formatVersion": 1, "tenantId": "contoso.onmicrosoft.com"');
      assert.throws(() => readPlanFile(path), isPlanInvalid(path));
    }));
});

describe("parsePlan", () => {
  const source = "artifacts/plan/plan.json";

  it("accepts the plan makePlan made", () => {
    const plan = samplePlan();
    assert.deepEqual(parsePlan(planText(plan), source), { ...plan, digest: planDigest(plan) });
  });

  it("accepts an empty plan", () => {
    const text = editedPlan((p) => {
      p.changes = [];
      p.conflicts = [];
      p.findings = [];
    });
    assert.deepEqual(parsePlan(text, source).changes, []);
  });

  const invalid: Record<string, string> = {
    "refuses text that is not JSON": '{"formatVersion": 1,',
    "refuses an empty file": "",
    "refuses JSON that is not an object": "42",
    "refuses null": "null",
    "refuses an array": "[]",
    "refuses another format version": editedPlan((p) => {
      p.formatVersion = 2;
    }),
    "refuses a format version written as text": editedPlan((p) => {
      p.formatVersion = "1";
    }),
    "refuses a plan without a format version": editedPlan((p) => {
      delete p.formatVersion;
    }),
    "refuses a plan without a tenant id": editedPlan((p) => {
      delete p.tenantId;
    }),
    "refuses a plan whose changes are not a list": editedPlan((p) => {
      p.changes = {} as unknown as JsonObject[];
    }),
    "refuses a plan without conflicts": editedPlan((p) => {
      delete p.conflicts;
    }),
    "refuses a plan without findings": editedPlan((p) => {
      delete p.findings;
    }),
    "refuses a plan without a digest": JSON.stringify(samplePlan()),
    "refuses a digest that is not sha256": editedPlan(() => undefined).replace(/"digest":"sha256:/, '"digest":"md5:'),
    "refuses gate settings that are not numbers": editedPlan((p) => {
      p.gates = { massChangeThreshold: "5%", massChangeMinimum: 3 };
    }),
    "refuses a mass threshold over 1": editedPlan((p) => {
      p.gates = { massChangeThreshold: 5, massChangeMinimum: 3 };
    }),
    "refuses a change that is null": editedPlan((p) => {
      p.changes[0] = null as unknown as JsonObject;
    }),
    "refuses a change with an unknown action": editedPlan((p) => {
      p.changes[0].action = "replace";
    }),
    "refuses a change of an unknown resource type": editedPlan((p) => {
      p.changes[0].type = "intune.widget";
    }),
    "refuses a change without an address": editedPlan((p) => {
      delete p.changes[0].address;
    }),
    "refuses an update without a fingerprint": editedPlan((p) => {
      delete p.changes.find((c) => c.action === "update")!.fingerprint;
    }),
    "refuses an update without a tenant id": editedPlan((p) => {
      delete p.changes.find((c) => c.action === "update")!.tenantId;
    }),
    "refuses an assign without a fingerprint": editedPlan((p) => {
      delete p.changes.find((c) => c.action === "assign")!.fingerprint;
    }),
    "refuses a delete without a fingerprint": editedPlan((p) => {
      delete p.changes.find((c) => c.action === "delete")!.fingerprint;
    }),
    "refuses a create without the object to create": editedPlan((p) => {
      delete p.changes.find((c) => c.action === "create")!.after;
    }),
    "refuses any write of a backup-only type (a plan made by hand, or before the type was restricted)": editedPlan(
      (p) => {
        p.changes.find((c) => c.action === "update")!.type = "intune.applePushNotificationCertificate";
      },
    ),
    "refuses a create of a type the service only lets Tenant Sync update": editedPlan((p) => {
      p.changes.find((c) => c.action === "create")!.type = "intune.vppToken";
    }),
    "refuses an update without the object to update to": editedPlan((p) => {
      delete (p.changes.find((c) => c.action === "update")!.after as JsonObject).object;
    }),
  };
  for (const [name, text] of Object.entries(invalid)) {
    it(`${name} as plan.invalid, naming the source`, () =>
      assert.throws(() => parsePlan(text, source), isPlanInvalid(source)));
  }

  const tampered: Record<string, string> = {
    "findings removed": tamperedPlan((p) => {
      p.findings = [];
    }),
    "a tenant count raised": tamperedPlan((p) => {
      p.tenantCounts = { "intune.compliancePolicy": 1000 };
    }),
    "the mass threshold raised": tamperedPlan((p) => {
      p.gates = { massChangeThreshold: 1, massChangeMinimum: 3 };
    }),
    "a change's target edited": tamperedPlan((p) => {
      (p.changes[0].after as JsonObject).object = { displayName: "Other" };
    }),
    "a change removed": tamperedPlan((p) => {
      p.changes.pop();
    }),
    "the digest of another plan": tamperedPlan((p) => {
      p.digest = planDigest({ ...samplePlan(), createdAt: "2030-01-01T00:00:00.000Z" });
    }),
  };
  for (const [name, text] of Object.entries(tampered)) {
    it(`refuses a plan edited after it was made (${name}) as plan.invalid, saying so`, () =>
      assert.throws(
        () => parsePlan(text, source),
        (e: unknown) => {
          assert.ok(isPlanInvalid(source)(e) && isSyncError(e));
          assert.match(e.message, /was changed after it was made: its content no longer matches its digest/);
          assert.match(String(e.detail.hint), /Make a new plan/);
          return true;
        },
      ));
  }

  it("names the change that has no fingerprint", () => {
    const text = editedPlan((p) => {
      delete p.changes.find((c) => c.action === "update")!.fingerprint;
    });
    assert.throws(
      () => parsePlan(text, source),
      (e: unknown) => isSyncError(e) && e.message.includes('intune.compliancePolicy["Windows baseline"]'),
    );
  });

  it("tells the user what to do next", () => {
    assert.throws(
      () => parsePlan("{", source),
      (e: unknown) => isSyncError(e) && typeof e.detail.hint === "string" && e.detail.hint.length > 0,
    );
  });
});
