/**
 * deploy — applies an approved plan to its tenant (DESIGN §2.5, §5): refuse it while findings wait for
 * confirmation — the plan's own and the gates recomputed from its changes (never trusting the file's
 * verdicts), first with the plan's data, then with the tenant as read — refuse it if the tenant
 * changed since it was made (stale), then apply its changes in the order given and nothing else,
 * journaling each step so a run after a crash finishes what is left without repeating a create.
 * Per-change failures are outcomes; only "cannot start" throws.
 */
import { type Clock, realClock } from "../clock";
import { isGraphError, isSyncError, SyncError } from "../errors";
import { tokenClaims } from "../graph/credentials";
import type { GraphClient } from "../graph/graph-client";
import { grantedPermissions, isGranted } from "../graph/permissions";
import { safeText, silentLogger, type Logger } from "../logger";
import { allResourceTypes, getResourceType } from "../resources/registry";
import { refusedWrite, type ResourceType, type ResourceTypeId } from "../resources/resource-type";
import { exportTenant } from "../snapshot/export-tenant";
import type { NormalizedObject } from "../snapshot/normalize";
import { diffObjects } from "./diff";
import { defaultGateOptions, gateFindings, type GateOptions, type ReferenceScope } from "./gates";
import { Journal } from "./journal";
import {
  type Action,
  type Change,
  type Confirmation,
  type GateFinding,
  isBlocking,
  type Plan,
  type PlannedObject,
} from "./plan";
import { type NameIndex, parseAddress, referencedAddresses } from "./references";
import { readRepoSecrets, redactSecretValues, type SecretValues } from "./repo-secrets";
import { describeStale, findStaleObjects } from "./staleness";
import { applyChange } from "./write-steps";

export interface DeployOptions {
  plan: Plan;
  graph: GraphClient;
  /** Confirmations given on top of approval ("deletes", "mass", "secrets"). */
  confirm: Confirmation[];
  /** `<plan path>.journal`: what earlier runs of this plan did. */
  journalPath: string;
  log?: Logger;
  clock?: Clock;
  /** The repository the plan was made from: secrets written in it are read from the plan's commit. */
  repoDir?: string;
  /** Registers a value as a secret for logs (the pipeline's setSecret) before it is used. */
  setSecret?: (text: string) => void;
  /**
   * Gate settings the plan's own may not loosen (the repository's tenant-sync.json, when the caller
   * knows the repository): a plan file edited to raise its threshold, digest made again, still asks.
   */
  gateFloor?: GateOptions;
}

export type Outcome =
  | { address: string; action: Action; ok: true }
  | { address: string; action: Action; ok: false; error: { code: string; message: string; hint?: string } };

/**
 * What a deploy did: one outcome per change of the plan, in plan order. `applied` counts changes this
 * run applied, `skipped` those an earlier run of the same plan had finished, `failed` the rest.
 * Status: nothing failed → succeeded; some failed → partiallySucceeded; none applied → failed.
 */
export interface DeployResult {
  status: "succeeded" | "partiallySucceeded" | "failed";
  outcomes: Outcome[];
  applied: number;
  failed: number;
  skipped: number;
  /** Address → id of each object the plan created (this run or an earlier one). */
  created: Record<string, string>;
  requests: number;
  throttled: number;
  durationMs: number;
}

/** The tenant as deploy reads it before writing. */
interface TenantView {
  objects: NormalizedObject[];
  names: NameIndex;
  duplicateNames: Map<ResourceTypeId, Set<string>>;
}

const findingKey = (f: GateFinding) => `${f.kind}|${f.confirm ?? ""}|${[...f.addresses].sort().join(",")}`;

/** The change with its fields made again from `before` to its target (the plan's `fields` are not trusted). */
function withFields(change: Change, before: PlannedObject | undefined): Change {
  return { ...change, fields: change.action === "delete" ? [] : diffObjects(before, change.after) };
}

/** What deploy knows of the tenant for the gates: objects per type before the plan, names, types read. */
interface TenantFacts {
  counts: Plan["tenantCounts"];
  scope: ReferenceScope;
  objects: NormalizedObject[];
}

/**
 * The gates recomputed from the plan's changes and conflicts, with the plan's gate settings: without
 * `tenant`, from the plan's own data (its tenant counts; references to known types unchecked); with
 * it, from the tenant as deploy read it (real counts and names, fields against the tenant's objects).
 */
export function recomputedFindings(plan: Plan, tenant?: TenantFacts, floor?: GateOptions): GateFinding[] {
  const byId = new Map((tenant?.objects ?? []).map((o) => [`${o.type}|${o.id}`, o]));
  const changes = plan.changes.map((c) => withFields(c, byId.get(`${c.type}|${c.tenantId}`) ?? c.before));
  const scope: ReferenceScope = tenant?.scope ?? { tenantNames: new Map(), knownTypes: new Set() };
  return gateFindings(
    changes,
    plan.conflicts,
    tenant?.counts ?? plan.tenantCounts,
    scope,
    strictest(plan.gates ?? defaultGateOptions, floor),
  );
}

function strictest(gates: GateOptions, floor: GateOptions | undefined): GateOptions {
  if (!floor) return gates;
  return {
    massChangeThreshold: Math.min(gates.massChangeThreshold, floor.massChangeThreshold),
    massChangeMinimum: Math.min(gates.massChangeMinimum, floor.massChangeMinimum),
  };
}

/** Throws plan.blocked while any finding waits for a confirmation not given, or blocks whatever is given. */
function refuseFindings(recorded: GateFinding[], recomputed: GateFinding[], confirm: Confirmation[]): void {
  const listed = new Set(recorded.map(findingKey));
  const seen = new Set<string>();
  const findings: GateFinding[] = [];
  for (const f of [...recomputed, ...recorded]) {
    if (seen.has(findingKey(f))) continue;
    seen.add(findingKey(f));
    findings.push(
      listed.has(findingKey(f))
        ? f
        : { ...f, message: `${f.message} (found again at deploy: the plan file does not list it)` },
    );
  }
  const needsConfirmation = findings.filter((f) => f.confirm && !confirm.includes(f.confirm));
  // A refused write was left out of the changes: it is told, never applied, and stops nothing.
  const blocking = findings.filter(isBlocking);
  if (needsConfirmation.length === 0 && blocking.length === 0) return;
  const lines = [
    ...needsConfirmation.map((f) => `confirm "${f.confirm}": ${f.message}`),
    ...blocking.map((f) => `blocked (${f.kind}): ${f.message}`),
  ];
  const wanted = [...new Set(needsConfirmation.map((f) => f.confirm as string))];
  const hint = [
    wanted.length
      ? `To go ahead, deploy again confirming ${wanted.map((c) => `"${c}"`).join(" and ")} (the pipeline's confirmation parameter, or --confirm ${wanted.join(",")}).`
      : "",
    blocking.length
      ? "No confirmation lifts the blocked findings: fix the repo or the tenant as they say, then plan again."
      : "",
  ]
    .filter(Boolean)
    .join(" ");
  throw new SyncError("plan.blocked", `The plan is not cleared to deploy: ${lines.join(" ")}`, {
    object: [...needsConfirmation, ...blocking][0]?.addresses[0],
    hint,
  });
}

/**
 * Throws plan.invalid for a change its type's service does not let Tenant Sync make (a plan made by
 * hand, or before the type's writes were restricted): the planner lists such writes as refused instead.
 */
function refuseRestrictedWrites(plan: Plan): void {
  for (const change of plan.changes) {
    const restriction = refusedWrite(getResourceType(change.type), change.action);
    if (!restriction) continue;
    throw new SyncError(
      "plan.invalid",
      `The plan asks to ${change.action} ${change.address}, which Tenant Sync never does: ${restriction.why} Nothing was written.`,
      { object: change.address, hint: `Make a new plan. Instead of this change: ${restriction.instead}` },
    );
  }
}

/**
 * Throws plan.invalid for a write its type refuses, and plan.blocked while findings wait for a
 * confirmation not given, or block whatever is given: the plan's recorded findings and those
 * recomputed from its changes with its own data. No I/O.
 */
export function refuseUnconfirmed(plan: Plan, confirm: Confirmation[], floor?: GateOptions): void {
  refuseRestrictedWrites(plan);
  refuseFindings(plan.findings, recomputedFindings(plan, undefined, floor), confirm);
}

/**
 * The tenant's objects per type as they were before this plan: what deploy read, less the objects an
 * earlier run of the plan created, plus those it deleted (the journal says which).
 */
function countsBeforePlan(plan: Plan, view: TenantView, journal: Journal): Plan["tenantCounts"] {
  const counts: Plan["tenantCounts"] = {};
  for (const o of view.objects) counts[o.type] = (counts[o.type] ?? 0) + 1;
  const present = new Set(view.objects.map((o) => `${o.type}|${o.id}`));
  for (const [index, c] of plan.changes.entries()) {
    const entry = journal.entry(index);
    if (c.action === "create" && entry?.createdId && present.has(`${c.type}|${entry.createdId}`))
      counts[c.type] = (counts[c.type] ?? 1) - 1;
    if (c.action === "delete" && entry?.done && !present.has(`${c.type}|${c.tenantId}`))
      counts[c.type] = (counts[c.type] ?? 0) + 1;
  }
  return counts;
}

/** The gates recomputed with the tenant as deploy read it; throws plan.blocked before anything is written. */
function refuseUnconfirmedInTenant(
  plan: Plan,
  confirm: Confirmation[],
  view: TenantView,
  types: ResourceType[],
  journal: Journal,
  floor?: GateOptions,
): void {
  const tenantNames = new Map([...view.names].map(([type, byName]) => [type, new Set(byName.keys())]));
  const tenant: TenantFacts = {
    counts: countsBeforePlan(plan, view, journal),
    scope: { tenantNames, knownTypes: new Set(types.map((t) => t.id)) },
    objects: view.objects,
  };
  refuseFindings(plan.findings, recomputedFindings(plan, tenant, floor), confirm);
}

/** Types the plan writes, plus every type its objects refer to (for the names of the target tenant). */
function typesToRead(plan: Plan): ResourceType[] {
  const ids = new Set<string>();
  for (const change of plan.changes) {
    const type = getResourceType(change.type);
    ids.add(type.id);
    for (const ref of Object.values(type.references ?? {})) ids.add(ref.type);
    for (const address of referencedAddresses(change.after?.object)) {
      const target = parseAddress(address);
      if (target) ids.add(target.type);
    }
  }
  return allResourceTypes.filter((t) => ids.has(t.id));
}

async function checkAccess(graph: GraphClient, plan: Plan, types: ResourceType[]): Promise<void> {
  const token = await graph.accessToken();
  const tid = tokenClaims(token).tid;
  if (tid && tid.toLowerCase() !== plan.tenantId.toLowerCase()) {
    throw new SyncError(
      "plan.invalid",
      `This plan was made for tenant ${plan.tenantId}, but the credentials sign in to tenant ${tid}.`,
      { hint: "Deploy the plan with the credentials of the tenant it was made for, or make a plan for this tenant." },
    );
  }
  const written = new Set(plan.changes.map((c) => c.type));
  const required = types.flatMap((t) => [...t.permissions.read, ...(written.has(t.id) ? t.permissions.write : [])]);
  const granted = new Set(grantedPermissions(token));
  const missing = [...new Set(required)].filter((p) => !isGranted(granted, p)).sort();
  if (missing.length) {
    throw new SyncError(
      "auth.consentRequired",
      `The app lacks ${missing.join(", ")}, which this plan needs to read and write ${[...written].sort().join(", ")}. Nothing was written.`,
      { hint: "Grant these permissions to the app and admin-consent them, then run deploy again." },
    );
  }
}

async function readTenant(graph: GraphClient, types: ResourceType[], log: Logger): Promise<TenantView> {
  const result = await exportTenant({ graph, types, allTypes: allResourceTypes, log });
  const failed = result.outcomes.filter((o) => o.status !== "ok");
  if (failed.length) {
    const detail = failed.map((o) => `${o.type} (${o.status}${"error" in o ? `: ${o.error}` : ""})`).join("; ");
    throw new SyncError(
      "export.failed",
      `Could not read the tenant before deploying, so the plan cannot be checked against it: ${detail}. Nothing was written.`,
      { hint: "Fix what stops the read (permissions, licence, the service) and run deploy again." },
    );
  }
  const names: NameIndex = new Map();
  const duplicateNames = new Map<ResourceTypeId, Set<string>>();
  for (const o of result.objects) {
    if (getResourceType(o.type).kind === "singleton") continue;
    const byName = names.get(o.type) ?? new Map<string, string>();
    if (byName.has(o.name)) duplicateNames.set(o.type, (duplicateNames.get(o.type) ?? new Set()).add(o.name));
    byName.set(o.name, o.id);
    names.set(o.type, byName);
  }
  return { objects: result.objects, names, duplicateNames };
}

function outcomeError(e: unknown, type: ResourceType): { code: string; message: string; hint?: string } {
  if (isSyncError(e)) return { code: e.code, message: e.message, ...(e.detail.hint ? { hint: e.detail.hint } : {}) };
  if (isGraphError(e)) {
    if (e.status === 403)
      return {
        code: "auth.consentRequired",
        message: `Graph refused the change: ${e.message}`,
        hint: `Grant ${type.permissions.write.join(", ")} and admin-consent it, then run deploy again.`,
      };
    if (e.status === 429)
      return {
        code: "graph.throttled",
        message: `Graph kept throttling the change: ${e.message}`,
        hint: "Run deploy again later: it applies only what is left.",
      };
    return {
      code: "graph.failed",
      message: `Graph refused the change: ${e.message}`,
      hint:
        e.status >= 500 || e.status === 0
          ? "Run deploy again: it applies only what is left."
          : "Fix the object in the repo as Graph's message says, then plan again.",
    };
  }
  return { code: "deploy.failed", message: e instanceof Error ? e.message : String(e) };
}

/**
 * A create cut short by a crash: the object it made — the one the journal names, or else the only
 * one of that name the tenant has now. None: the POST never landed, so create it.
 */
function adoptable(change: Change, createdId: string | undefined, view: TenantView): NormalizedObject | undefined {
  const recorded = view.objects.find((o) => o.type === change.type && o.id === createdId);
  if (recorded) return recorded;
  const same = view.objects.filter((o) => o.type === change.type && o.name === change.name);
  if (same.length > 1)
    throw new SyncError(
      "deploy.failed",
      `An interrupted deploy was creating ${change.address}, and the tenant now has ${same.length} objects of that name: it cannot tell which one it made.`,
      { object: change.address, hint: "Delete the extra copies in the tenant, then run deploy again." },
    );
  return same[0];
}

interface RunState {
  view: TenantView;
  journal: Journal;
  failedCreates: Set<string>;
  created: Record<string, string>;
  secretValues: SecretValues;
}

async function runChange(o: DeployOptions, state: RunState, change: Change, index: number): Promise<void> {
  const type = getResourceType(change.type);
  const blockedBy = [...referencedAddresses(change.after?.object)].filter((a) => state.failedCreates.has(a));
  if (change.action !== "delete" && blockedBy.length) {
    throw new SyncError(
      "deploy.failed",
      `${change.address} was not applied: it refers to ${blockedBy.join(", ")}, whose create failed earlier in this deploy.`,
      {
        object: change.address,
        hint: `Fix what made ${blockedBy.join(", ")} fail (see its outcome) and run deploy again: it applies only what is left.`,
      },
    );
  }
  const entry = state.journal.entry(index);
  const adopted =
    change.action === "create" && entry?.started ? adoptable(change, entry.createdId, state.view) : undefined;
  const tenantNow = adopted ?? state.view.objects.find((x) => x.type === change.type && x.id === change.tenantId);
  const remember = (id: string) => {
    // Known at once, so later changes can refer to it even if a later step of this one fails.
    state.created[change.address] = id;
    state.view.names.set(change.type, (state.view.names.get(change.type) ?? new Map()).set(change.name, id));
  };
  if (adopted) remember(adopted.id);
  state.journal.started(index);
  const { id } = await applyChange({
    graph: o.graph,
    change,
    type,
    names: state.view.names,
    duplicateNames: state.view.duplicateNames,
    adoptedId: adopted?.id,
    tenantNow: tenantNow ? { object: tenantNow.object, files: tenantNow.files } : undefined,
    secretValues: state.secretValues,
    onCreated: (newId) => {
      state.journal.created(index, newId);
      remember(newId);
    },
  });
  if (change.action === "delete" && state.view.names.get(change.type)?.get(change.name) === change.tenantId)
    state.view.names.get(change.type)?.delete(change.name);
  state.journal.done(index, id);
}

function statusOf(applied: number, failed: number, skipped: number): DeployResult["status"] {
  if (failed === 0) return "succeeded";
  return applied + skipped > 0 ? "partiallySucceeded" : "failed";
}

/** One change: skipped when an earlier run finished it, else applied; a failure becomes its outcome. */
async function applyOne(
  o: DeployOptions,
  state: RunState,
  change: Change,
  index: number,
  log: Logger,
): Promise<{ outcome: Outcome; result: "applied" | "skipped" | "failed" }> {
  const { address, action } = change;
  const entry = state.journal.entry(index);
  if (entry?.done) {
    if (entry.createdId) state.created[address] = entry.createdId;
    return { outcome: { address, action, ok: true }, result: "skipped" };
  }
  try {
    await runChange(o, state, change, index);
    log.info(safeText(`${action} ${address}: done`));
    return { outcome: { address, action, ok: true }, result: "applied" };
  } catch (e) {
    const found = outcomeError(e, getResourceType(change.type));
    const error = {
      ...found,
      message: redactSecretValues(found.message, state.secretValues),
      ...(found.hint ? { hint: redactSecretValues(found.hint, state.secretValues) } : {}),
    };
    // Only a create that left no object blocks the changes referring to it.
    if (action === "create" && !state.created[address]) state.failedCreates.add(address);
    state.journal.failed(index, error.message);
    log.error(safeText(`${action} ${address} failed: ${error.message}`), address);
    return { outcome: { address, action, ok: false, error }, result: "failed" };
  }
}

export async function deploy(o: DeployOptions): Promise<DeployResult> {
  const clock = o.clock ?? realClock;
  const log = o.log ?? silentLogger;
  const started = clock.now();
  const statsBefore = { ...o.graph.stats };
  refuseUnconfirmed(o.plan, o.confirm, o.gateFloor);
  const secretValues = await readRepoSecrets(o.plan, o.repoDir, o.setSecret);
  const types = typesToRead(o.plan);
  await checkAccess(o.graph, o.plan, types);
  const journal = Journal.open(o.journalPath, o.plan, clock);
  log.info(`Reading ${types.length} resource types of tenant ${o.plan.tenantId} to check the plan is current…`);
  const view = await readTenant(o.graph, types, log);
  const stale = findStaleObjects(o.plan.changes, view.objects, journal.touched());
  if (stale.length) {
    throw new SyncError(
      "plan.stale",
      safeText(`The tenant changed after this plan was made: ${describeStale(stale)}. Nothing was written.`),
      {
        object: stale[0].address,
        hint: "Make a new plan (run the pipeline again, or tenant-sync plan) and deploy that one.",
      },
    );
  }
  refuseUnconfirmedInTenant(o.plan, o.confirm, view, types, journal, o.gateFloor);
  const state: RunState = { view, journal, failedCreates: new Set(), created: {}, secretValues };
  const outcomes: Outcome[] = [];
  const counts = { applied: 0, skipped: 0, failed: 0 };
  log.info(`Applying ${o.plan.changes.length} changes…`);
  for (const [index, change] of o.plan.changes.entries()) {
    const { outcome, result } = await applyOne(o, state, change, index, log);
    outcomes.push(outcome);
    counts[result] += 1;
    log.progress?.("deploy", index + 1, o.plan.changes.length);
  }
  return {
    status: statusOf(counts.applied, counts.failed, counts.skipped),
    outcomes,
    ...counts,
    created: state.created,
    requests: o.graph.stats.httpRequests - statsBefore.httpRequests,
    throttled: o.graph.stats.throttled - statsBefore.throttled,
    durationMs: clock.now() - started,
  };
}
