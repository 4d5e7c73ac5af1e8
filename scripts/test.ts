/**
 * test — runs the mocha suite with the local emulator CA trusted. Node reads NODE_EXTRA_CA_CERTS
 * only at start-up, so the CA is made first and mocha is started with it in its environment.
 * Arguments are passed to mocha (e.g. `npm test -- --grep batch`). The bundles under dist/ (the
 * tasks the local agent and the pipeline tests run, the CLI) are built first when missing or older
 * than their sources, so tests never run a stale bundle, and the .vsix is packaged when missing;
 * TENANT_SYNC_SKIP_BUILD=1 skips both.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { ensureLocalCa, trustBundleFor } from "../emulators/https";

/** The newest change time of the files under `dir` (tests excluded: they are not bundled). */
function newestMtime(dir: string): number {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path));
    else if (!/\.test\.tsx?$/.test(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

const root = join(__dirname, "..");
const bundles = ["cli/main.js", "tasks/backup/index.js", "tasks/plan/index.js", "tasks/deploy/index.js"].map((b) =>
  join(root, "dist", b),
);
const built = bundles.every((b) => existsSync(b)) ? Math.min(...bundles.map((b) => statSync(b).mtimeMs)) : 0;
const sources = Math.max(...["src", "tasks", "hub", "templates"].map((d) => newestMtime(join(root, d))));
/** Runs scripts/<script> to its end, or stops the tests saying what failed. */
function prepare(script: string, what: string): void {
  const run = spawnSync(process.execPath, [require.resolve("tsx/cli"), join(__dirname, script)], { encoding: "utf8" });
  if (run.status !== 0) {
    process.stderr.write(`${what} before the tests failed:\n${run.stdout}${run.stderr}`);
    process.exit(run.status ?? 1);
  }
}

// A rebuild empties dist/ (the .vsix too): only when stale. The .vsix is made here as well, before
// mocha starts, because test files run two at a time: a packaging test that built it itself would
// empty dist/ under the feet of a pipeline test running beside it.
if (process.env.TENANT_SYNC_SKIP_BUILD !== "1") {
  if (built < sources) prepare("build.ts", "Building dist/");
  const dist = join(root, "dist");
  if (!readdirSync(dist).some((f) => f.endsWith(".vsix"))) prepare("package.ts", "Packaging the .vsix");
}

const caDir = process.env.TENANT_SYNC_CA_DIR || join(__dirname, "..", ".cache", "emulator-ca");
const ca = ensureLocalCa(caDir);
const mocha = require.resolve("mocha/bin/mocha.js");
const result = spawnSync(process.execPath, [mocha, ...process.argv.slice(2)], {
  stdio: "inherit",
  env: {
    ...process.env,
    TENANT_SYNC_CA_DIR: caDir,
    NODE_EXTRA_CA_CERTS: trustBundleFor(ca, process.env.NODE_EXTRA_CA_CERTS) ?? process.env.NODE_EXTRA_CA_CERTS,
  },
});
process.exit(result.status ?? 1);
