/**
 * build — esbuild bundles of the command line and of every pipeline task into dist/ (made as
 * scripts/bundles.ts says: minified, with only the data files each bundle reads beside it), then a
 * smoke run of each bundle (bundlers can drop runtime files); the hub page's browser bundle into
 * dist/hub, and the fake host page that serves it locally into dist/hub-host (not shipped). dist/
 * is also the extension's staging root: the manifest and every task.json there carry the
 * package.json version, the one place versions live. `scripts/package.ts` makes the .vsix.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { build } from "esbuild";
import {
  cliBundleOptions,
  cliNoticeFiles,
  cliRuntimeFiles,
  hubBundleOptions,
  hubFiles,
  hubHostBundleOptions,
  hubHostFiles,
  root,
  type RuntimeFile,
  type ShippedFile,
  taskBundleOptions,
  taskNoticeFiles,
  taskRuntimeFiles,
} from "./bundles";

const dist = join(root, "dist");

interface TaskVersion {
  Major: number;
  Minor: number;
  Patch: number;
}

async function main(): Promise<void> {
  rmSync(dist, { recursive: true, force: true });
  await buildCli();
  const version = readPackageVersion();
  const tasks = discoverTasks();
  for (const task of tasks) await buildTask(task, version);
  await buildHub();
  stageExtension(tasks, version);
  for (const task of tasks) smokeRunTask(task);
  console.log(
    `built ${tasks.map((t) => `dist/tasks/${t}/index.js`).join(", ") || "no tasks"} (smoke runs ok), staged the extension ${version.text} in dist/`,
  );
}

async function buildCli(): Promise<void> {
  mkdirSync(join(dist, "cli"), { recursive: true });
  await build(cliBundleOptions(join(dist, "cli")));
  copyFiles([...cliRuntimeFiles, ...cliNoticeFiles], join(dist, "cli"));
  const help = execFileSync(
    process.execPath,
    ["-e", `require(${JSON.stringify(join(dist, "cli/main.js"))}).main(["--help"])`],
    { encoding: "utf8" },
  );
  if (!help.includes("Usage: tenant-sync")) throw new Error(`bundle smoke run printed no usage:\n${help}`);
  console.log(`built ${join("dist", "cli", "main.js")} (smoke run ok)`);
}

/** The hub page (shipped) and the fake host page that serves it locally (not shipped). */
async function buildHub(): Promise<void> {
  const hub = join(dist, "hub");
  await build(hubBundleOptions(hub));
  copyFiles(hubFiles, hub);
  for (const file of ["hub.html", "hub.js", "hub.css"])
    if (!existsSync(join(hub, file))) throw new Error(`the hub build made no dist/hub/${file}`);
  const host = join(dist, "hub-host");
  await build(hubHostBundleOptions(host));
  copyFiles(hubHostFiles, host);
  console.log(`built dist/hub/ (${readdirSync(hub).join(", ")}) and the fake host page in dist/hub-host/`);
}

function readPackageVersion(): TaskVersion & { text: string } {
  const text = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string }).version;
  const match = /^(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (!match)
    throw new Error(
      `package.json version "${text}" is not MAJOR.MINOR.PATCH: the extension and its tasks need exactly that`,
    );
  return { text, Major: Number(match[1]), Minor: Number(match[2]), Patch: Number(match[3]) };
}

/** Every folder under tasks/ with a task.json is a task; its entry is index.ts beside it. */
function discoverTasks(): string[] {
  const tasksDir = join(root, "tasks");
  if (!existsSync(tasksDir)) return [];
  return readdirSync(tasksDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(tasksDir, entry.name, "task.json")))
    .map((entry) => entry.name)
    .sort();
}

async function buildTask(name: string, version: TaskVersion): Promise<void> {
  const source = join(root, "tasks", name);
  const out = join(dist, "tasks", name);
  if (!existsSync(join(source, "index.ts"))) throw new Error(`tasks/${name} has a task.json but no index.ts to bundle`);
  await build(taskBundleOptions(name, out));
  const taskJson = JSON.parse(readFileSync(join(source, "task.json"), "utf8")) as Record<string, unknown>;
  const { Major, Minor, Patch } = version;
  writeFileSync(
    join(out, "task.json"),
    `${JSON.stringify({ ...taskJson, version: { Major, Minor, Patch } }, null, 2)}\n`,
  );
  cpSync(taskIcon(name), join(out, "icon.png"));
  // No lib.json: task-lib 5.x embeds its own messages (lib-resource.js) instead of reading it.
  copyFiles([...taskRuntimeFiles, ...taskNoticeFiles], out);
}

function copyFiles(files: (ShippedFile & Partial<RuntimeFile>)[], out: string): void {
  for (const file of files) {
    const source = join(root, file.source);
    const target = join(out, file.target);
    mkdirSync(dirname(target), { recursive: true });
    if (file.compactJson) writeFileSync(target, JSON.stringify(JSON.parse(readFileSync(source, "utf8"))));
    else cpSync(source, target, { recursive: true });
  }
}

/** The task's own icon.png if it has one, else the one drawn by scripts/make-icons.ts. */
function taskIcon(name: string): string {
  for (const candidate of [join(root, "tasks", name, "icon.png"), join(root, "static/tasks", `${name}.png`)]) {
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(
    `no icon for task ${name}: add tasks/${name}/icon.png or draw static/tasks/${name}.png in scripts/make-icons.ts`,
  );
}

interface Manifest {
  contributions?: { id: string; type: string; properties?: { name?: string } }[];
}

/** dist/ as tfx's root: the manifest with the version, and what it points at. */
function stageExtension(tasks: string[], version: { text: string }): void {
  const manifest = JSON.parse(readFileSync(join(root, "vss-extension.json"), "utf8")) as Manifest;
  const contributed = (manifest.contributions ?? [])
    .filter((c) => c.type === "ms.vss-distributed-task.task")
    .map((c) => c.properties?.name ?? "");
  const built = tasks.map((t) => `tasks/${t}`);
  const missing = contributed.filter((folder) => !built.includes(folder));
  const uncontributed = built.filter((folder) => !contributed.includes(folder));
  if (missing.length || uncontributed.length) {
    throw new Error(
      `vss-extension.json and tasks/ disagree: contributed but not built: ${missing.join(", ") || "none"}; built but not contributed: ${uncontributed.join(", ") || "none"}`,
    );
  }
  writeFileSync(
    join(dist, "vss-extension.json"),
    `${JSON.stringify({ ...manifest, version: version.text }, null, 2)}\n`,
  );
  // static/tasks/ holds the task icons, which travel inside each task's folder instead.
  cpSync(join(root, "static"), join(dist, "static"), {
    recursive: true,
    filter: (path) => !path.startsWith(join(root, "static/tasks")),
  });
  cpSync(join(root, "overview.md"), join(dist, "overview.md"));
}

/** What the agent hands a task (inputs, endpoints, job variables), kept from the smoke run. */
const agentVariable =
  /^(INPUT_|ENDPOINT_|SECUREFILE_|SYSTEM_|SYSTEMVSSCONNECTION|AGENT_|BUILD_|RELEASE_|TF_BUILD|VSTS_|AZURE_|TENANT_SYNC_)/;

/**
 * With no inputs, a task must stop at its own "input required" error. A bundle that lost a runtime
 * file (shelljs's dynamic requires, lib.json) fails earlier, with "Cannot find module" or ENOENT.
 */
function smokeRunTask(name: string): void {
  const cwd = mkdtempSync(join(tmpdir(), `tenant-sync-smoke-${name}-`));
  try {
    const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !agentVariable.test(key)));
    const run = spawnSync(process.execPath, [join(dist, "tasks", name, "index.js")], {
      cwd,
      env,
      encoding: "utf8",
      timeout: 60_000,
    });
    const output = `${run.stdout}\n${run.stderr}`;
    const failedOnInput =
      /input\b[^\n]*\brequired|required\b[^\n]*\binput/i.test(output) &&
      output.includes("##vso[task.complete result=Failed");
    if (!failedOnInput || /Cannot find module|ENOENT/.test(output)) {
      throw new Error(
        `smoke run of dist/tasks/${name}/index.js did not stop at "input required" (exit ${run.status ?? run.signal}):\n${output}`,
      );
    }
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
