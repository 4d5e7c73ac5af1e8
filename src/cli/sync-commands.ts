/**
 * sync-commands — `tenant-sync plan`, `deploy`, `sync` and `revert`: thin shells over the engine's
 * plan step, deploy and settle. The rendered plan goes to stdout; progress to stderr; --json prints
 * one result object instead.
 * Exit codes: 0 done (or nothing to do), 1 failed, 2 bad usage, 3 partial: the deploy partially
 * succeeded, or plan's backup could not read some types (named on stderr; they are left out of the
 * plan, nothing of theirs is imported, and sync deploys nothing), 5 the plan needs a confirmation or
 * is blocked, 6 another run holds the repository's or the plan's lock. A partial plan that is also
 * blocked ends 3; a partial revert reverts what it could read and ends 3.
 */
import { createInterface } from "node:readline/promises";
import { resolve } from "node:path";
import type { Logger } from "../core/logger";
import { safeJson, safeOutput } from "../core/safe-text";
import type { BackupResult } from "../core/sync/backup";
import { deploy, type DeployResult } from "../core/sync/deploy";
import type { ConflictPolicy } from "../core/sync/make-plan";
import { type Confirmation, type GateFinding, type Plan, unconfirmedFindings } from "../core/sync/plan";
import { readPlanFile } from "../core/sync/plan-file";
import { resourceTypeIds } from "../core/resources/registry";
import { readSyncConfig } from "../core/sync-config";
import { isEmptyPlan, renderText, summaryLine } from "../core/sync/render-plan";
import { rejectAndRevert, revertToBackup } from "../core/sync/revert";
import { planStep, settleAfterDeploy, type SyncConnection } from "../core/sync/sync";
import { parseTypeList } from "./backup";
import { createCliLogger } from "./cli-logger";
import { type Command, type OptionSpec, UsageError } from "./command";
import { authorityHostOf, connect, connectionOptions, graphUrlOf, isLoopbackUrl } from "./connection";
import { rerunTrustingLocalCa } from "./local-ca";
import { existingPlanOf, lockedCommand, outPlanOf, repoOf } from "./lock";

type Values = Record<string, string | boolean | undefined>;

const common: Record<string, OptionSpec> = {
  json: { type: "boolean", description: "Print one JSON result object on stdout." },
  verbose: { type: "boolean", description: "Show debug lines (retries, per-type results)." },
  ...connectionOptions,
};

const repoOption: Record<string, OptionSpec> = {
  repo: { type: "string", value: "DIR", description: "Git repository holding the desired state (created if missing)." },
  types: { type: "string", value: "IDS", description: "Only these resource types (comma-separated ids)." },
  exclude: { type: "string", value: "IDS", description: "Leave out these resource types." },
};

const conflictOption: Record<string, OptionSpec> = {
  "conflict-policy": {
    type: "string",
    value: "POLICY",
    description:
      "When an object changed in both the repo and the tenant: stop, repo-wins or tenant-wins (default: tenant-sync.json, else stop).",
  },
};

const confirmOption: Record<string, OptionSpec> = {
  confirm: {
    type: "string",
    value: "LIST",
    description: "Confirm gated changes: deletes, mass, secrets (comma-separated).",
  },
};

export function parseConfirm(value: string | boolean | undefined): Confirmation[] {
  if (typeof value !== "string" || !value.trim()) return [];
  const items = value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = items.filter((i) => !["deletes", "mass", "secrets"].includes(i));
  if (bad.length)
    throw new UsageError(`--confirm: ${bad.map((b) => `"${b}"`).join(", ")} is not one of deletes, mass, secrets.`);
  return items as Confirmation[];
}

function parseConflictPolicy(value: string | boolean | undefined): ConflictPolicy | undefined {
  if (value === undefined) return undefined;
  if (value !== "stop" && value !== "repo-wins" && value !== "tenant-wins")
    throw new UsageError(`--conflict-policy must be stop, repo-wins or tenant-wins; got '${String(value)}'.`);
  return value;
}

/** Re-runs trusting the local CA when talking to an emulator; returns an exit code if it did. */
function trustEmulator(values: Values): number | undefined {
  if (isLoopbackUrl(graphUrlOf(values)) || isLoopbackUrl(authorityHostOf(values)))
    return rerunTrustingLocalCa(undefined, false);
  return undefined;
}

function connection(values: Values, log: Logger): SyncConnection {
  if (typeof values.repo !== "string" || !values.repo)
    throw new UsageError("--repo DIR is required: the git repository holding the desired state.");
  const { graph, identity } = connect(values, log);
  return {
    repoDir: values.repo,
    graph,
    identity,
    include: parseTypeList(values.types, "types"),
    exclude: parseTypeList(values.exclude, "exclude"),
    log,
  };
}

function print(text: string): void {
  process.stdout.write(safeOutput(text.endsWith("\n") ? text : `${text}\n`));
}

/** What stops a plan from being deployed with these confirmations, as lines for people; empty if nothing. */
export function gateMessages(plan: Plan, confirm: Confirmation[]): string[] {
  const { needsConfirmation, blocking } = unconfirmedFindings(plan, confirm);
  return [
    ...blocking.map((f) => `Blocked: ${f.message}`),
    ...needsConfirmation.map((f) => `Needs --confirm ${f.confirm}: ${f.message}`),
  ];
}

/** One finding in a line: what it is and what it concerns (the full message is in the plan above). */
function findingLine(f: GateFinding): string {
  const more = f.addresses.length > 3 ? ` and ${f.addresses.length - 3} more` : "";
  return `  ${f.confirm ? `needs --confirm ${f.confirm}` : `blocked (${f.kind})`}: ${f.addresses.slice(0, 3).join(", ")}${more}`;
}

/**
 * What to do with a plan that is not empty: a blocked one (or one with nothing to deploy) says what
 * blocks it and never offers a deploy command; otherwise the deploy command with exactly the
 * confirmations the plan needs.
 */
export function nextStep(plan: Plan, planPath: string, repo: string): string {
  const { needsConfirmation, blocking } = unconfirmedFindings(plan, []);
  if (blocking.length) {
    return [
      "This plan cannot be deployed; it is blocked by:",
      ...[...blocking, ...needsConfirmation].map(findingLine),
      "Fix the repository or the tenant as the findings above say, then plan again.",
    ].join("\n");
  }
  if (plan.changes.length === 0) return "There is nothing to deploy.";
  const wanted = [...new Set(needsConfirmation.map((f) => f.confirm as Confirmation))];
  return [
    ...(wanted.length
      ? ["On top of approval, this plan needs confirming:", ...needsConfirmation.map(findingLine)]
      : []),
    `Deploy it with: tenant-sync deploy --plan ${planPath} --repo ${repo}${wanted.length ? ` --confirm ${wanted.join(",")}` : ""}`,
  ].join("\n");
}

export function summarizeDeploy(r: DeployResult): string {
  const lines = r.outcomes.map(
    (o) =>
      `  ${o.ok ? "ok    " : "FAILED"} ${o.action} ${o.address}${o.ok ? "" : `: ${o.error.message}${o.error.hint ? ` ${o.error.hint}` : ""}`}`,
  );
  const word =
    r.status === "succeeded" ? "Deployed" : r.status === "partiallySucceeded" ? "Partially deployed" : "Deploy failed";
  lines.push(
    `${word}: ${r.applied} applied, ${r.failed} failed, ${r.skipped} skipped in ${(r.durationMs / 1000).toFixed(1)} s; ${r.requests} requests, ${r.throttled} throttled.`,
  );
  return lines.join("\n");
}

export const planCommand: Command = lockedCommand(
  {
    name: "plan",
    summary:
      "Back the tenant up, import changes made in the tenant into the repository, and write the plan (plan.json, plan.md) of what deploy would change.",
    usage: "tenant-sync plan --repo DIR [--out plan.json] [--conflict-policy POLICY] [--json]",
    options: {
      ...repoOption,
      out: { type: "string", value: "FILE", description: "Where to write the plan.", default: "plan.json" },
      ...conflictOption,
      ...common,
    },
    async run(values) {
      const rerun = trustEmulator(values);
      if (rerun !== undefined) return rerun;
      const log = createCliLogger({ verbose: Boolean(values.verbose) });
      const planPath = resolve(String(values.out));
      const result = await planStep({
        ...connection(values, log),
        conflictPolicy: parseConflictPolicy(values["conflict-policy"]),
        planPath,
      });
      const gates = gateMessages(result.plan, []);
      if (values.json)
        print(
          safeJson({
            planPath,
            summary: summaryLine(result.plan),
            counts: result.plan.counts,
            imports: result.imports.map((i) => i.address),
            conflicts: result.plan.conflicts.map((c) => ({ address: c.address, resolution: c.resolution })),
            findings: result.plan.findings,
            settled: result.settled,
            partial: result.backup.partial,
            leftOut: result.backup.failed.map((f) => f.type),
          }),
        );
      else {
        print(renderText(result.plan));
        print(
          `Plan written to ${planPath} (and ${planPath.replace(/\.json$/, "")}.md).${isEmptyPlan(result.plan) || result.backup.partial ? "" : `\n${nextStep(result.plan, planPath, result.backup.repo)}`}`,
        );
      }
      if (result.backup.partial) return reportPartial(result.backup, log);
      return gates.some((g) => g.startsWith("Blocked")) ? 5 : 0;
    },
  },
  (v) => ({ repo: repoOf(v), plan: outPlanOf(v) }),
);

/** A plan whose backup could not read some types: name each on stderr; exit code 3. */
function reportPartial(backed: BackupResult, log: Logger): number {
  for (const f of backed.failed)
    log.error(
      `${f.type} was left out of the plan: ${f.error} (its previous snapshot is kept; nothing of it was imported)`,
      f.object,
    );
  log.error(
    `The plan is PARTIAL: ${backed.failed.map((f) => f.type).join(", ")} could not be backed up. Fix the cause named above and plan again.`,
  );
  return 3;
}

async function runDeploy(
  plan: Plan,
  planPath: string,
  values: Values,
  conn: SyncConnection | undefined,
  log: Logger,
  confirm: Confirmation[],
): Promise<{ result: DeployResult; baseCommit?: string }> {
  const graph = conn?.graph ?? connect(values, log).graph;
  // With the repository known, its tenant-sync.json is the floor of the gates: an edited plan cannot loosen them.
  const config = conn ? readSyncConfig(conn.repoDir, resourceTypeIds) : undefined;
  const gateFloor = config
    ? { massChangeThreshold: config.massChangeThreshold, massChangeMinimum: config.massChangeMinimum }
    : undefined;
  const result = await deploy({
    plan,
    graph,
    confirm,
    journalPath: `${planPath}.journal`,
    log,
    repoDir: conn?.repoDir,
    gateFloor,
  });
  if (!conn || result.applied === 0) return { result };
  const settled = await settleAfterDeploy({ ...conn, plan, outcomes: result.outcomes });
  return { result, baseCommit: settled.baseCommit };
}

function deployExitCode(r: DeployResult): number {
  return r.status === "succeeded" ? 0 : r.status === "partiallySucceeded" ? 3 : 1;
}

export const deployCommand: Command = lockedCommand(
  {
    name: "deploy",
    summary:
      "Apply exactly the changes of a plan file, after checking the tenant has not changed since; with --repo, settle afterwards (back up and move base forward).",
    usage: "tenant-sync deploy --plan plan.json [--repo DIR] [--confirm deletes,mass,secrets] [--json]",
    options: {
      plan: { type: "string", value: "FILE", description: "The plan.json to apply." },
      repo: {
        type: "string",
        value: "DIR",
        description:
          "The repository the plan came from (secrets written in it are read from the plan's commit; settles afterwards).",
      },
      ...confirmOption,
      ...common,
    },
    async run(values) {
      if (typeof values.plan !== "string" || !values.plan)
        throw new UsageError("--plan FILE is required: the plan.json written by 'tenant-sync plan'.");
      const rerun = trustEmulator(values);
      if (rerun !== undefined) return rerun;
      const log = createCliLogger({ verbose: Boolean(values.verbose) });
      const confirm = parseConfirm(values.confirm);
      const planPath = resolve(values.plan);
      const plan = readPlanFile(planPath);
      const conn = typeof values.repo === "string" && values.repo ? connection(values, log) : undefined;
      const { result, baseCommit } = await runDeploy(plan, planPath, values, conn, log, confirm);
      if (values.json) print(safeJson({ ...result, baseCommit }));
      else
        print(
          `${summarizeDeploy(result)}${baseCommit ? `\nBase moved to ${baseCommit.slice(0, 12)}.` : conn ? "" : "\nNot settled: pass --repo to back up and move base forward."}`,
        );
      return deployExitCode(result);
    },
  },
  (v) => ({ repo: repoOf(v), plan: existingPlanOf(v) }),
);

async function approve(plan: Plan, values: Values): Promise<boolean> {
  if (values.yes) return true;
  if (!process.stdin.isTTY)
    throw new UsageError("The plan needs approval, and there is no terminal to ask on: pass --yes to approve it.");
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`Deploy these changes (${summaryLine(plan)})? Type "yes" to approve: `);
    return answer.trim().toLowerCase() === "yes";
  } finally {
    rl.close();
  }
}

export const syncCommand: Command = lockedCommand(
  {
    name: "sync",
    summary: "A whole sync: backup, import drift, plan, approval (a prompt, or --yes), deploy, settle.",
    usage:
      "tenant-sync sync --repo DIR [--yes] [--confirm deletes,mass,secrets] [--conflict-policy POLICY] [--out plan.json]",
    options: {
      ...repoOption,
      out: { type: "string", value: "FILE", description: "Where to write the plan.", default: "plan.json" },
      yes: { type: "boolean", description: "Approve the plan without asking." },
      ...confirmOption,
      ...conflictOption,
      ...common,
    },
    async run(values) {
      const rerun = trustEmulator(values);
      if (rerun !== undefined) return rerun;
      const log = createCliLogger({ verbose: Boolean(values.verbose) });
      const confirm = parseConfirm(values.confirm);
      const conn = connection(values, log);
      const planPath = resolve(String(values.out));
      const planned = await planStep({
        ...conn,
        conflictPolicy: parseConflictPolicy(values["conflict-policy"]),
        planPath,
      });
      print(renderText(planned.plan));
      if (planned.backup.partial) {
        print("Nothing was deployed: the backup is partial (see the errors above).");
        return reportPartial(planned.backup, log);
      }
      if (planned.plan.changes.length === 0) {
        const stopped = planned.plan.conflicts.filter((c) => c.resolution === "stopped").length;
        const refused = planned.plan.findings.some((f) => f.refused);
        print(
          stopped
            ? "Nothing can be deployed until the conflicts above are resolved."
            : refused
              ? "Nothing to deploy: what differs is left to a person (NOT DEPLOYED above)."
              : "In sync: nothing to deploy.",
        );
        return stopped ? 5 : 0;
      }
      const gates = gateMessages(planned.plan, confirm);
      if (gates.length) {
        print(gates.join("\n"));
        return 5;
      }
      if (!(await approve(planned.plan, values))) {
        print(
          "Not approved: nothing was deployed. The plan stays pending; 'tenant-sync revert --repo …' resets the repository to the tenant instead.",
        );
        return 0;
      }
      const { result, baseCommit } = await runDeploy(planned.plan, planPath, values, conn, log, confirm);
      print(`${summarizeDeploy(result)}${baseCommit ? `\nBase moved to ${baseCommit.slice(0, 12)}.` : ""}`);
      return deployExitCode(result);
    },
  },
  (v) => ({ repo: repoOf(v), plan: outPlanOf(v) }),
);

export const revertCommand: Command = lockedCommand(
  {
    name: "revert",
    summary:
      "Reject and revert: reset the repository's pending changes (of one plan, or all) to the tenant's state. With --to, make an earlier backup the desired state (then plan and deploy as usual).",
    usage: "tenant-sync revert --repo DIR [--plan plan.json] | --repo DIR --to BACKUP_COMMIT",
    options: {
      ...repoOption,
      plan: { type: "string", value: "FILE", description: "Only the changes of this rejected plan." },
      to: {
        type: "string",
        value: "COMMIT",
        description: "A commit of the backup history (git log tenant-sync/backup) to return to.",
      },
      ...common,
    },
    async run(values) {
      if (typeof values.repo !== "string" || !values.repo) throw new UsageError("--repo DIR is required.");
      if (typeof values.to === "string" && values.to) {
        const r = await revertToBackup(values.repo, values.to);
        print(
          r.commit
            ? `The repository now holds backup ${r.backupCommit.slice(0, 12)} (commit ${r.commit.slice(0, 12)}). Run 'tenant-sync plan --repo ${values.repo}' to see what taking the tenant back means.`
            : `The repository already holds backup ${r.backupCommit.slice(0, 12)}.`,
        );
        return 0;
      }
      const rerun = trustEmulator(values);
      if (rerun !== undefined) return rerun;
      const log = createCliLogger({ verbose: Boolean(values.verbose) });
      const plan = typeof values.plan === "string" && values.plan ? readPlanFile(resolve(values.plan)) : undefined;
      const r = await rejectAndRevert({ ...connection(values, log), plan });
      if (values.json) print(safeJson(r));
      else
        print(
          r.commit
            ? `Reverted ${r.reverted.length} pending change${r.reverted.length === 1 ? "" : "s"} to the tenant's state (commit ${r.commit.slice(0, 12)}):\n${r.reverted.map((a) => `  ${a}`).join("\n")}`
            : r.leftOut.length
              ? "Nothing pending in the resource types that could be read."
              : "Nothing pending: the repository already matches the tenant.",
        );
      if (r.leftOut.length === 0) return 0;
      for (const f of r.leftOut)
        log.error(
          `${f.type} was left out of the revert: ${f.error} (its pending changes, if any, stay in the repository)`,
        );
      log.error(
        `The revert is PARTIAL: ${r.leftOut.map((f) => f.type).join(", ")} could not be backed up. Fix the cause named above and revert again.`,
      );
      return 3;
    },
  },
  (v) => ({ repo: repoOf(v) }),
);
