/**
 * fresh-bundles — whether the bundles under dist/ (the CLI and the three tasks) are missing or older
 * than their sources, and a way to run a build script to its end: the test runner and the
 * benchmarks that run the built CLI rebuild only then, so neither ever runs a stale bundle.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

export const root = join(__dirname, "..");

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

export function bundlesAreStale(): boolean {
  const bundles = ["cli/main.js", "tasks/backup/index.js", "tasks/plan/index.js", "tasks/deploy/index.js"].map((b) =>
    join(root, "dist", b),
  );
  const built = bundles.every((b) => existsSync(b)) ? Math.min(...bundles.map((b) => statSync(b).mtimeMs)) : 0;
  const sources = Math.max(...["src", "tasks", "hub", "templates"].map((d) => newestMtime(join(root, d))));
  return built < sources;
}

/** Runs scripts/<script> to its end, or stops this process saying what failed. */
export function prepare(script: string, what: string): void {
  const run = spawnSync(process.execPath, [require.resolve("tsx/cli"), join(__dirname, script)], { encoding: "utf8" });
  if (run.status !== 0) {
    process.stderr.write(`${what} failed:\n${run.stdout}${run.stderr}`);
    process.exit(run.status ?? 1);
  }
}
