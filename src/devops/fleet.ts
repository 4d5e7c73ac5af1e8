/**
 * fleet — every tenant's status, read as the hub reads it: the tenant pipelines of the \TenantSync
 * folder (with their latest builds), the latest build of each with its Tenant Sync properties, and
 * the pending approvals — three list calls (and their continuation pages) whatever the number of
 * tenants — each tenant's status worked out by the shared deriveTenantStatus; only the rows whose
 * status is a guess without the run's timeline read that timeline, one call each (not a failure
 * whose error the run recorded: the timeline would add only the job link, not shown here).
 */
import type { Build, BuildDefinitionReference } from "azure-devops-node-api/interfaces/BuildInterfaces";
import {
  type ApprovalView,
  deriveTenantStatus,
  type DefinitionView,
  type RunView,
  type TenantStatus,
  type TimelineRecordView,
} from "../core/status/derive";
import { listBuilds, listDefinitions } from "./build-lists";
import { callFailed, type DevOpsSession } from "./connect";

export const pipelineFolder = "\\TenantSync";
export const pipelinePrefix = "tenant-sync-";
/** The most definition ids one builds call names in its URL (about 1.6 KB of query). */
export const maxDefinitionIdsInUrl = 200;
/** The preview version the approvals and checks routes are published at. */
export const previewVersion = "7.1-preview.1";

export interface FleetRow {
  tenant: string;
  definition: DefinitionView;
  status: TenantStatus;
}

export interface Fleet {
  rows: FleetRow[];
  /** Every pending approval of the project (the actions find a tenant's and its approvers here). */
  approvals: ApprovalView[];
}

/** The tenant a pipeline of the folder syncs: its name without the prefix (the template's convention). */
export const tenantOf = (definitionName: string) =>
  definitionName.toLowerCase().startsWith(pipelinePrefix) ? definitionName.slice(pipelinePrefix.length) : undefined;

/** The project's part of the REST API, for the routes that have no node-api client. */
export const projectApi = (s: DevOpsSession) => `${s.org}${encodeURIComponent(s.project)}/_apis`;

/** Every page of a node-api list call (a PagedList carries the continuation token of the next page). */
async function allPages<T>(read: (token?: string) => Promise<T[] & { continuationToken?: string }>): Promise<T[]> {
  const all: T[] = [];
  let token: string | undefined;
  do {
    const page = await read(token);
    all.push(...page);
    token = page.continuationToken || undefined;
  } while (token);
  return all;
}

/** The pending approvals of the project, every page (the list answers x-ms-continuationtoken). */
export async function pendingApprovals(s: DevOpsSession): Promise<ApprovalView[]> {
  const all: ApprovalView[] = [];
  let token: string | undefined;
  do {
    const url = `${projectApi(s)}/pipelines/approvals?state=pending&$expand=steps${token ? `&continuationToken=${encodeURIComponent(token)}` : ""}&api-version=${previewVersion}`;
    const res = await s.api.rest.get<{ value: ApprovalView[] }>(url);
    all.push(...(res.result?.value ?? []));
    const next = (res.headers as Record<string, unknown> | undefined)?.["x-ms-continuationtoken"];
    token = typeof next === "string" && next ? next : undefined;
  } while (token);
  return all;
}

/** The three overview reads, then the timelines the derivation asks for. */
export async function readFleet(s: DevOpsSession, now = () => Date.now()): Promise<Fleet> {
  const build = await s.api.getBuildApi();
  const where = `the pipelines in ${pipelineFolder} of project ${s.project}`;
  const definitions = (
    await allPages((token) =>
      listDefinitions(build, s.project, { path: pipelineFolder, continuationToken: token, includeLatestBuilds: true }),
    ).catch((e) => {
      throw callFailed(`Reading ${where}`, e, "View builds");
    })
  ).filter((d) => d.name && tenantOf(d.name) !== undefined);
  const ids = definitions.map((d) => d.id!);
  const wanted = new Set(ids);
  const [builds, approvals] = await Promise.all([
    ids.length === 0
      ? Promise.resolve([] as Build[])
      : allPages((token) =>
          listBuilds(build, s.project, {
            // Past a few hundred ids the URL would grow with the tenants: the latest build of every
            // pipeline of the project then (maxBuildsPerDefinition applies without a filter too).
            definitions: ids.length <= maxDefinitionIdsInUrl ? ids : undefined,
            properties: ["TenantSync.*"],
            continuationToken: token,
            perDefinition: 1,
          }),
        )
          .then((all) => all.filter((b) => b.definition?.id !== undefined && wanted.has(b.definition.id)))
          .catch((e) => {
            throw callFailed(`Reading the latest runs of ${where}`, e, "View builds");
          }),
    pendingApprovals(s).catch((e) => {
      throw callFailed(`Reading the pending approvals of project ${s.project}`, e, "View builds");
    }),
  ]);
  const byDefinition = new Map<number, Build[]>();
  for (const b of builds) byDefinition.set(b.definition!.id!, [...(byDefinition.get(b.definition!.id!) ?? []), b]);
  const rows = definitions.map((d) => {
    const runs = runsOf(d, byDefinition.get(d.id!) ?? []);
    const definition = d as unknown as DefinitionView;
    const status = deriveTenantStatus({ definition, runs, approvals, now: now() });
    return { tenant: tenantOf(d.name!)!, definition, status, runs };
  });
  await inBatches(
    rows.filter((r) => r.status.needsTimeline && r.status.run && !knownError(r.status)),
    8,
    async (r) => {
      const timeline = await build.getBuildTimeline(s.project, r.status.run!.id).catch(() => undefined);
      if (!timeline?.records?.length) return;
      const records = timeline.records as unknown as TimelineRecordView[];
      r.status = deriveTenantStatus({
        definition: r.definition,
        runs: r.runs,
        approvals,
        timeline: records,
        now: now(),
      });
    },
  );
  rows.sort((a, b) => a.tenant.localeCompare(b.tenant));
  return { rows: rows.map(({ tenant, definition, status }) => ({ tenant, definition, status })), approvals };
}

/**
 * An error the run recorded itself: the timeline would add only the job link (which the terminal
 * does not show), so a fleet of failing tenants costs no call per tenant.
 */
const knownError = (status: TenantStatus) =>
  status.status === "newError" && status.detail.error !== undefined && status.detail.error.code !== "pipeline.failed";

/** The listed build (with its properties) first, then the definition's latest builds it may lack. */
function runsOf(d: BuildDefinitionReference, listed: Build[]): RunView[] {
  const runs = [...listed, d.latestBuild, d.latestCompletedBuild].filter((b): b is Build => Boolean(b));
  return runs.sort((a, b) => b.id! - a.id!) as unknown as RunView[];
}

async function inBatches<T>(items: T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(work));
}

/** The web page of a run. */
export const runUrl = (s: DevOpsSession, runId: number) =>
  `${s.org}${encodeURIComponent(s.project)}/_build/results?buildId=${runId}`;
