/**
 * run-emulator — what `tenant-sync emulate graph` does: starts the Graph emulator, prints its ready
 * line, and stops it on SIGINT / SIGTERM. Loaded only by that command, so the emulators stay out of
 * every other command's way (and out of what they load).
 */
import { GraphEmulator } from "../../emulators/graph/server";
import { safeOutput } from "../core/safe-text";
import { numberOption, UsageError } from "./command";

export async function runEmulator(
  values: Record<string, string | boolean | undefined>,
  positionals: string[],
): Promise<number> {
  if (positionals[0] !== "graph")
    throw new UsageError(
      `Unknown emulator '${positionals[0] ?? ""}': use 'tenant-sync emulate graph' or 'tenant-sync emulate devops'.`,
    );
  const throttle = String(values.throttle);
  if (throttle !== "realistic" && throttle !== "off")
    throw new UsageError(`--throttle must be 'realistic' or 'off'; got '${throttle}'.`);
  const emulator = new GraphEmulator({
    port: numberOption(values.port, "port", { min: 0, max: 65535 }),
    controlPort: numberOption(values["control-port"], "control-port", { min: 0, max: 65535 }),
    seed: String(values.seed),
    stateDir: values["state-dir"] as string | undefined,
    caDir: values["ca-dir"] as string | undefined,
    clientId: values["client-id"] as string | undefined,
    clientSecret: values["client-secret"] as string | undefined,
    tenantId: values["tenant-id"] as string | undefined,
    throttle: { mode: throttle, scale: numberOption(values["throttle-scale"], "throttle-scale", { min: 0.001 }) },
    faults: {
      latencyMs: numberOption(values["latency-ms"], "latency-ms", { min: 0 }),
      jitterMs: numberOption(values["jitter-ms"], "jitter-ms", { min: 0 }),
      errorRate: numberOption(values["error-rate"], "error-rate", { min: 0, max: 1 }),
      resetRate: numberOption(values["reset-rate"], "reset-rate", { min: 0, max: 1 }),
    },
    paging: { defaultPageSize: numberOption(values["page-size"], "page-size", { min: 1, max: 999 }) },
    log: (line) => process.stderr.write(safeOutput(`${line}\n`)),
  });
  const ready = await emulator.start();
  process.stdout.write(`${JSON.stringify(ready)}\n`);
  process.stderr.write(`Graph emulator on ${ready.graphUrl}, control API on ${ready.controlUrl}. Ctrl+C stops it.\n`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  await emulator.stop();
  process.stderr.write("Graph emulator stopped.\n");
  return 0;
}
