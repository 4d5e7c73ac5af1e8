/**
 * test — runs the mocha suite with the local emulator CA trusted. Node reads NODE_EXTRA_CA_CERTS
 * only at start-up, so the CA is made first and mocha is started with it in its environment.
 * Arguments are passed to mocha (e.g. `npm test -- --grep batch`). The bundles under dist/ (the
 * tasks the local agent and the pipeline tests run, the CLI) are built first when missing or older
 * than their sources, so tests never run a stale bundle, and the .vsix is packaged when missing;
 * TENANT_SYNC_SKIP_BUILD=1 skips both.
 */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { ensureLocalCa, trustBundleFor } from "../emulators/https";
import { bundlesAreStale, prepare, root } from "./fresh-bundles";

// A rebuild empties dist/ (the .vsix too): only when stale. The .vsix is made here as well, before
// mocha starts, because test files run two at a time: a packaging test that built it itself would
// empty dist/ under the feet of a pipeline test running beside it.
if (process.env.TENANT_SYNC_SKIP_BUILD !== "1") {
  if (bundlesAreStale()) prepare("build.ts", "Building dist/ before the tests");
  const dist = join(root, "dist");
  if (!readdirSync(dist).some((f) => f.endsWith(".vsix")))
    prepare("package.ts", "Packaging the .vsix before the tests");
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
