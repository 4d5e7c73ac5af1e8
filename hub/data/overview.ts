/**
 * overview — every tenant's row and the tiles, for a constant number of REST calls whatever the
 * number of tenants:
 * 1. the pipelines in \TenantSync with their latest builds (`getDefinitions`, includeLatestBuilds);
 * 2. their latest run each with the TenantSync.* properties (`getBuilds`, maxBuildsPerDefinition 1):
 *    for up to 200 pipelines their ids travel in the URL; past that (the URL would grow with them) the
 *    call asks for the latest build of every pipeline of the project and keeps the folder's;
 * 3. the pending approvals of the project (one fetch: no client exists).
 * Lists are followed by their continuation tokens (the clients put it on the returned array), so a
 * project with thousands of pipelines costs one more call per page, not one per tenant.
 *
 * Then, for the few rows whose status the three reads leave a guess, one or two reads each, at most
 * `maxFollowUps` rows: the run's properties when the list returned no property bag (the service is
 * not documented to return them; the tasks' tags carry the status signals, so the guess is close),
 * and the timeline when the status rests on facts alone (a rejection told only by a plan that was not
 * deployed, a failure without an error fact). A New error with its error fact is not followed up: the
 * timeline would add only the job link, which the detail reads anyway.
 */
import type { Build, BuildDefinitionReference, Timeline } from "azure-devops-extension-api/Build";
import {
  type ApprovalView,
  deriveTenantStatus,
  type RunView,
  type TenantStatus,
  type TimelineRecordView,
} from "../../src/core/status/derive";
import { parseFacts, runTag } from "../../src/core/status/run-facts";
import type { Overview, OverviewRow, TileGroup } from "./model";
import type { Rest } from "./rest";
import { queueStatusOf, runSummaryOf } from "./wire";

export const pipelineFolder = "\\TenantSync";
/** The most definition ids one builds call names in its URL (about 1.6 KB of query). */
export const maxDefinitionIdsInUrl = 200;
export const maxFollowUps = 20;

/** What the data layer keeps of a tenant between reads (for the detail and the actions). */
export interface TenantRecord {
  row: OverviewRow;
  definition: BuildDefinitionReference;
  /** Newest first: the latest run (with its properties when read) and the latest completed one. */
  runs: Build[];
  /** Pending approvals of this tenant's runs. */
  approvals: ApprovalView[];
}

export interface LoadedOverview {
  overview: Overview;
  tenants: Map<string, TenantRecord>;
}

interface ApprovalList {
  value?: ApprovalView[];
}

/** Pending approvals of the project, with their steps (who may approve). */
export async function pendingApprovals(rest: Rest): Promise<ApprovalView[]> {
  const list = await rest.json<ApprovalList>(
    "GET",
    "pipelines/approvals?state=pending&$expand=steps&api-version=7.1-preview.1",
  );
  return list?.value ?? [];
}

/** Follows continuation tokens until the list ends. */
async function allPages<T>(rest: Rest, page: (token?: string) => Promise<T[] & { continuationToken?: string | null }>) {
  const items: T[] = [];
  let token: string | undefined;
  do {
    const result = await rest.call(() => page(token));
    items.push(...result);
    token = result.continuationToken ?? undefined;
  } while (token);
  return items;
}

function definitionsOf(rest: Rest) {
  return allPages<BuildDefinitionReference>(rest, (token) =>
    rest.build.getDefinitions(
      rest.project,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      token,
      undefined,
      undefined,
      pipelineFolder,
      undefined,
      undefined,
      undefined,
      true,
    ),
  );
}

/** The builds list with the parameters the hub uses, named (the client takes 21 positional ones). */
export function buildsOf(
  rest: Rest,
  q: {
    definitions: number[] | undefined;
    properties: string[];
    top?: number;
    continuationToken?: string;
    maxBuildsPerDefinition?: number;
  },
) {
  const none = undefined;
  return rest.build.getBuilds(
    rest.project,
    q.definitions,
    ...[none, none, none, none, none, none, none, none, none],
    q.properties,
    q.top,
    q.continuationToken,
    q.maxBuildsPerDefinition,
  );
}

/** The latest build of each pipeline, in one list call (and its pages) however many there are. */
async function latestBuildsOf(rest: Rest, definitionIds: number[]): Promise<Build[]> {
  // Without a definitions filter, maxBuildsPerDefinition still applies per pipeline of the project.
  const named = definitionIds.length <= maxDefinitionIdsInUrl ? definitionIds : undefined;
  const builds = await allPages<Build>(rest, (token) =>
    buildsOf(rest, {
      definitions: named,
      properties: ["TenantSync.*"],
      continuationToken: token,
      maxBuildsPerDefinition: 1,
    }),
  );
  const wanted = new Set(definitionIds);
  return builds.filter((b) => b.definition && wanted.has(b.definition.id));
}

/** The tenant's short name: the run's `tenant` parameter, else the pipeline's name without its prefix. */
export function tenantNameOf(definition: { name: string }, runs: Build[]): string {
  const fromRun = runs.map((r) => r.templateParameters?.tenant).find((t) => typeof t === "string" && t);
  return fromRun ?? definition.name.replace(/^tenant-sync-/, "");
}

function runsOf(definition: BuildDefinitionReference, latest: Build | undefined): Build[] {
  const runs = [latest ?? definition.latestBuild, definition.latestCompletedBuild].filter((b): b is Build => !!b);
  return runs.filter((r, i) => runs.findIndex((o) => o.id === r.id) === i);
}

export function deriveFor(
  definition: BuildDefinitionReference,
  runs: Build[],
  approvals: ApprovalView[],
  now: number,
  timeline?: TimelineRecordView[],
): TenantStatus {
  return deriveTenantStatus({
    definition: {
      id: definition.id,
      name: definition.name,
      path: definition.path,
      queueStatus: definition.queueStatus,
    },
    runs: runs as unknown as RunView[],
    approvals,
    ...(timeline ? { timeline } : {}),
    now,
  });
}

const hasFacts = (build: Build) =>
  Object.keys(build.properties ?? {}).some((k) => k.toLowerCase().startsWith("tenantsync."));

/** Whether the three reads leave this row's status a guess the run's properties would settle. */
function needsProperties(status: TenantStatus, latest: Build | undefined): boolean {
  if (!latest || hasFacts(latest) || !(latest.tags ?? []).includes(runTag.product)) return false;
  return status.status !== "idle" && status.status !== "notRun";
}

/** Whether the status rests on facts alone, so that the timeline would change it (not only add a link). */
function needsTimeline(status: TenantStatus, latest: Build | undefined): boolean {
  if (!latest || !status.needsTimeline || status.run?.id !== latest.id) return false;
  if (status.detail.rejected?.evidence === "facts") return true;
  return status.status === "newError" && !parseFacts(latest.properties).error;
}

/** Reads the properties of a build into it (the form the list would have returned). */
export async function readProperties(rest: Rest, build: Build): Promise<void> {
  const answer = (await rest.call(() => rest.build.getBuildProperties(rest.project, build.id, ["TenantSync.*"]))) as {
    value?: Record<string, unknown>;
  } & Record<string, unknown>;
  const bag = (answer && typeof answer.value === "object" ? answer.value : answer) as Record<string, unknown>;
  build.properties = { ...(build.properties ?? {}), ...bag };
}

export async function readTimeline(rest: Rest, buildId: number): Promise<TimelineRecordView[]> {
  const timeline: Timeline = await rest.call(() => rest.build.getBuildTimeline(rest.project, buildId));
  return (timeline?.records ?? []) as unknown as TimelineRecordView[];
}

const tileOf: Partial<Record<TenantStatus["status"], TileGroup>> = {
  starting: "running",
  inProgress: "running",
  pendingApproval: "waiting",
  pendingAuthentication: "waiting",
  pendingAdminConsent: "waiting",
  partiallySuccessful: "issues",
  newError: "failed",
  notRun: "neverRun",
};

export function tilesOf(rows: OverviewRow[]): Record<TileGroup, number> {
  const tiles: Record<TileGroup, number> = { running: 0, waiting: 0, issues: 0, failed: 0, neverRun: 0, paused: 0 };
  for (const row of rows) {
    const group = tileOf[row.status.status];
    if (group) tiles[group] += 1;
    if (row.status.paused) tiles.paused += 1;
  }
  return tiles;
}

function approvalsOfRuns(approvals: ApprovalView[], runs: Build[]): ApprovalView[] {
  const ids = new Set(runs.map((r) => String(r.id)));
  return approvals.filter((a) => ids.has(String(a.pipeline?.owner?.id)));
}

export function rowOf(
  rest: Rest,
  definition: BuildDefinitionReference,
  runs: Build[],
  status: TenantStatus,
): OverviewRow {
  const run = runs.find((r) => r.id === status.run?.id) ?? runs[0];
  const plan = run ? parseFacts(run.properties).plan : undefined;
  return {
    tenant: tenantNameOf(definition, runs),
    definition: {
      id: definition.id,
      name: definition.name,
      path: definition.path,
      queueStatus: queueStatusOf(definition.queueStatus),
    },
    status,
    ...(runs[0] ? { latestRun: runSummaryOf(runs[0], rest.o) } : {}),
    ...(plan ? { plan } : {}),
  };
}

/** Reads the overview (see the module comment for what it costs). */
export async function loadOverview(rest: Rest): Promise<LoadedOverview> {
  const session = rest.session();
  const [definitions, approvals] = await Promise.all([definitionsOf(session), pendingApprovals(session)]);
  const builds = definitions.length
    ? await latestBuildsOf(
        session,
        definitions.map((d) => d.id),
      )
    : [];
  const latestOf = new Map<number, Build>();
  for (const b of builds) {
    const known = latestOf.get(b.definition.id);
    if (!known || b.id > known.id) latestOf.set(b.definition.id, b);
  }
  const now = session.now();
  const entries = definitions.map((definition) => {
    const runs = runsOf(definition, latestOf.get(definition.id));
    return { definition, runs, status: deriveFor(definition, runs, approvals, now) };
  });

  const followUps = entries
    .filter((e) => needsProperties(e.status, e.runs[0]) || needsTimeline(e.status, e.runs[0]))
    .slice(0, maxFollowUps);
  await Promise.all(
    followUps.map(async (e) => {
      const latest = e.runs[0];
      if (needsProperties(e.status, latest)) {
        await readProperties(session, latest);
        e.status = deriveFor(e.definition, e.runs, approvals, now);
      }
      if (needsTimeline(e.status, latest))
        e.status = deriveFor(e.definition, e.runs, approvals, now, await readTimeline(session, latest.id));
    }),
  );

  const tenants = new Map<string, TenantRecord>();
  const rows = entries.map((e) => {
    const row = rowOf(session, e.definition, e.runs, e.status);
    tenants.set(row.tenant, {
      row,
      definition: e.definition,
      runs: e.runs,
      approvals: approvalsOfRuns(approvals, e.runs),
    });
    return row;
  });
  rows.sort((a, b) => a.tenant.localeCompare(b.tenant));
  const overview: Overview = {
    rows,
    tiles: tilesOf(rows),
    refreshedAt: new Date(now).toISOString(),
    isActive: rows.some((r) => r.latestRun !== undefined && r.latestRun.status !== "completed"),
    calls: session.calls,
  };
  return { overview, tenants };
}
