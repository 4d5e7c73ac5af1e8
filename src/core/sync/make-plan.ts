/**
 * make-plan — from the three-way classification to what happens: drift (and conflicts the tenant
 * wins) is imported into the repo; repo changes (and conflicts the repo wins) become the plan's
 * changes, in apply order derived from the registry; conflicts the policy stops on are listed with
 * both versions. Pure: it returns data, renderPlan() makes text of it.
 */
import { applyOrder, getResourceType } from "../resources/registry";
import { refusedWrite, type ResourceTypeId } from "../resources/resource-type";
import { addressOf } from "../snapshot/normalize";
import type { SnapshotEntry } from "../snapshot/snapshot";
import { diffObjects } from "./diff";
import { fingerprintOf } from "../snapshot/fingerprint";
import { rawIdsToPlaceholders, referencesOf } from "../snapshot/reference";
import { defaultGateOptions, gateFindings, type GateOptions } from "./gates";
import {
  type Change,
  type Conflict,
  countChanges,
  type GateFinding,
  type Plan,
  type PlannedObject,
  planFormatVersion,
} from "./plan";
import { classify, type PairingProblem, planned, type Triple } from "./three-way";

export type ConflictPolicy = "stop" | "repo-wins" | "tenant-wins";

/** A repo file to bring to the tenant's version (tenant absent: remove it). */
export interface Import {
  type: ResourceTypeId;
  address: string;
  reason: "drift" | "tenantWins" | "revert" | "recordId";
  tenant?: SnapshotEntry;
  repo?: SnapshotEntry;
}

export interface PlanInput {
  triples: Triple[];
  /** Pairing problems (duplicate names): they block the plan rather than being guessed. */
  problems?: PairingProblem[];
  /** Types read from the tenant in this run (default: those present in the triples). */
  knownTypes?: ResourceTypeId[];
  /** Add a plain security group for each referenced group the tenant lacks (tenant-sync.json createMissingGroups). */
  createMissingGroups?: boolean;
  tenantId: string;
  createdAt: string;
  commits?: { repo?: string; tenant?: string; base?: string };
  conflictPolicy: ConflictPolicy;
  gates?: GateOptions;
}

function nameOfTriple(t: Triple): string {
  return (t.repo ?? t.tenant ?? t.base)?.name ?? "";
}

/** Tenant ids recorded only in repository files (not the tenant's), per type → the object's name. */
export type RepoIdNames = Map<ResourceTypeId, Map<string, string>>;

/**
 * The repository side as deploy should read it: a raw id that names a repository object, not a
 * tenant object, becomes a reference to that object by name (it is created, or paired by name).
 */
function desiredSide(t: Triple, repoIdNames: RepoIdNames): PlannedObject | undefined {
  const repo = planned(t.repo);
  if (!repo || repoIdNames.size === 0) return repo;
  const lookup = (type: ResourceTypeId, id: string) => {
    const name = repoIdNames.get(type)?.get(id);
    return name === undefined ? undefined : { name };
  };
  return { ...repo, object: rawIdsToPlaceholders(repo.object, getResourceType(t.type), lookup) };
}

function toChange(t: Triple, repoIdNames: RepoIdNames = new Map()): Change | undefined {
  const repo = desiredSide(t, repoIdNames);
  const tenant = planned(t.tenant);
  const name = t.repo?.name ?? t.tenant?.name ?? "";
  const base = { address: addressOf(t.type, name), type: t.type, name };
  if (repo && !tenant) return { ...base, action: "create", after: repo, fields: diffObjects(undefined, repo) };
  if (!repo && tenant && t.tenant)
    return {
      ...base,
      action: "delete",
      tenantId: t.tenant.id,
      fingerprint: fingerprintOf(tenant.object, tenant.files),
      before: tenant,
      fields: [],
    };
  if (!repo || !tenant || !t.tenant) return undefined;
  const fields = diffObjects(tenant, repo);
  if (fields.length === 0) return undefined;
  const onlyAssignments = fields.every((f) => f.path === "/assignments" || f.path.startsWith("/assignments/"));
  return {
    ...base,
    action: onlyAssignments ? "assign" : "update",
    tenantId: t.tenant.id,
    fingerprint: fingerprintOf(tenant.object, tenant.files),
    before: tenant,
    after: repo,
    fields,
  };
}

/** The name an update takes away from its object (a rename), or undefined. */
function renamedFrom(c: Change): string | undefined {
  if (c.action !== "update" || !c.before) return undefined;
  const old = c.before.object[getResourceType(c.type).naturalKey];
  return typeof old === "string" && old !== c.name ? old : undefined;
}

/**
 * Creates and updates by dependency (referenced types first), deletes after them in reverse. A
 * create of a name that a rename in the plan frees comes after that rename.
 */
export function orderChanges(changes: Change[]): Change[] {
  const types = applyOrder([...new Set(changes.map((c) => c.type))].map(getResourceType)).map((t) => t.id);
  const rank = new Map(types.map((id, i) => [id, i]));
  const freed = new Set(
    changes
      .map((c) => (renamedFrom(c) === undefined ? "" : addressOf(c.type, renamedFrom(c) as string)))
      .filter(Boolean),
  );
  const after = (c: Change) => (c.action === "create" && freed.has(c.address) ? 1 : 0);
  const byName = (a: Change, b: Change) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const writes = changes
    .filter((c) => c.action !== "delete")
    .sort((a, b) => (rank.get(a.type) ?? 0) - (rank.get(b.type) ?? 0) || after(a) - after(b) || byName(a, b));
  const deletes = changes
    .filter((c) => c.action === "delete")
    .sort((a, b) => (rank.get(b.type) ?? 0) - (rank.get(a.type) ?? 0) || byName(a, b));
  return [...writes, ...deletes];
}

/** Plain security groups for the group references the tenant and the plan do not provide. */
export function missingGroupCreates(changes: Change[], tenantNames: Map<ResourceTypeId, Set<string>>): Change[] {
  const planned = new Set(changes.filter((c) => c.type === "entra.group" && c.action !== "delete").map((c) => c.name));
  const wanted = new Set<string>();
  for (const c of changes) {
    if (c.action === "delete") continue;
    for (const ref of referencesOf(c.after?.object)) {
      if (ref.kind !== "address" || ref.target?.type !== "entra.group") continue;
      const name = ref.target.name;
      if (!tenantNames.get("entra.group")?.has(name) && !planned.has(name)) wanted.add(name);
    }
  }
  return [...wanted].sort().map((name) => {
    const after = {
      object: {
        displayName: name,
        description: "Created by Tenant Sync: referenced by the configuration, missing in the tenant. Add members.",
        mailEnabled: false,
        mailNickname: name.replace(/[^A-Za-z0-9]/g, "").slice(0, 56) || "group",
        securityEnabled: true,
        groupTypes: [],
      },
      files: {},
    };
    return {
      address: addressOf("entra.group", name),
      type: "entra.group" as ResourceTypeId,
      name,
      action: "create" as const,
      after,
      fields: diffObjects(undefined, after),
    };
  });
}

const verbs: Record<Change["action"], string> = {
  create: "create",
  update: "update",
  assign: "change the assignments of",
  delete: "delete",
};

/**
 * Splits off the changes whose type's service does not let Tenant Sync make them: each becomes a
 * finding that names the object, the write, why and what to do instead, and is never deployed.
 */
export function refusedWrites(changes: Change[]): { allowed: Change[]; refused: GateFinding[] } {
  const allowed: Change[] = [];
  const refused: GateFinding[] = [];
  for (const c of changes) {
    const type = getResourceType(c.type);
    const restriction = refusedWrite(type, c.action);
    if (!restriction) {
      allowed.push(c);
      continue;
    }
    refused.push({
      kind: "refusedWrite",
      addresses: [c.address],
      message: `${c.address} is not deployed: Tenant Sync cannot ${verbs[c.action]} this object (${type.title}): ${restriction.why} Instead, ${restriction.instead}`,
      refused: { action: c.action, why: restriction.why, instead: restriction.instead, fields: c.fields },
    });
  }
  return { allowed, refused };
}

/** Ids recorded in repository files that no tenant object of the type has, → the file's object name. */
function repoOnlyIds(triples: Triple[]): RepoIdNames {
  const tenantIds = new Set(triples.flatMap((t) => (t.tenant?.id ? [`${t.type}\u0000${t.tenant.id}`] : [])));
  const out: RepoIdNames = new Map();
  for (const t of triples) {
    if (!t.repo?.id || tenantIds.has(`${t.type}\u0000${t.repo.id}`)) continue;
    out.set(t.type, (out.get(t.type) ?? new Map<string, string>()).set(t.repo.id, t.repo.name));
  }
  return out;
}

export function makePlan(input: PlanInput): { plan: Plan; imports: Import[] } {
  const repoIdNames = repoOnlyIds(input.triples);
  const imports: Import[] = [];
  const changes: Change[] = [];
  const conflicts: Conflict[] = [];
  for (const t of input.triples) {
    const kind = classify(t);
    const address = addressOf(t.type, nameOfTriple(t));
    if (kind === "drift") imports.push({ type: t.type, address, reason: "drift", tenant: t.tenant, repo: t.repo });
    if (kind === "repoChanged") {
      const change = toChange(t, repoIdNames);
      if (change) changes.push(change);
    }
    if (kind === "conflict") {
      const resolution =
        input.conflictPolicy === "repo-wins"
          ? "repoWins"
          : input.conflictPolicy === "tenant-wins"
            ? "tenantWins"
            : "stopped";
      conflicts.push({
        address,
        type: t.type,
        resolution,
        repo: planned(t.repo),
        tenant: planned(t.tenant),
        fields: diffObjects(planned(t.tenant), planned(t.repo)),
      });
      if (resolution === "repoWins") {
        const change = toChange(t, repoIdNames);
        if (change) changes.push(change);
      }
      if (resolution === "tenantWins")
        imports.push({ type: t.type, address, reason: "tenantWins", tenant: t.tenant, repo: t.repo });
    }
  }
  const tenantCounts: Plan["tenantCounts"] = {};
  const tenantNames = new Map<ResourceTypeId, Set<string>>();
  const tenantIds = new Map<ResourceTypeId, Set<string>>();
  const repoIds = new Map<ResourceTypeId, Set<string>>();
  const add = (map: Map<ResourceTypeId, Set<string>>, type: ResourceTypeId, value: string) =>
    map.set(type, (map.get(type) ?? new Set()).add(value));
  for (const t of input.triples) {
    if (t.repo?.id) add(repoIds, t.type, t.repo.id);
    if (!t.tenant) continue;
    tenantCounts[t.type] = (tenantCounts[t.type] ?? 0) + 1;
    add(tenantNames, t.type, t.tenant.name);
    if (t.tenant.id) add(tenantIds, t.type, t.tenant.id);
  }
  // The desired state whole: every repository object that remains, changed or not.
  const desired = input.triples.flatMap((t) =>
    t.repo ? [{ type: t.type, name: t.repo.name, object: t.repo.object }] : [],
  );
  const { allowed, refused } = refusedWrites(changes);
  if (input.createMissingGroups) allowed.push(...missingGroupCreates(allowed, tenantNames));
  const ordered = orderChanges(allowed);
  const plan: Plan = {
    formatVersion: planFormatVersion,
    tenantId: input.tenantId,
    createdAt: input.createdAt,
    repoCommit: input.commits?.repo,
    tenantCommit: input.commits?.tenant,
    baseCommit: input.commits?.base,
    changes: ordered,
    conflicts,
    findings: [
      ...gateFindings(
        ordered,
        conflicts,
        tenantCounts,
        {
          tenantNames,
          tenantIds,
          repoIds,
          desired,
          knownTypes: new Set(input.knownTypes ?? input.triples.map((t) => t.type)),
        },
        input.gates ?? defaultGateOptions,
      ),
      ...(input.problems ?? []).map((p) => ({
        kind: p.kind,
        addresses: [...new Set((p.names ?? [p.name]).map((n) => addressOf(p.type, n)))],
        message: p.message,
      })),
      ...refused,
    ],
    tenantCounts,
    counts: countChanges(ordered),
    gates: input.gates ?? defaultGateOptions,
  };
  return { plan, imports };
}
