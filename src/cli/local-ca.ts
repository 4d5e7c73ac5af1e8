/**
 * local-ca — trust for the local emulators' CA. Node reads NODE_EXTRA_CA_CERTS only at start-up,
 * so a command that talks to a loopback emulator and does not trust its CA yet re-runs itself with
 * the variable set (to a bundle that keeps any CA file the variable already named).
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { defaultCaDir, ensureLocalCa, trustBundleFor } from "../../emulators/https";

/** Re-runs this process trusting the CA in `caDir` (made if missing); undefined when already trusted. */
export function rerunTrustingLocalCa(caDir: string = defaultCaDir(), create = true): number | undefined {
  if (!create && !existsSync(join(caDir, "ca.pem"))) return undefined;
  const ca = ensureLocalCa(caDir);
  const bundle = trustBundleFor(ca, process.env.NODE_EXTRA_CA_CERTS);
  if (bundle === undefined) return undefined;
  const result = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: "inherit",
    env: { ...process.env, NODE_EXTRA_CA_CERTS: bundle, TENANT_SYNC_CA_DIR: ca.dir },
  });
  return result.status ?? 1;
}
