/**
 * plan-file — reads and writes plan.json. The file is the artifact that travels from the Plan stage
 * to the Deploy stage; it is checked on read (format version, shape) so a truncated or edited file
 * is refused with a message saying what is wrong, never half-applied.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { SyncError } from "../errors";
import { resourceTypeIds } from "../resources/registry";
import { canonicalJson } from "../snapshot/canonical-json";
import type { JsonValue } from "../snapshot/pointer";
import { type Plan, planFormatVersion } from "./plan";

export function writePlanFile(path: string, plan: Plan): void {
  writeFileSync(path, canonicalJson(plan as unknown as JsonValue));
}

const actions = new Set(["create", "update", "assign", "delete"]);

export function parsePlan(text: string, source: string): Plan {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new SyncError("plan.invalid", `${source} is not valid JSON: ${(e as Error).message}.`, { hint: "Use the plan.json the plan step wrote, unmodified." });
  }
  const fail = (what: string): never => {
    throw new SyncError("plan.invalid", `${source} is not a Tenant Sync plan: ${what}.`, { hint: "Use the plan.json the plan step wrote, unmodified, or make a new plan." });
  };
  if (typeof data !== "object" || data === null) return fail("not an object");
  const plan = data as Partial<Plan>;
  if (plan.formatVersion !== planFormatVersion) {
    return fail(`format version ${String(plan.formatVersion)} (this version of Tenant Sync reads version ${planFormatVersion})`);
  }
  if (typeof plan.tenantId !== "string" || !Array.isArray(plan.changes) || !Array.isArray(plan.conflicts) || !Array.isArray(plan.findings)) {
    return fail("tenantId, changes, conflicts or findings missing");
  }
  plan.changes.forEach((c, i) => {
    if (!c || !actions.has(c.action) || !resourceTypeIds.includes(c.type) || typeof c.address !== "string") fail(`change ${i} has no valid action, type or address`);
    if ((c.action === "update" || c.action === "assign" || c.action === "delete") && (!c.tenantId || !c.fingerprint)) fail(`change ${i} (${c.address}) has no tenant id or fingerprint`);
    if (c.action !== "delete" && !c.after?.object) fail(`change ${i} (${c.address}) has no target object`);
  });
  return plan as Plan;
}

export function readPlanFile(path: string): Plan {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new SyncError("plan.invalid", `Cannot read the plan ${path}: ${(e as Error).message}.`, { hint: "Pass the path of the plan.json the plan step wrote." });
  }
  return parsePlan(text, path);
}
