/**
 * approved — what deploy applies is what was approved, through the command line against the Graph
 * emulator: deploy recomputes the gates from the plan's changes (a plan file whose findings, counts
 * or fields were edited, with its digest made again, is still refused without the confirmation), a
 * plan file edited after it was made is refused as plan.invalid before anything is read or written,
 * and `plan` never offers "Deploy it with" for a blocked plan, and names exactly the confirmations.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { git } from "../../src/core/snapshot/git";
import { runCli } from "../helpers/cli";
import { commitAll } from "../helpers/commit";
import { startTestEmulator, type TestEmulator } from "../helpers/graph-emulator";

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type PlanJson = { [k: string]: Json } & { changes: { [k: string]: Json }[]; findings: { [k: string]: Json }[] };

/** The test's own digest: sha256 over the plan without `digest`, keys sorted, compact. */
function sorted(value: Json): Json {
  if (Array.isArray(value)) return value.map(sorted);
  if (value && typeof value === "object")
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sorted(value[k])]),
    );
  return value;
}
function redigest(plan: PlanJson): PlanJson {
  const { digest: _old, ...content } = plan;
  return {
    ...plan,
    digest: `sha256:${createHash("sha256")
      .update(JSON.stringify(sorted(content)))
      .digest("hex")}`,
  };
}

/** The first `$ref` to a group in a value, replaced by a reference to `name`. */
function pointFirstGroupRefAt(value: Json, name: string): boolean {
  if (Array.isArray(value)) return value.some((v) => pointFirstGroupRefAt(v, name));
  if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (
        v &&
        typeof v === "object" &&
        !Array.isArray(v) &&
        typeof v.$ref === "string" &&
        v.$ref.startsWith("entra.group[")
      ) {
        value[k] = { $ref: `entra.group[${JSON.stringify(name)}]` };
        return true;
      }
      if (pointFirstGroupRefAt(v, name)) return true;
    }
  }
  return false;
}

describe("safety: deploy applies only what was approved", function () {
  this.timeout(240_000);
  let t: TestEmulator;
  let work: string;
  let repo: string;
  let synced: string;
  const plans = new Map<string, string>();

  const cli = (...args: string[]) => runCli(t.info, args);
  const editFile = (file: string, edit: (doc: { object: { [k: string]: Json } }) => void) => {
    const path = join(repo, file);
    const doc = JSON.parse(readFileSync(path, "utf8"));
    edit(doc);
    writeFileSync(path, `${JSON.stringify(doc, null, 2)}\n`);
  };
  const objects = async (kind: string) =>
    (await t.control("GET", `/tenants/${t.info.tenantId}/objects/${kind}`)).body as {
      displayName: string;
      [k: string]: Json;
    }[];

  /** The repository edits behind each plan (made on the synced repository, then undone). */
  const edits: Record<string, () => void> = {
    "a delete": () => rmSync(join(repo, "intune.roleScopeTag/Finance.json")),
    "a mass change": () => {
      for (const name of ["Intune admins", "Pilot users", "Finance users", "Break glass accounts"])
        editFile(`entra.group/${name}.json`, (d) => {
          d.object.description = `${name}, reviewed`;
        });
    },
    "a secret-bearing change": () =>
      editFile("intune.deviceConfiguration/Windows - Custom OMA-URI.json", (d) => {
        const setting = (d.object.omaSettings as { [k: string]: Json }[]).find(
          (s) => s.displayName === "Disable consumer features",
        )!;
        setting.value = 1;
      }),
    "a missing reference": () =>
      editFile("intune.deviceConfiguration/Update ring - Broad.json", (d) =>
        assert.ok(pointFirstGroupRefAt(d.object, "Nobody here"), "the ring refers to a group"),
      ),
    "a plain change": () =>
      editFile("intune.compliancePolicy/Windows - Compliance baseline.json", (d) => {
        d.object.passwordMinimumLength = 14;
      }),
  };

  async function makePlan(kind: string): Promise<{ path: string; stdout: string; code: number }> {
    await git(["reset", "-q", "--hard", synced], { cwd: repo });
    edits[kind]();
    await commitAll(repo, `Test: ${kind}`);
    const path = join(work, `plan-${kind.replace(/\W+/g, "-")}.json`);
    const r = await cli("plan", "--repo", repo, "--out", path);
    assert.ok(r.code === 0 || r.code === 5, `plan for ${kind}: ${r.code}\n${r.stderr}`);
    plans.set(kind, path);
    await git(["reset", "-q", "--hard", synced], { cwd: repo });
    return { path, stdout: r.stdout, code: r.code };
  }

  before(async () => {
    t = await startTestEmulator({ throttle: { mode: "off" } });
    work = mkdtempSync(join(tmpdir(), "tenant-sync-approved-"));
    repo = join(work, "repo");
    const r = await cli("sync", "--repo", repo, "--out", join(work, "plan-0.json"));
    assert.equal(r.code, 0, r.stderr);
    synced = (await git(["rev-parse", "HEAD"], { cwd: repo })).trim();
  });
  after(async () => {
    await t?.emulator.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  describe("plan says what to do next", () => {
    const cases: { kind: string; code: number; says: RegExp[]; never?: RegExp }[] = [
      { kind: "a plain change", code: 0, says: [/Deploy it with: tenant-sync deploy --plan \S+ --repo \S+\n?$/m] },
      {
        kind: "a delete",
        code: 0,
        says: [
          /needs --confirm deletes: intune\.roleScopeTag\["Finance"\]/,
          /Deploy it with: tenant-sync deploy --plan \S+ --repo \S+ --confirm deletes$/m,
        ],
      },
      {
        kind: "a mass change",
        code: 0,
        says: [/needs --confirm mass: entra\.group/, /Deploy it with: .* --confirm mass$/m],
      },
      { kind: "a secret-bearing change", code: 0, says: [/Deploy it with: .* --confirm secrets$/m] },
      {
        kind: "a missing reference",
        code: 5,
        says: [
          /This plan cannot be deployed; it is blocked by:\n {2}blocked \(missingReference\): intune\.deviceConfiguration\["Update ring - Broad"\]/,
          /Fix the repository or the tenant/,
        ],
        never: /Deploy it with/,
      },
    ];
    for (const c of cases) {
      it(`for ${c.kind}`, async () => {
        const r = await makePlan(c.kind);
        assert.equal(r.code, c.code, r.stdout);
        for (const re of c.says) assert.match(r.stdout, re);
        if (c.never) assert.doesNotMatch(r.stdout, c.never);
      });
    }
  });

  describe("deploy refuses a plan whose verdicts were edited (digest made again)", () => {
    const cases: { name: string; plan: string; tamper: (p: PlanJson) => void; confirm?: string; says: RegExp }[] = [
      {
        name: "findings removed from a plan with a delete",
        plan: "a delete",
        tamper: (p) => {
          p.findings = [];
        },
        says: /confirm "deletes": .*intune\.roleScopeTag\["Finance"\]/,
      },
      {
        name: "the delete's finding relabelled as mass, mass confirmed",
        plan: "a delete",
        tamper: (p) => {
          p.findings[0].confirm = "mass";
          p.findings[0].kind = "mass";
        },
        confirm: "mass",
        says: /confirm "deletes"/,
      },
      {
        name: "tenant counts raised to hide a mass change, findings removed",
        plan: "a mass change",
        tamper: (p) => {
          p.tenantCounts = { "entra.group": 100000 };
          p.findings = [];
        },
        says: /confirm "mass": 4 of 5 entra\.group objects change/,
      },
      {
        name: "counts per action zeroed, findings removed",
        plan: "a mass change",
        tamper: (p) => {
          p.counts = {};
          p.findings = [];
        },
        says: /confirm "mass"/,
      },
      {
        name: "the secret finding removed",
        plan: "a secret-bearing change",
        tamper: (p) => {
          p.findings = p.findings.filter((f) => f.kind !== "secret");
        },
        says: /confirm "secrets": .*Windows - Custom OMA-URI/,
      },
      {
        name: "the secret finding removed and the change's fields emptied",
        plan: "a secret-bearing change",
        tamper: (p) => {
          p.findings = [];
          p.changes[0].fields = [];
        },
        says: /confirm "secrets"/,
      },
      {
        name: "the missing-reference finding removed",
        plan: "a missing reference",
        tamper: (p) => {
          p.findings = [];
        },
        confirm: "deletes,mass,secrets",
        says: /blocked \(missingReference\): intune\.deviceConfiguration\["Update ring - Broad"\] refers to entra\.group\["Nobody here"\]/,
      },
    ];
    it("the plan's gate settings loosened and findings removed: with --repo, tenant-sync.json's settings still hold", async () => {
      const plan = JSON.parse(readFileSync(plans.get("a mass change")!, "utf8")) as PlanJson & {
        gates?: { massChangeThreshold: number; massChangeMinimum: number };
      };
      plan.gates = { massChangeThreshold: 1, massChangeMinimum: 1000 };
      plan.findings = [];
      const path = join(work, "tampered-gates.json");
      writeFileSync(path, JSON.stringify(redigest(plan)));
      await t.control("DELETE", "/counters");
      const r = await cli("deploy", "--plan", path, "--repo", repo);
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.match(r.stderr, /confirm "mass": 4 of 5 entra\.group objects change/);
      assert.equal((await t.control("GET", "/counters")).body.writes, 0, "nothing was written");
    });

    for (const c of cases) {
      it(`${c.name}`, async () => {
        const original = readFileSync(plans.get(c.plan)!, "utf8");
        const plan = JSON.parse(original) as PlanJson;
        c.tamper(plan);
        const path = join(work, `tampered-${c.name.replace(/\W+/g, "-")}.json`);
        writeFileSync(path, JSON.stringify(redigest(plan)));
        await t.control("DELETE", "/counters");
        const r = await cli("deploy", "--plan", path, ...(c.confirm ? ["--confirm", c.confirm] : []));
        assert.equal(r.code, 1, r.stdout + r.stderr);
        assert.match(r.stderr, /plan\.blocked|not cleared to deploy/);
        assert.match(r.stderr, c.says);
        assert.equal((await t.control("GET", "/counters")).body.writes, 0, "nothing was written");
        assert.ok(
          (await objects("roleScopeTag")).some((o) => o.displayName === "Finance"),
          "the scope tag is still there",
        );
      });
    }
  });

  describe("deploy refuses a plan file changed after it was made (digest not made again)", () => {
    const cases: { plan: string; tamper: (p: PlanJson) => void }[] = [
      {
        plan: "a delete",
        tamper: (p) => {
          p.findings = [];
        },
      },
      {
        plan: "a mass change",
        tamper: (p) => {
          p.tenantCounts = { "entra.group": 100000 };
        },
      },
      {
        plan: "a secret-bearing change",
        tamper: (p) => {
          (p.changes[0].after as { object: { [k: string]: Json } }).object.description = "Edited after approval";
        },
      },
      {
        plan: "a plain change",
        tamper: (p) => {
          delete p.digest;
        },
      },
    ];
    for (const c of cases) {
      it(`${c.plan}: plan.invalid, naming the file, before anything is read or written`, async () => {
        const plan = JSON.parse(readFileSync(plans.get(c.plan)!, "utf8")) as PlanJson;
        c.tamper(plan);
        const path = join(work, `edited-${c.plan.replace(/\W+/g, "-")}.json`);
        writeFileSync(path, JSON.stringify(plan, null, 2));
        const before = await objects("deviceConfiguration");
        await t.control("DELETE", "/counters");
        const r = await cli("deploy", "--plan", path, "--confirm", "deletes,mass,secrets");
        assert.equal(r.code, 1, r.stdout + r.stderr);
        assert.match(r.stderr, /plan\.invalid|digest/);
        assert.ok(r.stderr.includes(path), `the error names ${path}: ${r.stderr}`);
        assert.match(
          r.stderr,
          c.plan === "a plain change"
            ? /has no valid digest/
            : /was changed after it was made: its content no longer matches its digest/,
        );
        const counters = (await t.control("GET", "/counters")).body;
        assert.equal(counters.writes, 0, "nothing was written");
        assert.equal(counters.graphRequests, 0, "nothing was even read");
        assert.deepEqual(await objects("deviceConfiguration"), before, "the tenant is unchanged");
      });
    }
  });

  describe("the same plan, untampered", () => {
    it("deploys once its confirmation is given", async () => {
      const r = await cli("deploy", "--plan", plans.get("a delete")!, "--confirm", "deletes");
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.ok(!(await objects("roleScopeTag")).some((o) => o.displayName === "Finance"), "the scope tag was deleted");
    });
  });
});
