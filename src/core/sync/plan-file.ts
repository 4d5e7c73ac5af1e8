/**
 * plan-file — reads and writes plan.json. The file is the artifact that travels from the Plan stage
 * to the Deploy stage; it carries a digest of its own content, and is checked on read (format
 * version, digest, shape) so a truncated or edited file is refused with a message saying what is
 * wrong, never half-applied.
 */
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { SyncError } from "../errors";
import { getResourceType, resourceTypeIds } from "../resources/registry";
import { refusedWrite } from "../resources/resource-type";
import { canonicalCompact, canonicalJson } from "../snapshot/canonical-json";
import type { JsonValue } from "../snapshot/pointer";
import { type Plan, planFormatVersion } from "./plan";

/** "sha256:<hex>" over the canonical JSON of the plan without its `digest`. */
export function planDigest(plan: Plan): string {
  const { digest: _ignored, ...content } = plan;
  return `sha256:${createHash("sha256")
    .update(canonicalCompact(content as unknown as JsonValue))
    .digest("hex")}`;
}

/** Writes the plan with its digest; returns the digest (what the pipeline records on the run). */
export function writePlanFile(path: string, plan: Plan): string {
  const digest = planDigest(plan);
  writeFileSync(path, canonicalJson({ ...plan, digest } as unknown as JsonValue));
  return digest;
}

function checkDigest(data: Record<string, unknown>, source: string): void {
  const remake = "Make a new plan (run the pipeline again, or tenant-sync plan) and deploy that one, unmodified.";
  if (typeof data.digest !== "string" || !/^sha256:[0-9a-f]{64}$/.test(data.digest)) {
    throw new SyncError(
      "plan.invalid",
      `${source} has no valid digest: it was made by an older version of Tenant Sync, or edited.`,
      { hint: remake },
    );
  }
  if (planDigest(data as unknown as Plan) !== data.digest) {
    throw new SyncError(
      "plan.invalid",
      `${source} was changed after it was made: its content no longer matches its digest. Make a new plan and deploy that one.`,
      { hint: remake },
    );
  }
}

function checkGates(gates: unknown, fail: (what: string) => never): void {
  if (gates === undefined) return;
  const g = gates as Record<string, unknown> | null;
  const threshold = g?.massChangeThreshold;
  const minimum = g?.massChangeMinimum;
  if (
    typeof threshold !== "number" ||
    !(threshold >= 0 && threshold <= 1) ||
    typeof minimum !== "number" ||
    !Number.isInteger(minimum) ||
    minimum < 0
  ) {
    fail("its gate settings (gates.massChangeThreshold 0–1, gates.massChangeMinimum a whole number) are not valid");
  }
}

const actions = new Set(["create", "update", "assign", "delete"]);

export function parsePlan(text: string, source: string): Plan {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new SyncError("plan.invalid", `${source} is not valid JSON: ${(e as Error).message}.`, {
      hint: "Use the plan.json the plan step wrote, unmodified.",
    });
  }
  const fail = (what: string): never => {
    throw new SyncError("plan.invalid", `${source} is not a Tenant Sync plan: ${what}.`, {
      hint: "Use the plan.json the plan step wrote, unmodified, or make a new plan.",
    });
  };
  if (typeof data !== "object" || data === null) return fail("not an object");
  const plan = data as Partial<Plan>;
  if (plan.formatVersion !== planFormatVersion) {
    return fail(
      `format version ${String(plan.formatVersion)} (this version of Tenant Sync reads version ${planFormatVersion})`,
    );
  }
  checkDigest(data as Record<string, unknown>, source);
  if (
    typeof plan.tenantId !== "string" ||
    !Array.isArray(plan.changes) ||
    !Array.isArray(plan.conflicts) ||
    !Array.isArray(plan.findings)
  ) {
    return fail("tenantId, changes, conflicts or findings missing");
  }
  checkGates(plan.gates, fail);
  plan.changes.forEach((c, i) => {
    if (!c || !actions.has(c.action) || !resourceTypeIds.includes(c.type) || typeof c.address !== "string")
      fail(`change ${i} has no valid action, type or address`);
    if ((c.action === "update" || c.action === "assign" || c.action === "delete") && (!c.tenantId || !c.fingerprint))
      fail(`change ${i} (${c.address}) has no tenant id or fingerprint`);
    if (c.action !== "delete" && !c.after?.object) fail(`change ${i} (${c.address}) has no target object`);
    // A plan made before its type's write restriction, or by hand: never let deploy try the write.
    if (refusedWrite(getResourceType(c.type), c.action))
      fail(`change ${i} (${c.address}) is a ${c.action} of a type Tenant Sync does not ${c.action}`);
  });
  return plan as Plan;
}

export function readPlanFile(path: string): Plan {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new SyncError("plan.invalid", `Cannot read the plan ${path}: ${(e as Error).message}.`, {
      hint: "Pass the path of the plan.json the plan step wrote.",
    });
  }
  return parsePlan(text, path);
}
