/**
 * run-demo — what `tenant-sync demo` does (see demo.ts): starts the embedded Graph emulator, then
 * runs the three syncs against a fresh repository. Loaded only by that command.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { defaultCaDir } from "../../emulators/https";
import { GraphEmulator } from "../../emulators/graph/server";
import { createCredential } from "../core/graph/credentials";
import { GraphClient } from "../core/graph/graph-client";
import { safeOutput } from "../core/safe-text";
import { commitIdentity, git } from "../core/snapshot/git";
import { deploy } from "../core/sync/deploy";
import { renderText } from "../core/sync/render-plan";
import { acquireRepositoryLock } from "../core/sync/repo-lock";
import { planStep, settleAfterDeploy, type SyncConnection } from "../core/sync/sync";
import { createCliLogger } from "./cli-logger";
import { rerunTrustingLocalCa } from "./local-ca";
import { summarizeDeploy } from "./sync-commands";

const say = (text: string) => process.stdout.write(safeOutput(`${text}\n`));

async function syncOnce(conn: SyncConnection, planPath: string, title: string): Promise<void> {
  say(`\n=== ${title} ===`);
  const planned = await planStep({ ...conn, planPath });
  if (planned.importCommit)
    say(
      (
        await git(["show", "--stat", "--format=Drift imported: %h %s%n%b", planned.importCommit], {
          cwd: planned.backup.repo,
        })
      )
        .trim()
        .split("\n")
        .slice(0, 12)
        .join("\n"),
    );
  say(`Plan (${planPath}):`);
  say(renderText(planned.plan).trimEnd());
  if (planned.plan.changes.length === 0) {
    say(planned.settled ? "In sync: nothing to deploy. Base moved to the tenant's state." : "Nothing to deploy.");
    return;
  }
  say("Approval: yes (the demo approves; `tenant-sync sync` asks, or takes --yes).");
  const result = await deploy({
    plan: planned.plan,
    graph: conn.graph,
    confirm: [],
    journalPath: `${planPath}.journal`,
    log: conn.log,
    repoDir: conn.repoDir,
  });
  say(summarizeDeploy(result));
  const settled = await settleAfterDeploy({ ...conn, plan: planned.plan, outcomes: result.outcomes });
  say(`Settled: base moved to ${settled.baseCommit.slice(0, 12)}.`);
}

export async function runDemo(values: Record<string, string | boolean | undefined>): Promise<number> {
  const caDir = defaultCaDir();
  const rerun = rerunTrustingLocalCa(caDir);
  if (rerun !== undefined) return rerun;
  const log = createCliLogger({ verbose: Boolean(values.verbose) });
  const held =
    typeof values.repo === "string"
      ? await acquireRepositoryLock(values.repo, { command: "tenant-sync demo", waitMs: 0, log })
      : undefined;
  const emulator = new GraphEmulator({
    seed: String(values.seed),
    caDir,
    throttle: { mode: "realistic" },
    log: (l) => process.stderr.write(safeOutput(`${l}\n`)),
  });
  const info = await emulator.start();
  const work = mkdtempSync(join(tmpdir(), "tenant-sync-demo-"));
  const repo = resolve(typeof values.repo === "string" ? values.repo : join(work, "repo"));
  try {
    say(`Graph emulator at ${info.graphUrl}, tenant ${info.tenantId}; repository ${repo}`);
    const credential = createCredential(
      { kind: "clientSecret", tenantId: info.tenantId, clientId: info.clientId, clientSecret: info.clientSecret },
      { authorityHost: info.authorityHost },
    );
    const conn: SyncConnection = {
      repoDir: repo,
      graph: new GraphClient({ graphUrl: info.graphUrl, credential, log }),
      log,
      identity: { authorityHost: info.authorityHost, tenantId: info.tenantId, clientId: info.clientId },
    };
    await syncOnce(conn, join(work, "plan-1.json"), "Sync 1: an empty repository takes in the tenant");

    say("\n=== Meanwhile ===");
    const file = join(repo, "intune.compliancePolicy", "Windows - Compliance baseline.json");
    const doc = JSON.parse(readFileSync(file, "utf8"));
    doc.object.passwordMinimumLength = 14;
    writeFileSync(file, `${JSON.stringify(doc, null, 2)}\n`);
    const location = {
      type: "entra.namedLocation",
      id: "",
      object: {
        "@odata.type": "#microsoft.graph.ipNamedLocation",
        displayName: "Branch office",
        isTrusted: true,
        ipRanges: [{ "@odata.type": "#microsoft.graph.iPv4CidrRange", cidrAddress: "198.51.100.0/24" }],
      },
    };
    writeFileSync(join(repo, "entra.namedLocation", "Branch office.json"), `${JSON.stringify(location, null, 2)}\n`);
    await git(["add", "-A"], { cwd: repo });
    await git(["commit", "-q", "-m", "Require 14-character passwords; add the branch office location"], {
      cwd: repo,
      env: await commitIdentity(repo),
    });
    say(
      'In the repository: compliance baseline requires 14 characters; a new named location "Branch office" (committed).',
    );
    const ring = emulator.store
      .all()[0]
      .list("deviceConfiguration")
      .find((o) => o.props.displayName === "Update ring - Broad");
    if (ring) {
      ring.props.qualityUpdatesDeferralPeriodInDays = 7;
      ring.props.lastModifiedDateTime = new Date().toISOString();
      say("In the portal: someone sets the broad update ring's quality update deferral to 7 days.");
    }

    await syncOnce(conn, join(work, "plan-2.json"), "Sync 2: drift comes in, the repository's changes go out");
    await syncOnce(conn, join(work, "plan-3.json"), "Sync 3: nothing left to do");
    say(`\nHistory of ${repo}:`);
    say((await git(["log", "--format=  %h %s", "--all", "--graph"], { cwd: repo })).trimEnd());
  } finally {
    await emulator.stop();
    held?.release();
  }
  return 0;
}
