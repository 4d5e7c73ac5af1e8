/**
 * Safe with a production tenant, part 1 (the repository boundary), through the command line against
 * the Graph emulator: no file outside the repository is read (a link anywhere the engine reads is
 * refused by name before anything is sent or committed); files the engine would ignore are
 * reported; oversized and non-UTF-8 files are refused; a UTF-8 script body reaches the tenant
 * byte for byte; settings that would corrupt history are refused.
 */
import assert from "node:assert/strict";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { git, gitBytes } from "../../src/core/snapshot/git";
import { runCli } from "../helpers/cli";
import { commitAll } from "../helpers/commit";
import { startTestEmulator, type TestEmulator } from "../helpers/graph-emulator";

const secret = "AZURE_CLIENT_SECRET=boundary-test-Zq7xW9-not-a-real-secret";
const scriptDir = "intune.powerShellScript";
const scriptJson = `${scriptDir}/Set time zone.json`;
const scriptBody = `${scriptDir}/Set time zone.ps1`;
const policyDir = "intune.compliancePolicy";
const policyFile = `${policyDir}/Windows - Compliance baseline.json`;

const doc = (name: string) =>
  `${JSON.stringify({ id: "", object: { "@odata.type": "#microsoft.graph.windows10CompliancePolicy", displayName: name, description: secret } })}\n`;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

describe("safety: the repository boundary", function () {
  this.timeout(300_000);
  let t: TestEmulator;
  let work: string;
  let repo: string;
  let outside: string;

  const cli = (...args: string[]): Promise<Run> => runCli(t.info, args);
  const objects = async (key: string) =>
    (await t.control("GET", `/tenants/${t.info.tenantId}/objects/${key}`)).body as Record<string, unknown>[];
  /** What must not move when a run is refused: every ref, the tenant, the emulator's request count. */
  const state = async (dir = repo) => ({
    refs: await git(["for-each-ref", "--format=%(refname) %(objectname)"], { cwd: dir }),
    requests: (await t.control("GET", "/_emulator/counters")).body.httpRequests as number,
    scripts: JSON.stringify(await objects("deviceManagementScript")),
    policies: JSON.stringify(await objects("deviceCompliancePolicy")),
  });
  /** The secret is in no object git holds (every commit's tree and any loose blob), nor in what was printed. */
  const assertSecretNowhere = async (run: Run, dir = repo) => {
    const all = await gitBytes(["cat-file", "--batch-all-objects", "--batch"], { cwd: dir });
    assert.ok(!all.includes(secret), "the secret is in the git object database");
    const commits = (await git(["for-each-ref", "--format=%(objectname)"], { cwd: dir })).split("\n").filter(Boolean);
    const grep = await git(["grep", "-l", "-F", "-e", secret, ...commits, "--"], { cwd: dir }).catch((e) =>
      (e as { cause?: { code?: number } }).cause?.code === 1 ? "" : Promise.reject(e),
    );
    assert.equal(grep, "", "git grep finds the secret in a branch");
    assert.ok(!run.stdout.includes(secret) && !run.stderr.includes(secret), "the secret was printed");
    for (const f of readdirSync(work))
      if (f.startsWith("plan"))
        assert.ok(!readFileSync(join(work, f), "utf8").includes(secret), `${f} holds the secret`);
  };
  const refusedUnchanged = async (args: string[], expect: RegExp[], dir = repo): Promise<Run> => {
    const planPath = join(work, "plan-refused.json");
    const before = await state(dir);
    const run = await cli(
      ...args,
      "--repo",
      dir,
      ...(args[0] === "backup" ? ["--json"] : ["--out", planPath, ...(args[0] === "sync" ? ["--yes"] : [])]),
    );
    assert.notEqual(run.code, 0, `${args.join(" ")} was refused\n${run.stdout}${run.stderr}`);
    for (const e of expect) assert.match(run.stderr + run.stdout, e);
    assert.ok(!existsSync(planPath), "no plan.json was written");
    assert.deepEqual(await state(dir), before, "nothing was sent to the tenant and no ref moved");
    await assertSecretNowhere(run, dir);
    return run;
  };
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

  before(async () => {
    t = await startTestEmulator({ throttle: { mode: "off" } });
    work = mkdtempSync(join(tmpdir(), "tenant-sync-boundary-"));
    repo = join(work, "repo");
    outside = join(work, "outside");
    mkdirSync(outside);
    writeFileSync(join(outside, "environ"), `HOME=/root\n${secret}\n`);
    writeFileSync(join(outside, "leak.json"), doc("Leak"));
    const first = await cli("sync", "--repo", repo, "--out", join(work, "plan-0.json"));
    assert.equal(first.code, 0, first.stderr);
    assert.ok(existsSync(join(repo, scriptBody)), "the first sync wrote the script body");
  });
  after(async () => t.emulator.stop());

  describe("no file outside the repository is read", () => {
    // Each place the engine reads, linked: [what, the file named, set up, undo].
    const places: { what: string; file: string; commands: string[][]; setUp: () => void; undo: () => void }[] = [
      {
        what: "a script body linked to the process environment",
        file: scriptBody,
        commands: [["plan"], ["sync"]],
        setUp: () => {
          renameSync(join(repo, scriptBody), join(work, "aside.ps1"));
          symlinkSync(join(outside, "environ"), join(repo, scriptBody));
        },
        undo: () => {
          rmSync(join(repo, scriptBody));
          renameSync(join(work, "aside.ps1"), join(repo, scriptBody));
        },
      },
      {
        what: "an object file linked to a file outside",
        file: `${policyDir}/Leak.json`,
        commands: [["plan"], ["sync"]],
        setUp: () => symlinkSync(join(outside, "leak.json"), join(repo, policyDir, "Leak.json")),
        undo: () => rmSync(join(repo, policyDir, "Leak.json")),
      },
      {
        what: "a type folder linked to a folder outside",
        file: "entra.namedLocation",
        commands: [["plan"], ["sync"]],
        setUp: () => {
          mkdirSync(join(outside, "locations"));
          writeFileSync(join(outside, "locations", "Leak.json"), doc("Leak"));
          renameSync(join(repo, "entra.namedLocation"), join(work, "aside-locations"));
          symlinkSync(join(outside, "locations"), join(repo, "entra.namedLocation"));
        },
        undo: () => {
          rmSync(join(repo, "entra.namedLocation"));
          renameSync(join(work, "aside-locations"), join(repo, "entra.namedLocation"));
        },
      },
      {
        what: "tenant-sync.json linked to a file outside",
        file: "tenant-sync.json",
        commands: [["plan"], ["sync"], ["backup"]],
        setUp: () => {
          writeFileSync(join(outside, "config.json"), JSON.stringify({ $schema: secret }));
          symlinkSync(join(outside, "config.json"), join(repo, "tenant-sync.json"));
        },
        undo: () => rmSync(join(repo, "tenant-sync.json")),
      },
      {
        what: "an object file linked to another file inside the repository",
        file: `${policyDir}/Alias.json`,
        commands: [["plan"], ["sync"]],
        setUp: () => symlinkSync("Windows - Compliance baseline.json", join(repo, policyDir, "Alias.json")),
        undo: () => rmSync(join(repo, policyDir, "Alias.json")),
      },
      {
        what: "a stray file in a type folder linked outside",
        file: `${policyDir}/notes.txt`,
        commands: [["plan"]],
        setUp: () => symlinkSync(join(outside, "environ"), join(repo, policyDir, "notes.txt")),
        undo: () => rmSync(join(repo, policyDir, "notes.txt")),
      },
      {
        what: "a link inside a folder nested in a type folder",
        file: `${policyDir}/old/Leak.json`,
        commands: [["plan"]],
        setUp: () => {
          mkdirSync(join(repo, policyDir, "old"));
          symlinkSync(join(outside, "leak.json"), join(repo, policyDir, "old", "Leak.json"));
        },
        undo: () => rmSync(join(repo, policyDir, "old"), { recursive: true }),
      },
    ];
    for (const place of places) {
      it(`refuses ${place.what}, naming it, before anything is sent or committed (${place.commands.map((c) => c[0]).join(", ")})`, async () => {
        place.setUp();
        try {
          for (const command of place.commands) {
            await refusedUnchanged(command, [new RegExp(`${escape(place.file)} is a symbolic link`)]);
          }
        } finally {
          place.undo();
        }
      });
    }

    it("accepts a repository root that is itself a symbolic link", async () => {
      const link = join(work, "repo-link");
      symlinkSync(repo, link);
      const r = await cli("plan", "--repo", link, "--out", join(work, "plan-link.json"));
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /0 to add, 0 to change, 0 to delete/);
    });
  });

  describe("files the engine would ignore are reported", () => {
    it("warns, naming each ignored file or folder, and stays quiet about ordinary root files", async () => {
      const cases: [string, string][] = [
        ["Intune.CompliancePolicy/readme.txt", "Intune.CompliancePolicy/ is ignored"],
        ["intune.compliance-policy/readme.txt", "intune.compliance-policy/ is ignored"],
        ["intune.complaincePolicy/readme.txt", "intune.complaincePolicy/ is ignored"],
        [`${policyDir}/Extra.JSON`, `${policyDir}/Extra.JSON is ignored`],
        [`${policyDir}/old/notes.md`, `${policyDir}/old/ is a folder inside ${policyDir}/ and is ignored`],
        [`${policyDir}/notes.txt`, `${policyDir}/notes.txt is ignored`],
        [`${scriptDir}/Orphan.ps1`, `${scriptDir}/Orphan.ps1 is ignored`],
      ];
      const ordinary = ["README.md", "azure-pipelines.yml", "docs/guide.md", ".gitignore", "tenant-sync.json"];
      for (const [file] of cases) {
        mkdirSync(join(repo, file, ".."), { recursive: true });
        writeFileSync(join(repo, file), file.endsWith(".JSON") ? "[]\n" : "text\n");
      }
      for (const file of ordinary) {
        mkdirSync(join(repo, file, ".."), { recursive: true });
        writeFileSync(join(repo, file), file.endsWith(".json") ? "{}\n" : "text\n");
      }
      try {
        const r = await cli("plan", "--repo", repo, "--out", join(work, "plan-warn.json"));
        assert.equal(r.code, 0, r.stderr);
        for (const [, warning] of cases) assert.match(r.stderr, new RegExp(escape(warning)), warning);
        for (const file of ordinary) assert.doesNotMatch(r.stderr, new RegExp(escape(file)), `${file} is normal`);
      } finally {
        for (const path of [
          "Intune.CompliancePolicy",
          "intune.compliance-policy",
          "intune.complaincePolicy",
          `${policyDir}/Extra.JSON`,
          `${policyDir}/old`,
          `${policyDir}/notes.txt`,
          `${scriptDir}/Orphan.ps1`,
          "README.md",
          "azure-pipelines.yml",
          "docs",
          ".gitignore",
          "tenant-sync.json",
        ])
          rmSync(join(repo, path), { recursive: true, force: true });
      }
    });

    it("refuses, all at once and naming each, the files whose objects would be silently dropped", async () => {
      const policy = JSON.parse(readFileSync(join(repo, policyFile), "utf8"));
      const lost = (name: string) =>
        `${JSON.stringify({ id: "", object: { ...policy.object, displayName: name } }, null, 2)}\n`;
      const cases: [string, RegExp][] = [
        [
          "Intune.CompliancePolicy/Lost.json",
          /Intune\.CompliancePolicy\/ is not a resource type Tenant Sync knows \(did you mean intune\.compliancePolicy\?\)/,
        ],
        [
          "intune.compliancePolicies/Lost.json",
          /intune\.compliancePolicies\/ is not a resource type Tenant Sync knows \(did you mean intune\.compliancePolicy\?\)/,
        ],
        [
          "intune.complaince_policy/Lost.json",
          /intune\.complaince_policy\/ is not a resource type Tenant Sync knows \(did you mean intune\.compliancePolicy\?\)/,
        ],
        [
          `${policyDir}/archive/Lost.json`,
          /intune\.compliancePolicy\/archive\/ is a folder inside intune\.compliancePolicy\/.*1 \.json file would be ignored/,
        ],
        [
          `${policyDir}/Shouting.JSON`,
          /intune\.compliancePolicy\/Shouting\.JSON holds an object.*Rename it to Shouting\.json/,
        ],
      ];
      for (const [file] of cases) {
        mkdirSync(join(repo, file, ".."), { recursive: true });
        writeFileSync(join(repo, file), lost(file));
      }
      const script = readFileSync(join(repo, scriptJson), "utf8");
      const doc = JSON.parse(script);
      doc.object.scriptContent = { $file: "/../../outside/environ" };
      writeFileSync(join(repo, scriptJson), JSON.stringify(doc, null, 2));
      try {
        const r = await refusedUnchanged(
          ["plan"],
          [
            ...cases.map(([, e]) => e),
            /Set time zone\.json has \{"\$file": "\/\.\.\/\.\.\/outside\/environ"\} in "scriptContent".*must be \{"\$file": "\.ps1"\}/,
          ],
        );
        assert.match(r.stderr, /6 problems in the repository/);
      } finally {
        writeFileSync(join(repo, scriptJson), script);
        for (const top of [
          "Intune.CompliancePolicy",
          "intune.compliancePolicies",
          "intune.complaince_policy",
          `${policyDir}/archive`,
          `${policyDir}/Shouting.JSON`,
        ])
          rmSync(join(repo, top), { recursive: true, force: true });
      }
    });
  });

  describe("limits", () => {
    it("refuses an object file or a script body above 4 MiB, naming each", async () => {
      const policy = JSON.parse(readFileSync(join(repo, policyFile), "utf8"));
      writeFileSync(
        join(repo, policyDir, "Huge.json"),
        JSON.stringify({
          id: "",
          object: { ...policy.object, displayName: "Huge", description: "x".repeat(4 * 1024 * 1024) },
        }),
      );
      const script = JSON.parse(readFileSync(join(repo, scriptJson), "utf8"));
      writeFileSync(
        join(repo, scriptDir, "Huge.json"),
        JSON.stringify({ id: "", object: { ...script.object, displayName: "Huge" } }),
      );
      writeFileSync(join(repo, scriptDir, "Huge.ps1"), `# ${"x".repeat(4 * 1024 * 1024)}\n`);
      try {
        await refusedUnchanged(
          ["plan"],
          [
            /intune\.compliancePolicy\/Huge\.json is \d+ bytes; Tenant Sync reads at most 4194304 bytes \(4 MiB\)/,
            /intune\.powerShellScript\/Huge\.ps1 is \d+ bytes/,
          ],
        );
      } finally {
        for (const f of [`${policyDir}/Huge.json`, `${scriptDir}/Huge.json`, `${scriptDir}/Huge.ps1`])
          rmSync(join(repo, f));
      }
    });
  });

  describe("script bodies", () => {
    it("refuses a script body that is not UTF-8 (UTF-16, binary, another code page), naming each and saying what to do", async () => {
      const script = JSON.parse(readFileSync(join(repo, scriptJson), "utf8"));
      const bodies: [string, Buffer, RegExp][] = [
        [
          "Utf16le",
          Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("Write-Output 'x'\r\n", "utf16le")]),
          /UTF-16 \(little endian\)/,
        ],
        ["Utf16be", Buffer.from([0xfe, 0xff, 0x00, 0x57, 0x00, 0x0a]), /UTF-16 \(big endian\)/],
        ["Binary", Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0xff, 0xfe, 0x00]), /binary/],
        ["Cp1252", Buffer.from("Write-Output 'caf\u00e9'\r\n", "latin1"), /another encoding/],
      ];
      for (const [name, bytes] of bodies) {
        writeFileSync(
          join(repo, scriptDir, `${name}.json`),
          JSON.stringify({ id: "", object: { ...script.object, displayName: name } }),
        );
        writeFileSync(join(repo, scriptDir, `${name}.ps1`), bytes);
      }
      try {
        const r = await refusedUnchanged(
          ["plan"],
          bodies.map(
            ([name, , guess]) =>
              new RegExp(`intune\\.powerShellScript/${name}\\.ps1 is not UTF-8 text: it looks like ${guess.source}`),
          ),
        );
        assert.match(r.stderr, /Save it as UTF-8 \(with or without a byte order mark\), or.*base64/);
      } finally {
        for (const [name] of bodies)
          for (const ext of [".json", ".ps1"]) rmSync(join(repo, scriptDir, `${name}${ext}`));
      }
    });

    it("deploys a UTF-8 body with a byte order mark and CRLF line ends byte for byte", async () => {
      const bytes = Buffer.from(
        "\uFEFFWrite-Output 'Zeit: \u00fc'\r\nSet-TimeZone -Id 'W. Europe Standard Time'\r\n",
        "utf8",
      );
      writeFileSync(join(repo, scriptBody), bytes);
      await commitAll(repo, "Script body with BOM and CRLF", { allowEmpty: true });
      const planPath = join(work, "plan-bom.json");
      const planned = await cli("plan", "--repo", repo, "--out", planPath);
      assert.equal(planned.code, 0, planned.stderr);
      assert.match(planned.stdout, /0 to add, 1 to change, 0 to delete/);
      const deployed = await cli("deploy", "--plan", planPath, "--repo", repo);
      assert.equal(deployed.code, 0, deployed.stderr + deployed.stdout);
      const [tenantScript] = (await objects("deviceManagementScript")).filter((s) => s.displayName === "Set time zone");
      assert.deepEqual(
        Buffer.from(String(tenantScript.scriptContent), "base64"),
        bytes,
        "the tenant holds exactly the repository's bytes",
      );
    });
  });

  describe("settings that would corrupt history are refused before anything is sent or committed", () => {
    const settings: [string, object, RegExp][] = [
      [
        "backupBranch = the base branch",
        { backupBranch: "tenant-sync/base" },
        /backupBranch "tenant-sync\/base" is the base branch/,
      ],
      [
        "backupBranch = the checked-out branch",
        { backupBranch: "main" },
        /backupBranch "main" is the branch the repository has checked out \(main\)/,
      ],
      [
        "backupBranch = the checked-out branch, in another case",
        { backupBranch: "Main" },
        /backupBranch "Main" is the branch the repository has checked out/,
      ],
      ["an empty include list", { resourceTypes: { include: [] } }, /resourceTypes\.include lists no types/],
      [
        "include and exclude leaving no type",
        { resourceTypes: { include: ["entra.group"], exclude: ["entra.group"] } },
        /leave no resource type to sync/,
      ],
    ];
    for (const [what, config, message] of settings) {
      it(`refuses ${what} (backup, plan, sync)`, async () => {
        assert.equal((await git(["symbolic-ref", "HEAD"], { cwd: repo })).trim(), "refs/heads/main");
        writeFileSync(join(repo, "tenant-sync.json"), JSON.stringify(config));
        try {
          const backedUp = await refusedUnchanged(["backup"], [message]);
          assert.equal(JSON.parse(backedUp.stdout.trim()).code, "config.invalid");
          await refusedUnchanged(["plan"], [message]);
          await refusedUnchanged(["sync"], [message]);
        } finally {
          rmSync(join(repo, "tenant-sync.json"));
        }
      });
    }

    it("refuses command-line type choices that leave no type (backup, plan, sync)", async () => {
      const message = /The resource types chosen leave none to back up: --types entra\.group minus entra\.group/;
      const backedUp = await refusedUnchanged(
        ["backup", "--types", "entra.group", "--exclude", "entra.group"],
        [message],
      );
      assert.equal(JSON.parse(backedUp.stdout.trim()).code, "config.invalid");
      await refusedUnchanged(["plan", "--types", "entra.group", "--exclude", "entra.group"], [message]);
      await refusedUnchanged(["sync", "--types", "entra.group", "--exclude", "entra.group"], [message]);
    });

    it("knows the checked-out branch of a repository without commits", async () => {
      const fresh = join(work, "fresh");
      mkdirSync(fresh);
      await git(["init", "-q", "-b", "work"], { cwd: fresh });
      writeFileSync(join(fresh, "tenant-sync.json"), JSON.stringify({ backupBranch: "work" }));
      await refusedUnchanged(
        ["backup"],
        [/backupBranch "work" is the branch the repository has checked out \(work\)/],
        fresh,
      );
    });
  });
});
