import assert from "node:assert/strict";
import type { ResourceTypeId } from "../resources/resource-type";
import type { JsonObject } from "../snapshot/pointer";
import type { SnapshotEntry } from "../snapshot/snapshot";
import { type Classification, classify, pairObjects, type PairingProblem, type Triple } from "./three-way";

const policy: ResourceTypeId = "intune.compliancePolicy";

function entry(id: string, name: string, object: JsonObject = {}, files: Record<string, string> = {}): SnapshotEntry {
  return { type: policy, id, name, object: { displayName: name, ...object }, files };
}

describe("classify", () => {
  // Three versions of one object; absent (undefined) means it does not exist on that side.
  const a = entry("p-1", "Windows baseline", { passwordMinimumLength: 8 });
  const b = entry("p-1", "Windows baseline", { passwordMinimumLength: 12 });
  const c = entry("p-1", "Windows baseline", { passwordMinimumLength: 14 });
  const cases: Record<
    string,
    { base?: SnapshotEntry; repo?: SnapshotEntry; tenant?: SnapshotEntry; want: Classification }
  > = {
    // repo = tenant
    "is the same when base, repo and tenant are equal": { base: a, repo: a, tenant: a, want: "same" },
    "is the same when repo and tenant made the same change since base": { base: a, repo: b, tenant: b, want: "same" },
    "is the same when repo and tenant agree and there is no base": { repo: a, tenant: a, want: "same" },
    "is the same when repo and tenant both deleted the base object": { base: a, want: "same" },
    "is the same when the object exists nowhere": { want: "same" },
    // tenant = base, repo differs
    "is a repo change when only the repo changed the object": { base: a, repo: b, tenant: a, want: "repoChanged" },
    "is a repo change when only the repo has the object and there is no base": { repo: a, want: "repoChanged" },
    "is a repo change when the repo deleted the object and the tenant kept it unchanged": {
      base: a,
      tenant: a,
      want: "repoChanged",
    },
    // repo = base, tenant differs
    "is drift when only the tenant changed the object": { base: a, repo: a, tenant: b, want: "drift" },
    "is drift when only the tenant has the object and there is no base": { tenant: a, want: "drift" },
    "is drift when the tenant deleted the object and the repo kept it unchanged": { base: a, repo: a, want: "drift" },
    // all three differ
    "is a conflict when repo and tenant changed the object differently": {
      base: a,
      repo: b,
      tenant: c,
      want: "conflict",
    },
    "is a conflict when the repo deleted the object and the tenant changed it": {
      base: a,
      tenant: b,
      want: "conflict",
    },
    "is a conflict when the repo changed the object and the tenant deleted it": { base: a, repo: b, want: "conflict" },
    "is a conflict when repo and tenant differ and there is no base": { repo: a, tenant: b, want: "conflict" },
  };
  for (const [name, x] of Object.entries(cases)) {
    it(name, () => assert.equal(classify({ base: x.base, repo: x.repo, tenant: x.tenant }), x.want));
  }

  it("compares references by address, so another tenant's id beside a reference is no change", () => {
    const ref = (id: string) =>
      entry("p-1", "Windows baseline", {
        assignments: [{ target: { groupId: { $ref: 'entra.group["All staff"]', id } } }],
      });
    assert.equal(classify({ base: ref("g-1"), repo: ref("g-other-tenant"), tenant: ref("g-1") }), "same");
  });

  it("is the same after a rename when only the note of a $secret placeholder still names the old object", () => {
    const placeholder = (name: string) => ({
      $secret: "/omaSettings/0/value",
      note: `Secret value of intune.deviceConfiguration["${name}"] at /omaSettings/0/value: not stored in git.`,
    });
    const profile = (name: string, noteName: string): SnapshotEntry => ({
      type: "intune.deviceConfiguration",
      id: "d-1",
      name,
      object: { displayName: name, omaSettings: [{ value: placeholder(noteName) }] },
      files: {},
    });
    const tenant = profile("Kiosk 2", "Kiosk 2");
    assert.equal(classify({ base: tenant, repo: profile("Kiosk 2", "Kiosk"), tenant }), "same");
  });

  it("counts a change to a file beside the object as a change", () => {
    const script = (body: string) => entry("s-1", "Clean up", {}, { ".ps1": body });
    assert.equal(classify({ base: script("v1"), repo: script("v2"), tenant: script("v1") }), "repoChanged");
    assert.equal(classify({ base: script("v1"), repo: script("v1"), tenant: script("v2") }), "drift");
  });

  it("ignores the tenant id and name of the entries, comparing only the configuration", () => {
    const base = entry("p-1", "Windows baseline");
    const repo = entry("", "Windows baseline");
    assert.equal(classify({ base, repo, tenant: base }), "same");
  });
});

describe("pairObjects", () => {
  const problemsWithoutText = (problems: PairingProblem[]) => problems.map(({ message: _message, ...rest }) => rest);

  interface Case {
    base?: SnapshotEntry[];
    repo?: SnapshotEntry[];
    tenant?: SnapshotEntry[];
    want: Triple[];
    problems?: Omit<PairingProblem, "message">[];
  }
  const triple = (sides: Omit<Triple, "type">): Triple => ({ type: policy, ...sides });
  // Each case makes its own entries, so every case starts from fresh values.
  const cases: Record<string, () => Case> = {
    "pairs the three versions of an object by tenant id": () => {
      const [b, r, t] = [
        entry("p-1", "A"),
        entry("p-1", "A", { description: "repo" }),
        entry("p-1", "A", { description: "tenant" }),
      ];
      return { base: [b], repo: [r], tenant: [t], want: [triple({ tenant: t, base: b, repo: r })] };
    },
    "pairs a rename (same id, new name) as one object": () => {
      const [b, r, t] = [entry("p-1", "Old name"), entry("p-1", "New name"), entry("p-1", "Old name")];
      return { base: [b], repo: [r], tenant: [t], want: [triple({ tenant: t, base: b, repo: r })] };
    },
    "pairs by tenant id before the name": () => {
      const [t1, t2, r] = [entry("p-1", "A"), entry("p-2", "B"), entry("p-2", "A")];
      return { repo: [r], tenant: [t1, t2], want: [triple({ tenant: t1 }), triple({ tenant: t2, repo: r })] };
    },
    "pairs a repo object without an id by name": () => {
      const [r, t] = [entry("", "A"), entry("p-1", "A")];
      return { repo: [r], tenant: [t], want: [triple({ tenant: t, repo: r })] };
    },
    "pairs by name a repo object whose id comes from another tenant": () => {
      const [r, t] = [entry("other-tenant-id", "A"), entry("p-1", "A")];
      return { repo: [r], tenant: [t], want: [triple({ tenant: t, repo: r })] };
    },
    "pairs a base-only object (deleted in the tenant) with the repo object holding its id": () => {
      const [b, r] = [entry("p-1", "A"), entry("p-1", "A")];
      return { base: [b], repo: [r], want: [triple({ base: b, repo: r })] };
    },
    "pairs a base-only object with a repo object of its name that has no id": () => {
      const [b, r] = [entry("p-1", "A"), entry("", "A")];
      return { base: [b], repo: [r], want: [triple({ base: b, repo: r })] };
    },
    "keeps an object only the repo has on its own": () => {
      const [r, t] = [entry("", "New"), entry("p-1", "Existing")];
      return { repo: [r], tenant: [t], want: [triple({ tenant: t }), triple({ repo: r })] };
    },
    "keeps an object only the tenant has on its own": () => {
      const t = entry("p-1", "A");
      return { tenant: [t], want: [triple({ tenant: t })] };
    },
    "does not pair by name an object already paired by id": () => {
      const [t, renamed, fresh] = [entry("p-1", "A"), entry("p-1", "B"), entry("", "A")];
      return {
        repo: [renamed, fresh],
        tenant: [t],
        want: [triple({ tenant: t, repo: renamed }), triple({ repo: fresh })],
      };
    },
    "reports two tenant objects of one name and pairs neither with the repo object": () => {
      const [t1, t2, r] = [entry("p-1", "A"), entry("p-2", "A"), entry("", "A")];
      return {
        repo: [r],
        tenant: [t1, t2],
        want: [triple({ tenant: t1 }), triple({ tenant: t2 }), triple({ repo: r })],
        problems: [{ type: policy, kind: "duplicateName", name: "A" }],
      };
    },
    "reports one tenant id in two repo files, naming both objects": () => {
      const [t, r1, r2] = [entry("p-1", "A"), entry("p-1", "A"), entry("p-1", "A copy")];
      return {
        repo: [r1, r2],
        tenant: [t],
        want: [triple({ tenant: t, repo: r1 }), triple({ repo: r2 })],
        problems: [{ type: policy, kind: "duplicateId", name: "A", names: ["A", "A copy"] }],
      };
    },
    "pairs by id among tenant objects of one name without reporting a problem": () => {
      const [t1, t2, r] = [entry("p-1", "A"), entry("p-2", "A"), entry("p-2", "A")];
      return { repo: [r], tenant: [t1, t2], want: [triple({ tenant: t1 }), triple({ tenant: t2, repo: r })] };
    },
    "pairs nothing when every side is empty": () => ({ want: [] }),
  };
  for (const [name, make] of Object.entries(cases)) {
    it(name, () => {
      const c = make();
      const got = pairObjects(policy, c.base ?? [], c.repo ?? [], c.tenant ?? []);
      assert.deepEqual(got.triples, c.want);
      assert.deepEqual(problemsWithoutText(got.problems), c.problems ?? []);
    });
  }

  it("names the type and the name in a duplicate-name problem", () => {
    const { problems } = pairObjects(
      policy,
      [],
      [entry("", "Shared name")],
      [entry("p-1", "Shared name"), entry("p-2", "Shared name")],
    );
    assert.equal(problems.length, 1);
    assert.match(problems[0].message, /intune\.compliancePolicy/);
    assert.match(problems[0].message, /"Shared name"/);
  });

  it("keeps every entry exactly once", () => {
    const base = [entry("p-1", "A"), entry("p-2", "B"), entry("p-3", "C")];
    const repo = [entry("p-1", "A"), entry("", "B"), entry("", "D")];
    const tenant = [entry("p-1", "A"), entry("p-2", "B2"), entry("p-4", "E")];
    const { triples } = pairObjects(policy, base, repo, tenant);
    for (const [side, entries] of [
      ["base", base],
      ["repo", repo],
      ["tenant", tenant],
    ] as const) {
      const seen = triples.map((t) => t[side]).filter((e): e is SnapshotEntry => Boolean(e));
      assert.equal(seen.length, entries.length, side);
      for (const e of entries) assert.ok(seen.includes(e), `${side} ${e.name}`);
    }
  });
});
