/**
 * emulate — `tenant-sync emulate graph`: runs the local Microsoft Graph until SIGINT / SIGTERM.
 * Prints exactly one JSON line on stdout when ready (URLs, credentials, CA path); logs go to stderr.
 */
import { GraphEmulator } from "../../emulators/graph/server";
import { safeOutput } from "../core/safe-text";
import { type Command, numberOption, UsageError } from "./command";

export const emulateCommand: Command = {
  name: "emulate",
  summary:
    "Run a local emulator. 'graph' is the Microsoft Graph emulator with its token endpoint (HTTPS, self-signed CA: set NODE_EXTRA_CA_CERTS to the printed caCertPath in clients).",
  usage: "tenant-sync emulate graph [options]",
  options: {
    port: {
      type: "string",
      value: "N",
      description: "Port for Graph and the token endpoint (0 = any free port).",
      default: "0",
    },
    "control-port": { type: "string", value: "N", description: "Port for the control API (/_emulator).", default: "0" },
    seed: {
      type: "string",
      value: "SEED",
      description: "Tenant to start with: demo, empty, or synthetic:N[:SEED].",
      default: "demo",
    },
    "latency-ms": {
      type: "string",
      value: "N",
      description: "Latency added to every request, in milliseconds.",
      default: "0",
    },
    "jitter-ms": {
      type: "string",
      value: "N",
      description: "Random extra latency up to this many milliseconds.",
      default: "0",
    },
    "error-rate": {
      type: "string",
      value: "F",
      description: "Share of requests answered with 500/502/503/504 (0–1).",
      default: "0",
    },
    "reset-rate": {
      type: "string",
      value: "F",
      description: "Share of connections reset before an answer (0–1).",
      default: "0",
    },
    throttle: {
      type: "string",
      value: "MODE",
      description: "realistic (published Graph limits) or off.",
      default: "realistic",
    },
    "throttle-scale": {
      type: "string",
      value: "F",
      description: "Multiply every throttling rate by F (10 = ten times faster).",
      default: "1",
    },
    "page-size": { type: "string", value: "N", description: "Default page size of collections.", default: "20" },
    "state-dir": {
      type: "string",
      value: "DIR",
      description: "Keep the tenants' state in DIR so it survives a restart.",
    },
    "ca-dir": {
      type: "string",
      value: "DIR",
      description: "Folder of the local CA (default: $TENANT_SYNC_CA_DIR or ~/.tenant-sync/emulator-ca).",
    },
    "client-id": {
      type: "string",
      value: "ID",
      description: "Client id of the seeded tenant's app (default: generated).",
    },
    "client-secret": {
      type: "string",
      value: "SECRET",
      description: "Client secret of the seeded tenant's app (default: generated).",
    },
    "tenant-id": { type: "string", value: "ID", description: "Id of the seeded tenant (default: from the seed)." },
  },
  async run(values, positionals) {
    if (positionals[0] !== "graph")
      throw new UsageError(`Unknown emulator '${positionals[0] ?? ""}': use 'tenant-sync emulate graph'.`);
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
  },
};
