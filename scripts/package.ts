/**
 * package — the .vsix, made by tfx from the staging root scripts/build.ts leaves in dist/ (the
 * manifest with its version, the task bundles, the icons, the overview). Offline: `tfx extension
 * create` calls no server. tfx only warns about a bad task.json and still exits 0, so any warning
 * fails here. Extra arguments go to tfx (`npm run package -- --publisher my-publisher`).
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, rmSync } from "node:fs";
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
