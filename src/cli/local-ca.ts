/**
 * local-ca — trust for the local emulators' CA. Node reads NODE_EXTRA_CA_CERTS only at start-up,
 * so a command that talks to a loopback emulator and does not trust its CA yet re-runs itself with
 * the variable set (to a bundle that keeps any CA file the variable already named).
 *
 * The CA code (emulators/https.ts, with node-forge) is a development tool: it loads here, only when
 * a command is about to talk to a loopback emulator, never for a real tenant.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

/**
 * Re-runs this process trusting the CA in `caDir` (default: the emulators' usual folder; made if
 * missing and `create`); undefined when already trusted, or when there is no CA and `create` is false.
 */
export function rerunTrustingLocalCa(caDir?: string, create = true): number | undefined {
  const { defaultCaDir, ensureLocalCa, trustBundleFor } =
    require("../../emulators/https") as typeof import("../../emulators/https");
  const dir = caDir ?? defaultCaDir();
  if (!create && !existsSync(join(dir, "ca.pem"))) return undefined;
  const ca = ensureLocalCa(dir);
  const bundle = trustBundleFor(ca, process.env.NODE_EXTRA_CA_CERTS);
  if (bundle === undefined) return undefined;
  const result = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: "inherit",
    env: { ...process.env, NODE_EXTRA_CA_CERTS: bundle, TENANT_SYNC_CA_DIR: ca.dir },
  });
  return result.status ?? 1;
}

/**
 * rerunTrustingLocalCa for a command that runs until stopped (an emulator): the child gets the
 * SIGINT / SIGTERM this process gets, so stopping the parent stops it too. Resolves with the child's
 * exit code; undefined when this process trusts the CA already.
 */
export function relaunchTrustingLocalCa(caDir?: string): Promise<number> | undefined {
  const { defaultCaDir, ensureLocalCa, trustBundleFor } =
    require("../../emulators/https") as typeof import("../../emulators/https");
  const ca = ensureLocalCa(caDir ?? defaultCaDir());
  const bundle = trustBundleFor(ca, process.env.NODE_EXTRA_CA_CERTS);
  if (bundle === undefined) return undefined;
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: "inherit",
    env: { ...process.env, NODE_EXTRA_CA_CERTS: bundle, TENANT_SYNC_CA_DIR: ca.dir },
  });
  const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
  process.on("SIGINT", forward("SIGINT"));
  process.on("SIGTERM", forward("SIGTERM"));
  return new Promise((resolve) => child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}
