/**
 * builds — the Build REST routes the tasks and the hub use: the builds list (with definitions=,
 * maxBuildsPerDefinition=, queryOrder=, tagFilters=, properties= …), one build, its properties
 * (GET, PATCH with application/json-patch+json) and its tags (GET, PUT, POST, PATCH, DELETE).
 * Shapes follow shared/specs/azure-devops/build/7.2/build.json.
 */
import { badRequest, buildNotFound, fail, vssError, type AzdoResponse } from "./errors";
import { applyPropertyPatch, parseFilter, selectProperties } from "./properties";
import type { RouteContext } from "./routes";
import { addTags, buildResults, buildStatuses, removeTags, type Build, type Project } from "./store";
import { dateValue, enumValue, listBody } from "./wire";

function json(body: unknown, headers: Record<string, string> = {}): AzdoResponse {
  return { status: 200, headers: { "content-type": "application/json; charset=utf-8", ...headers }, body };
}

function projectOf(ctx: RouteContext): Project {
  if (!ctx.project) throw new Error("route without {project}");
  return ctx.project;
}

function buildOf(ctx: RouteContext): Build {
  const build = ctx.emulator.store.findBuild(projectOf(ctx), ctx.params.buildId);
  return build ?? fail(buildNotFound(ctx.params.buildId));
}

function projectReference(project: Project, ctx: RouteContext): Record<string, unknown> {
  const f = ctx.format;
  return {
    id: project.id,
    name: project.name,
    url: `${ctx.emulator.collectionUri}_apis/projects/${project.id}`,
    state: enumValue("projectState", "wellFormed", f),
    revision: project.revision,
    visibility: enumValue("visibility", "private", f),
    lastUpdateTime: dateValue(project.lastUpdateTime, f),
  };
}

/** A Build as the service renders it; properties only when asked for (else {}). */
export function renderBuild(build: Build, ctx: RouteContext, propertyFilter?: string[]): Record<string, unknown> {
  const { emulator, format: f } = ctx;
  const project = emulator.store.findProject(build.projectId)!;
  const definition = emulator.store.definitions.find((d) => d.id === build.definitionId)!;
  const api = `${emulator.collectionUri}${project.id}/_apis/build`;
  const requestedFor = {
    displayName: build.requestedFor,
    id: "00000000-0000-0000-0000-000000000001",
    uniqueName: "emulator@tenant-sync.invalid",
    descriptor: "aad.emulator",
  };
  return {
    _links: {
      self: { href: `${api}/Builds/${build.id}` },
      web: { href: `${emulator.collectionUri}${project.id}/_build/results?buildId=${build.id}` },
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
      url: `${emulator.collectionUri}${project.id}/_git/${encodeURIComponent(project.name)}`,
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

function filterBuilds(ctx: RouteContext, q: URLSearchParams): Build[] {
  const definitions = numberList(q.get("definitions"));
  const buildIds = numberList(q.get("buildIds"));
  const statuses = enumFilter(q.get("statusFilter"), buildStatuses, "statusFilter");
  const results = enumFilter(q.get("resultFilter"), buildResults, "resultFilter");
  const tagFilters = parseFilter(q.get("tagFilters"))?.map((t) => t.toLowerCase());
  const branchName = q.get("branchName");
  return ctx.emulator.store.builds.filter(
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
export function listBuilds(ctx: RouteContext): AzdoResponse {
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
    headers,
  );
}

/** GET {project}/_apis/build/builds/{buildId} */
export function getBuild(ctx: RouteContext): AzdoResponse {
  return json(renderBuild(buildOf(ctx), ctx, parseFilter(ctx.url.searchParams.get("propertyFilters"))));
}

function propertiesBody(build: Build, filter?: string[]): unknown {
  const value = selectProperties(build.properties, filter);
  return { count: Object.keys(value).length, value };
}

/** GET {project}/_apis/build/builds/{buildId}/properties?filter= */
export function getProperties(ctx: RouteContext): AzdoResponse {
  return json(propertiesBody(buildOf(ctx), parseFilter(ctx.url.searchParams.get("filter"))));
}

/** PATCH {project}/_apis/build/builds/{buildId}/properties (application/json-patch+json) */
export function updateProperties(ctx: RouteContext): AzdoResponse {
  const build = buildOf(ctx);
  const contentType = (ctx.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
  if (contentType !== "application/json-patch+json") {
    return fail(
      vssError(
        415,
        "VssRequestContentTypeNotSupportedException",
        `The request indicated a Content-Type of "${contentType || "(none)"}" for method type "PATCH" which is not supported. Valid content types for this method are: application/json-patch+json.`,
      ),
    );
  }
  applyPropertyPatch(build.properties, parseBody(ctx));
  build.lastChangedDate = new Date(ctx.emulator.now()).toISOString();
  return json(propertiesBody(build));
}

function parseBody(ctx: RouteContext): unknown {
  if (ctx.raw.length === 0) return undefined;
  try {
    return JSON.parse(ctx.raw.toString("utf8"));
  } catch (e) {
    return fail(badRequest(`The request body is not valid JSON: ${(e as Error).message}`));
  }
}

function stringArray(value: unknown, what: string): string[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string"))
    return fail(badRequest(`${what} must be a JSON array of strings.`));
  return value as string[];
}

/** Tags: GET / POST [..] / PATCH {tagsToAdd, tagsToRemove} on …/tags; PUT / DELETE on …/tags/{tag}. */
export function tags(ctx: RouteContext): AzdoResponse {
  const build = buildOf(ctx);
  const tag = ctx.params.tag;
  switch (ctx.method) {
    case "GET":
      break;
    case "PUT":
      addTags(build, [tag]);
      break;
    case "DELETE":
      removeTags(build, [tag]);
      break;
    case "POST":
      addTags(build, stringArray(parseBody(ctx), "The tags to add"));
      break;
    case "PATCH": {
      const body = parseBody(ctx) as { tagsToAdd?: unknown; tagsToRemove?: unknown } | undefined;
      if (!body || typeof body !== "object")
        return fail(badRequest('The body must be {"tagsToAdd": [...], "tagsToRemove": [...]}.'));
      removeTags(build, body.tagsToRemove === undefined ? [] : stringArray(body.tagsToRemove, "tagsToRemove"));
      addTags(build, body.tagsToAdd === undefined ? [] : stringArray(body.tagsToAdd, "tagsToAdd"));
      break;
    }
  }
  if (ctx.method !== "GET") build.lastChangedDate = new Date(ctx.emulator.now()).toISOString();
  return json(listBody([...build.tags], ctx.format));
}
