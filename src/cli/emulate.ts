/**
 * emulate — `tenant-sync emulate graph` (the local Microsoft Graph) and `tenant-sync emulate devops`
 * (a local Azure DevOps organisation that runs the tenant pipelines), each until SIGINT / SIGTERM.
 * Each prints exactly one JSON line on stdout when ready (URLs, credentials, CA path); logs go to
 * stderr. Only the declaration lives here; run-emulator.ts and run-devops.ts, loaded when the
 * command runs, do the work.
 */
import type { Command } from "./command";

export const emulateCommand: Command = {
  name: "emulate",
  summary:
    "Run a local emulator (HTTPS with a self-signed CA: set NODE_EXTRA_CA_CERTS to the printed caCertPath in clients). 'graph' is the Microsoft Graph emulator with its token endpoint; 'devops' is a local Azure DevOps organisation (REST API, git, an agent that runs the tenant pipelines) with a Graph emulator of its own.",
  usage: "tenant-sync emulate graph|devops [options]",
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
    "page-size": {
      type: "string",
      value: "N",
      description:
        "Serve every list N objects a page when no $top is asked (default: each collection's own page size).",
    },
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
    scenario: {
      type: "string",
      value: "NAME",
      description:
        "devops: empty (no pipelines), demo (a few idle tenants, one with a committed change) or statuses (a tenant in each of the nine statuses).",
      default: "demo",
    },
    tenants: {
      type: "string",
      value: "N",
      description: "devops: add N tenants whose run history is recorded rather than run (for scale).",
    },
    "graph-url": {
      type: "string",
      value: "URL",
      description: "devops: use this running Graph emulator instead of starting one (with --graph-control-url).",
    },
    "graph-control-url": {
      type: "string",
      value: "URL",
      description: "devops: the control URL of the Graph emulator given with --graph-url.",
    },
    "parallel-jobs": {
      type: "string",
      value: "N",
      description:
        "devops: runs the local agent runs at once (runs waiting at an approval or a lock hold none; the statuses scenario keeps two busy).",
      default: "4",
    },
    "data-dir": {
      type: "string",
      value: "DIR",
      description: "devops: keep repositories and work folders in DIR (default: a temporary folder, removed on exit).",
    },
  },
  // The emulator (and node-forge, for its certificates) loads only when this command runs.
  // require, not import(): evaluated only here, and esbuild keeps it inside the one bundle.
  run: async (values, positionals) =>
    positionals[0] === "devops"
      ? (require("./run-devops") as typeof import("./run-devops")).runDevOps(values)
      : (require("./run-emulator") as typeof import("./run-emulator")).runEmulator(values, positionals),
};
