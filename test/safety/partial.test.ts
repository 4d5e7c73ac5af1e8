/**
 * partial — a partial export never rewrites the repository, and no failure hides its cause. Through
 * the CLI against the Graph emulator: a referenced type that fails during plan's backup leaves out
 * every type referring to it (transitively), imports nothing of theirs, writes no `"$ref": null` and
 * ends partial (exit 3) naming the types; a dangling reference fails its type naming the object;
 * git missing or a corrupt repository stops with git's cause; a wrong tenant is named as such.
 */
import assert from "node:assert/strict";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getResourceType } from "../../src/core/resources/registry";
import type { ResourceTypeId } from "../../src/core/resources/resource-type";
import { git, gitStatus } from "../../src/core/snapshot/git";
import type { ReadyInfo } from "../../emulators/graph/server";
import { runCli } from "../helpers/cli";
import { type EmulatorProcess, startGraphEmulatorProcess } from "../helpers/emulator-process";
import { syncedCheckout } from "../helpers/first-sync";
import { checkoutWithOrigin, git as gitSync, originBranch } from "../helpers/git-remote";
import { startTestEmulator, type TestEmulator } from "../helpers/graph-emulator";
import { describeRun, runTaskScenario } from "../helpers/mock-task-runner";
import { fetchTenantSyncBranches } from "../../src/pipeline/git-push";
import { silentLogger } from "../../src/core/logger";

const backupBranch = "tenant-sync/backup";

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

describe("safety: a partial export never rewrites the repository", function () {
  this.timeout(180_000);
  let t: TestEmulator;
  let work: string;
  let golden: string;
  let n = 0;
  const tenantPath = (key: string, id = "") => `/tenants/${t.info.tenantId}/objects/${key}${id ? `/${id}` : ""}`;

  const cli = (args: string[], env: Record<string, string> = {}): Promise<Run> => runCli(t.info, args, { env });
  /** A copy of the repository synced with the demo tenant. */
  const syncedRepo = () => {
    const dir = join(work, `repo-${++n}`);
    cpSync(golden, dir, { recursive: true });
    return dir;
  };
  const repoState = async (repo: string) => ({
    head: (await git(["rev-parse", "HEAD"], { cwd: repo })).trim(),
    status: (await git(["status", "--porcelain"], { cwd: repo })).trim(),
  });
  /** Every file of the working tree and of every commit of the backup branch that holds a null reference. */
  const nullReferences = async (repo: string): Promise<string[]> => {
    const found: string[] = [];
    const walk = (dir: string, rel: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        if (e.name === ".git") continue;
        if (e.isDirectory()) walk(join(dir, e.name), `${rel}${e.name}/`);
        else if (/"\$ref":\s*null/.test(readFileSync(join(dir, e.name), "utf8"))) found.push(`${rel}${e.name}`);
      }
    };
    walk(repo, "");
    const commits = (await git(["rev-list", backupBranch], { cwd: repo })).trim().split("\n");
    for (const c of commits) {
      const hits = await gitStatus(["grep", "-l", "-E", '"\\$ref":\\s*null', c], { cwd: repo }, [1]); // exit 1: no match
      found.push(...hits.stdout.split("\n").filter(Boolean));
    }
    return found;
  };
  const planFile = (path: string) =>
    JSON.parse(readFileSync(path, "utf8")) as { changes: { type: string; address: string }[] };
  const leftOut = (stderr: string) =>
    [...stderr.matchAll(/error: (\S+) was left out of the plan/g)].map((m) => m[1]).sort();

  before(async () => {
    t = await startTestEmulator({ throttle: { mode: "off" } });
    work = mkdtempSync(join(tmpdir(), "tenant-sync-partial-"));
    golden = join(work, "golden");
    const r = await cli(["sync", "--repo", golden, "--out", join(work, "plan-golden.json")]);
    assert.equal(r.code, 0, r.stderr);
  });
  after(async () => {
    await t.emulator.stop();
    rmSync(work, { recursive: true, force: true });
  });
  afterEach(async () => {
    await t.control("DELETE", "/faults");
  });

  /** Types whose snapshot holds a resolved reference into `type`, from the synced repository. */
  const referrersIn = (repo: string): Map<ResourceTypeId, Set<ResourceTypeId>> => {
    const referrers = new Map<ResourceTypeId, Set<ResourceTypeId>>();
    for (const folder of readdirSync(repo).filter((f) => /^(entra|intune)\./.test(f))) {
      for (const file of readdirSync(join(repo, folder)).filter((f) => f.endsWith(".json"))) {
        for (const m of readFileSync(join(repo, folder, file), "utf8").matchAll(
          /"\$ref": "((?:entra|intune)\.[A-Za-z]+)\[/g,
        )) {
          const target = m[1] as ResourceTypeId;
          if (target === folder) continue;
          referrers.set(target, (referrers.get(target) ?? new Set()).add(folder as ResourceTypeId));
        }
      }
    }
    return referrers;
  };
  const closure = (start: ResourceTypeId, referrers: Map<ResourceTypeId, Set<ResourceTypeId>>): ResourceTypeId[] => {
    const out = new Set<ResourceTypeId>([start]);
    for (let grew = true; grew;) {
      grew = false;
      for (const type of [...out])
        for (const r of referrers.get(type) ?? [])
          if (!out.has(r)) {
            out.add(r);
            grew = true;
          }
    }
    return [...out].sort();
  };

  it("the demo tenant references every type the class below covers", () => {
    assert.deepEqual([...referrersIn(golden).keys()].sort(), [
      "entra.attributeSet",
      "entra.authenticationStrengthPolicy",
      "entra.group",
      "entra.namedLocation",
      "intune.assignmentFilter",
      "intune.complianceScript",
      "intune.mobileAppCategory",
      "intune.notificationMessageTemplate",
      "intune.roleScopeTag",
    ]);
  });

  // The class: each type the demo tenant's objects refer to, failing during plan's backup.
  for (const failing of [
    "intune.roleScopeTag",
    "intune.assignmentFilter",
    "entra.group",
    "entra.namedLocation",
    "entra.authenticationStrengthPolicy",
    "intune.notificationMessageTemplate",
    "entra.attributeSet",
    "intune.complianceScript",
    "intune.mobileAppCategory",
  ] as ResourceTypeId[]) {
    it(`leaves out ${failing} and every type referring to it, imports none of their drift and ends partial (exit 3)`, async () => {
      const repo = syncedRepo();
      const expected = closure(failing, referrersIn(repo));
      assert.ok(expected.length > 1, `${failing} has referrers in the demo tenant`);
      // Drift in every left-out type the emulator lets us edit: none of it may be imported.
      const drifted: { key: string; id: string; original: Record<string, unknown> }[] = [];
      const edits = [
        [
          "deviceCompliancePolicy",
          "intune.compliancePolicy",
          { description: "changed in the portal while the backup is partial" },
        ],
        ["conditionalAccessPolicy", "entra.conditionalAccessPolicy", { state: "disabled" }],
        [
          "customSecurityAttributeDefinition",
          "entra.customSecurityAttributeDefinition",
          { description: "changed in the portal while the backup is partial" },
        ],
      ] as const;
      for (const [key, type, edit] of edits) {
        if (!expected.includes(type)) continue;
        const [object] = (await t.control("GET", tenantPath(key))).body;
        drifted.push({
          key,
          id: object.id,
          original: Object.fromEntries(Object.keys(edit).map((k) => [k, object[k]])),
        });
        await t.control("PATCH", tenantPath(key, object.id), edit);
      }
      const before = await repoState(repo);
      const backupBefore = (await git(["rev-parse", backupBranch], { cwd: repo })).trim();
      // The fault matches every path containing the collection's: /groups also fails /groupSettings,
      // so a referrer whose own list is hit fails with the injected error, not for its references.
      const injected = getResourceType(failing).collection;
      const hit = (id: ResourceTypeId) => getResourceType(id).collection.toLowerCase().includes(injected.toLowerCase());
      await t.control("POST", "/faults", {
        method: "GET",
        pathContains: injected,
        count: 1000,
        action: { kind: "status", status: 400, code: "BadRequest", message: "Injected failure" },
      });
      const planPath = join(repo, "..", `plan-${n}.json`);
      try {
        const r = await cli(["plan", "--repo", repo, "--out", planPath]);
        assert.equal(r.code, 3, r.stderr + r.stdout);
        assert.deepEqual(leftOut(r.stderr), expected, r.stderr);
        for (const failed of expected.filter(hit))
          assert.match(
            r.stderr,
            new RegExp(`${failed.replace(".", "\\.")} was left out of the plan: .*Injected failure`),
          );
        for (const referrer of expected.filter((x) => !hit(x))) {
          assert.match(
            r.stderr,
            new RegExp(
              `${referrer.replace(".", "\\.")} was left out of the plan: not backed up: its references to \\S+ could not be resolved because`,
            ),
            r.stderr,
          );
        }
        assert.match(r.stderr, /The plan is PARTIAL/);
        assert.deepEqual(
          await repoState(repo),
          before,
          `no import commit; the working tree is untouched: ${await git(["log", "-1", "--stat", "--format=%s"], { cwd: repo })}`,
        );
        const changes = planFile(planPath).changes.filter((c) => expected.includes(c.type as ResourceTypeId));
        assert.deepEqual(changes, [], "the plan has no changes for the left-out types");
        for (const type of expected) {
          const kept = await git(["diff", "--stat", backupBefore, backupBranch, "--", type], { cwd: repo });
          assert.equal(kept.trim(), "", `${type} keeps its previous snapshot on the backup branch`);
        }
        assert.deepEqual(await nullReferences(repo), [], "no null reference anywhere");
      } finally {
        for (const d of drifted) await t.control("PATCH", tenantPath(d.key, d.id), d.original);
      }
    });
  }

  it("backup alone: the failed type and its referrers keep their previous snapshot, exit 3, named on stderr", async () => {
    const repo = syncedRepo();
    const before = (await git(["rev-parse", backupBranch], { cwd: repo })).trim();
    const [policy] = (await t.control("GET", tenantPath("deviceCompliancePolicy"))).body;
    await t.control("PATCH", tenantPath("deviceCompliancePolicy", policy.id), {
      description: "changed while scope tags fail",
    });
    await t.control("POST", "/faults", {
      method: "GET",
      pathContains: "/deviceManagement/roleScopeTags",
      count: 1000,
      action: { kind: "status", status: 400, code: "BadRequest", message: "Injected failure" },
    });
    try {
      const r = await cli(["backup", "--repo", repo, "--json"]);
      assert.equal(r.code, 3, r.stderr);
      const result = JSON.parse(r.stdout.trim());
      assert.deepEqual(
        result.failed.map((f: { type: string }) => f.type).sort(),
        closure("intune.roleScopeTag", referrersIn(repo)),
      );
      assert.match(r.stderr, /The backup is PARTIAL: intune\.roleScopeTag, /);
      for (const type of result.failed.map((f: { type: string }) => f.type)) {
        assert.equal(
          (await git(["diff", "--stat", before, backupBranch, "--", type], { cwd: repo })).trim(),
          "",
          `${type} keeps its previous snapshot`,
        );
      }
      assert.deepEqual(await nullReferences(repo), []);
    } finally {
      await t.control("PATCH", tenantPath("deviceCompliancePolicy", policy.id), { description: policy.description });
    }
  });

  it("leaves out the types referring to a type whose names cannot be read (403), even when it is not backed up itself", async () => {
    const repo = syncedRepo();
    writeFileSync(
      join(repo, "tenant-sync.json"),
      `${JSON.stringify({ resourceTypes: { exclude: ["intune.roleScopeTag"] } }, null, 2)}\n`,
    );
    await git(["add", "tenant-sync.json"], { cwd: repo });
    await git(["-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-q", "-m", "no scope tags"], {
      cwd: repo,
    });
    const before = await repoState(repo);
    await t.control("POST", "/faults", {
      method: "GET",
      pathContains: "/deviceManagement/roleScopeTags",
      count: 1000,
      action: { kind: "status", status: 403, code: "Forbidden", message: "Injected refusal" },
    });
    const r = await cli(["plan", "--repo", repo, "--out", join(work, "plan-names.json")]);
    assert.equal(r.code, 3, r.stderr);
    assert.match(
      r.stderr,
      /intune\.compliancePolicy was left out of the plan: not backed up: its references to intune\.roleScopeTag could not be resolved because the names of intune\.roleScopeTag could not be read: .*Injected refusal/,
    );
    assert.deepEqual(await repoState(repo), before);
    assert.deepEqual(await nullReferences(repo), []);
  });

  it("does not deploy anything when sync's backup is partial", async () => {
    const repo = syncedRepo();
    const file = join(repo, "intune.compliancePolicy/Windows - Compliance baseline.json");
    const doc = JSON.parse(readFileSync(file, "utf8"));
    doc.object.passwordMinimumLength = 14;
    writeFileSync(file, `${JSON.stringify(doc, null, 2)}\n`);
    await git(["-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-q", "-am", "longer"], { cwd: repo });
    await t.control("POST", "/faults", {
      method: "GET",
      pathContains: "/deviceManagement/assignmentFilters",
      count: 1000,
      action: { kind: "status", status: 400, code: "BadRequest", message: "Injected failure" },
    });
    const r = await cli(["sync", "--repo", repo, "--yes", "--out", join(work, "plan-sync.json")]);
    assert.equal(r.code, 3, r.stderr + r.stdout);
    assert.match(r.stdout, /Nothing was deployed: the backup is partial/);
    const [policy] = (await t.control("GET", tenantPath("deviceCompliancePolicy"))).body;
    assert.notEqual(policy.passwordMinimumLength, 14, "nothing was deployed");
  });

  it("reverts only what it could read when revert's backup is partial, and says so (exit 3)", async () => {
    const repo = syncedRepo();
    const policyFile = join(repo, "intune.compliancePolicy/Windows - Compliance baseline.json");
    const policy = JSON.parse(readFileSync(policyFile, "utf8"));
    policy.object.passwordMinimumLength = 15;
    writeFileSync(policyFile, `${JSON.stringify(policy, null, 2)}\n`);
    await git(["-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-q", "-am", "pending change"], {
      cwd: repo,
    });
    await t.control("POST", "/faults", {
      method: "GET",
      pathContains: "/deviceManagement/deviceCompliancePolicies",
      count: 1000,
      action: { kind: "status", status: 400, code: "BadRequest", message: "Injected failure" },
    });
    const r = await cli(["revert", "--repo", repo]);
    assert.equal(r.code, 3, r.stderr + r.stdout);
    assert.match(r.stderr, /intune\.compliancePolicy was left out of the revert/);
    assert.match(r.stderr, /The revert is PARTIAL: .*intune\.compliancePolicy/);
    assert.equal(
      JSON.parse(readFileSync(policyFile, "utf8")).object.passwordMinimumLength,
      15,
      "the pending change of the unread type stays",
    );
  });

  /** The control API lists contained items as stored ({ id, props }) and takes them flat. */
  const assignmentsOf = (o: any): any[] => (o.nav.assignments ?? []).map((a: any) => ({ id: a.id, ...a.props }));
  // Dangling references: an id the referenced type (read completely) does not have.
  const dangling: {
    what: string;
    key: string;
    type: ResourceTypeId;
    address: string;
    pointer: RegExp;
    edit: (o: any) => Record<string, unknown>;
  }[] = [
    {
      what: "an assignment to a deleted group",
      key: "deviceCompliancePolicy",
      type: "intune.compliancePolicy",
      address: 'intune.compliancePolicy["Windows - Compliance baseline"]',
      pointer: /\/assignments\/\d+\/target\/groupId/,
      edit: (o) => ({
        nav: {
          assignments: [
            ...assignmentsOf(o),
            {
              target: {
                "@odata.type": "#microsoft.graph.groupAssignmentTarget",
                groupId: "0badc0de-0000-4000-8000-00000000dead",
                deviceAndAppManagementAssignmentFilterId: null,
                deviceAndAppManagementAssignmentFilterType: "none",
              },
            },
          ],
        },
      }),
    },
    {
      what: "an assignment filter that does not exist",
      key: "deviceCompliancePolicy",
      type: "intune.compliancePolicy",
      address: 'intune.compliancePolicy["Windows - Compliance baseline"]',
      pointer: /\/assignments\/\d+\/target\/deviceAndAppManagementAssignmentFilterId/,
      edit: (o) => ({
        nav: {
          assignments: assignmentsOf(o).map((a: any, i: number) =>
            i === 0
              ? {
                  ...a,
                  target: {
                    ...a.target,
                    deviceAndAppManagementAssignmentFilterId: "0badc0de-0000-4000-8000-00000000dead",
                    deviceAndAppManagementAssignmentFilterType: "include",
                  },
                }
              : a,
          ),
        },
      }),
    },
    {
      what: "a scope tag that does not exist",
      key: "deviceCompliancePolicy",
      type: "intune.compliancePolicy",
      address: 'intune.compliancePolicy["Windows - Compliance baseline"]',
      pointer: /\/roleScopeTagIds\/\d+/,
      edit: (o) => ({ roleScopeTagIds: [...o.roleScopeTagIds, "0badc0de-0000-4000-8000-00000000dead"] }),
    },
    {
      what: "a named location that does not exist",
      key: "conditionalAccessPolicy",
      type: "entra.conditionalAccessPolicy",
      address: "entra.conditionalAccessPolicy[",
      pointer: /\/conditions\/locations\/(in|ex)cludeLocations\/\d+/,
      edit: (o) => ({
        conditions: {
          ...o.conditions,
          locations: {
            includeLocations: ["All"],
            excludeLocations: [
              ...(o.conditions.locations?.excludeLocations ?? []),
              "0badc0de-0000-4000-8000-00000000dead",
            ],
          },
        },
      }),
    },
    {
      what: "a group that does not exist in a conditional access policy",
      key: "conditionalAccessPolicy",
      type: "entra.conditionalAccessPolicy",
      address: "entra.conditionalAccessPolicy[",
      pointer: /\/conditions\/users\/excludeGroups\/\d+/,
      edit: (o) => ({
        conditions: {
          ...o.conditions,
          users: {
            ...o.conditions.users,
            excludeGroups: [...(o.conditions.users.excludeGroups ?? []), "0badc0de-0000-4000-8000-00000000dead"],
          },
        },
      }),
    },
  ];
  for (const d of dangling) {
    it(`fails ${d.type} on ${d.what}, naming the object, pointer, referenced type and id`, async () => {
      const repo = syncedRepo();
      const before = await repoState(repo);
      const [object] = (await t.control("GET", tenantPath(d.key))).body;
      const { id, nav: _nav, ...original } = object;
      await t.control("PATCH", tenantPath(d.key, id), d.edit(object));
      try {
        const r = await cli(["plan", "--repo", repo, "--out", join(work, `plan-dangling-${n}.json`)]);
        assert.equal(r.code, 3, r.stderr + r.stdout);
        const line = r.stderr.split("\n").find((l) => l.startsWith(`error: ${d.type} was left out of the plan`)) ?? "";
        assert.ok(line.includes(d.address), line);
        assert.match(line, d.pointer);
        assert.match(line, /to (entra|intune)\.\w+ 0badc0de-0000-4000-8000-00000000dead, which is not in the tenant/);
        assert.match(line, /Remove or fix the reference in the tenant/);
        assert.deepEqual(
          await repoState(repo),
          before,
          await git(["log", "-1", "--stat", "--format=%s"], { cwd: repo }),
        );
        assert.deepEqual(await nullReferences(repo), []);
      } finally {
        await t.control("PATCH", tenantPath(d.key, id), { ...original, nav: { assignments: assignmentsOf(object) } });
      }
    });
  }

  describe("git failures say what happened", () => {
    it("names git as missing when it is not on PATH (exit 1, hint to install it)", async () => {
      const repo = syncedRepo();
      const empty = join(work, `no-git-${n}`);
      mkdirSync(empty);
      for (const command of [
        ["plan", "--repo", repo, "--out", join(work, "plan-nogit.json")],
        ["backup", "--repo", repo],
      ]) {
        const r = await cli(command, { PATH: empty });
        assert.equal(r.code, 1, `${command[0]}: ${r.stderr}`);
        assert.match(r.stderr, /git was not found on PATH.*Install git and make sure it is on PATH/, r.stderr);
      }
    });

    const corruptions: Record<string, (repo: string) => void> = {
      "garbage in .git/HEAD": (repo) => writeFileSync(join(repo, ".git/HEAD"), "this is not a ref\n"),
      "garbage in .git/config": (repo) => writeFileSync(join(repo, ".git/config"), "[core\n\tbare = maybe\n"),
    };
    for (const [what, corrupt] of Object.entries(corruptions)) {
      it(`stops with git's own cause on a corrupt repository: ${what}`, async () => {
        const repo = syncedRepo();
        corrupt(repo);
        for (const command of [
          ["plan", "--repo", repo, "--out", join(work, "plan-corrupt.json")],
          ["backup", "--repo", repo],
        ]) {
          const r = await cli(command);
          assert.equal(r.code, 1, `${command[0]}: ${r.stderr}`);
          assert.match(r.stderr, /git \S+ .*failed in .*(not a git repository|bad config)/, r.stderr);
        }
        assert.deepEqual(
          readdirSync(join(repo, ".git")).includes("objects"),
          true,
          "nothing re-initialised the repository",
        );
      });
    }

    it("still works in an unborn repository whose user has no identity configured", async () => {
      const repo = join(work, `unborn-${++n}`);
      mkdirSync(repo);
      await git(["init", "-q", "-b", "main"], { cwd: repo });
      const home = join(work, `home-${n}`);
      mkdirSync(home);
      const r = await cli(["sync", "--repo", repo, "--out", join(work, "plan-unborn.json")], {
        HOME: home,
        XDG_CONFIG_HOME: home,
        GIT_CONFIG_NOSYSTEM: "1",
        GIT_CONFIG_GLOBAL: join(home, "none"),
      });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /In sync: nothing to deploy/);
      assert.equal(
        (await git(["log", "-1", "--format=%ae", backupBranch], { cwd: repo })).trim(),
        "tenant-sync@localhost",
      );
    });
  });

  describe("a wrong tenant says so", () => {
    for (const tenant of ["6b1a3c6e-1111-4222-8333-444455556666", "nowhere.onmicrosoft.com"]) {
      it(`names tenant ${tenant} as not found at the authority, with a hint, not a library link`, async () => {
        const repo = syncedRepo();
        for (const command of [
          ["backup", "--repo", repo],
          ["plan", "--repo", repo, "--out", join(work, "plan-tenant.json")],
        ]) {
          const r = await cli(command, { AZURE_TENANT_ID: tenant });
          assert.equal(r.code, 1, r.stderr);
          assert.ok(r.stderr.includes(`Tenant ${tenant} was not found at ${t.info.authorityHost}.`), r.stderr);
          assert.match(r.stderr, /Check the tenant id or domain/);
          assert.doesNotMatch(r.stderr, /aka\.ms|endpoints_resolution_error/);
        }
      });
    }
  });
});

describe("safety: the plan task on a partial backup and a wrong tenant", function () {
  this.timeout(180_000);
  let emulator: EmulatorProcess<ReadyInfo>;
  const values = (info: ReadyInfo, repositoryPath: string, artifactFolder: string, tenantId = info.tenantId) => ({
    tenantId,
    clientId: info.clientId,
    clientSecret: info.clientSecret,
    authorityHost: info.authorityHost,
    graphUrl: info.graphUrl,
    repositoryPath,
    artifactFolder,
  });

  before(async () => {
    emulator = await startGraphEmulatorProcess();
  });
  after(async () => emulator?.stop());

  it("ends SucceededWithIssues naming the left-out types, and pushes no import of theirs", async () => {
    const { info } = emulator;
    const checkout = await syncedCheckout(info);
    gitSync(checkout.work, "push", "-q", "origin", "main");
    const [policy] = (await emulator.control("GET", `/tenants/${info.tenantId}/objects/deviceCompliancePolicy`)).body;
    await emulator.control("PATCH", `/tenants/${info.tenantId}/objects/deviceCompliancePolicy/${policy.id}`, {
      description: "changed in the portal while scope tags fail",
    });
    await emulator.control("POST", "/faults", {
      method: "GET",
      pathContains: "/deviceManagement/roleScopeTags",
      count: 1000,
      action: { kind: "status", status: 400, code: "BadRequest", message: "Injected failure" },
    });
    const main = originBranch(checkout.origin, "main");
    const run = await runTaskScenario(
      "plan",
      "plans",
      values(info, checkout.work, join(mkdtempSync(join(tmpdir(), "tenant-sync-artifact-")), "plan")),
    );
    await emulator.control("DELETE", "/faults");
    assert.equal(run.result, "SucceededWithIssues", describeRun(run));
    assert.match(
      run.resultMessage ?? "",
      /Left out of the plan \(could not be read from the tenant\): .*intune\.roleScopeTag/,
    );
    assert.match(run.resultMessage ?? "", /intune\.compliancePolicy/);
    assert.equal(originBranch(checkout.origin, "main"), main, "no import was pushed");
    assert.equal(gitSync(checkout.work, "status", "--porcelain").trim(), "");
  });

  for (const tenant of ["6b1a3c6e-1111-4222-8333-444455556666", "nowhere.onmicrosoft.com"]) {
    it(`fails naming tenant ${tenant} as not found at the authority`, async () => {
      const { info } = emulator;
      const checkout = checkoutWithOrigin();
      const run = await runTaskScenario(
        "plan",
        "plans",
        values(info, checkout.work, join(mkdtempSync(join(tmpdir(), "tenant-sync-artifact-")), "plan"), tenant),
      );
      assert.equal(run.result, "Failed", describeRun(run));
      assert.ok(
        (run.resultMessage ?? "").includes(`Tenant ${tenant} was not found at ${info.authorityHost}.`),
        describeRun(run),
      );
      assert.doesNotMatch(run.resultMessage ?? "", /aka\.ms|endpoints_resolution_error/);
    });
  }
});

describe("safety: the pipeline's git steps fail with their cause", () => {
  it("treats a repository branch the remote lacks as nothing to catch up with", async () => {
    const checkout = checkoutWithOrigin();
    const state = await fetchTenantSyncBranches(
      checkout.work,
      { pushChanges: true, gitRemote: "origin", repositoryBranch: "refs/heads/not-there" },
      silentLogger,
    );
    assert.equal(state.startHead, gitSync(checkout.work, "rev-parse", "HEAD").trim());
  });

  it("stops with git's cause when the remote cannot be reached, instead of carrying on", async () => {
    const checkout = checkoutWithOrigin();
    gitSync(checkout.work, "remote", "set-url", "origin", join(checkout.root, "gone.git"));
    await assert.rejects(
      fetchTenantSyncBranches(
        checkout.work,
        { pushChanges: true, gitRemote: "origin", repositoryBranch: "refs/heads/main" },
        silentLogger,
      ),
      (e: Error & { code?: string }) => {
        assert.equal(e.code, "git.failed");
        assert.match(e.message, /git ls-remote .*gone\.git/);
        return true;
      },
    );
  });

  it("names git as missing on the agent", async () => {
    const checkout = checkoutWithOrigin();
    const path = process.env.PATH;
    process.env.PATH = join(checkout.root, "no-bin");
    try {
      await assert.rejects(
        fetchTenantSyncBranches(
          checkout.work,
          { pushChanges: true, gitRemote: "origin", repositoryBranch: "refs/heads/main" },
          silentLogger,
        ),
        (e: Error & { code?: string; detail?: { hint?: string } }) => {
          assert.equal(e.code, "git.failed");
          assert.match(e.message, /git was not found on PATH/);
          assert.match(e.detail?.hint ?? "", /Install git/);
          return true;
        },
      );
    } finally {
      process.env.PATH = path;
    }
  });
});
