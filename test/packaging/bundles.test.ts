/**
 * What ships stays lean. The shipped entry points (every task bundle, and the command line outside
 * `emulate` and `demo`) never load the emulators or node-forge: checked on esbuild's own import graph
 * of each bundle, and by running the command line with both made unresolvable. A task's folder in the
 * .vsix holds only the files scripts/bundles.ts declares, each data file is read by a module inside
 * the bundle, and a task run from the unpacked .vsix against the Graph emulator reads every one.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { build, type Metafile } from "esbuild";
import {
  cliBundleOptions,
  cliRuntimeFiles,
  taskBundleOptions,
  taskFolderFiles,
  taskNoticeFiles,
  taskRuntimeFiles,
} from "../../scripts/bundles";
import type { ReadyInfo } from "../../emulators/graph/server";
import { type EmulatorProcess, startGraphEmulatorProcess } from "../helpers/emulator-process";
import { syncedCheckout } from "../helpers/first-sync";
import { emulatorSignIn } from "../helpers/task-scenario";
import { parseTaskOutput, describeRun } from "../helpers/mock-task-runner";
import { root, taskFolders } from "./extension-files";
import { openVsix, unpackVsix } from "./packaged";

/** Development-only code: what no shipped entry point may load. */
const devOnly = /^emulators\/|(^|\/)node_modules\/node-forge\//;

/**
 * The command line's only ways into the emulators: `require` calls inside the emulate and demo
 * commands' run(), and inside local-ca.ts's re-run for a loopback emulator (never for a real tenant).
 */
const lazyEdges = [
  ["src/cli/emulate.ts", "src/cli/run-emulator.ts"],
  ["src/cli/emulate.ts", "src/cli/run-devops.ts"],
  ["src/cli/demo.ts", "src/cli/run-demo.ts"],
  ["src/cli/local-ca.ts", "emulators/https.ts"],
];

async function metafileOf(options: Parameters<typeof build>[0]): Promise<Metafile> {
  const result = await build({ ...options, write: false, metafile: true, logLevel: "silent", absWorkingDir: root });
  return result.metafile;
}

/** Inputs reachable from the entry point, not following `skip` (pairs of importer and imported path). */
function reachable(meta: Metafile, entry: string, skip: string[][] = []): Set<string> {
  const seen = new Set<string>();
  const todo = [entry];
  while (todo.length) {
    const path = todo.pop()!;
    if (seen.has(path)) continue;
    seen.add(path);
    for (const { path: to } of meta.inputs[path]?.imports ?? []) {
      if (!skip.some(([from, target]) => from === path && target === to)) todo.push(to);
    }
  }
  return seen;
}

describe("lean bundles", function () {
  this.timeout(180_000);

  describe("esbuild's import graph", () => {
    for (const task of taskFolders()) {
      it(`${task}: the bundle holds no emulator code and no node-forge, and every module that reads a shipped file`, async () => {
        const meta = await metafileOf(taskBundleOptions(task, join(tmpdir(), "unused")));
        const inputs = Object.keys(meta.inputs);
        assert.ok(inputs.includes(`tasks/${task}/index.ts`), inputs.slice(0, 5).join(", "));
        assert.deepEqual(
          inputs.filter((path) => devOnly.test(path)),
          [],
        );
        for (const file of taskRuntimeFiles)
          assert.ok(inputs.includes(file.readBy), `${file.readBy} reads ${file.target}`);
      });
    }

    it("the command line reaches the emulators and node-forge only through emulate, demo and the local CA's trust", async () => {
      const meta = await metafileOf(cliBundleOptions(join(tmpdir(), "unused")));
      const entry = "src/cli/main.ts";
      for (const [from, to] of lazyEdges) {
        const edge = meta.inputs[from]?.imports.find((i) => i.path === to);
        assert.equal(
          edge?.kind,
          "require-call",
          `${from} loads ${to} with require() (found ${edge?.kind ?? "nothing"})`,
        );
      }
      const eager = reachable(meta, entry, lazyEdges);
      assert.deepEqual(
        [...eager].filter((path) => devOnly.test(path)),
        [],
        "reached without the lazy loads",
      );
      // The check means something: with them, the emulators and node-forge are in the graph.
      const all = reachable(meta, entry);
      assert.ok([...all].some((path) => path.startsWith("emulators/graph/")));
      assert.ok([...all].some((path) => path.includes("node_modules/node-forge/")));
      for (const file of cliRuntimeFiles) assert.ok(all.has(file.readBy), `${file.readBy} reads ${file.target}`);
    });
  });

  describe("the command line with the emulators and node-forge unresolvable", () => {
    let dir: string;
    let hook: string;
    const marker = "LEAN-CHECK: loaded development-only module";
    const cli = (...args: string[]) =>
      spawnSync(process.execPath, ["--require", hook, join(root, "bin", "tenant-sync.js"), ...args], {
        cwd: dir,
        encoding: "utf8",
        timeout: 60_000,
        env: { ...process.env, TENANT_SYNC_CA_DIR: join(dir, "no-ca") },
      });

    before(() => {
      dir = mkdtempSync(join(tmpdir(), "tenant-sync-lean-cli-"));
      hook = join(dir, "no-emulators.cjs");
      // Fails any resolution of node-forge or of a file under emulators/, whoever asks.
      writeFileSync(
        hook,
        `const Module = require("node:module");
const path = require("node:path");
const emulators = ${JSON.stringify(join(root, "emulators") + "/")};
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
  const resolved = resolve.call(this, request, parent, ...rest);
  if (request === "node-forge" || request.startsWith("node-forge/") || resolved.startsWith(emulators))
    throw new Error(${JSON.stringify(marker)} + ": " + request + " from " + (parent && parent.filename));
  return resolved;
};
`,
      );
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it("prints the overview and every command's help, emulate's and demo's included", () => {
      const overview = cli("--help");
      assert.equal(overview.status, 0, overview.stderr);
      const names = [...overview.stdout.matchAll(/^ {2}(\S+) {2,}/gm)].map((m) => m[1]);
      assert.ok(names.includes("emulate") && names.includes("demo") && names.includes("plan"), names.join(", "));
      for (const name of names) {
        const help = cli(name, "--help");
        assert.equal(help.status, 0, `${name} --help: ${help.stderr}`);
        assert.match(help.stdout, /^Usage: tenant-sync /, name);
      }
    });

    it("runs the other commands' work (types; plan up to signing in) without loading them", () => {
      const types = cli("types");
      assert.equal(types.status, 0, types.stderr);
      assert.match(types.stdout, /entra\.conditionalAccessPolicy/);
      // plan makes the repository and takes its lock, then stops at the missing certificate: no network.
      const certificate = join(dir, "missing.pem");
      const plan = cli(
        "plan",
        ...["--repo", join(dir, "repo"), "--out", join(dir, "plan.json"), "--certificate", certificate],
        ...[
          "--tenant-id",
          "00000000-0000-0000-0000-000000000001",
          "--client-id",
          "00000000-0000-0000-0000-000000000002",
        ],
      );
      assert.equal(plan.status, 1, `${plan.stdout}${plan.stderr}`);
      assert.ok(plan.stderr.includes(`The certificate file ${certificate} does not exist.`), plan.stderr);
      assert.match(plan.stderr, /Point --certificate/);
      assert.doesNotMatch(plan.stderr, /ENOENT/);
      assert.doesNotMatch(plan.stderr, new RegExp(marker));
      assert.ok(existsSync(join(dir, "repo", ".git")), "plan made the repository");
    });

    it("fails emulate and demo at the hook, so the hook does block what they load", () => {
      for (const args of [["emulate", "graph"], ["demo"]]) {
        const run = cli(...args);
        assert.notEqual(run.status, 0, args.join(" "));
        assert.match(run.stderr, new RegExp(marker), args.join(" "));
      }
    });
  });

  describe("the .vsix's task folders", () => {
    let files: string[];
    before(() => {
      files = openVsix()
        .getEntries()
        .filter((e) => !e.isDirectory)
        .map((e) => e.entryName);
    });

    for (const task of taskFolders()) {
      it(`${task}: holds the bundle, task.json, the icon, the data the bundle reads and the data's notice, no more`, () => {
        const expected = [
          ...taskFolderFiles,
          ...taskRuntimeFiles.map((f) => f.target),
          ...taskNoticeFiles.map((f) => f.target),
        ];
        assert.deepEqual(
          files
            .filter((name) => name.startsWith(`tasks/${task}/`))
            .map((name) => name.slice(`tasks/${task}/`.length))
            .sort(),
          expected.sort(),
        );
        assert.ok(!files.some((name) => name.endsWith(".map")), "no source maps");
      });
    }
  });

  describe("a task run from the unpacked .vsix against the Graph emulator", () => {
    let emulator: EmulatorProcess<ReadyInfo>;
    let unpacked: string;
    let work: string;
    before(async () => {
      unpacked = unpackVsix();
      work = mkdtempSync(join(tmpdir(), "tenant-sync-lean-run-"));
      emulator = await startGraphEmulatorProcess();
    });
    after(async () => {
      await emulator?.stop();
      rmSync(unpacked, { recursive: true, force: true });
      rmSync(work, { recursive: true, force: true });
    });

    it("plan: succeeds, and reads every data file shipped beside its bundle", async () => {
      const checkout = await syncedCheckout(emulator.info);
      const folder = join(unpacked, "tasks", "plan");
      const readLog = join(work, "reads.log");
      const tracker = join(work, "track-reads.cjs");
      // Logs every file the task opens for reading, by whichever fs entry point.
      writeFileSync(
        tracker,
        `const fs = require("node:fs");
const log = ${JSON.stringify(readLog)};
const note = (p) => { try { fs.appendFileSync(log, String(p) + "\\n"); } catch {} };
for (const name of ["readFileSync", "openSync", "readFile", "open", "createReadStream"]) {
  const original = fs[name];
  fs[name] = function (p, ...rest) { note(p); return original.call(this, p, ...rest); };
}
const readFile = fs.promises.readFile;
fs.promises.readFile = function (p, ...rest) { note(p); return readFile.call(this, p, ...rest); };
`,
      );
      const inputs: Record<string, string> = {
        tenant: "contoso",
        ...emulatorSignIn({ ...emulator.info }),
        repositoryPath: checkout.work,
        pushChanges: "false",
        conflictPolicy: "config",
        massChangeThreshold: "5%",
        confirmations: "",
        artifactFolder: join(work, "artifact"),
        artifactName: "tenant-sync-plan",
      };
      const env = Object.fromEntries(
        Object.entries(process.env).filter(([key]) => !/^(INPUT_|ENDPOINT_|SYSTEM_|AGENT_|BUILD_|TF_BUILD)/.test(key)),
      );
      for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
      const run = spawnSync(process.execPath, ["--require", tracker, join(folder, "index.js")], {
        cwd: work,
        env,
        encoding: "utf8",
        timeout: 120_000,
      });
      const result = parseTaskOutput(run.stdout, run.stderr);
      assert.equal(result.result, "Succeeded", describeRun(result));
      const read = new Set(
        readFileSync(readLog, "utf8")
          .split("\n")
          .filter(Boolean)
          .map((path) => relative(folder, path)),
      );
      for (const file of taskRuntimeFiles)
        assert.ok(
          read.has(file.target),
          `${file.target} was read (read: ${[...read].filter((p) => !p.startsWith("..")).join(", ")})`,
        );
    });
  });
});
