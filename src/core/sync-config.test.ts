import assert from "node:assert/strict";
import { isSyncError, type SyncError } from "./errors";
import { resourceTypeIds } from "./resources/registry";
import type { ResourceTypeId } from "./resources/resource-type";
import { defaultConfig, enabledTypeIds, parseSyncConfig, refuseHistoryBranches, type SyncConfig } from "./sync-config";

const source = "tenant-sync.json";

/** The SyncError parseSyncConfig throws for `text`. */
function problemWith(text: string): SyncError {
  try {
    parseSyncConfig(text, source, resourceTypeIds);
  } catch (e) {
    assert.ok(isSyncError(e), `expected a SyncError, got ${String(e)}`);
    return e;
  }
  assert.fail(`${text} was accepted`);
}

describe("parseSyncConfig", () => {
  describe("a valid file", () => {
    const cases: Record<string, { text: string; want: SyncConfig }> = {
      "fills every default into an empty object": { text: "{}", want: defaultConfig },
      "keeps the settings given and fills the rest": {
        text: JSON.stringify({ conflictPolicy: "repo-wins", massChangeThreshold: 0.2 }),
        want: { ...defaultConfig, conflictPolicy: "repo-wins", massChangeThreshold: 0.2 },
      },
      "reads include and exclude lists of known type ids": {
        text: JSON.stringify({
          resourceTypes: { include: ["intune.compliancePolicy", "entra.group"], exclude: ["entra.group"] },
        }),
        want: {
          ...defaultConfig,
          resourceTypes: { include: ["intune.compliancePolicy", "entra.group"], exclude: ["entra.group"] },
        },
      },
      "accepts a branch name with folders": {
        text: JSON.stringify({ backupBranch: "ops/tenant-sync/backup-1.0" }),
        want: { ...defaultConfig, backupBranch: "ops/tenant-sync/backup-1.0" },
      },
      "accepts a threshold of 0": {
        text: JSON.stringify({ massChangeThreshold: 0 }),
        want: { ...defaultConfig, massChangeThreshold: 0 },
      },
    };
    for (const [name, c] of Object.entries(cases)) {
      it(name, () => assert.deepEqual(parseSyncConfig(c.text, source, resourceTypeIds), c.want));
    }

    it("accepts a $schema reference for editors, and a threshold of 1", () => {
      const config = parseSyncConfig(
        JSON.stringify({ $schema: "./tenant-sync.schema.json", massChangeThreshold: 1 }),
        source,
        resourceTypeIds,
      );
      assert.equal(config.massChangeThreshold, 1);
    });
  });

  it("refuses text that is not JSON with config.invalid, naming the source", () => {
    const error = problemWith('{ "conflictPolicy": "stop", }');
    assert.equal(error.code, "config.invalid");
    assert.match(error.message, /tenant-sync\.json/);
    assert.ok(error.detail.hint);
  });

  const problems: Record<string, { config: unknown; where: string; also?: RegExp }> = {
    "an unknown top-level setting": {
      config: { conflictPolcy: "stop" },
      where: "(top level)",
      also: /"conflictPolcy"/,
    },
    "an unknown setting under resourceTypes": {
      config: { resourceTypes: { inclde: [] } },
      where: "/resourceTypes",
      also: /"inclde"/,
    },
    "an unknown resource type id in include": {
      config: { resourceTypes: { include: ["entra.group", "intune.widget"] } },
      where: "/resourceTypes/include/1",
      also: /"intune\.widget"/,
    },
    "an unknown resource type id in exclude": {
      config: { resourceTypes: { exclude: ["intune.widget"] } },
      where: "/resourceTypes/exclude/0",
    },
    "a type listed twice": {
      config: { resourceTypes: { include: ["entra.group", "entra.group"] } },
      where: "/resourceTypes/include",
    },
    "a conflictPolicy that is not one of the three": {
      config: { conflictPolicy: "ours" },
      where: "/conflictPolicy",
      also: /"stop", "repo-wins", "tenant-wins"/,
    },
    "a threshold above 1": { config: { massChangeThreshold: 1.5 }, where: "/massChangeThreshold" },
    "a threshold below 0": { config: { massChangeThreshold: -0.1 }, where: "/massChangeThreshold" },
    "a threshold that is not a number": { config: { massChangeThreshold: "5%" }, where: "/massChangeThreshold" },
    "a branch name with '..'": { config: { backupBranch: "backup..old" }, where: "/backupBranch" },
    "a branch name with a space": { config: { backupBranch: "tenant sync" }, where: "/backupBranch" },
    "a branch name starting with '/'": { config: { backupBranch: "/backup" }, where: "/backupBranch" },
    "a branch name ending in '.lock'": { config: { backupBranch: "backup.lock" }, where: "/backupBranch" },
    "a branch name ending in '/'": { config: { backupBranch: "backup/" }, where: "/backupBranch" },
    "a branch name with '//'": { config: { backupBranch: "a//b" }, where: "/backupBranch" },
    "a file that is not an object": { config: ["stop"], where: "(top level)" },
  };
  for (const [what, c] of Object.entries(problems)) {
    it(`reports ${what} with config.invalid and its JSON path`, () => {
      const error = problemWith(JSON.stringify(c.config));
      assert.equal(error.code, "config.invalid");
      assert.ok(error.message.startsWith(`${source} has 1 problem: `), error.message);
      assert.ok(error.message.includes(`${c.where}: `), error.message);
      if (c.also) assert.match(error.message, c.also);
    });
  }

  const suggestions: Record<string, { typo: string; want: string }> = {
    "a plural": { typo: "intune.compliancePolicies", want: "intune.compliancePolicy" },
    "a wrong case": { typo: "Entra.Group", want: "entra.group" },
    "a missing letter": { typo: "entra.namedLocaton", want: "entra.namedLocation" },
  };
  for (const [what, c] of Object.entries(suggestions)) {
    it(`suggests the close type id for ${what}`, () => {
      const error = problemWith(JSON.stringify({ resourceTypes: { include: [c.typo] } }));
      assert.ok(error.message.includes(`(did you mean "${c.want}"?)`), error.message);
    });
  }

  const selections: Record<string, { config: object; message: RegExp }> = {
    "an empty include list (it would mean every type by accident)": {
      config: { resourceTypes: { include: [] } },
      message: /resourceTypes\.include lists no types/,
    },
    "include and exclude that leave no type": {
      config: { resourceTypes: { include: ["entra.group"], exclude: ["entra.group"] } },
      message: /leave no resource type to sync/,
    },
  };
  for (const [what, c] of Object.entries(selections)) {
    it(`refuses ${what} with config.invalid`, () => {
      const error = problemWith(JSON.stringify(c.config));
      assert.equal(error.code, "config.invalid");
      assert.match(error.message, c.message);
    });
  }

  const branches: Record<string, { backupBranch: string; current?: string; message?: RegExp }> = {
    "the base branch": {
      backupBranch: "tenant-sync/base",
      current: "main",
      message: /is the base branch tenant-sync\/base/,
    },
    "the checked-out branch": {
      backupBranch: "main",
      current: "main",
      message: /is the branch the repository has checked out \(main\)/,
    },
    "the checked-out branch in another case": { backupBranch: "MAIN", current: "main", message: /checked out/ },
    "any branch, when the base branch is checked out": {
      backupBranch: "tenant-sync/backup",
      current: "tenant-sync/base",
      message: /has the base branch tenant-sync\/base checked out/,
    },
    "a branch of its own": { backupBranch: "tenant-sync/backup", current: "main" },
    "any branch while HEAD is detached (no branch is checked out)": { backupBranch: "main", current: undefined },
  };
  for (const [what, c] of Object.entries(branches)) {
    it(`${c.message ? "refuses" : "accepts"} as backupBranch ${what}`, () => {
      const check = () =>
        refuseHistoryBranches(
          { ...defaultConfig, backupBranch: c.backupBranch },
          { base: "tenant-sync/base", current: c.current },
        );
      if (!c.message) return check();
      assert.throws(check, (e: unknown) => isSyncError(e) && e.code === "config.invalid" && c.message!.test(e.message));
    });
  }

  it("suggests nothing for a type id that is nowhere near a known one", () => {
    const error = problemWith(JSON.stringify({ resourceTypes: { include: ["sharepoint.siteDesign"] } }));
    assert.doesNotMatch(error.message, /did you mean/);
  });

  it("reports every problem of a file at once", () => {
    const error = problemWith(JSON.stringify({ extra: 1, conflictPolicy: "ours", massChangeThreshold: 2 }));
    assert.match(error.message, /has 3 problems: /);
    for (const where of ["(top level): ", "/conflictPolicy: ", "/massChangeThreshold: "])
      assert.ok(error.message.includes(where), error.message);
  });
});

describe("enabledTypeIds", () => {
  const all: ResourceTypeId[] = [
    "entra.group",
    "entra.namedLocation",
    "intune.compliancePolicy",
    "intune.deviceConfiguration",
  ];
  const config = (resourceTypes: SyncConfig["resourceTypes"]): SyncConfig => ({ ...defaultConfig, resourceTypes });

  const cases: Record<
    string,
    { config: SyncConfig; override?: Parameters<typeof enabledTypeIds>[2]; want: ResourceTypeId[] }
  > = {
    "enables every type when nothing is chosen": { config: config({}), want: all },
    "treats an empty include list as every type": { config: config({ include: [] }), want: all },
    "enables only the included types, in registry order": {
      config: config({ include: ["intune.deviceConfiguration", "entra.group"] }),
      want: ["entra.group", "intune.deviceConfiguration"],
    },
    "removes the excluded types from all": {
      config: config({ exclude: ["entra.namedLocation"] }),
      want: ["entra.group", "intune.compliancePolicy", "intune.deviceConfiguration"],
    },
    "lets exclude win over include": {
      config: config({ include: ["entra.group", "intune.compliancePolicy"], exclude: ["entra.group"] }),
      want: ["intune.compliancePolicy"],
    },
    "lets a command-line include replace the file's include": {
      config: config({ include: ["entra.group"] }),
      override: { include: ["intune.compliancePolicy"] },
      want: ["intune.compliancePolicy"],
    },
    "keeps the file's include when the command line includes nothing": {
      config: config({ include: ["entra.group"] }),
      override: { include: [] },
      want: ["entra.group"],
    },
    "adds command-line excludes to the file's excludes": {
      config: config({ exclude: ["entra.group"] }),
      override: { exclude: ["intune.deviceConfiguration"] },
      want: ["entra.namedLocation", "intune.compliancePolicy"],
    },
    "applies the file's exclude to a command-line include": {
      config: config({ exclude: ["entra.group"] }),
      override: { include: ["entra.group", "entra.namedLocation"] },
      want: ["entra.namedLocation"],
    },
    "ignores included ids that are not known": {
      config: config({ include: ["entra.group", "intune.widget" as ResourceTypeId] }),
      want: ["entra.group"],
    },
  };
  for (const [name, c] of Object.entries(cases)) {
    it(name, () => assert.deepEqual(enabledTypeIds(all, c.config, c.override), c.want));
  }
});
