/**
 * demo — the main job against the embedded Graph emulator's demo tenant: back the tenant up into a
 * fresh local repository through the real @azure/identity and Graph clients, change a policy "in
 * the portal", back up again (one new commit with exactly that change), and once more (nothing to
 * commit).
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { defaultCaDir } from "../../emulators/https";
import { GraphEmulator } from "../../emulators/graph/server";
import { createCredential } from "../core/graph/credentials";
import { GraphClient } from "../core/graph/graph-client";
import { git } from "../core/snapshot/git";
import { backup } from "../core/sync/backup";
import { summarizeBackup } from "./backup";
import { createCliLogger } from "./cli-logger";
import type { Command } from "./command";
import { rerunTrustingLocalCa } from "./local-ca";

export const demoCommand: Command = {
  name: "demo",
  summary: "Back up the embedded Graph emulator's demo tenant into a local git repository, show a portal change arriving as a commit, and a backup with nothing new.",
  usage: "tenant-sync demo [--repo DIR] [--seed demo|synthetic:N[:SEED]]",
  options: {
    repo: { type: "string", value: "DIR", description: "Repository to back up into (default: a new temporary folder)." },
    seed: { type: "string", value: "SEED", description: "Tenant to start with: demo or synthetic:N[:SEED].", default: "demo" },
    verbose: { type: "boolean", description: "Show debug lines." },
  },
  async run(values) {
    const caDir = defaultCaDir();
    const rerun = rerunTrustingLocalCa(caDir);
    if (rerun !== undefined) return rerun;
    const log = createCliLogger({ verbose: Boolean(values.verbose) });
    const emulator = new GraphEmulator({ seed: String(values.seed), caDir, throttle: { mode: "realistic" }, log: (l) => process.stderr.write(`${l}\n`) });
    const info = await emulator.start();
    const repo = resolve(typeof values.repo === "string" ? values.repo : join(mkdtempSync(join(tmpdir(), "tenant-sync-demo-")), "repo"));
    const say = (text: string) => process.stdout.write(`${text}\n`);
    try {
      say(`Graph emulator at ${info.graphUrl}, tenant ${info.tenantId}; repository ${repo}\n`);
      const credential = createCredential({ kind: "clientSecret", tenantId: info.tenantId, clientId: info.clientId, clientSecret: info.clientSecret }, { authorityHost: info.authorityHost });
      const identity = { authorityHost: info.authorityHost, tenantId: info.tenantId, clientId: info.clientId };
      const graph = new GraphClient({ graphUrl: info.graphUrl, credential, log });
      const run = () => backup({ repoDir: repo, graph, identity, log });

      say("1. Backup");
      say(summarizeBackup(await run()));

      const tenant = emulator.store.all()[0];
      const policy = tenant.list("deviceCompliancePolicy")[0];
      say(`\n2. An admin changes "${String(policy.props.displayName)}" in the portal (password length 8 → 12), then backup`);
      policy.props.passwordMinimumLength = 12;
      policy.props.lastModifiedDateTime = new Date().toISOString();
      const second = await run();
      say(summarizeBackup(second));
      say((await git(["show", "--stat", "--format=%h %s", String(second.commit)], { cwd: repo })).trim());

      say("\n3. Backup again: nothing changed in the tenant");
      say(summarizeBackup(await run()));
      say(`\nHistory of ${second.branch}:`);
      say((await git(["log", "--format=  %h %s", second.branch], { cwd: repo })).trimEnd());
      say(`\nBrowse it: git -C ${repo} show ${second.branch} --stat`);
    } finally {
      await emulator.stop();
    }
    return 0;
  },
};
