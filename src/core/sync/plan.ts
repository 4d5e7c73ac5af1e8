/**
 * plan — the contract between the Plan and Deploy stages (DESIGN §2, STYLE "Key shapes"). A plan
 * stands for everything deploy will do: its changes, already in apply order, each addressed as
 * type["name"], with the tenant fingerprint it was made against (deploy refuses a stale plan), the
 * conflicts found, and the gate findings that need confirming. Types only; makePlan() builds one.
 */
import type { ResourceTypeId } from "../resources/resource-type";
import type { JsonObject, JsonValue } from "../snapshot/pointer";

export const planFormatVersion = 1;

export type Action = "create" | "update" | "assign" | "delete";

/** One field that differs, by JSON pointer into the object. */
export interface FieldChange {
  path: string;
  before?: JsonValue;
  after?: JsonValue;
}

/** A snapshot object: what the repo wants or what the tenant has. */
export interface PlannedObject {
  object: JsonObject;
  /** Files beside the JSON (script bodies): suffix → content. */
  files: Record<string, string>;
}

/**
 * One change to the tenant. `create` makes `after`; `update` turns the object with `tenantId` from
 * `before` into `after` (`assign` when only its assignments differ); `delete` removes it.
 * `fingerprint` is the tenant object's fingerprint when the plan was made (absent for creates).
 */
export interface Change {
  address: string;
  type: ResourceTypeId;
  name: string;
  action: Action;
  tenantId?: string;
  fingerprint?: string;
  before?: PlannedObject;
  after?: PlannedObject;
  fields: FieldChange[];
}

export type ConflictResolution = "stopped" | "repoWins" | "tenantWins";

/** An object changed on both sides since base, differently. Both versions are kept for people. */
export interface Conflict {
  address: string;
  type: ResourceTypeId;
  resolution: ConflictResolution;
  repo?: PlannedObject;
  tenant?: PlannedObject;
  fields: FieldChange[];
}

export type Confirmation = "deletes" | "mass" | "secrets";

/**
 * A repository change left out of the plan's changes because its type's service does not let an
 * application make it (the type's `writes` restriction): what it would have done, why it is not, and
 * what a person does instead. Deploy never applies it; the next plan finds it again until the repo
 * or the tenant changes.
 */
export interface RefusedWrite {
  action: Action;
  why: string;
  instead: string;
  /** What the repository wants different from the tenant (empty for a delete). */
  fields: FieldChange[];
}

/**
 * Something a person must look at before deploy. Findings with `confirm` are lifted by that
 * confirmation (`deploy --confirm deletes`); findings with `refused` (a write the service does not
 * allow) are told and never applied, and block nothing; the others (missing references, deleted
 * objects still referred to, duplicate names or tenant ids, create-only changes, conflicts that
 * stopped the sync) block the plan until the repo or the tenant is fixed.
 */
export interface GateFinding {
  kind:
    | "delete"
    | "mass"
    | "secret"
    | "missingReference"
    | "conflict"
    | "duplicateName"
    | "duplicateId"
    | "referencedDelete"
    | "ambiguousReference"
    | "createOnlyChange"
    | "refusedWrite";
  confirm?: Confirmation;
  addresses: string[];
  message: string;
  /** On "refusedWrite" findings (one object each; optional: older plans have none). */
  refused?: RefusedWrite;
}

/** Whether a finding stops deploy until the repo or the tenant is fixed (no confirmation lifts it). */
export function isBlocking(f: GateFinding): boolean {
  return !f.confirm && !f.refused;
}

/**
 * An object the plan step took from the tenant into the repository (drift), with who last changed
 * it and when, as the tenant's audit log says (absent when the log could not be read or names nobody).
 */
export interface ImportedChange {
  address: string;
  type: ResourceTypeId;
  change: "added" | "changed" | "deleted";
  /** "Adele Vance <adele@contoso.com>", or an app as "Name (app <appId>)". */
  changedBy?: string;
  changedAt?: string;
}

export interface Plan {
  formatVersion: typeof planFormatVersion;
  tenantId: string;
  createdAt: string;
  /** The repo commit (desired state) the plan was made from. */
  repoCommit?: string;
  /** The backup commit (tenant state) the plan was made against. */
  tenantCommit?: string;
  /** The last agreement the three-way comparison used. */
  baseCommit?: string;
  /** Changes in apply order (creates and updates by dependency, deletes after, in reverse). */
  changes: Change[];
  conflicts: Conflict[];
  findings: GateFinding[];
  /** Objects per resource type in the tenant when planned (for the mass-change share). */
  tenantCounts: Partial<Record<ResourceTypeId, number>>;
  /** Counts per type and action. */
  counts: Partial<Record<ResourceTypeId, Partial<Record<Action, number>>>>;
  /** Changes made in the tenant that this plan step imported into the repository (optional: older plans have none). */
  imported?: ImportedChange[];
  /** The gate settings the plan was made with; deploy recomputes the gates with them. */
  gates?: { massChangeThreshold: number; massChangeMinimum: number };
  /**
   * "sha256:<hex>" over the canonical JSON of the plan without this field; written by writePlanFile,
   * checked by parsePlan (a plan file changed after it was made is refused).
   */
  digest?: string;
}

export function countChanges(changes: Change[]): Plan["counts"] {
  const counts: Plan["counts"] = {};
  for (const c of changes) {
    const perType = (counts[c.type] ??= {});
    perType[c.action] = (perType[c.action] ?? 0) + 1;
  }
  return counts;
}

/** Findings that still need a confirmation the caller has not given, and findings no confirmation lifts. */
export function unconfirmedFindings(
  plan: Plan,
  confirmed: Confirmation[],
): { needsConfirmation: GateFinding[]; blocking: GateFinding[] } {
  return {
    needsConfirmation: plan.findings.filter((f) => f.confirm && !confirmed.includes(f.confirm)),
    blocking: plan.findings.filter(isBlocking),
  };
}
