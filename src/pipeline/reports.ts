/**
 * reports — what each task tells people and the hub, computed from the engine's results: the facts of
 * run-facts.ts, the output variables, the Markdown shown in the build summary, and the one-line
 * outcome. Pure: values in, values out; publishing them is task-publisher.ts's job.
 */
import {
  type BackupFact,
  type BackupResult,
  type ConsentFact,
  type DeployFact,
  type DeployResult,
  type ErrorFact,
  type GraphError,
  isBlocking,
  isGraphError,
  type Outcome,
  isSyncError,
  type Plan,
  type PlanFact,
  type PlanStepResult,
  redact,
  safeOutput,
  safeText,
  summaryLine,
} from "../core/index";

/** What a task ends with; run-task.ts turns it into the task's result. */
export interface TaskOutcome {
  result: "succeeded" | "succeededWithIssues" | "failed";
  message: string;
}

/** "message (object)" unless the message names the object already. */
export function withObject(message: string, object?: string): string {
  return object && !message.includes(object) ? `${message} (${object})` : message;
}

/** Markdown for one piece of tenant text: safe (safeText), on one line, with Markdown's characters escaped. */
function md(text: string): string {
  return safeText(text)
    .replace(/[|\\`*_[\]<>#]/g, (c) => `\\${c}`)
    .replace(/[\r\n]+/g, " ");
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

export function totalObjects(result: BackupResult): number {
  return Object.values(result.objects).reduce<number>((a, b) => a + (b ?? 0), 0);
}

export function backupFact(result: BackupResult): BackupFact {
  return {
    objects: totalObjects(result),
    changed: result.changed,
    partial: result.partial,
    failedTypes: result.failed.map((f) => f.type),
    ...(result.commit ? { commit: result.commit } : {}),
    requests: result.requests,
    throttled: result.throttled,
  };
}

/** Missing permissions for the hub's "Pending admin consent"; null when nothing is missing. */
export function consentFact(result: BackupResult): ConsentFact | null {
  if (result.missingPermissions.length === 0) return null;
  return {
    permissions: result.missingPermissions,
    consentUrl: result.consentUrl ?? "",
    skippedTypes: result.skipped.map((s) => s.type),
  };
}

export function backupOutcome(result: BackupResult): TaskOutcome {
  const done = `Backed up ${plural(totalObjects(result), "object")} of ${plural(Object.keys(result.objects).length, "resource type")} (${result.changed ? `new backup commit ${result.commit?.slice(0, 12) ?? ""}` : "unchanged since the last backup"}).`;
  const problems: string[] = [];
  if (result.failed.length)
    problems.push(`Could not back up ${result.failed.map((f) => f.type).join(", ")}: their previous backup was kept.`);
  if (result.missingPermissions.length)
    problems.push(
      `Not backed up for lack of permissions (${result.missingPermissions.join(", ")}): ${result.skipped.map((s) => s.type).join(", ")}. Grant admin consent: ${result.consentUrl ?? ""}`,
    );
  return problems.length
    ? { result: "succeededWithIssues", message: `${done} ${problems.join(" ")}` }
    : { result: "succeeded", message: done };
}

export function renderBackupMarkdown(tenant: string, result: BackupResult): string {
  const lines = [
    `## Tenant Sync backup of ${md(tenant)}`,
    "",
    `**${md(backupOutcome(result).message)}**`,
    "",
    "| Resource type | Objects |",
    "| --- | --- |",
  ];
  for (const [type, n] of Object.entries(result.objects).sort()) lines.push(`| \`${type}\` | ${n} |`);
  for (const f of result.failed) lines.push(`| \`${f.type}\` | failed: ${md(f.error)} |`);
  for (const s of result.skipped) lines.push(`| \`${s.type}\` | skipped: ${md(s.reason)} |`);
  lines.push(
    "",
    `${result.requests} Graph requests, ${result.throttled} throttled, ${(result.durationMs / 1000).toFixed(1)} s.`,
    "",
  );
  return safeOutput(lines.join("\n"));
}

export interface PlanCounts {
  toAdd: number;
  toChange: number;
  toDelete: number;
  conflicts: number;
}

export function planCounts(plan: Plan): PlanCounts {
  const n = (actions: string[]) => plan.changes.filter((c) => actions.includes(c.action)).length;
  return {
    toAdd: n(["create"]),
    toChange: n(["update", "assign"]),
    toDelete: n(["delete"]),
    conflicts: plan.conflicts.length,
  };
}

/** Confirmations the plan needs before deploy (deletes, mass, secrets), once each. */
export function neededConfirmations(plan: Plan): string[] {
  return [...new Set(plan.findings.flatMap((f) => (f.confirm ? [f.confirm] : [])))].sort();
}

/** A plan Deploy would apply: it has changes, nothing blocks it, and every confirmation it needs is given. */
export function isDeployable(plan: Plan, confirmations: readonly string[]): boolean {
  return (
    plan.changes.length > 0 && !isBlocked(plan) && neededConfirmations(plan).every((c) => confirmations.includes(c))
  );
}

/** Findings no confirmation lifts, and conflicts that stopped the sync. */
export function isBlocked(plan: Plan): boolean {
  return plan.findings.some(isBlocking) || plan.conflicts.some((c) => c.resolution === "stopped");
}

export function planFact(result: PlanStepResult): PlanFact {
  const plan = result.plan;
  return {
    summary: summaryLine(plan),
    ...planCounts(plan),
    hasChanges: plan.changes.length > 0,
    needsConfirmation: neededConfirmations(plan),
    blocked: isBlocked(plan),
    imported: result.imports.length,
  };
}

export function planOutcome(result: PlanStepResult): TaskOutcome {
  const plan = result.plan;
  const problems: string[] = [];
  const unread = [
    ...result.backup.failed.map((f) => f.type),
    ...(result.backup.missingPermissions.length ? result.backup.skipped.map((s) => s.type) : []),
  ];
  if (unread.length) problems.push(`Left out of the plan (could not be read from the tenant): ${unread.join(", ")}.`);
  if (isBlocked(plan))
    problems.push("The plan is blocked: see the findings; fix the repository or the tenant, then plan again.");
  const settled = result.settled ? " Repository and tenant agree: base moved forward." : "";
  return {
    result: problems.length ? "succeededWithIssues" : "succeeded",
    message: `Plan: ${summaryLine(plan)}${settled}${problems.length ? ` ${problems.join(" ")}` : ""}`,
  };
}

export function deployFact(result: DeployResult): DeployFact {
  return { status: result.status, applied: result.applied, failed: result.failed, skipped: result.skipped };
}

export function deployOutcome(result: DeployResult): TaskOutcome {
  const counts = `${result.applied} applied, ${result.failed} failed, ${result.skipped} already done`;
  if (result.status === "succeeded") return { result: "succeeded", message: `Deployed the plan: ${counts}.` };
  if (result.status === "partiallySucceeded")
    return {
      result: "succeededWithIssues",
      message: `Partially deployed the plan: ${counts}. Run deploy again after fixing the failed changes: it applies only what is left.`,
    };
  return { result: "failed", message: `Deploy failed: ${counts}. See the errors above for each change.` };
}

const doing: Record<Outcome["action"], string> = {
  create: "Creating",
  update: "Changing",
  assign: "Changing the assignments of",
  delete: "Deleting",
};

/**
 * What stopped a deploy that applied nothing, as the run's error: the first failed change, with its
 * object, Graph's message and the hint, and how many others failed beside it. Undefined otherwise
 * (a partial deploy is not an error: its report lists each failed change).
 */
export function deployErrorFact(result: DeployResult): ErrorFact | undefined {
  if (result.status !== "failed") return undefined;
  const failures = result.outcomes.filter((o): o is Extract<Outcome, { ok: false }> => !o.ok);
  const first = failures[0];
  if (!first) return undefined;
  const others = failures.length - 1;
  const more = others
    ? ` (${others} more change${others === 1 ? "" : "s"} failed too: the deploy report lists each)`
    : "";
  return {
    code: first.error.code,
    message: `${doing[first.action]} ${first.address} failed: ${first.error.message}${more}`,
    step: "deploy",
    object: first.address,
    ...(first.error.hint ? { hint: first.error.hint } : {}),
  };
}

export function renderDeployMarkdown(tenant: string, plan: Plan, result: DeployResult): string {
  const lines = [
    `## Tenant Sync deploy to ${md(tenant)}`,
    "",
    `**${md(deployOutcome(result).message)}**`,
    "",
    `Plan of ${plan.createdAt}: ${md(summaryLine(plan))}`,
    "",
    "| Object | Change | Result |",
    "| --- | --- | --- |",
  ];
  for (const o of result.outcomes) {
    lines.push(
      `| ${md(o.address)} | ${o.action} | ${o.ok ? "done" : `failed: ${md(o.error.message)}${o.error.hint ? ` ${md(o.error.hint)}` : ""}`} |`,
    );
  }
  lines.push("");
  return safeOutput(lines.join("\n"));
}

function graphHint(e: GraphError): string {
  if (e.status === 401) return "The token was refused: check the app registration and the sign-in settings.";
  if (e.status === 403)
    return "Grant the app the permissions the enabled resource types need, admin-consent them, and run again.";
  if (e.status === 429) return "Graph kept throttling: run again later, or back up fewer resource types per run.";
  if (e.status >= 500 || e.status === 0) return "Graph or the network failed: run again.";
  return "See Graph's message; fix the object in the repository or the tenant and run again.";
}

/** What stopped the run, for people (one message) and for the hub (the error fact). */
export function describeFailure(e: unknown, step: ErrorFact["step"]): { message: string; fact: ErrorFact } {
  if (isSyncError(e)) {
    const message = withObject(e.message, e.detail.object);
    return {
      message: [message, e.detail.hint].filter(Boolean).join(" "),
      fact: {
        code: e.code,
        message,
        step,
        ...(e.detail.hint ? { hint: e.detail.hint } : {}),
        ...(e.detail.object ? { object: e.detail.object } : {}),
      },
    };
  }
  if (isGraphError(e)) {
    const message = `Graph refused a request: ${e.message}`;
    const hint = graphHint(e);
    const code = e.status === 403 ? "auth.consentRequired" : e.status === 429 ? "graph.throttled" : "graph.failed";
    return {
      message: `${message} ${hint}`,
      fact: { code, message, hint, step, ...(e.object ? { object: e.object } : {}) },
    };
  }
  const message = `Tenant Sync stopped unexpectedly: ${redact(e instanceof Error ? e.message : String(e))}`;
  return { message, fact: { code: "internal", message, step } };
}
