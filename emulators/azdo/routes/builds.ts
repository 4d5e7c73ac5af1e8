/**
 * builds — the builds list (definitions=, buildIds=, statusFilter=, resultFilter=, tagFilters=,
 * branchName=, queryOrder=, maxBuildsPerDefinition=, $top + continuationToken, properties=) and one
 * build (propertyFilters=), rendered as the service renders a Build (build 7.2).
 */
import { fail, json, type HttpResponse } from "../../http/response";
import { ga, type AzdoRoute, type RequestContext } from "../context";
import { badRequest } from "../errors";
import { buildResults, buildStatuses, type Build } from "../state/builds";
import type { Project } from "../state/projects";
import { parseFilter, selectProperties } from "../state/properties";
import { dateValue, enumValue, listBody } from "../wire";
import { buildOf, projectOf } from "./common";

export const buildsTemplate = "/{org}/{project}/_apis/build/builds";

export function projectReference(project: Project, ctx: RequestContext): Record<string, unknown> {
  const f = ctx.format;
  return {
    id: project.id,
    name: project.name,
    url: `${ctx.urls.collectionUri}_apis/projects/${project.id}`,
    state: enumValue("projectState", "wellFormed", f),
    revision: project.revision,
    visibility: enumValue("visibility", "private", f),
    lastUpdateTime: dateValue(project.lastUpdateTime, f),
  };
}

/** A Build as the service renders it; properties only when asked for (else {}). */
export function renderBuild(build: Build, ctx: RequestContext, propertyFilter?: string[]): Record<string, unknown> {
  const { store, format: f } = ctx;
  const { collectionUri } = ctx.urls;
  const project = store.projects.find(build.projectId)!;
  const definition = store.builds.definitionOf(build);
  const api = `${collectionUri}${project.id}/_apis/build`;
  const requestedFor = {
    displayName: build.requestedFor,
    id: "00000000-0000-0000-0000-000000000001",
    uniqueName: "emulator@tenant-sync.invalid",
    descriptor: "aad.emulator",
  };
  return {
    _links: {
      self: { href: `${api}/Builds/${build.id}` },
      web: { href: `${collectionUri}${project.id}/_build/results?buildId=${build.id}` },
      timeline: { href: `${api}/builds/${build.id}/Timeline` },
    },
    properties: propertyFilter ? selectProperties(build.properties, propertyFilter) : {},
    tags: [...build.tags],
    validationResults: [],
    plans: [{ planId: build.planId }],
    templateParameters: { ...build.templateParameters },
    triggerInfo: {},
    id: build.id,
    buildNumber: build.buildNumber,
    status: enumValue("status", build.status, f),
    ...(build.result ? { result: enumValue("result", build.result, f) } : {}),
    queueTime: dateValue(build.queueTime, f),
    ...(build.startTime ? { startTime: dateValue(build.startTime, f) } : {}),
    ...(build.finishTime ? { finishTime: dateValue(build.finishTime, f) } : {}),
    url: `${api}/Builds/${build.id}`,
    definition: {
      drafts: [],
      id: definition.id,
      name: definition.name,
      url: `${api}/Definitions/${definition.id}?revision=${definition.revision}`,
      uri: `vstfs:///Build/Definition/${definition.id}`,
      path: definition.path,
      type: enumValue("definitionType", "build", f),
      queueStatus: enumValue("queueStatus", "enabled", f),
      revision: definition.revision,
      project: projectReference(project, ctx),
    },
    buildNumberRevision: 1,
    project: projectReference(project, ctx),
    uri: `vstfs:///Build/Build/${build.id}`,
    sourceBranch: build.sourceBranch,
    sourceVersion: build.sourceVersion,
    queue: { id: 1, name: "Azure Pipelines", pool: { id: 1, name: "Azure Pipelines", isHosted: true } },
    priority: enumValue("priority", "normal", f),
    reason: enumValue("reason", build.reason, f),
    requestedFor,
    requestedBy: requestedFor,
    lastChangedDate: dateValue(build.lastChangedDate, f),
    lastChangedBy: requestedFor,
    orchestrationPlan: { planId: build.planId },
    logs: { id: 0, type: "Container", url: `${api}/builds/${build.id}/logs` },
    repository: {
      id: project.id,
      type: "TfsGit",
      name: project.name,
      url: `${collectionUri}${project.id}/_git/${encodeURIComponent(project.name)}`,
      clean: null,
      checkoutSubmodules: false,
    },
    retainedByRelease: false,
    triggeredByBuild: null,
    appendCommitMessageToRunName: true,
  };
}

const orderKeys: Record<string, [keyof Build, 1 | -1]> = {
  queueTimeDescending: ["queueTime", -1],
  queueTimeAscending: ["queueTime", 1],
  startTimeDescending: ["startTime", -1],
  startTimeAscending: ["startTime", 1],
  finishTimeDescending: ["finishTime", -1],
  finishTimeAscending: ["finishTime", 1],
};

function sortBuilds(builds: Build[], queryOrder: string | null): Build[] {
  const [key, direction] =
    orderKeys[queryOrder ?? "queueTimeDescending"] ??
    fail(badRequest(`The value '${queryOrder}' is not valid for queryOrder.`));
  const time = (b: Build) => (b[key] ? Date.parse(String(b[key])) : Number.NaN);
  return [...builds].sort((a, b) => {
    const [ta, tb] = [time(a), time(b)];
    if (Number.isNaN(ta) !== Number.isNaN(tb)) return Number.isNaN(ta) ? 1 : -1; // builds without the time come last
    return (ta - tb || a.id - b.id) * direction;
  });
}

function numberList(text: string | null): number[] | undefined {
  const list = parseFilter(text);
  return list?.map((s) => Number(s)).filter((n) => Number.isInteger(n));
}

function enumFilter<T extends string>(text: string | null, allowed: readonly T[], name: string): T[] | undefined {
  const list = parseFilter(text);
  if (!list || list.some((s) => s.toLowerCase() === "all")) return undefined;
  return list.map(
    (s) =>
      allowed.find((a) => a.toLowerCase() === s.toLowerCase()) ??
      fail(badRequest(`The value '${s}' is not valid for ${name}.`)),
  );
}

function filterBuilds(ctx: RequestContext, q: URLSearchParams): Build[] {
  const definitions = numberList(q.get("definitions"));
  const buildIds = numberList(q.get("buildIds"));
  const statuses = enumFilter(q.get("statusFilter"), buildStatuses, "statusFilter");
  const results = enumFilter(q.get("resultFilter"), buildResults, "resultFilter");
  const tagFilters = parseFilter(q.get("tagFilters"))?.map((t) => t.toLowerCase());
  const branchName = q.get("branchName");
  return ctx.store.builds.list.filter(
    (b) =>
      b.projectId === projectOf(ctx).id &&
      (!definitions || definitions.includes(b.definitionId)) &&
      (!buildIds || buildIds.includes(b.id)) &&
      (!statuses || statuses.includes(b.status)) &&
      (!results || (b.result !== undefined && results.includes(b.result))) &&
      (!tagFilters || tagFilters.every((t) => b.tags.some((x) => x.toLowerCase() === t))) &&
      (!branchName || b.sourceBranch === branchName),
  );
}

/** GET {project}/_apis/build/builds */
export function listBuilds(ctx: RequestContext): HttpResponse {
  const q = ctx.url.searchParams;
  let builds = sortBuilds(filterBuilds(ctx, q), q.get("queryOrder"));
  const perDefinition = q.get("maxBuildsPerDefinition");
  if (perDefinition !== null) {
    const max = Number(perDefinition);
    const seen = new Map<number, number>();
    builds = builds.filter((b) => {
      const n = (seen.get(b.definitionId) ?? 0) + 1;
      seen.set(b.definitionId, n);
      return n <= max;
    });
  }
  const start =
    Number(q.get("continuationToken") ? Buffer.from(q.get("continuationToken")!, "base64url").toString("utf8") : 0) ||
    0;
  const top = q.get("$top") !== null ? Math.max(0, Number(q.get("$top"))) : builds.length;
  const page = builds.slice(start, start + top);
  const headers: Record<string, string> =
    start + top < builds.length
      ? { "x-ms-continuationtoken": Buffer.from(String(start + top)).toString("base64url") }
      : {};
  const propertyFilter = parseFilter(q.get("properties"));
  return json(
    listBody(
      page.map((b) => renderBuild(b, ctx, propertyFilter)),
      ctx.format,
    ),
    200,
    headers,
  );
}

/** GET {project}/_apis/build/builds/{buildId} */
export function getBuild(ctx: RequestContext): HttpResponse {
  return json(renderBuild(buildOf(ctx), ctx, parseFilter(ctx.url.searchParams.get("propertyFilters"))));
}

export const buildRoutes: AzdoRoute[] = [
  { method: "GET", template: buildsTemplate, isAuthenticated: true, version: ga, handle: listBuilds },
  { method: "GET", template: `${buildsTemplate}/{buildId}`, isAuthenticated: true, version: ga, handle: getBuild },
];
