import assert from "node:assert/strict";
import { getResourceType } from "../resources/registry";
import type { ResourceTypeId } from "../resources/resource-type";
import { fingerprintOf } from "../snapshot/fingerprint";
import type { JsonObject } from "../snapshot/pointer";
import type { SnapshotEntry } from "../snapshot/snapshot";
import type { GateOptions } from "./gates";
import { type ConflictPolicy, type Import, makePlan, orderChanges } from "./make-plan";
import { type Action, type Change, type Conflict, type PlannedObject, unconfirmedFindings } from "./plan";
import type { Triple } from "./three-way";

const tenantId = "contoso.onmicrosoft.com";
const createdAt = "2025-03-01T08:00:00.000Z";

function entry(
  type: ResourceTypeId,
  id: string,
  name: string,
  object: JsonObject = {},
  files: Record<string, string> = {},
): SnapshotEntry {
  return { type, id, name, object: { displayName: name, ...object }, files };
}

const planned = (e: SnapshotEntry): PlannedObject => ({ object: e.object, files: e.files });
const fingerprint = (e: SnapshotEntry) => fingerprintOf(e.object, e.files);
const triple = (sides: Omit<Triple, "type"> & { type?: ResourceTypeId }): Triple => ({
  type: (sides.base ?? sides.repo ?? sides.tenant)!.type,
  ...sides,
});

function plan(triples: Triple[], conflictPolicy: ConflictPolicy = "stop", gates?: GateOptions) {
  return makePlan({ triples, tenantId, createdAt, conflictPolicy, gates });
}

const groupRef = (name: string, id: string): JsonObject => ({ $ref: `entra.group[${JSON.stringify(name)}]`, id });
const assignedTo = (name: string, id: string) => [
  { target: { "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupId: groupRef(name, id) } },
];

/** One compliance policy in several versions. */
function baseline(passwordMinimumLength: number, extra: JsonObject = {}, name = "Windows baseline"): SnapshotEntry {
  return entry("intune.compliancePolicy", "p-1", name, {
    "@odata.type": "#microsoft.graph.windows10CompliancePolicy",
    passwordMinimumLength,
    assignments: assignedTo("All staff", "g-1"),
    ...extra,
  });
}

const policyAddress = 'intune.compliancePolicy["Windows baseline"]';

describe("makePlan", () => {
  describe("drift", () => {
    const cases: Record<string, { t: Triple; want: Import[] }> = {};
    {
      const [base, tenant] = [baseline(8), baseline(12)];
      cases["imports an object changed in the tenant instead of planning a change"] = {
        t: triple({ base, repo: base, tenant }),
        want: [{ type: "intune.compliancePolicy", address: policyAddress, reason: "drift", tenant, repo: base }],
      };
    }
    {
      const base = baseline(8);
      cases["imports the delete of an object deleted in the tenant"] = {
        t: triple({ base, repo: base }),
        want: [
          { type: "intune.compliancePolicy", address: policyAddress, reason: "drift", tenant: undefined, repo: base },
        ],
      };
    }
    {
      const tenant = entry("entra.group", "g-5", "Made in the portal");
      cases["imports an object created in the tenant"] = {
        t: triple({ tenant }),
        want: [
          {
            type: "entra.group",
            address: 'entra.group["Made in the portal"]',
            reason: "drift",
            tenant,
            repo: undefined,
          },
        ],
      };
    }
    for (const [name, c] of Object.entries(cases)) {
      it(name, () => {
        const { plan: p, imports } = plan([c.t]);
        assert.deepEqual(imports, c.want);
        assert.deepEqual(p.changes, []);
        assert.deepEqual(p.conflicts, []);
        assert.deepEqual(p.findings, []);
      });
    }
  });

  describe("repo changes", () => {
    const cases: Record<string, () => { t: Triple; want: Change[] }> = {
      "creates an object only the repo has, without tenant id or fingerprint": () => {
        const repo = entry("entra.group", "", "Pilot", {
          securityEnabled: true,
          mailEnabled: false,
          mailNickname: "pilot",
        });
        return {
          t: triple({ repo }),
          want: [
            {
              address: 'entra.group["Pilot"]',
              type: "entra.group",
              name: "Pilot",
              action: "create",
              after: planned(repo),
              fields: [{ path: "", after: repo.object }],
            },
          ],
        };
      },
      "updates an object changed in the repo, with the tenant's fingerprint, both versions and the fields": () => {
        const [base, repo] = [baseline(8), baseline(12)];
        return {
          t: triple({ base, repo, tenant: base }),
          want: [
            {
              address: policyAddress,
              type: "intune.compliancePolicy",
              name: "Windows baseline",
              action: "update",
              tenantId: "p-1",
              fingerprint: fingerprint(base),
              before: planned(base),
              after: planned(repo),
              fields: [{ path: "/passwordMinimumLength", before: 8, after: 12 }],
            },
          ],
        };
      },
      "updates a renamed object under its new name": () => {
        const [base, repo] = [baseline(8, {}, "Old name"), baseline(8, {}, "New name")];
        return {
          t: triple({ base, repo, tenant: base }),
          want: [
            {
              address: 'intune.compliancePolicy["New name"]',
              type: "intune.compliancePolicy",
              name: "New name",
              action: "update",
              tenantId: "p-1",
              fingerprint: fingerprint(base),
              before: planned(base),
              after: planned(repo),
              fields: [{ path: "/displayName", before: "Old name", after: "New name" }],
            },
          ],
        };
      },
      "assigns when only the assignments differ": () => {
        const [base, repo] = [baseline(8), baseline(8, { assignments: assignedTo("Pilot", "g-2") })];
        return {
          t: triple({ base, repo, tenant: base }),
          want: [
            {
              address: policyAddress,
              type: "intune.compliancePolicy",
              name: "Windows baseline",
              action: "assign",
              tenantId: "p-1",
              fingerprint: fingerprint(base),
              before: planned(base),
              after: planned(repo),
              fields: [
                {
                  path: "/assignments/0/target/groupId",
                  before: groupRef("All staff", "g-1"),
                  after: groupRef("Pilot", "g-2"),
                },
              ],
            },
          ],
        };
      },
      "assigns when only the number of assignments differs": () => {
        const [base, repo] = [baseline(8), baseline(8, { assignments: [] })];
        return {
          t: triple({ base, repo, tenant: base }),
          want: [
            {
              address: policyAddress,
              type: "intune.compliancePolicy",
              name: "Windows baseline",
              action: "assign",
              tenantId: "p-1",
              fingerprint: fingerprint(base),
              before: planned(base),
              after: planned(repo),
              fields: [{ path: "/assignments", before: assignedTo("All staff", "g-1"), after: [] }],
            },
          ],
        };
      },
      "updates when settings and assignments both differ": () => {
        const [base, repo] = [baseline(8), baseline(12, { assignments: [] })];
        return {
          t: triple({ base, repo, tenant: base }),
          want: [
            {
              address: policyAddress,
              type: "intune.compliancePolicy",
              name: "Windows baseline",
              action: "update",
              tenantId: "p-1",
              fingerprint: fingerprint(base),
              before: planned(base),
              after: planned(repo),
              fields: [
                { path: "/assignments", before: assignedTo("All staff", "g-1"), after: [] },
                { path: "/passwordMinimumLength", before: 8, after: 12 },
              ],
            },
          ],
        };
      },
      "updates a script whose file changed, fingerprinting the file too": () => {
        const base = entry(
          "intune.powerShellScript",
          "s-1",
          "Clean up",
          { runAsAccount: "system" },
          { ".ps1": "Remove-Item C:\\Temp\\*\n" },
        );
        const repo = entry(
          "intune.powerShellScript",
          "s-1",
          "Clean up",
          { runAsAccount: "system" },
          { ".ps1": "Remove-Item C:\\Temp\\* -Recurse\n" },
        );
        return {
          t: triple({ base, repo, tenant: base }),
          want: [
            {
              address: 'intune.powerShellScript["Clean up"]',
              type: "intune.powerShellScript",
              name: "Clean up",
              action: "update",
              tenantId: "s-1",
              fingerprint: fingerprint(base),
              before: planned(base),
              after: planned(repo),
              fields: [
                {
                  path: "/$files/.ps1",
                  before: "Remove-Item C:\\Temp\\*\n",
                  after: "Remove-Item C:\\Temp\\* -Recurse\n",
                },
              ],
            },
          ],
        };
      },
      "deletes an object removed from the repo, with the tenant's id, fingerprint and version": () => {
        const base = baseline(8);
        return {
          t: triple({ base, tenant: base }),
          want: [
            {
              address: policyAddress,
              type: "intune.compliancePolicy",
              name: "Windows baseline",
              action: "delete",
              tenantId: "p-1",
              fingerprint: fingerprint(base),
              before: planned(base),
              fields: [],
            },
          ],
        };
      },
      "plans nothing for an object that is the same everywhere": () => {
        const base = baseline(8);
        return { t: triple({ base, repo: base, tenant: base }), want: [] };
      },
      "plans nothing when a reference differs only by the tenant id beside it": () => {
        const [base, repo] = [
          baseline(8),
          baseline(8, { assignments: assignedTo("All staff", "g-from-another-tenant") }),
        ];
        return { t: triple({ base, repo, tenant: base }), want: [] };
      },
    };
    for (const [name, make] of Object.entries(cases)) {
      it(name, () => {
        const c = make();
        const { plan: p, imports } = plan([c.t]);
        assert.deepEqual(p.changes, c.want);
        assert.deepEqual(imports, []);
        assert.deepEqual(p.conflicts, []);
      });
    }

    it("fingerprints the tenant's version, which deploy compares against", () => {
      const [base, repo] = [baseline(8), baseline(12)];
      const [change] = plan([triple({ base, repo, tenant: base })]).plan.changes;
      assert.equal(change.fingerprint, fingerprintOf(base.object, base.files));
      assert.notEqual(change.fingerprint, fingerprintOf(repo.object, repo.files));
      assert.match(change.fingerprint!, /^sha256:[0-9a-f]{64}$/);
    });
  });

  describe("conflicts", () => {
    const [base, repo, tenant] = [baseline(8), baseline(12), baseline(10)];
    const allStaff = entry("entra.group", "g-1", "All staff");
    // The policy is assigned to "All staff", which the tenant has.
    const triples = [triple({ base, repo, tenant }), triple({ base: allStaff, repo: allStaff, tenant: allStaff })];
    const conflict = (resolution: Conflict["resolution"]): Conflict => ({
      address: policyAddress,
      type: "intune.compliancePolicy",
      resolution,
      repo: planned(repo),
      tenant: planned(tenant),
      fields: [{ path: "/passwordMinimumLength", before: 10, after: 12 }],
    });
    const update: Change = {
      address: policyAddress,
      type: "intune.compliancePolicy",
      name: "Windows baseline",
      action: "update",
      tenantId: "p-1",
      fingerprint: fingerprint(tenant),
      before: planned(tenant),
      after: planned(repo),
      fields: [{ path: "/passwordMinimumLength", before: 10, after: 12 }],
    };
    const cases: Record<
      string,
      { policy: ConflictPolicy; changes: Change[]; imports: Import[]; conflicts: Conflict[]; findings: string[] }
    > = {
      "under stop, lists the conflict with both versions, changes nothing and blocks the plan": {
        policy: "stop",
        changes: [],
        imports: [],
        conflicts: [conflict("stopped")],
        findings: ["conflict"],
      },
      "under repo-wins, updates the tenant to the repo's version and lists the conflict": {
        policy: "repo-wins",
        changes: [update],
        imports: [],
        conflicts: [conflict("repoWins")],
        findings: [],
      },
      "under tenant-wins, imports the tenant's version and lists the conflict": {
        policy: "tenant-wins",
        changes: [],
        imports: [{ type: "intune.compliancePolicy", address: policyAddress, reason: "tenantWins", tenant, repo }],
        conflicts: [conflict("tenantWins")],
        findings: [],
      },
    };
    for (const [name, c] of Object.entries(cases)) {
      it(name, () => {
        const { plan: p, imports } = plan(triples, c.policy);
        assert.deepEqual(p.changes, c.changes);
        assert.deepEqual(imports, c.imports);
        assert.deepEqual(p.conflicts, c.conflicts);
        assert.deepEqual(
          p.findings.map((f) => f.kind),
          c.findings,
        );
      });
    }

    it("under repo-wins, deletes an object the repo deleted and the tenant changed", () => {
      const { plan: p } = plan([triple({ base, tenant })], "repo-wins");
      assert.deepEqual(
        p.changes.map((c) => [c.action, c.address, c.fingerprint]),
        [["delete", policyAddress, fingerprint(tenant)]],
      );
      assert.deepEqual(
        p.conflicts.map((c) => [c.resolution, c.repo, c.tenant]),
        [["repoWins", undefined, planned(tenant)]],
      );
    });

    it("under repo-wins, creates again an object the repo changed and the tenant deleted", () => {
      const { plan: p } = plan([triple({ base, repo })], "repo-wins");
      assert.deepEqual(
        p.changes.map((c) => [c.action, c.address, c.tenantId]),
        [["create", policyAddress, undefined]],
      );
    });
  });

  it("returns the changes in apply order, creates before what refers to them and deletes last", () => {
    const pilot = entry("entra.group", "", "Pilot");
    const legacyGroup = entry("entra.group", "g-9", "Legacy");
    const newPolicy = entry("intune.compliancePolicy", "", "Pilot baseline", {
      assignments: assignedTo("Pilot", "g-2"),
    });
    const oldPolicy = entry("intune.compliancePolicy", "p-9", "Old baseline");
    const oldFilter = entry("intune.assignmentFilter", "f-9", "Old filter");
    const { plan: p } = plan([
      triple({ base: legacyGroup, tenant: legacyGroup }),
      triple({ repo: newPolicy }),
      triple({ base: oldFilter, tenant: oldFilter }),
      triple({ base: oldPolicy, tenant: oldPolicy }),
      triple({ repo: pilot }),
    ]);
    assert.deepEqual(
      p.changes.map((c) => `${c.action} ${c.address}`),
      [
        'create entra.group["Pilot"]',
        'create intune.compliancePolicy["Pilot baseline"]',
        'delete intune.compliancePolicy["Old baseline"]',
        'delete intune.assignmentFilter["Old filter"]',
        'delete entra.group["Legacy"]',
      ],
    );
    // The policy's reference to the group the plan creates first is not missing.
    assert.deepEqual(
      p.findings.map((f) => f.kind),
      ["delete"],
    );
  });

  it("counts changes per type and action, and tenant objects per type", () => {
    const groups = ["A", "B", "C"].map((n, i) => entry("entra.group", `g-${i}`, n));
    const policy = baseline(8);
    const { plan: p } = plan([
      triple({ base: groups[0], repo: groups[0], tenant: groups[0] }),
      triple({ base: groups[1], tenant: groups[1] }),
      triple({
        base: groups[2],
        repo: { ...groups[2], object: { ...groups[2].object, description: "new" } },
        tenant: groups[2],
      }),
      triple({ repo: entry("entra.group", "", "D") }),
      triple({ base: policy, repo: baseline(8, { assignments: [] }), tenant: policy }),
      triple({ tenant: entry("intune.assignmentFilter", "f-1", "Drifted in") }),
    ]);
    assert.deepEqual(p.counts, {
      "entra.group": { create: 1, update: 1, delete: 1 },
      "intune.compliancePolicy": { assign: 1 },
    });
    assert.deepEqual(p.tenantCounts, { "entra.group": 3, "intune.compliancePolicy": 1, "intune.assignmentFilter": 1 });
  });

  it("records the tenant, the time and the commits it was given", () => {
    const { plan: p } = makePlan({
      triples: [],
      tenantId,
      createdAt,
      conflictPolicy: "stop",
      commits: { repo: "a".repeat(40), tenant: "b".repeat(40), base: "c".repeat(40) },
    });
    assert.deepEqual(p, {
      formatVersion: 1,
      tenantId,
      createdAt,
      repoCommit: "a".repeat(40),
      tenantCommit: "b".repeat(40),
      baseCommit: "c".repeat(40),
      changes: [],
      conflicts: [],
      findings: [],
      tenantCounts: {},
      counts: {},
      gates: { massChangeThreshold: 0.05, massChangeMinimum: 3 },
    });
  });

  it("applies the gate options it is given", () => {
    const groups = ["A", "B"].map((n, i) => entry("entra.group", `g-${i}`, n));
    const triples = groups.map((g) =>
      triple({ base: g, repo: { ...g, object: { ...g.object, description: "new" } }, tenant: g }),
    );
    assert.deepEqual(plan(triples).plan.findings, []);
    assert.deepEqual(
      plan(triples, "stop", { massChangeThreshold: 0.5, massChangeMinimum: 1 }).plan.findings.map((f) => f.kind),
      ["mass"],
    );
  });
});

describe("orderChanges", () => {
  const change = (action: Action, type: ResourceTypeId, name: string): Change => ({
    address: `${type}[${JSON.stringify(name)}]`,
    type,
    name,
    action,
    fields: [],
  });
  const cases: Record<string, { given: Change[]; want: string[] }> = {
    "orders an entra.group create before an intune.compliancePolicy create that references it": {
      given: [change("create", "intune.compliancePolicy", "Pilot baseline"), change("create", "entra.group", "Pilot")],
      want: ['create entra.group["Pilot"]', 'create intune.compliancePolicy["Pilot baseline"]'],
    },
    "orders a filter before the settings catalog policies that reference it": {
      given: [
        change("update", "intune.settingsCatalogPolicy", "Edge"),
        change("create", "intune.assignmentFilter", "Corporate devices"),
      ],
      want: ['create intune.assignmentFilter["Corporate devices"]', 'update intune.settingsCatalogPolicy["Edge"]'],
    },
    "orders a named location before the conditional access policies that reference it": {
      given: [
        change("create", "entra.conditionalAccessPolicy", "Block legacy auth"),
        change("update", "entra.namedLocation", "Head office"),
      ],
      want: ['update entra.namedLocation["Head office"]', 'create entra.conditionalAccessPolicy["Block legacy auth"]'],
    },
    "puts deletes after every create, update and assign, in reverse dependency order": {
      given: [
        change("delete", "entra.group", "Legacy"),
        change("assign", "intune.compliancePolicy", "Windows baseline"),
        change("delete", "intune.assignmentFilter", "Old filter"),
        change("delete", "intune.compliancePolicy", "Old baseline"),
        change("create", "entra.group", "Pilot"),
      ],
      want: [
        'create entra.group["Pilot"]',
        'assign intune.compliancePolicy["Windows baseline"]',
        'delete intune.compliancePolicy["Old baseline"]',
        'delete intune.assignmentFilter["Old filter"]',
        'delete entra.group["Legacy"]',
      ],
    },
    "orders the changes of one type by name, whatever their action": {
      given: [
        change("update", "entra.group", "b"),
        change("create", "entra.group", "C"),
        change("assign", "entra.group", "A"),
      ],
      want: ['assign entra.group["A"]', 'create entra.group["C"]', 'update entra.group["b"]'],
    },
    "orders deletes of one type by name": {
      given: [change("delete", "entra.group", "Z"), change("delete", "entra.group", "M")],
      want: ['delete entra.group["M"]', 'delete entra.group["Z"]'],
    },
    "puts a create after the rename that frees its name, though its name sorts first": {
      given: [
        { ...change("update", "entra.group", "Z renamed"), before: { object: { displayName: "A" }, files: {} } },
        change("create", "entra.group", "A"),
      ],
      want: ['update entra.group["Z renamed"]', 'create entra.group["A"]'],
    },
    "returns nothing for no changes": { given: [], want: [] },
  };
  for (const [name, c] of Object.entries(cases)) {
    it(name, () =>
      assert.deepEqual(
        orderChanges(c.given).map((x) => `${x.action} ${x.address}`),
        c.want,
      ),
    );
  }

  it("leaves the list it is given as it was", () => {
    const given = [change("delete", "entra.group", "Legacy"), change("create", "entra.group", "Pilot")];
    const copy = [...given];
    orderChanges(given);
    assert.deepEqual(given, copy);
  });
});

describe("makePlan with createMissingGroups", () => {
  const policy = (groups: string[]) =>
    entry("intune.compliancePolicy", "", "Windows baseline", {
      "@odata.type": "#microsoft.graph.windows10CompliancePolicy",
      displayName: "Windows baseline",
      assignments: groups.map((g) => ({
        target: { "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupId: groupRef(g, "id-elsewhere") },
      })),
    });
  const existing = entry("entra.group", "g-1", "Existing");

  it("plans a plain security group for each referenced group the tenant lacks, before what refers to it", () => {
    const triples = [
      triple({ repo: policy(["Missing", "Existing"]) }),
      triple({ base: existing, repo: existing, tenant: existing }),
    ];
    const { plan: result } = makePlan({
      triples,
      tenantId,
      createdAt,
      conflictPolicy: "stop",
      createMissingGroups: true,
    });
    assert.deepEqual(
      result.changes.map((c) => `${c.action} ${c.address}`),
      ['create entra.group["Missing"]', `create ${policyAddress}`],
    );
    assert.deepEqual(result.changes[0].after?.object, {
      displayName: "Missing",
      description: "Created by Tenant Sync: referenced by the configuration, missing in the tenant. Add members.",
      mailEnabled: false,
      mailNickname: "Missing",
      securityEnabled: true,
      groupTypes: [],
    });
    assert.equal(result.findings.filter((f) => f.kind === "missingReference").length, 0);
  });

  it("reports the missing group as a blocking finding when not configured", () => {
    const { plan: result } = makePlan({
      triples: [triple({ repo: policy(["Missing"]) })],
      knownTypes: ["intune.compliancePolicy", "entra.group"],
      tenantId,
      createdAt,
      conflictPolicy: "stop",
    });
    assert.deepEqual(
      result.changes.map((c) => c.action),
      ["create"],
    );
    assert.match(
      result.findings.find((f) => f.kind === "missingReference")?.message ?? "",
      /entra\.group\["Missing"\]/,
    );
  });
});

describe("makePlan: writes the service leaves to a person", () => {
  const vppType = getResourceType("intune.vppToken");
  const vpp = (automaticallyUpdateApps: boolean, name = "Contoso Ltd - Redmond", id = "v-1") =>
    entry("intune.vppToken", id, name, { locationName: name, automaticallyUpdateApps, countryOrRegion: "us" });
  const apns = (appleIdentifier: string) =>
    entry("intune.applePushNotificationCertificate", "apns-1", "Apple MDM push certificate", { appleIdentifier });
  const refusedOf = (p: ReturnType<typeof plan>["plan"]) => p.findings.filter((f) => f.kind === "refusedWrite");

  it("plans the update of a type that may only be updated, as any other", () => {
    const [base, repo] = [vpp(false), vpp(true)];
    const { plan: p } = plan([triple({ base, repo, tenant: base })]);
    assert.deepEqual(
      p.changes.map((c) => [c.action, c.address]),
      [["update", 'intune.vppToken["Contoso Ltd - Redmond"]']],
    );
    assert.deepEqual(refusedOf(p), []);
  });

  it("leaves a create out of the changes and records it as refused, with why and what to do instead", () => {
    const repo = vpp(true, "Contoso Ltd - Oslo", "");
    const { plan: p } = plan([triple({ repo })]);
    assert.deepEqual(p.changes, []);
    assert.deepEqual(p.counts, {});
    assert.deepEqual(refusedOf(p), [
      {
        kind: "refusedWrite",
        addresses: ['intune.vppToken["Contoso Ltd - Oslo"]'],
        message: `intune.vppToken["Contoso Ltd - Oslo"] is not deployed: Tenant Sync cannot create this object (Apple VPP token): ${vppType.writes!.why} Instead, ${vppType.writes!.instead}`,
        refused: {
          action: "create",
          why: vppType.writes!.why,
          instead: vppType.writes!.instead,
          fields: [{ path: "", after: repo.object }],
        },
      },
    ]);
    assert.deepEqual(unconfirmedFindings(p, []), { needsConfirmation: [], blocking: [] });
  });

  it("leaves a delete out: no delete to confirm, a refused delete instead", () => {
    const base = vpp(true);
    const { plan: p } = plan([triple({ base, tenant: base })]);
    assert.deepEqual(p.changes, []);
    assert.deepEqual(
      p.findings.map((f) => [f.kind, f.refused?.action, f.refused?.fields]),
      [["refusedWrite", "delete", []]],
    );
  });

  it("refuses every write of a backup-only type, naming the settings the repository wants changed", () => {
    const [base, repo] = [apns("it@contoso.com"), apns("apple@contoso.com")];
    const { plan: p } = plan([triple({ base, repo, tenant: base })]);
    assert.deepEqual(p.changes, []);
    const [refused] = refusedOf(p);
    assert.equal(refused.refused?.action, "update");
    assert.deepEqual(refused.refused?.fields, [
      { path: "/appleIdentifier", before: "it@contoso.com", after: "apple@contoso.com" },
    ]);
    assert.match(
      refused.message,
      /^intune\.applePushNotificationCertificate\["Apple MDM push certificate"\] is not deployed: Tenant Sync cannot update/,
    );
  });

  it("keeps the other changes of the plan, and their gates, beside a refused write", () => {
    const [vBase, vRepo] = [vpp(true), vpp(true, "Contoso Ltd - Oslo", "")];
    const [pBase, pRepo] = [baseline(8), baseline(12)];
    const { plan: p } = plan([
      triple({ base: vBase, tenant: vBase }),
      triple({ repo: vRepo }),
      triple({ base: pBase, repo: pRepo, tenant: pBase }),
    ]);
    assert.deepEqual(
      p.changes.map((c) => [c.action, c.address]),
      [["update", policyAddress]],
    );
    assert.deepEqual(
      refusedOf(p).map((f) => [f.refused?.action, f.addresses[0]]),
      [
        ["delete", 'intune.vppToken["Contoso Ltd - Redmond"]'],
        ["create", 'intune.vppToken["Contoso Ltd - Oslo"]'],
      ],
    );
    assert.ok(!p.findings.some((f) => f.kind === "delete"), "a refused delete needs no confirmation");
  });
});
