/**
 * render-plan — text for people, made from a plan file and never while computing it: the one-line
 * summary ("3 to add, 2 to change, 1 to delete"), the Markdown report approvers read (with who changed
 * what the sync imported from the tenant), and the terminal rendering. Pure. Names, field paths (property keys), values and messages come from the
 * tenant or the repository: each passes through safeText(), and the whole text through safeOutput().
 */
import { getResourceType } from "../resources/registry";
import type { ResourceTypeId } from "../resources/resource-type";
import { safeOutput, safeText } from "../safe-text";
import type { JsonValue } from "../snapshot/pointer";
import { type Change, type FieldChange, type GateFinding, isBlocking, type Plan } from "./plan";

export function summaryLine(plan: Plan): string {
  const n = (pred: (c: Change) => boolean) => plan.changes.filter(pred).length;
  const parts = [
    `${n((c) => c.action === "create")} to add`,
    `${n((c) => c.action === "update" || c.action === "assign")} to change`,
    `${n((c) => c.action === "delete")} to delete`,
  ];
  const extra: string[] = [];
  if (plan.conflicts.length) extra.push(`${plan.conflicts.length} conflict${plan.conflicts.length === 1 ? "" : "s"}`);
  const pending = plan.findings.filter((f) => f.confirm).length;
  if (pending) extra.push(`${pending} finding${pending === 1 ? "" : "s"} to confirm`);
  const blocking = plan.findings.filter(isBlocking).length;
  if (blocking) extra.push(`blocked by ${blocking} finding${blocking === 1 ? "" : "s"}`);
  const refused = plan.findings.filter((f) => f.refused).length;
  if (refused) extra.push(`${refused} refused write${refused === 1 ? "" : "s"} left to a person`);
  return `${parts.join(", ")}${extra.length ? ` (${extra.join(", ")})` : ""}.`;
}

export function isEmptyPlan(plan: Plan): boolean {
  return plan.changes.length === 0 && plan.conflicts.length === 0 && plan.findings.length === 0;
}

/** A secret written in the repository (a reference naming its file) and the tenant's placeholder. */
function secretText(value: object): string {
  return "file" in value && "sha256" in value ? "(secret changed)" : "(secret)";
}

function short(value: JsonValue | undefined, max = 80): string {
  if (value === undefined) return "—";
  let text: string;
  if (
    value &&
    typeof value === "object" &&
    !Array.isArray(value) &&
    typeof (value as { $ref?: unknown }).$ref === "string"
  )
    text = String((value as { $ref: string }).$ref);
  else if (value && typeof value === "object" && !Array.isArray(value) && "$secret" in value) text = secretText(value);
  else if (typeof value === "string") text = value;
  else {
    text = JSON.stringify(value, (_k, v: unknown) =>
      v && typeof v === "object" && !Array.isArray(v) && "$secret" in v ? secretText(v) : v,
    );
    // A list or object holding a changed secret says so first, before the text is cut short.
    if (text.includes('"(secret changed)"')) text = `(secret changed) ${text}`;
  }
  text = safeText(text).replace(/\s+/g, " ");
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Markdown for one untrusted piece: safe, on one line, with Markdown's characters escaped. */
function md(text: string): string {
  return safeText(text).replace(/[|\\`*_[\]<>]/g, (c) => `\\${c}`);
}

function byType(plan: Plan): Map<ResourceTypeId, Change[]> {
  const map = new Map<ResourceTypeId, Change[]>();
  for (const c of plan.changes) map.set(c.type, [...(map.get(c.type) ?? []), c]);
  return map;
}

function fieldRows(fields: FieldChange[], max = 25): string[] {
  const rows = fields
    .slice(0, max)
    .map((f) => `| \`${md(f.path)}\` | ${md(short(f.before))} | ${md(short(f.after))} |`);
  if (fields.length > max) rows.push(`| … ${fields.length - max} more | | |`);
  return rows;
}

/** Writes the service does not allow: each object, what the repository wants, and what a person does instead. */
function refusedSection(findings: GateFinding[]): string[] {
  const refused = findings.filter((f) => f.refused);
  if (!refused.length) return [];
  const lines = ["### Not deployed: writes the service leaves to a person", ""];
  for (const f of refused) {
    const r = f.refused!;
    lines.push(`- ${md(f.addresses.join(", "))} — ${r.action}: ${md(r.why)} **Instead:** ${md(r.instead)}`);
    if (r.fields.length)
      lines.push(
        "",
        "  | setting | tenant | repo |",
        "  | --- | --- | --- |",
        ...fieldRows(r.fields).map((row) => `  ${row}`),
        "",
      );
  }
  lines.push("");
  return lines;
}

/** The report approvers read: per type, what is added, changed (with the settings) and deleted. */
export function renderMarkdown(plan: Plan): string {
  const lines = [`## Tenant Sync plan for ${md(plan.tenantId)}`, "", `**${summaryLine(plan)}**`, ""];
  const toldFirst = plan.findings.filter((f) => !f.refused);
  for (const f of toldFirst)
    lines.push(`> ${f.confirm ? `**Needs confirmation (${f.confirm}):**` : "**Blocked:**"} ${md(f.message)}`, ">");
  if (toldFirst.length) lines.push("");
  for (const [type, changes] of byType(plan)) {
    lines.push(`### ${getResourceType(type).title} (\`${type}\`)`, "");
    const section = (title: string, list: Change[]) => {
      if (!list.length) return;
      lines.push(`**${title}**`, "");
      for (const c of list) {
        lines.push(`- ${md(c.name)}`);
        if (c.action === "update" || c.action === "assign")
          lines.push(
            "",
            "  | setting | now | after deploy |",
            "  | --- | --- | --- |",
            ...fieldRows(c.fields).map((r) => `  ${r}`),
            "",
          );
      }
      lines.push("");
    };
    section(
      "Added",
      changes.filter((c) => c.action === "create"),
    );
    section(
      "Changed",
      changes.filter((c) => c.action === "update" || c.action === "assign"),
    );
    section(
      "Deleted",
      changes.filter((c) => c.action === "delete"),
    );
  }
  lines.push(...refusedSection(plan.findings));
  if (plan.imported?.length) {
    lines.push("### Imported from the tenant (changed there since the last sync)", "");
    for (const i of plan.imported)
      lines.push(
        `- ${md(i.address)} — ${i.change} in the tenant${i.changedBy ? ` by ${md(i.changedBy)}` : " (who: not in the audit log read)"}${i.changedAt ? ` at ${md(i.changedAt)}` : ""}`,
      );
    lines.push("");
  }
  if (plan.conflicts.length) {
    lines.push("### Conflicts (changed in the repo and in the tenant since the last sync)", "");
    for (const c of plan.conflicts) {
      lines.push(
        `- ${md(c.address)} — ${c.resolution === "stopped" ? "stopped: not deployed" : c.resolution === "repoWins" ? "the repo wins" : "the tenant wins"}`,
        "",
        "  | setting | tenant | repo |",
        "  | --- | --- | --- |",
        ...fieldRows(c.fields).map((r) => `  ${r}`),
        "",
      );
    }
  }
  if (!plan.changes.length && !plan.conflicts.length)
    lines.push(
      plan.findings.some((f) => f.refused)
        ? "Nothing to deploy: what differs is left to a person, as listed above."
        : "The tenant already matches the repository. Nothing to deploy.",
    );
  return safeOutput(`${lines.join("\n").trimEnd()}\n`);
}

const marks: Record<Change["action"], string> = { create: "+", update: "~", assign: "~", delete: "-" };

/** The terminal rendering: one line per change, its changed settings indented below. */
export function renderText(plan: Plan): string {
  const lines: string[] = [];
  for (const c of plan.changes) {
    lines.push(`  ${marks[c.action]} ${safeText(c.address)}${c.action === "assign" ? " (assignments)" : ""}`);
    if (c.action === "update" || c.action === "assign")
      for (const f of c.fields.slice(0, 12))
        lines.push(`      ${safeText(f.path)}: ${short(f.before, 50)} → ${short(f.after, 50)}`);
    if (c.fields.length > 12 && c.action !== "create") lines.push(`      … ${c.fields.length - 12} more`);
  }
  for (const c of plan.conflicts) {
    lines.push(`  ! ${safeText(c.address)}: conflict (${c.resolution})`);
    for (const f of c.fields.slice(0, 12))
      lines.push(`      ${safeText(f.path)}: tenant ${short(f.before, 40)} / repo ${short(f.after, 40)}`);
  }
  for (const f of plan.findings)
    lines.push(
      `  ${f.refused ? "NOT DEPLOYED" : f.confirm ? `needs --confirm ${f.confirm}` : "BLOCKED"}: ${safeText(f.message)}`,
    );
  lines.push(summaryLine(plan));
  return safeOutput(`${lines.join("\n")}\n`);
}
