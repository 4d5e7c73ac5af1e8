/**
 * status-view — how `tenant-sync devops status` shows the fleet: a table (tenant, status, since,
 * the plan's counts, the next action with the command or the link that does it) or JSON rows for
 * scripts. Tenant text is untrusted: every piece goes through safeText, the whole through safeOutput.
 */
import type { TenantStatus } from "../core/status/derive";
import { safeText } from "../core/safe-text";
import type { FleetRow } from "./fleet";

export interface NextStep {
  kind: TenantStatus["nextAction"]["kind"];
  text: string;
  /** The command that does it, when one does. */
  command?: string;
  /** The page that does it (a sign-in, a consent, the run). */
  url?: string;
}

export interface StatusRow {
  tenant: string;
  status: TenantStatus["status"];
  label: string;
  paused: boolean;
  since?: string;
  run?: { id: number; buildNumber?: string; url: string };
  plan?: { add: number; change: number; delete: number; summary?: string };
  next: NextStep;
  detail: TenantStatus["detail"];
}

/** What to do next, with the command of this command line that does it. */
export function nextStep(row: FleetRow): NextStep {
  const { status, tenant } = row;
  const { kind, text } = status.nextAction;
  const cmd = (verb: string) => `tenant-sync devops ${verb} ${tenant}`;
  switch (kind) {
    case "approve": {
      const approvers = status.detail.approval?.approvers ?? [];
      const who = approvers.length ? ` Approvers: ${approvers.join(", ")}.` : "";
      return { kind, text: `${text}${who}`, command: `${cmd("approve")} (or: ${cmd("reject")} --revert)` };
    }
    case "enterCode":
      return { kind, text, url: status.detail.deviceCode?.verificationUri };
    case "grantConsent":
      return { kind, text, url: status.detail.consent?.consentUrl, command: `then: ${cmd("run")}` };
    case "runSync":
      return { kind, text, command: cmd("run") };
    case "resume":
      return { kind, text, command: cmd("resume") };
    case "fixError": {
      const error = status.detail.error;
      return { kind, text: error ? `${error.message} ${text}` : text, command: `then: ${cmd("run")}` };
    }
    default:
      return { kind, text };
  }
}

export function statusRow(row: FleetRow, runUrl: (id: number) => string): StatusRow {
  const { status } = row;
  return {
    tenant: row.tenant,
    status: status.status,
    label: status.label,
    paused: status.paused,
    ...(status.since ? { since: status.since } : {}),
    ...(status.run ? { run: { ...status.run, url: runUrl(status.run.id) } } : {}),
    ...(status.planCounts
      ? { plan: { ...status.planCounts, ...(status.planSummary ? { summary: status.planSummary } : {}) } }
      : {}),
    next: nextStep(row),
    detail: status.detail,
  };
}

/** "5 min ago" style, from an ISO time. */
export function ago(iso: string | undefined, now: number): string {
  if (!iso) return "";
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86400)} d ago`;
}

const plan = (r: StatusRow) => (r.plan ? `+${r.plan.add} ~${r.plan.change} −${r.plan.delete}` : "");

/** The table: one line per tenant, the next action on the line below it when there is one to take. */
export function statusTable(rows: StatusRow[], now: number): string {
  if (rows.length === 0) return "No tenant pipelines (tenant-sync-<tenant>) in \\TenantSync of this project.\n";
  const cells = rows.map((r) => [
    safeText(r.tenant),
    `${r.label}${r.paused ? " (paused)" : ""}`,
    ago(r.since, now),
    plan(r),
  ]);
  const headers = ["TENANT", "STATUS", "SINCE", "PLAN"];
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) =>
    c
      .map((x, i) => x.padEnd(widths[i]))
      .join("  ")
      .trimEnd();
  const out = [line(headers)];
  rows.forEach((r, i) => {
    out.push(line(cells[i]));
    if (r.next.kind === "wait" && !r.next.command) out.push(`    ${safeText(r.next.text)}`);
    else {
      const parts = [safeText(r.next.text)];
      if (r.next.url && !r.next.text.includes(r.next.url)) parts.push(safeText(r.next.url));
      out.push(`  → ${parts.join(" ")}`);
      if (r.next.command) out.push(`    ${safeText(r.next.command)}`);
    }
  });
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.label, (counts.get(r.label) ?? 0) + 1);
  out.push(
    "",
    `${rows.length} tenant${rows.length === 1 ? "" : "s"}: ${[...counts].map(([l, n]) => `${n} ${l}`).join(", ")}`,
  );
  return `${out.join("\n")}\n`;
}
