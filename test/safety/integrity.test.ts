/**
 * Referential integrity at plan time, through the command line against the Graph emulator: the
 * desired state is checked whole before anything reaches the tenant. A delete (or rename) of an
 * object that remaining objects refer to, a raw id that neither side has, one tenant id in two files,
 * a create-only change and a read-only property block the plan; a rename plus a new object with the
 * old name plans and deploys.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getResourceType } from "../../src/core/resources/registry";
import type { ResourceTypeId } from "../../src/core/resources/resource-type";
import { git } from "../../src/core/snapshot/git";
import { runCli } from "../helpers/cli";
import { commitAll } from "../helpers/commit";
import { startTestEmulator, type TestEmulator } from "../helpers/graph-emulator";

interface Finding {
  kind: string;
  confirm?: string;
  addresses: string[];
  message: string;
}
type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const addressOf = (type: string, name: string) => `${type}[${JSON.stringify(name)}]`;
const pointerOf = (path: (string | number)[]) =>
  path.map((s) => `/${String(s).replace(/~/g, "~0").replace(/\//g, "~1")}`).join("");

describe("integrity: the desired state is checked whole at plan time", function () {
  this.timeout(180_000);
  let t: TestEmulator;
  let work: string;
  let repo: string;
  let planCount = 0;

  const cli = (...args: string[]) => runCli(t.info, args);
  const plan = async () => {
    const planPath = join(work, `plan-${++planCount}.json`);
    const r = await cli("plan", "--repo", repo, "--out", planPath, "--json");
    const written =
      r.code === 0 || r.code === 5
        ? (JSON.parse(readFileSync(planPath, "utf8")) as {
            findings: Finding[];
            changes: { address: string; action: string }[];
          })
        : undefined;
    return { ...r, planPath, findings: written?.findings ?? [], changes: written?.changes ?? [] };
  };
  const read = (file: string) =>
    JSON.parse(readFileSync(join(repo, file), "utf8")) as { type: string; id: string; object: Record<string, Json> };
  const write = (file: string, doc: unknown) => writeFileSync(join(repo, file), `${JSON.stringify(doc, null, 2)}\n`);
  const edit = (file: string, change: (object: Record<string, Json>) => void) => {
    const doc = read(file);
    change(doc.object);
    write(file, doc);
  };
  /** Back to the committed desired state after each case. */
  const restore = async () => {
    await git(["checkout", "-q", "--", "."], { cwd: repo });
    await git(["clean", "-q", "-fd"], { cwd: repo });
  };
  const objects = (key: string) =>
    t.control("GET", `/tenants/${t.info.tenantId}/objects/${key}`).then((r) => r.body as Record<string, Json>[]);

  // An object's name is the value of its type's natural key (a VPP token's location), as declared.
  const nameOf = (folder: string, object: { [k: string]: Json }) => {
    const type = getResourceType(folder as ResourceTypeId);
    return String(type.kind === "singleton" ? (object.displayName ?? object.name ?? "") : object[type.naturalKey]);
  };
  /** Every repository file of the demo tenant with its address: found here from the files, not from the engine. */
  const repoFiles = () =>
    readdirSync(repo)
      .filter((f) => /^(entra|intune)\./.test(f))
      .flatMap((folder) =>
        readdirSync(join(repo, folder))
          .filter((f) => f.endsWith(".json"))
          .map((f) => {
            const file = `${folder}/${f}`;
            const doc = read(file);
            return {
              file,
              type: folder,
              id: doc.id,
              address: addressOf(folder, nameOf(folder, doc.object)),
              object: doc.object,
            };
          }),
      );
  /** Where the files refer to `address` through a `$ref`: referrer address and pointer. */
  const referrersOf = (address: string) => {
    const out: { address: string; pointer: string }[] = [];
    const walk = (node: Json, path: (string | number)[], owner: string) => {
      if (Array.isArray(node)) node.forEach((v, i) => walk(v, [...path, i], owner));
      else if (node && typeof node === "object") {
        if (node.$ref === address) out.push({ address: owner, pointer: pointerOf(path) });
        else for (const [k, v] of Object.entries(node)) walk(v, [...path, k], owner);
      }
    };
    for (const f of repoFiles()) walk(f.object, [], f.address);
    return out;
  };
  const fileOf = (address: string) => {
    const found = repoFiles().find((f) => f.address === address);
    assert.ok(found, `the demo tenant's repository has ${address}`);
    return found;
  };

  before(async () => {
    t = await startTestEmulator({ throttle: { mode: "off" } });
    work = mkdtempSync(join(tmpdir(), "tenant-sync-integrity-"));
    repo = join(work, "repo");
    const r = await cli("sync", "--repo", repo, "--out", join(work, "plan-0.json"));
    assert.equal(r.code, 0, r.stderr);
  });
  after(async () => {
    await t.emulator.stop();
    rmSync(work, { recursive: true, force: true });
  });
  afterEach(restore);

  describe("a delete of an object the remaining objects still refer to is blocked, naming every referrer", () => {
    // Each referenceable type the demo tenant has, with an object the configuration refers to.
    const targets = [
      'intune.assignmentFilter["Windows 11 corporate"]',
      'entra.group["All Windows devices"]',
      'entra.group["Finance users"]',
      'intune.roleScopeTag["EMEA"]',
      'entra.namedLocation["Blocked countries"]',
      'entra.namedLocation["Head office"]',
      'entra.authenticationStrengthPolicy["Admins: FIDO2 or Windows Hello"]',
      'intune.notificationMessageTemplate["Device not compliant"]',
    ];
    for (const target of targets) {
      it(`${target}: its file removed while others still refer to it`, async () => {
        const referrers = referrersOf(target);
        assert.ok(referrers.length > 0, `something in the demo tenant refers to ${target}`);
        rmSync(join(repo, fileOf(target).file));
        const r = await plan();
        assert.equal(r.code, 5, r.stderr);
        const finding = r.findings.find((f) => f.kind === "referencedDelete" && f.addresses[0] === target);
        assert.ok(finding, `a referencedDelete finding for ${target}: ${JSON.stringify(r.findings)}`);
        assert.equal(finding.confirm, undefined, "no confirmation lifts it");
        assert.deepEqual(new Set(finding.addresses.slice(1)), new Set(referrers.map((x) => x.address)));
        for (const x of referrers)
          assert.ok(
            finding.message.includes(`${x.address} at ${x.pointer}`),
            `${finding.message} names ${x.address} at ${x.pointer}`,
          );
        const refused = await cli("deploy", "--plan", r.planPath, "--confirm", "deletes,mass,secrets");
        assert.equal(refused.code, 1);
        assert.match(refused.stderr, /referencedDelete/);
      });
    }

    it("a referrer that holds the deleted object's raw id (no $ref) is named too", async () => {
      const target = 'intune.assignmentFilter["Windows 11 corporate"]';
      const filter = fileOf(target);
      const policy = fileOf('intune.settingsCatalogPolicy["Windows - BitLocker"]');
      edit(policy.file, (o) => {
        (
          (o.assignments as Json[])[0] as { target: Record<string, Json> }
        ).target.deviceAndAppManagementAssignmentFilterId = filter.id;
      });
      rmSync(join(repo, filter.file));
      const r = await plan();
      assert.equal(r.code, 5, r.stderr);
      const finding = r.findings.find((f) => f.kind === "referencedDelete" && f.addresses[0] === target);
      assert.ok(finding, JSON.stringify(r.findings));
      assert.ok(
        finding.message.includes(`${policy.address} at /assignments/0/target/deviceAndAppManagementAssignmentFilterId`),
        finding.message,
      );
    });

    it("a rename that leaves references to the old name is blocked the same way", async () => {
      const target = 'entra.namedLocation["Head office"]';
      edit(fileOf(target).file, (o) => {
        o.displayName = "Main office";
      });
      const r = await plan();
      assert.equal(r.code, 5, r.stderr);
      const finding = r.findings.find((f) => f.kind === "referencedDelete" && f.addresses[0] === target);
      assert.ok(finding, JSON.stringify(r.findings));
      for (const x of referrersOf(target))
        assert.ok(finding.message.includes(`${x.address} at ${x.pointer}`), finding.message);
      assert.match(finding.message, /renamed to entra\.namedLocation\["Main office"\]/);
    });

    it("a delete nothing refers to needs only the deletes confirmation", async () => {
      rmSync(join(repo, fileOf('intune.roleScopeTag["Finance"]').file));
      const r = await plan();
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(
        r.findings.map((f) => f.kind),
        ["delete"],
      );
    });
  });

  describe("a raw id at a reference pointer must be an object of the tenant or of the repository", () => {
    const policy = 'intune.compliancePolicy["Windows - Compliance baseline"]';
    const cases: { name: string; set: (o: Record<string, Json>) => void; blocked?: string }[] = [
      {
        name: "a group id no one has",
        set: (o) => {
          ((o.assignments as Json[])[0] as { target: Record<string, Json> }).target.groupId =
            "0badc0de-0000-4000-8000-000000000001";
        },
        blocked: "entra.group with id 0badc0de-0000-4000-8000-000000000001",
      },
      {
        name: "a scope tag id no one has",
        set: (o) => {
          (o.roleScopeTagIds as Json[]).push("99");
        },
        blocked: "intune.roleScopeTag with id 99",
      },
      {
        name: "an assignment filter id no one has",
        set: (o) => {
          (
            (o.assignments as Json[])[0] as { target: Record<string, Json> }
          ).target.deviceAndAppManagementAssignmentFilterId = "0badc0de-0000-4000-8000-000000000002";
        },
        blocked: "intune.assignmentFilter with id 0badc0de-0000-4000-8000-000000000002",
      },
      {
        name: "the tenant id of an existing group",
        set: (o) => {
          ((o.assignments as Json[])[0] as { target: Record<string, Json> }).target.groupId =
            fileOf('entra.group["Pilot users"]').id;
        },
      },
      {
        name: "the global scope tag 0",
        set: (o) => {
          (o.roleScopeTagIds as Json[]).push("0");
        },
      },
    ];
    for (const c of cases) {
      it(`${c.name}: ${c.blocked ? "blocked like a missing name" : "accepted"}`, async () => {
        edit(fileOf(policy).file, c.set);
        const r = await plan();
        const missing = r.findings.filter((f) => f.kind === "missingReference");
        if (!c.blocked) {
          assert.equal(r.code, 0, r.stderr + JSON.stringify(r.findings));
          assert.deepEqual(missing, []);
          return;
        }
        assert.equal(r.code, 5, r.stderr);
        assert.equal(missing.length, 1, JSON.stringify(r.findings));
        assert.deepEqual(missing[0].addresses, [policy]);
        assert.ok(missing[0].message.includes(c.blocked), missing[0].message);
      });
    }

    it("an id recorded in a repository file of that type (an object the plan creates from it) is accepted", async () => {
      const recorded = "0badc0de-0000-4000-8000-000000000003";
      const group = read(fileOf('entra.group["Pilot users"]').file);
      write("entra.group/Pilot ring 2.json", {
        ...group,
        id: recorded,
        object: { ...group.object, displayName: "Pilot ring 2", mailNickname: "pilotring2" },
      });
      edit(fileOf(policy).file, (o) => {
        ((o.assignments as Json[])[0] as { target: Record<string, Json> }).target.groupId = recorded;
      });
      const r = await plan();
      assert.deepEqual(
        r.findings.filter((f) => f.kind === "missingReference"),
        [],
      );
    });
  });

  describe("pairing", () => {
    it("one tenant id in two repository files is blocked, naming both files", async () => {
      const original = fileOf('entra.group["Pilot users"]');
      const doc = read(original.file);
      write("entra.group/Pilot copy.json", { ...doc, object: { ...doc.object, displayName: "Pilot copy" } });
      const r = await plan();
      assert.equal(r.code, 5, r.stderr);
      const finding = r.findings.find((f) => f.kind === "duplicateId");
      assert.ok(finding, JSON.stringify(r.findings));
      assert.equal(finding.confirm, undefined);
      assert.ok(
        finding.message.includes(original.file) && finding.message.includes("entra.group/Pilot copy.json"),
        finding.message,
      );
      assert.ok(finding.message.includes(doc.id), finding.message);
    });
  });

  describe("create-only and read-only properties are caught at plan time", () => {
    it("a change to a create-only property on update is blocked, not silently dropped", async () => {
      const filter = fileOf('intune.assignmentFilter["iOS company owned"]');
      edit(filter.file, (o) => {
        o.platform = o.platform === "iOS" ? "android" : "iOS";
      });
      const r = await plan();
      assert.equal(r.code, 5, r.stderr);
      const finding = r.findings.find((f) => f.kind === "createOnlyChange");
      assert.ok(finding, JSON.stringify(r.findings));
      assert.deepEqual(finding.addresses, [filter.address]);
      assert.match(finding.message, /\/platform/);
      assert.match(finding.message, /only be set when the object is created/);
    });

    const readOnly = [
      {
        address: 'intune.compliancePolicy["Windows - Compliance baseline"]',
        property: "createdDateTime",
        value: "2026-01-01T00:00:00Z",
      },
      { address: 'intune.roleScopeTag["EMEA"]', property: "isBuiltIn", value: false },
      { address: 'intune.settingsCatalogPolicy["Windows - BitLocker"]', property: "isAssigned", value: true },
      { address: 'intune.remediationScript["Clear temp files"]', property: "isGlobalScript", value: false },
      // Inside a sub-resource item: the setting's id, which the service assigns.
      {
        address: 'intune.settingsCatalogPolicy["Windows - Defender antivirus"]',
        property: "/settings/0/id",
        value: "0",
        set: (o: Record<string, Json>) => {
          ((o.settings as Json[])[0] as Record<string, Json>).id = "0";
        },
      },
    ];
    for (const c of readOnly) {
      it(`a read-only property in the repository is refused, naming file and property: ${c.address} "${c.property}"`, async () => {
        const file = fileOf(c.address).file;
        edit(
          file,
          c.set ??
            ((o) => {
              o[c.property] = c.value;
            }),
        );
        const r = await plan();
        assert.equal(r.code, 1, r.stdout);
        assert.ok(r.stderr.includes(file), r.stderr);
        assert.ok(r.stderr.includes(`"${c.property}" is read-only`), r.stderr);
      });
    }
  });

  // Last: these deploy, changing the tenant.
  describe("deploy", () => {
    it("a rename plus a new object with the old name, while others refer to that name, is blocked as ambiguous", async () => {
      const target = 'entra.namedLocation["Head office"]';
      const old = fileOf(target);
      const doc = read(old.file);
      rmSync(join(repo, old.file));
      write("entra.namedLocation/Main office.json", { ...doc, object: { ...doc.object, displayName: "Main office" } });
      write("entra.namedLocation/Head office.json", { type: doc.type, object: doc.object });
      const r = await plan();
      assert.equal(r.code, 5, r.stderr);
      const finding = r.findings.find((f) => f.kind === "ambiguousReference");
      assert.ok(finding, JSON.stringify(r.findings));
      assert.equal(finding.addresses[0], target);
      for (const x of referrersOf(target))
        assert.ok(finding.message.includes(`${x.address} at ${x.pointer}`), finding.message);
    });

    it("a rename plus a new object with the old name plans an update and a create, and deploys both", async () => {
      const old = fileOf('intune.assignmentFilter["iOS company owned"]');
      const doc = read(old.file);
      rmSync(join(repo, old.file));
      write("intune.assignmentFilter/iOS corporate.json", {
        ...doc,
        object: { ...doc.object, displayName: "iOS corporate" },
      });
      write("intune.assignmentFilter/iOS company owned.json", {
        type: doc.type,
        object: { ...doc.object, description: "The new filter of the old name" },
      });
      await commitAll(repo, "Rename a filter and add a new one of the old name");
      const r = await plan();
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(
        r.changes.map((c) => `${c.action} ${c.address}`),
        ['update intune.assignmentFilter["iOS corporate"]', 'create intune.assignmentFilter["iOS company owned"]'],
      );
      const deployed = await cli("deploy", "--plan", r.planPath, "--repo", repo);
      assert.equal(deployed.code, 0, deployed.stderr + deployed.stdout);
      const filters = await objects("assignmentFilter");
      const renamed = filters.find((f) => f.id === doc.id);
      assert.equal(renamed?.displayName, "iOS corporate");
      const created = filters.filter((f) => f.displayName === "iOS company owned");
      assert.equal(created.length, 1);
      assert.notEqual(created[0].id, doc.id);
      assert.equal(created[0].description, "The new filter of the old name");
      const again = await plan();
      assert.equal(again.code, 0, again.stderr);
      assert.deepEqual(again.changes, []);
    });

    it("a raw id recorded only in a repository file deploys as a reference to that object by name, and the file is rewritten so", async () => {
      const recorded = "0badc0de-0000-4000-8000-000000000004";
      const policy = fileOf('intune.compliancePolicy["Windows - Compliance baseline"]');
      const group = read(fileOf('entra.group["Pilot users"]').file);
      write("entra.group/Pilot ring 3.json", {
        ...group,
        id: recorded,
        object: { ...group.object, displayName: "Pilot ring 3", mailNickname: "pilotring3" },
      });
      edit(policy.file, (o) => {
        ((o.assignments as Json[])[0] as { target: Record<string, Json> }).target.groupId = recorded;
      });
      await commitAll(repo, "Assign the baseline to a new group by its recorded id");
      const r = await plan();
      assert.equal(r.code, 0, JSON.stringify(r.findings, null, 1));
      const deployed = await cli("deploy", "--plan", r.planPath, "--repo", repo);
      assert.equal(deployed.code, 0, deployed.stderr + deployed.stdout);
      const created = (await objects("group")).find((g) => g.displayName === "Pilot ring 3");
      assert.ok(created && created.id !== recorded);
      const stored = JSON.stringify((await objects("deviceCompliancePolicy")).find((p) => p.id === policy.id));
      assert.ok(stored.includes(String(created.id)), `the policy is assigned to the new group's id: ${stored}`);
      assert.ok(!stored.includes(recorded), "not to the id recorded in the repository");
      const target = ((read(policy.file).object.assignments as Json[])[0] as { target: Record<string, Json> }).target
        .groupId;
      assert.deepEqual(
        target,
        { $ref: 'entra.group["Pilot ring 3"]', id: created.id },
        "after settling, the file refers to the group by name, with its new id",
      );
      const again = await plan();
      assert.equal(again.code, 0, JSON.stringify(again.findings));
      assert.deepEqual(again.changes, []);
    });

    it("a rename with every referrer moved to the new name in the same plan deploys, the references resolving to the renamed object", async () => {
      const target = 'entra.group["Finance users"]';
      const renamed = 'entra.group["Finance staff"]';
      const group = fileOf(target);
      const referrers = referrersOf(target);
      assert.ok(referrers.length > 0);
      const moveRefs = (node: Json): Json => {
        if (Array.isArray(node)) return node.map(moveRefs);
        if (node && typeof node === "object")
          return node.$ref === target
            ? { ...node, $ref: renamed }
            : Object.fromEntries(Object.entries(node).map(([k, v]) => [k, moveRefs(v)]));
        return node;
      };
      for (const f of repoFiles())
        if (referrers.some((x) => x.address === f.address))
          write(f.file, { ...read(f.file), object: moveRefs(f.object) });
      edit(group.file, (o) => {
        o.displayName = "Finance staff";
      });
      await commitAll(repo, "Rename Finance users, references included");
      const r = await plan();
      assert.equal(r.code, 0, JSON.stringify(r.findings, null, 1));
      assert.ok(r.changes.some((c) => c.action === "update" && c.address === renamed));
      const deployed = await cli("deploy", "--plan", r.planPath, "--repo", repo);
      assert.equal(deployed.code, 0, deployed.stderr + deployed.stdout);
      assert.equal((await objects("group")).find((g) => g.id === group.id)?.displayName, "Finance staff");
      const again = await plan();
      assert.equal(again.code, 0, again.stderr);
      assert.deepEqual(again.changes, [], "the tenant's referrers point at the renamed group");
    });
  });
});
