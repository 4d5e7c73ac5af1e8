/**
 * test — runs the mocha suite with the local emulator CA trusted. Node reads NODE_EXTRA_CA_CERTS
 * only at start-up, so the CA is made first and mocha is started with it in its environment.
 * Arguments are passed to mocha (e.g. `npm test -- --grep batch`). The bundles under dist/ (the
 * tasks the local agent and the pipeline tests run, the CLI) are built first, so tests never run a
 * stale bundle; TENANT_SYNC_SKIP_BUILD=1 skips that when they are known to be current.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { ensureLocalCa, trustBundleFor } from "../emulators/https";

if (process.env.TENANT_SYNC_SKIP_BUILD !== "1") {
  const build = spawnSync(process.execPath, [require.resolve("tsx/cli"), join(__dirname, "build.ts")], {
    encoding: "utf8",
  });
  if (build.status !== 0) {
    process.stderr.write(`Building dist/ before the tests failed:\n${build.stdout}${build.stderr}`);
    process.exit(build.status ?? 1);
  }
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
