import assert from "node:assert/strict";
import type { ResourceTypeId } from "../resources/resource-type";
import type { JsonObject, JsonValue } from "../snapshot/pointer";
import { defaultGateOptions, gateFindings, type GateOptions, missingReferences, type ReferenceScope } from "./gates";
import type { Action, Change, Conflict, FieldChange, GateFinding } from "./plan";

const addressOf = (type: ResourceTypeId, name: string) => `${type}[${JSON.stringify(name)}]`;
const ref = (type: ResourceTypeId, name: string, id = "id-1"): JsonObject => ({ $ref: addressOf(type, name), id });

/** A change to `object` (for a delete: of it); fields default to what the action usually carries. */
function change(
  action: Action,
  type: ResourceTypeId,
  name: string,
  o: { object?: JsonObject; fields?: FieldChange[] } = {},
): Change {
  const object = o.object ?? { displayName: name };
  return {
    address: addressOf(type, name),
    type,
    name,
    action,
    ...(action === "create" ? {} : { tenantId: `${name}-id`, fingerprint: "sha256:0" }),
    ...(action === "delete" ? { before: { object, files: {} } } : { after: { object, files: {} } }),
    fields:
      o.fields ??
      (action === "create"
        ? [{ path: "", after: object }]
        : action === "delete"
          ? []
          : [{ path: "/description", before: "a", after: "b" }]),
  };
}

/** A compliance policy assigned to the given group. */
const policyFor = (action: Action, name: string, group: string) =>
  change(action, "intune.compliancePolicy", name, {
    object: { displayName: name, assignments: [{ target: { groupId: ref("entra.group", group) } }] },
  });

const scope = (names: Partial<Record<ResourceTypeId, string[]>>): ReferenceScope => ({
  tenantNames: new Map(Object.entries(names).map(([type, list]) => [type as ResourceTypeId, new Set(list)])),
});
const noScope = scope({});

/** Findings without their wording: tests assert what is found, not how it is phrased. */
const kinds = (findings: GateFinding[]) => findings.map(({ message: _message, ...rest }) => rest);

describe("gateFindings", () => {
  it("finds nothing in a plan of ordinary updates", () => {
    const changes = [change("update", "entra.group", "A"), change("assign", "intune.compliancePolicy", "B")];
    assert.deepEqual(gateFindings(changes, [], { "entra.group": 100, "intune.compliancePolicy": 100 }, noScope), []);
  });

  it("needs 'deletes' for every delete, listing them all in one finding", () => {
    const changes = [
      change("update", "entra.group", "Kept"),
      change("delete", "entra.group", "Old"),
      change("delete", "intune.assignmentFilter", "Legacy"),
    ];
    assert.deepEqual(
      kinds(gateFindings(changes, [], { "entra.group": 100, "intune.assignmentFilter": 100 }, noScope)),
      [{ kind: "delete", confirm: "deletes", addresses: ['entra.group["Old"]', 'intune.assignmentFilter["Legacy"]'] }],
    );
  });

  it("names the deleted objects in the delete finding", () => {
    const [finding] = gateFindings([change("delete", "entra.group", "Old")], [], { "entra.group": 100 }, noScope);
    assert.match(finding.message, /entra\.group\["Old"\]/);
  });

  describe("mass changes", () => {
    const cases: Record<string, { changed: number; total: number; options?: GateOptions; isMass: boolean }> = {
      "4 of 10 changed is mass at the 5% threshold": { changed: 4, total: 10, isMass: true },
      "3 of 10 changed is not mass with the minimum of 3": { changed: 3, total: 10, isMass: false },
      "4 of 100 changed is under the 5% threshold": { changed: 4, total: 100, isMass: false },
      "5 of 100 changed is at the threshold, not over it": { changed: 5, total: 100, isMass: false },
      "6 of 100 changed is over the threshold": { changed: 6, total: 100, isMass: true },
      "4 creates in a type the tenant has none of are mass": { changed: 4, total: 0, isMass: true },
      "1 of 10 changed is mass with a minimum of 0": {
        changed: 1,
        total: 10,
        options: { massChangeThreshold: 0.05, massChangeMinimum: 0 },
        isMass: true,
      },
      "4 of 10 changed is not mass at a 50% threshold": {
        changed: 4,
        total: 10,
        options: { massChangeThreshold: 0.5, massChangeMinimum: 3 },
        isMass: false,
      },
    };
    for (const [name, c] of Object.entries(cases)) {
      it(name, () => {
        const changes = Array.from({ length: c.changed }, (_, i) =>
          change("update", "intune.compliancePolicy", `Policy ${i}`),
        );
        const findings = gateFindings(
          changes,
          [],
          { "intune.compliancePolicy": c.total },
          noScope,
          c.options ?? defaultGateOptions,
        );
        assert.deepEqual(
          kinds(findings),
          c.isMass ? [{ kind: "mass", confirm: "mass", addresses: changes.map((x) => x.address) }] : [],
        );
      });
    }

    it("counts each type against its own objects", () => {
      const changes = [
        ...Array.from({ length: 4 }, (_, i) => change("update", "entra.group", `Group ${i}`)),
        ...Array.from({ length: 4 }, (_, i) => change("update", "intune.compliancePolicy", `Policy ${i}`)),
      ];
      const findings = gateFindings(changes, [], { "entra.group": 1000, "intune.compliancePolicy": 10 }, noScope);
      assert.deepEqual(
        findings.map((f) => [f.kind, f.addresses.length, f.addresses[0]]),
        [["mass", 4, 'intune.compliancePolicy["Policy 0"]']],
      );
    });

    it("counts creates and deletes as changes too", () => {
      const changes = [
        change("create", "entra.group", "A"),
        change("update", "entra.group", "B"),
        change("assign", "entra.group", "C"),
        change("delete", "entra.group", "D"),
      ];
      assert.deepEqual(
        gateFindings(changes, [], { "entra.group": 10 }, noScope).map((f) => f.kind),
        ["delete", "mass"],
      );
    });
  });

  describe("secrets", () => {
    const placeholder: JsonValue = { $secret: "/omaSettings/0/value", note: "Secret value: not stored in git." };
    const cases: Record<
      string,
      { type: ResourceTypeId; fields: FieldChange[]; action?: Action; needsSecrets: boolean }
    > = {
      "needs 'secrets' for a change at the declared secrets pattern of intune.deviceConfiguration": {
        type: "intune.deviceConfiguration",
        fields: [{ path: "/omaSettings/0/value", before: "old", after: "new" }],
        needsSecrets: true,
      },
      "needs 'secrets' for a change at any item of the pattern's wildcard": {
        type: "intune.deviceConfiguration",
        fields: [{ path: "/omaSettings/7/value", after: "new" }],
        needsSecrets: true,
      },
      "does not for another property beside a secret-bearing one": {
        type: "intune.deviceConfiguration",
        fields: [{ path: "/omaSettings/0/displayName", before: "a", after: "b" }],
        needsSecrets: false,
      },
      "does not for the same path in a type that declares no secrets": {
        type: "intune.compliancePolicy",
        fields: [{ path: "/omaSettings/0/value", before: "old", after: "new" }],
        needsSecrets: false,
      },
      "needs 'secrets' when a setting holding a $secret placeholder is removed": {
        type: "intune.deviceConfiguration",
        fields: [{ path: "/omaSettings", before: [{ value: placeholder }], after: [] }],
        needsSecrets: true,
      },
      "needs 'secrets' when a $secret placeholder is added, in any type": {
        type: "intune.compliancePolicy",
        fields: [{ path: "/extra", after: { nested: placeholder } }],
        needsSecrets: true,
      },
      "needs 'secrets' for a create carrying a $secret placeholder": {
        type: "intune.deviceConfiguration",
        action: "create",
        fields: [{ path: "", after: { displayName: "OMA", omaSettings: [{ value: placeholder }] } }],
        needsSecrets: true,
      },
      "does not for a create without secrets": {
        type: "intune.deviceConfiguration",
        action: "create",
        fields: [{ path: "", after: { displayName: "Kiosk" } }],
        needsSecrets: false,
      },
    };
    for (const [name, c] of Object.entries(cases)) {
      it(name, () => {
        const x = change(c.action ?? "update", c.type, "Profile", { fields: c.fields });
        const findings = gateFindings([x], [], { [c.type]: 100 }, noScope);
        assert.deepEqual(
          kinds(findings),
          c.needsSecrets ? [{ kind: "secret", confirm: "secrets", addresses: [x.address] }] : [],
        );
      });
    }
  });

  describe("references", () => {
    it("blocks a reference to an object neither in the tenant nor created earlier in the plan, naming it", () => {
      const policy = policyFor("update", "Windows baseline", "Pilot");
      const findings = gateFindings(
        [policy],
        [],
        { "intune.compliancePolicy": 100 },
        scope({ "entra.group": ["All staff"] }),
      );
      assert.deepEqual(kinds(findings), [{ kind: "missingReference", addresses: [policy.address] }]);
      assert.ok(findings[0].message.includes('entra.group["Pilot"]'), findings[0].message);
    });

    it("accepts a reference to an object the tenant has", () => {
      const findings = gateFindings(
        [policyFor("update", "Windows baseline", "Pilot")],
        [],
        { "intune.compliancePolicy": 100 },
        scope({ "entra.group": ["Pilot"] }),
      );
      assert.deepEqual(findings, []);
    });

    it("accepts a reference to an object the plan creates earlier", () => {
      const changes = [change("create", "entra.group", "Pilot"), policyFor("create", "Pilot baseline", "Pilot")];
      assert.deepEqual(gateFindings(changes, [], { "intune.compliancePolicy": 100, "entra.group": 100 }, noScope), []);
    });

    it("blocks a reference to an object the plan deletes", () => {
      const changes = [policyFor("update", "Windows baseline", "Pilot"), change("delete", "entra.group", "Pilot")];
      const findings = gateFindings(
        changes,
        [],
        { "intune.compliancePolicy": 100, "entra.group": 100 },
        scope({ "entra.group": ["Pilot"] }),
      );
      assert.deepEqual(kinds(findings), [
        { kind: "delete", confirm: "deletes", addresses: ['entra.group["Pilot"]'] },
        {
          kind: "referencedDelete",
          addresses: ['entra.group["Pilot"]', 'intune.compliancePolicy["Windows baseline"]'],
        },
      ]);
    });
  });

  describe("integrity", () => {
    it("blocks an update that changes a create-only property, naming it", () => {
      const findings = gateFindings(
        [
          change("update", "intune.assignmentFilter", "F", {
            fields: [{ path: "/platform", before: "iOS", after: "android" }],
          }),
        ],
        [],
        { "intune.assignmentFilter": 100 },
        noScope,
      );
      assert.deepEqual(kinds(findings), [{ kind: "createOnlyChange", addresses: ['intune.assignmentFilter["F"]'] }]);
      assert.match(findings[0].message, /\/platform/);
    });

    it("lets an update change a create-only property that deploy writes apart (compliance actions)", () => {
      const fields = [
        { path: "/scheduledActionsForRule/0/scheduledActionConfigurations/1/gracePeriodHours", before: 24, after: 48 },
      ];
      const findings = gateFindings(
        [change("update", "intune.compliancePolicy", "P", { fields })],
        [],
        { "intune.compliancePolicy": 100 },
        noScope,
      );
      assert.deepEqual(kinds(findings), []);
    });

    it("names every referrer of a deleted object in the desired state, unchanged ones included", () => {
      const unchanged = {
        type: "intune.compliancePolicy" as const,
        name: "Unchanged",
        object: { assignments: [{ target: { groupId: ref("entra.group", "Pilot") } }] },
      };
      const byId = {
        type: "intune.compliancePolicy" as const,
        name: "Raw",
        object: { assignments: [{ target: { groupId: "Pilot-id" } }] },
      };
      const findings = gateFindings(
        [change("delete", "entra.group", "Pilot")],
        [],
        { "entra.group": 100 },
        { ...scope({ "entra.group": ["Pilot"] }), desired: [unchanged, byId] },
      );
      assert.deepEqual(
        kinds(findings).map((f) => f.kind),
        ["delete", "referencedDelete"],
      );
      assert.deepEqual(findings[1].addresses, [
        'entra.group["Pilot"]',
        'intune.compliancePolicy["Unchanged"]',
        'intune.compliancePolicy["Raw"]',
      ]);
      assert.match(findings[1].message, /intune\.compliancePolicy\["Unchanged"\] at \/assignments\/0\/target\/groupId/);
    });
  });

  describe("conflicts", () => {
    const conflict = (name: string, resolution: Conflict["resolution"]): Conflict => ({
      address: addressOf("entra.group", name),
      type: "entra.group",
      resolution,
      fields: [],
    });

    it("blocks the plan on conflicts the policy stopped on, listing them in one finding", () => {
      const findings = gateFindings(
        [],
        [conflict("A", "stopped"), conflict("B", "repoWins"), conflict("C", "stopped")],
        {},
        noScope,
      );
      assert.deepEqual(kinds(findings), [{ kind: "conflict", addresses: ['entra.group["A"]', 'entra.group["C"]'] }]);
    });

    it("does not block on conflicts a policy resolved", () => {
      assert.deepEqual(gateFindings([], [conflict("A", "repoWins"), conflict("B", "tenantWins")], {}, noScope), []);
    });
  });

  it("reports findings in a fixed order: deletes, mass, secrets, missing references, conflicts", () => {
    const changes = [
      ...Array.from({ length: 4 }, (_, i) => change("delete", "entra.group", `Old ${i}`)),
      change("update", "intune.deviceConfiguration", "OMA", { fields: [{ path: "/omaSettings/0/value", after: "x" }] }),
      policyFor("update", "Windows baseline", "Nowhere"),
    ];
    const findings = gateFindings(
      changes,
      [{ address: "x", type: "entra.group", resolution: "stopped", fields: [] }],
      { "entra.group": 10 },
      noScope,
    );
    assert.deepEqual(
      findings.map((f) => f.kind),
      ["delete", "mass", "secret", "missingReference", "conflict"],
    );
    assert.deepEqual(
      findings.map((f) => f.confirm),
      ["deletes", "mass", "secrets", undefined, undefined],
    );
  });
});

describe("missingReferences", () => {
  type Ids = Partial<Record<ResourceTypeId, string[]>>;
  const toMap = (ids: Ids) =>
    new Map(Object.entries(ids).map(([type, list]) => [type as ResourceTypeId, new Set(list)]));
  const cases: Record<
    string,
    {
      changes: Change[];
      tenant?: Partial<Record<ResourceTypeId, string[]>>;
      ids?: { tenant: Ids; repo: Ids };
      want: Record<string, string[]>;
    }
  > = {
    "finds nothing when every reference is in the tenant": {
      changes: [policyFor("update", "P", "Pilot")],
      tenant: { "entra.group": ["Pilot"] },
      want: {},
    },
    "names a reference to an object the tenant does not have": {
      changes: [policyFor("update", "P", "Pilot")],
      tenant: { "entra.group": ["All staff"] },
      want: { 'intune.compliancePolicy["P"]': ['entra.group["Pilot"]'] },
    },
    "does not take an object of another type with the same name": {
      changes: [policyFor("update", "P", "Pilot")],
      tenant: { "intune.assignmentFilter": ["Pilot"] },
      want: { 'intune.compliancePolicy["P"]': ['entra.group["Pilot"]'] },
    },
    "accepts a reference to an object the plan creates earlier": {
      changes: [change("create", "entra.group", "Pilot"), policyFor("create", "P", "Pilot")],
      want: {},
    },
    "names a reference to an object the plan creates only later": {
      changes: [policyFor("create", "P", "Pilot"), change("create", "entra.group", "Pilot")],
      want: { 'intune.compliancePolicy["P"]': ['entra.group["Pilot"]'] },
    },
    "leaves a reference to an object the plan deletes to the referenced-delete finding": {
      changes: [policyFor("update", "P", "Pilot"), change("delete", "entra.group", "Pilot")],
      tenant: { "entra.group": ["Pilot"] },
      want: {},
    },
    "ignores the references of an object the plan deletes": {
      changes: [
        change("delete", "intune.compliancePolicy", "P", {
          object: { assignments: [{ target: { groupId: ref("entra.group", "Gone") } }] },
        }),
      ],
      want: {},
    },
    "names an unresolved reference by its type and id": {
      changes: [
        change("update", "intune.compliancePolicy", "P", {
          object: { assignments: [{ target: { groupId: { $ref: null, type: "entra.group", id: "g-404" } } }] },
        }),
      ],
      want: { 'intune.compliancePolicy["P"]': ["entra.group with id g-404 (unresolved when it was backed up)"] },
    },
    "lists every missing reference of one object": {
      changes: [
        change("update", "intune.compliancePolicy", "P", {
          object: { a: ref("entra.group", "X"), b: [ref("intune.assignmentFilter", "Y")] },
        }),
      ],
      want: { 'intune.compliancePolicy["P"]': ['entra.group["X"]', 'intune.assignmentFilter["Y"]'] },
    },
    "names a hand-written reference without quotes around the name, rather than failing": {
      changes: [
        change("update", "intune.compliancePolicy", "P", { object: { groupId: { $ref: "entra.group[Pilot]" } } }),
      ],
      tenant: { "entra.group": ["Pilot"] },
      want: { 'intune.compliancePolicy["P"]': ["entra.group[Pilot]"] },
    },
    "names a reference that is not an address at all": {
      changes: [
        change("update", "intune.compliancePolicy", "P", {
          object: { a: { $ref: "Pilot" }, b: { $ref: "entra.group[1]" } },
        }),
      ],
      tenant: { "entra.group": ["Pilot", "1"] },
      want: { 'intune.compliancePolicy["P"]': ["Pilot", "entra.group[1]"] },
    },
    "names a raw id at a declared reference pointer that neither the tenant nor the repo has": {
      changes: [
        change("update", "intune.compliancePolicy", "P", {
          object: {
            roleScopeTagIds: ["0", "7", "8"],
            assignments: [{ target: { groupId: "g-1" } }, { target: { groupId: "g-2" } }],
          },
        }),
      ],
      ids: { tenant: { "entra.group": ["g-1"], "intune.roleScopeTag": ["7"] }, repo: { "entra.group": ["g-2"] } },
      want: {
        'intune.compliancePolicy["P"]': [
          "intune.roleScopeTag with id 8 (at /roleScopeTagIds/2; no object of the tenant or the repository has that id)",
        ],
      },
    },
    "finds a reference to a name with quotes and brackets": {
      changes: [policyFor("update", "P", 'Pilot "ring" [1]')],
      tenant: { "entra.group": ['Pilot "ring" [1]'] },
      want: {},
    },
  };
  for (const [name, c] of Object.entries(cases)) {
    const ids = c.ids ? { tenantIds: toMap(c.ids.tenant), repoIds: toMap(c.ids.repo) } : {};
    it(name, () =>
      assert.deepEqual(Object.fromEntries(missingReferences(c.changes, { ...scope(c.tenant ?? {}), ...ids })), c.want),
    );
  }
});
