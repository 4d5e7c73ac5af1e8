/**
 * package — the .vsix, made by tfx from the staging root scripts/build.ts leaves in dist/ (the
 * manifest with its version, the task bundles, the hub page, the icons, the overview). Offline: `tfx extension
 * create` calls no server. tfx only warns about a bad task.json and still exits 0, so any warning
 * fails here. Extra arguments go to tfx (`npm run package -- --publisher my-publisher`). Ends with
 * a table of the bundles' sizes and the .vsix's, so a change that bloats what ships shows.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, rmSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const root = join(__dirname, "..");
const dist = join(root, "dist");

function main(): void {
  if (!existsSync(join(dist, "vss-extension.json"))) {
    throw new Error("dist/vss-extension.json is missing: run `npm run build` first (`npm run package` does both)");
  }
  for (const old of vsixFiles()) rmSync(join(dist, old));
  const tfx = join(root, "node_modules/.bin", process.platform === "win32" ? "tfx.cmd" : "tfx");
  const args = [
    "extension",
    "create",
    "--manifest-globs",
    "vss-extension.json",
    "--root",
    dist,
    "--output-path",
    `${dist}/`,
    "--no-prompt",
    "--no-color",
    ...process.argv.slice(2),
  ];
  const run = spawnSync(tfx, args, { cwd: root, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  const output = `${run.stdout}${run.stderr}`;
  const warnings = output.split("\n").filter((line) => /^\s*warning:/i.test(line));
  if (run.status !== 0 || warnings.length) {
    throw new Error(
      `tfx extension create ${run.status !== 0 ? `failed (exit ${run.status ?? run.signal})` : "warned"}:\n${output}`,
    );
  }
  const [vsix] = vsixFiles();
  if (!vsix) throw new Error(`tfx extension create made no .vsix in dist/:\n${output}`);
  console.log(`packaged ${relative(root, join(dist, vsix))}`);
  console.log(sizeTable([...bundleFiles(), vsix]));
}

/** The command line's bundle, every task's and the hub page's, relative to dist/. */
function bundleFiles(): string[] {
  const tasks = existsSync(join(dist, "tasks")) ? readdirSync(join(dist, "tasks")).sort() : [];
  return ["cli/main.js", ...tasks.map((task) => `tasks/${task}/index.js`), "hub/hub.js", "hub/hub.css"].filter((file) =>
    existsSync(join(dist, file)),
  );
}

function sizeTable(files: string[]): string {
  const rows = files.map((file) => [`dist/${file}`, `${(statSync(join(dist, file)).size / 1024).toFixed(1)} KiB`]);
  const width = Math.max(...rows.map(([name]) => name.length));
  const valueWidth = Math.max(...rows.map(([, size]) => size.length));
  return rows.map(([name, size]) => `  ${name.padEnd(width)}  ${size.padStart(valueWidth)}`).join("\n");
}

function vsixFiles(): string[] {
  return readdirSync(dist).filter((file) => file.endsWith(".vsix"));
}

try {
  main();
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
}
