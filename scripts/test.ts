/**
 * test — runs the mocha suite with the local emulator CA trusted. Node reads NODE_EXTRA_CA_CERTS
 * only at start-up, so the CA is made first and mocha is started with it in its environment.
 * Arguments are passed to mocha (e.g. `npm test -- --grep batch`).
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { ensureLocalCa, trustBundleFor } from "../emulators/https";

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
