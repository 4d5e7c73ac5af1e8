/**
 * demo — the main job: complete syncs of the embedded Graph emulator's demo tenant with a fresh
 * local repository, through the real @azure/identity and Graph clients. Sync 1 imports the tenant;
 * then the repository and the portal both change; sync 2 imports the portal change as drift, plans
 * the repository's changes, approves (the demo answers "yes"), deploys and settles; sync 3 finds
 * nothing to do. Only the declaration lives here; run-demo.ts, loaded when the command runs, does the work.
 */
import type { Command } from "./command";

export const demoCommand: Command = {
  name: "demo",
  summary:
    "Complete syncs of the embedded Graph emulator's demo tenant with a fresh local repository: import, drift, plan, approval, deploy, and a final sync with nothing to do.",
  usage: "tenant-sync demo [--repo DIR] [--seed demo|synthetic:N[:SEED]]",
  options: {
    repo: { type: "string", value: "DIR", description: "Repository to sync into (default: a new temporary folder)." },
    seed: {
      type: "string",
      value: "SEED",
      description: "Tenant to start with: demo or synthetic:N[:SEED].",
      default: "demo",
    },
    verbose: { type: "boolean", description: "Show debug lines." },
  },
  // The emulator (and node-forge, for its certificates) loads only when this command runs.
  // require, not import(): evaluated only here, and esbuild keeps it inside the one bundle.
  run: async (values) => (require("./run-demo") as typeof import("./run-demo")).runDemo(values),
};
