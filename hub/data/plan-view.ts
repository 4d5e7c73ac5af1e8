/**
 * plan-view — plan.json (format 1, as the Plan stage publishes it in the tenant-sync-plan artifact)
 * turned into what the run detail shows: counts, each change with its fields before → after by JSON
 * pointer, and the gates with whether this run confirms them. A field whose value holds a secret
 * placeholder (`$secret`) is marked secret and carries neither value: the hub never shows one.
 */
import type { PlanFact } from "../../src/core/status/run-facts";
import { type Change, type Confirmation, isBlocking, type Plan } from "../../src/core/sync/plan";
import type { PlanChange, PlanFieldChange, PlanView } from "./model";

const actionOf: Record<Change["action"], PlanChange["action"]> = {
  create: "add",
  update: "change",
  assign: "change",
  delete: "delete",
};

const holdsSecret = (value: unknown) => value !== undefined && JSON.stringify(value).includes('"$secret"');

function fieldOf(f: Change["fields"][number]): PlanFieldChange {
  if (holdsSecret(f.before) || holdsSecret(f.after)) return { pointer: f.path, secret: true };
  return {
    pointer: f.path,
    ...(f.before !== undefined ? { before: f.before } : {}),
    ...(f.after !== undefined ? { after: f.after } : {}),
  };
}

const zero = () => ({ add: 0, change: 0, delete: 0 });

/** Which gates a run confirms: from its plan fact (what is still unconfirmed), else its parameters. */
export interface Confirmations {
  fact?: PlanFact;
  templateParameters?: Record<string, string>;
}

const parameterOf: Record<Confirmation, string> = {
  deletes: "confirmDeletes",
  mass: "confirmMassChanges",
  secrets: "confirmSecrets",
};

function confirmed(gate: Confirmation, c: Confirmations): boolean {
  if (c.fact) return !c.fact.needsConfirmation.includes(gate);
  return String(c.templateParameters?.[parameterOf[gate]] ?? "").toLowerCase() === "true";
}

/** The plan's view; throws (with what to do) when the text is not a plan.json of format 1. */
export function planViewOf(text: string, c: Confirmations = {}): PlanView {
  let plan: Plan;
  try {
    plan = JSON.parse(text) as Plan;
  } catch {
    throw new Error("The run's plan.json is not valid JSON: the artifact may be damaged; run the sync again.");
  }
  if (!plan || plan.formatVersion !== 1 || !Array.isArray(plan.changes))
    throw new Error(
      `The run's plan.json has format ${String(plan?.formatVersion)}, which this hub does not read: update the Tenant Sync extension.`,
    );
  const counts = zero();
  const countsByType: PlanView["countsByType"] = {};
  const changes = plan.changes.map((change): PlanChange => {
    const action = actionOf[change.action] ?? "change";
    counts[action] += 1;
    (countsByType[change.type] ??= zero())[action] += 1;
    return { action, type: change.type, name: change.name, fields: (change.fields ?? []).map(fieldOf) };
  });
  const findings = plan.findings ?? [];
  const gates: PlanView["gates"] = [];
  for (const f of findings)
    if (f.confirm && !gates.some((g) => g.gate === f.confirm))
      gates.push({ gate: f.confirm, confirmed: confirmed(f.confirm, c), reason: f.message });
  return {
    ...(plan.digest ? { digest: plan.digest } : {}),
    counts,
    countsByType,
    changes,
    gates,
    // A write the service leaves to a person (refusedWrite) is not deployed and blocks nothing.
    blocked: findings.some(isBlocking),
  };
}
