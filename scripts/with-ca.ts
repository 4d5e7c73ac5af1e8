/**
 * with-ca — runs a TypeScript script (through tsx) trusting the local emulator CA. Node reads
 * NODE_EXTRA_CA_CERTS only at start-up, so the CA is made first and the script started with it.
 * Usage: tsx scripts/with-ca.ts scripts/bench-backup.ts [args…]
 */
import { spawnSync } from "node:child_process";
import { defaultCaDir, ensureLocalCa, trustBundleFor } from "../emulators/https";

const ca = ensureLocalCa(defaultCaDir());
const [script, ...args] = process.argv.slice(2);
if (!script) {
  console.error("usage: tsx scripts/with-ca.ts <script.ts> [args…]");
  process.exit(2);
}
const result = spawnSync(process.execPath, [require.resolve("tsx/cli"), script, ...args], {
  stdio: "inherit",
  env: {
    ...process.env,
    TENANT_SYNC_CA_DIR: ca.dir,
    NODE_EXTRA_CA_CERTS: trustBundleFor(ca, process.env.NODE_EXTRA_CA_CERTS) ?? process.env.NODE_EXTRA_CA_CERTS,
  },
});
process.exit(result.status ?? 1);
