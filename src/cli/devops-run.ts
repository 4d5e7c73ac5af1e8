/**
 * devops-run — what `tenant-sync devops …` does once its options are parsed: signs in, runs the
 * sub-command and prints through safeOutput (tenant and repository text is untrusted). Exit codes:
 * 0 done, 1 something failed (each failure names its tenant or resource), 2 bad usage.
 */
import { safeJson, safeOutput } from "../core/safe-text";
import {
  type ActionResult,
  confirmations,
  conflictPolicies,
  decide,
  queueRuns,
  type RunMode,
  runModes,
  setPaused,
} from "../devops/actions";
import { connect, type DevOpsSession } from "../devops/connect";
import { readFleet, runUrl } from "../devops/fleet";
import { install, type InstallStep } from "../devops/install";
import { isCron, isTenantName } from "../devops/pipeline-yaml";
import { statusRow, statusTable } from "../devops/status-view";
import { createCliLogger } from "./cli-logger";
import { numberOption, UsageError } from "./command";
import { connect as connectGraph } from "./connection";

type Values = Record<string, string | boolean | undefined>;
const subCommands = ["status", "approve", "reject", "run", "pause", "resume", "install"] as const;

const str = (v: string | boolean | undefined) => (typeof v === "string" ? v : undefined);
const out = (text: string) => process.stdout.write(safeOutput(text));

export async function runDevOpsCommand(values: Values, positionals: string[]): Promise<number> {
  const [sub, ...tenants] = positionals;
  if (!sub || !(subCommands as readonly string[]).includes(sub))
    throw new UsageError(
      `${sub ? `Unknown sub-command '${sub}'` : "Say what to do"}: tenant-sync devops ${subCommands.join("|")} …\nRun 'tenant-sync devops --help' for the options.`,
    );
  const session = () =>
    connect({
      org: str(values.org),
      project: str(values.project),
      pat: str(values.pat),
      token: str(values.token),
      usage: (m) => new UsageError(m),
    });
  switch (sub) {
    case "status":
      return status(await session(), values);
    case "install":
      return runInstall(values, session);
    default:
      return action(sub, tenants, values, session);
  }
}

async function status(s: DevOpsSession, values: Values): Promise<number> {
  const render = async () => {
    const fleet = await readFleet(s);
    const now = Date.now();
    const rows = fleet.rows.map((r) => statusRow(r, (id) => runUrl(s, id)));
    return values.json ? `${safeJson(rows, 2)}\n` : safeOutput(statusTable(rows, now));
  };
  if (!values.watch) {
    process.stdout.write(await render());
    return 0;
  }
  const interval = numberOption(values.interval, "interval", { min: 1 })! * 1000;
  const count = numberOption(values.count, "count", { min: 1 });
  const tty = process.stdout.isTTY === true;
  let lines = 0;
  for (let i = 0; count === undefined || i < count; i++) {
    if (i > 0) await new Promise((r) => setTimeout(r, interval));
    const text = await render();
    const stamp = `Updated ${new Date().toISOString()} (every ${interval / 1000} s; Ctrl+C to stop)\n`;
    // Our own lines only: up to where the last refresh began, then clear below.
    if (tty && lines > 0) process.stdout.write(`\x1b[${lines}A\x1b[0J`);
    else if (i > 0) process.stdout.write("\n");
    process.stdout.write(text + stamp);
    lines = (text + stamp).split("\n").length - 1;
  }
  return 0;
}

async function action(sub: string, tenants: string[], values: Values, session: () => Promise<DevOpsSession>) {
  const allPending = values["all-pending"] === true;
  if ((sub === "approve" || sub === "reject") && tenants.length === 0 && !allPending)
    throw new UsageError(
      `Name the tenants to ${sub} (tenant-sync devops ${sub} contoso fabrikam), or give --all-pending.`,
    );
  if (sub !== "approve" && sub !== "reject" && tenants.length === 0)
    throw new UsageError(`Name the tenants (tenant-sync devops ${sub} contoso fabrikam).`);
  if (allPending && sub !== "approve" && sub !== "reject")
    throw new UsageError("--all-pending is for approve and reject.");
  if (values.revert && sub !== "reject") throw new UsageError("--revert is for reject.");
  let results: ActionResult[];
  if (sub === "run") {
    const mode = str(values.mode);
    if (mode !== undefined && !runModes.includes(mode as RunMode))
      throw new UsageError(`--mode must be one of ${runModes.join(", ")}; got '${mode}'.`);
    const confirm = (str(values.confirm) ?? "")
      .split(",")
      .map((c) => c.trim())
      .filter(Boolean);
    const unknown = confirm.filter((c) => !(c in confirmations));
    if (unknown.length)
      throw new UsageError(`--confirm takes ${Object.keys(confirmations).join(", ")}; got '${unknown.join(", ")}'.`);
    const policy = str(values["conflict-policy"]);
    if (policy !== undefined && !conflictPolicies.includes(policy))
      throw new UsageError(`--conflict-policy must be one of ${conflictPolicies.join(", ")}; got '${policy}'.`);
    results = await queueRuns(await session(), tenants, {
      mode: mode as RunMode | undefined,
      confirm: confirm as (keyof typeof confirmations)[],
      conflictPolicy: policy,
    });
  } else if (sub === "pause" || sub === "resume") results = await setPaused(await session(), tenants, sub === "pause");
  else
    results = await decide(await session(), tenants, {
      decision: sub === "approve" ? "approved" : "rejected",
      comment: str(values.comment),
      revert: values.revert === true,
      allPending,
    });
  for (const r of results) {
    const line = safeOutput(`${r.tenant}: ${r.message}\n`);
    if (r.ok) process.stdout.write(line);
    else process.stderr.write(`tenant-sync: ${line}`);
  }
  return results.every((r) => r.ok) ? 0 : 1;
}

const marks: Record<InstallStep["mark"], string> = { "+": "+", "~": "~", "=": "=", "!": "!", i: "·" };

async function runInstall(values: Values, session: () => Promise<DevOpsSession>): Promise<number> {
  const tenant = str(values.tenant);
  const tenantId = str(values["tenant-id"]);
  if (!tenant || !isTenantName(tenant))
    throw new UsageError(
      `install needs --tenant NAME, the tenant's short name in letters, digits and dashes${tenant ? `; got '${tenant}'` : ""}.`,
    );
  if (!tenantId) throw new UsageError("install needs --tenant-id, the tenant's directory (tenant) id.");
  const schedule = str(values.schedule);
  if (schedule !== undefined && !isCron(schedule))
    throw new UsageError(`--schedule must be a five-field cron expression in UTC ("0 3 * * *"); got '${schedule}'.`);
  if (values.approvers && values["approvers-group"])
    throw new UsageError("Give --approvers or --approvers-group, not both.");
  const approvers = str(values.approvers)
    ?.split(",")
    .map((a) => a.trim())
    .filter(Boolean);
  const tenantAdmin = tenantAdminGraph(values);
  // Signed in before anything is created, so a wrong credential stops install with nothing half done.
  await tenantAdmin?.accessToken().catch((e: unknown) => {
    throw new Error(
      `Signing in to tenant ${tenantId} for --tenant-admin: ${(e as Error).message.split(/\r?\n/)[0].trim()} Check --admin-client-id and its credential, or leave --tenant-admin out to print the administrator's steps.`,
    );
  });
  const s = await session();
  const dryRun = values["dry-run"] === true;
  const json = values.json === true;
  if (!json)
    out(
      `${dryRun ? "Plan (dry run: nothing is created)" : "Installing"} tenant ${tenant} in ${s.org}${s.project} (signed in with ${s.signedInWith}):\n`,
    );
  const result = await install(
    s,
    {
      tenant,
      tenantId,
      clientId: str(values["client-id"]),
      approvers,
      approversGroup: str(values["approvers-group"]),
      repo: str(values.repo),
      schedule,
      approvalTimeoutMinutes: numberOption(values["approval-timeout"], "approval-timeout", { min: 1, max: 43200 }),
      graphUrl: str(values["graph-url"]),
      authorityHost: str(values["authority-host"]),
      dryRun,
      noRun: values["no-run"] === true,
      tenantAdmin,
    },
    (step) => {
      if (!json) out(`  ${marks[step.mark]} ${step.resource}: ${step.text}\n`);
    },
  );
  if (json) {
    process.stdout.write(`${safeJson(result, 2)}\n`);
    return 0;
  }
  const n = (m: InstallStep["mark"]) => result.steps.filter((x) => x.mark === m).length;
  out(
    `\n${dryRun ? "Would create" : "Created"} ${n("+")}, ${dryRun ? "would change" : "changed"} ${n("~")}, left ${n("=")} as they were${n("!") ? `; ${n("!")} difference${n("!") === 1 ? "" : "s"} reported and left as is (see !)` : ""}.\n`,
  );
  if (result.tenantApp?.complete && !result.tenantApp.consentUrl)
    out(
      `\nTenant side: install would register the app as listed above; consent stays a person's act (its link is printed once the app exists).\n`,
    );
  else if (result.tenantApp?.complete)
    out(
      `\nTenant side: done in tenant ${tenantId} but for consent, which is a person's act. An Entra administrator grants the app's permissions at:\n  ${result.tenantApp.consentUrl}\n`,
    );
  else if (tenantAdmin)
    out(`\nTenant side, left to an Entra administrator (see the ! lines above):\n${result.adminSteps}\n`);
  else
    out(
      `\nTenant side (install cannot register apps or grant consent with Azure DevOps credentials; --tenant-admin signs in to the tenant to do the app's part):\n${result.adminSteps}\n`,
    );
  if (result.run) out(`\nThe first run is queued; watch it at ${result.run.url}\n`);
  return 0;
}

const adminFlags = [
  "admin-client-id",
  "client-secret",
  "certificate",
  "federated-token-file",
  "managed-identity",
  "device-code",
];

/**
 * The Graph client install --tenant-admin registers the app with: the tenant of --tenant-id, signed
 * in as the engine signs in (flags, else the AZURE_* variables), with --admin-client-id as the app.
 */
function tenantAdminGraph(values: Values) {
  if (values["tenant-admin"] !== true) {
    const given = adminFlags.filter((f) => values[f] !== undefined);
    if (given.length) throw new UsageError(`--${given.join(", --")}: only with --tenant-admin (the tenant sign-in).`);
    return undefined;
  }
  const adminClientId = str(values["admin-client-id"]) ?? process.env.AZURE_CLIENT_ID;
  if (!adminClientId && values["managed-identity"] !== true)
    throw new UsageError(
      "--tenant-admin signs in to the tenant: give the app to sign in with, --admin-client-id ID (or AZURE_CLIENT_ID), and its credential (AZURE_CLIENT_SECRET, --certificate, --federated-token-file, or --device-code for a person), or --managed-identity.",
    );
  return connectGraph({ ...values, "client-id": adminClientId }, createCliLogger()).graph;
}
