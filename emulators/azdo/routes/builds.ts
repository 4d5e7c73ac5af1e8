/**
 * builds — the builds list (definitions=, buildIds=, statusFilter=, resultFilter=, reasonFilter=,
 * tagFilters=, branchName=, buildNumber=, requestedFor=, minTime= / maxTime=, queryOrder=,
 * maxBuildsPerDefinition=, $top + continuationToken, properties=), one build (propertyFilters=),
 * queueing a build, cancelling and retrying it, and the latest build of a definition, rendered as
 * the service renders a Build (build 7.2).
 */
import { fail, json, type HttpResponse } from "../../http/response";
import { ga, previewOnly, type AzdoRoute, type RequestContext, type ResourceLocation } from "../context";
import { badRequest, definitionNotFound, vssError } from "../errors";
import { buildResults, buildStatuses, type Build, type Definition } from "../state/builds";
import type { Project } from "../state/projects";
import { parseFilter, selectProperties } from "../state/properties";
import { dateValue, enumName, enumNamesOf, enumValue, listBody, shaped } from "../wire";
import { buildOf, isObject, parseBody, projectOf } from "./common";

export const buildsTemplate = "/{org}/{project}/_apis/build/builds";

/** The fields every rendering of a definition shares (a build's `definition`, the definitions list). */
export function definitionFields(
  definition: Definition,
  project: Project,
  ctx: RequestContext,
): Record<string, unknown> {
  const f = ctx.format;
  const api = `${ctx.urls.collectionUri}${project.id}/_apis/build`;
  return {
    id: definition.id,
    name: definition.name,
    url: `${api}/Definitions/${definition.id}?revision=${definition.revision}`,
    uri: `vstfs:///Build/Definition/${definition.id}`,
    path: definition.path,
    type: enumValue("definitionType", "build", f),
    queueStatus: enumValue("queueStatus", definition.queueStatus, f),
    revision: definition.revision,
    project: projectReference(project, ctx),
  };
}

/** The build area's location ids, as the published clients (azure-devops-node-api's BuildApi) look them up. */
export function buildLocation(
  id: string,
  resourceName: string,
  resourceVersion: number,
  preview = false,
): ResourceLocation {
  return { id, area: "build", resourceName, resourceVersion, ...(preview ? { releasedVersion: "0.0" } : {}) };
}

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
    validationResults: build.validationResults ?? [],
    plans: [{ planId: build.planId }],
    templateParameters: { ...build.templateParameters },
    ...(Object.keys(build.variables).length > 0 ? { parameters: parametersOf(build) } : {}),
    triggerInfo: {},
    id: build.id,
    buildNumber: build.buildNumber,
    status: enumValue("status", build.status, f),
    ...(build.result ? { result: enumValue("result", build.result, f) } : {}),
    queueTime: dateValue(build.queueTime, f),
    ...(build.startTime ? { startTime: dateValue(build.startTime, f) } : {}),
    ...(build.finishTime ? { finishTime: dateValue(build.finishTime, f) } : {}),
    url: `${api}/Builds/${build.id}`,
    definition: { drafts: [], ...definitionFields(definition, project, ctx) },
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

/** Queue-time variables as the service echoes them in `parameters`: a JSON string, secrets left out. */
function parametersOf(build: Build): string {
  const plain = Object.entries(build.variables).filter(([, v]) => !v.isSecret);
  return JSON.stringify(Object.fromEntries(plain.map(([k, v]) => [k, v.value])));
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

function enumFilter<T extends string>(
  text: string | null,
  allowed: readonly T[],
  name: string,
  kind: Parameters<typeof enumNamesOf>[0],
): T[] | undefined {
  const list = parseFilter(text)?.flatMap((s) => (/^\d+$/.test(s) ? enumNamesOf(kind, Number(s)) : [s]));
  if (!list || list.some((s) => s.toLowerCase() === "all")) return undefined;
  return list.map(
    (s) =>
      allowed.find((a) => a.toLowerCase() === s.toLowerCase()) ??
      fail(badRequest(`The value '${s}' is not valid for ${name}.`)),
  );
}

const buildReasons = [
  "manual",
  "individualCI",
  "batchedCI",
  "schedule",
  "scheduleForced",
  "userCreated",
  "validateShelveset",
  "checkInShelveset",
  "pullRequest",
  "buildCompletion",
  "resourceTrigger",
] as const;

/** A name filter with * wildcards, without regard to case; undefined when there is none. */
export function wildcard(pattern: string | null): RegExp | undefined {
  if (!pattern) return undefined;
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*");
  return new RegExp(`^${escaped}$`, "i");
}

function timeParam(q: URLSearchParams, name: string): number | undefined {
  const text = q.get(name);
  if (text === null) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? fail(badRequest(`The value '${text}' is not a valid date for ${name}.`)) : at;
}

function filterBuilds(ctx: RequestContext, q: URLSearchParams): Build[] {
  const definitions = numberList(q.get("definitions"));
  const buildIds = numberList(q.get("buildIds"));
  const statuses = enumFilter(q.get("statusFilter"), buildStatuses, "statusFilter", "status");
  const results = enumFilter(q.get("resultFilter"), buildResults, "resultFilter", "result");
  const tagFilters = parseFilter(q.get("tagFilters"))?.map((t) => t.toLowerCase());
  const branchName = q.get("branchName");
  const reasons = enumFilter(q.get("reasonFilter"), buildReasons, "reasonFilter", "reason");
  const buildNumber = wildcard(q.get("buildNumber"));
  const requestedFor = q.get("requestedFor")?.toLowerCase();
  const [minTime, maxTime] = [timeParam(q, "minTime"), timeParam(q, "maxTime")];
  // minTime / maxTime apply to the time the order sorts by (queue time unless asked otherwise).
  const timeKey = (orderKeys[enumName("buildQueryOrder", q.get("queryOrder")) ?? "queueTimeDescending"] ??
    orderKeys.queueTimeDescending)[0];
  const inWindow = (b: Build) => {
    if (minTime === undefined && maxTime === undefined) return true;
    const at = b[timeKey] ? Date.parse(String(b[timeKey])) : Number.NaN;
    return !Number.isNaN(at) && (minTime === undefined || at >= minTime) && (maxTime === undefined || at <= maxTime);
  };
  return ctx.store.builds.list.filter(
    (b) =>
      b.projectId === projectOf(ctx).id &&
      (!definitions || definitions.includes(b.definitionId)) &&
      (!buildIds || buildIds.includes(b.id)) &&
      (!statuses || statuses.includes(b.status)) &&
      (!results || (b.result !== undefined && results.includes(b.result))) &&
      (!tagFilters || tagFilters.every((t) => b.tags.some((x) => x.toLowerCase() === t))) &&
      (!branchName || b.sourceBranch === branchName) &&
      (!reasons || reasons.includes(b.reason as (typeof buildReasons)[number])) &&
      (!buildNumber || buildNumber.test(b.buildNumber)) &&
      (!requestedFor || b.requestedFor.toLowerCase() === requestedFor) &&
      inWindow(b),
  );
}

/**
 * One page of a list ($top), and the x-ms-continuationtoken header when more follow; the token is
 * opaque to clients (here: the next position, base64url) and comes back as continuationToken=.
 */
export function pageOf<T>(items: T[], q: URLSearchParams): { page: T[]; headers: Record<string, string> } {
  const token = q.get("continuationToken");
  const start = token ? Number(Buffer.from(token, "base64url").toString("utf8")) || 0 : 0;
  const top = q.get("$top") !== null ? Math.max(0, Number(q.get("$top"))) : items.length;
  const page = items.slice(start, start + top);
  const headers: Record<string, string> =
    start + top < items.length
      ? { "x-ms-continuationtoken": Buffer.from(String(start + top)).toString("base64url") }
      : {};
  return { page, headers };
}

/** GET {project}/_apis/build/builds */
export function listBuilds(ctx: RequestContext): HttpResponse {
  const q = ctx.url.searchParams;
  let builds = sortBuilds(filterBuilds(ctx, q), enumName("buildQueryOrder", q.get("queryOrder")));
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
  const { page, headers } = pageOf(builds, q);
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
  return json(
    shaped(renderBuild(buildOf(ctx), ctx, parseFilter(ctx.url.searchParams.get("propertyFilters"))), ctx.format),
  );
}

/** `parameters` of a queue request: a JSON string of variable name → value. */
function queueVariables(parameters: unknown): Record<string, { value: string }> {
  if (parameters === undefined || parameters === null || parameters === "") return {};
  let parsed: unknown;
  try {
    parsed = typeof parameters === "string" ? JSON.parse(parameters) : parameters;
  } catch {
    parsed = undefined;
  }
  if (!isObject(parsed))
    return fail(
      badRequest('The build\'s parameters must be a JSON object in a string, like "{\\"name\\":\\"value\\"}".'),
    );
  return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, { value: String(v) }]));
}

/** POST {project}/_apis/build/builds {definition: {id}, sourceBranch?, parameters?, templateParameters?} */
export function queueBuild(ctx: RequestContext): HttpResponse {
  const project = projectOf(ctx);
  const body = parseBody(ctx);
  const request = isObject(body) ? body : {};
  const ref = isObject(request.definition) ? request.definition.id : ctx.url.searchParams.get("definitionId");
  if (ref === undefined || ref === null)
    return fail(badRequest("Value cannot be null.\r\nParameter name: build.Definition (give definition: {id})"));
  const definition = ctx.store.builds.findDefinition(project, Number(ref));
  if (!definition || Number.isNaN(Number(ref))) return fail(definitionNotFound(String(ref)));
  const templateParameters = isObject(request.templateParameters)
    ? Object.fromEntries(Object.entries(request.templateParameters).map(([k, v]) => [k, String(v)]))
    : {};
  const queued = ctx.store.builds.queue(
    definition,
    {
      sourceBranch: typeof request.sourceBranch === "string" ? request.sourceBranch : undefined,
      reason: typeof request.reason === "string" ? request.reason : "manual",
      requestedFor: ctx.caller?.kind === "user" ? ctx.caller.name : undefined,
      templateParameters,
      variables: queueVariables(request.parameters),
    },
    ctx.clock.now(),
  );
  if ("refused" in queued) return fail(definitionDisabled(definition));
  return json(shaped(renderBuild(queued, ctx), ctx.format));
}

export function definitionDisabled(definition: Definition): HttpResponse {
  return vssError(
    400,
    "DefinitionDisabledException",
    `Could not queue the build because the build pipeline ${definition.name} (id ${definition.id}) is disabled. Set its queueStatus to enabled, then queue again.`,
    "Microsoft.TeamFoundation.Build.WebApi.DefinitionDisabledException, Microsoft.TeamFoundation.Build2.WebApi",
  );
}

/** PATCH {project}/_apis/build/builds/{buildId} {status: "cancelling"} or ?retry=true */
export function updateBuild(ctx: RequestContext): HttpResponse {
  const build = buildOf(ctx);
  const { builds } = ctx.store;
  const now = ctx.clock.now();
  if (ctx.url.searchParams.get("retry")?.toLowerCase() === "true") {
    const refused = builds.retry(build, now);
    if (refused)
      return fail(
        badRequest(
          `Build ${build.id} cannot be retried because ${refused.refused}: only a completed build that failed or was canceled can be retried.`,
          "InvalidBuildException",
          "Microsoft.TeamFoundation.Build.WebApi.InvalidBuildException, Microsoft.TeamFoundation.Build2.WebApi",
        ),
      );
    return json(shaped(renderBuild(build, ctx), ctx.format));
  }
  const body = parseBody(ctx);
  if (!isObject(body)) return fail(badRequest('The body must be a Build object, like {"status": "cancelling"}.'));
  const status = typeof body.status === "number" ? statusName(body.status) : body.status;
  if (status === "cancelling") builds.requestCancel(build, now);
  else if (status !== undefined)
    return fail(
      badRequest(
        `The emulator changes a build's status only to cancelling (got ${JSON.stringify(body.status)}); the agent moves it on.`,
      ),
    );
  return json(shaped(renderBuild(build, ctx), ctx.format));
}

function statusName(n: number): string | undefined {
  return (
    { 1: "inProgress", 2: "completed", 4: "cancelling", 8: "postponed", 32: "notStarted" } as Record<number, string>
  )[n];
}

/** GET {project}/_apis/build/latest/{definition}?branchName= (definition: id, name or "\\folder\\name") */
export function latestBuild(ctx: RequestContext): HttpResponse {
  const project = projectOf(ctx);
  const ref = ctx.params.definition;
  const byPath = ref.includes("\\") || ref.includes("/");
  const definition = byPath
    ? ctx.store.builds.definitions.find(
        (d) =>
          d.projectId === project.id &&
          `${d.path === "\\" ? "" : d.path}\\${d.name}`.toLowerCase() ===
            `\\${ref.replace(/\//g, "\\").replace(/^\\+/, "")}`.toLowerCase(),
      )
    : ctx.store.builds.findDefinition(project, ref);
  if (!definition) return fail(definitionNotFound(ref));
  const branch = ctx.url.searchParams.get("branchName");
  const latest = sortBuilds(
    ctx.store.builds.list.filter((b) => b.definitionId === definition.id && (!branch || b.sourceBranch === branch)),
    "queueTimeDescending",
  )[0];
  if (!latest)
    return fail(
      vssError(
        404,
        "BuildNotFoundException",
        `No build of pipeline ${definition.name}${branch ? ` on ${branch}` : ""} was found. Queue one first.`,
        "Microsoft.TeamFoundation.Build.WebApi.BuildNotFoundException, Microsoft.TeamFoundation.Build2.WebApi",
      ),
    );
  return json(shaped(renderBuild(latest, ctx), ctx.format));
}

const buildsLocation = buildLocation("0cd358e1-9217-4d94-8269-1c1ee6f93dcf", "builds", 8);
const auth = { isAuthenticated: true, version: ga, location: buildsLocation };

export const buildRoutes: AzdoRoute[] = [
  { method: "GET", template: buildsTemplate, ...auth, handle: listBuilds },
  { method: "POST", template: buildsTemplate, ...auth, handle: queueBuild },
  { method: "GET", template: `${buildsTemplate}/{buildId}`, ...auth, handle: getBuild },
  { method: "PATCH", template: `${buildsTemplate}/{buildId}`, ...auth, handle: updateBuild },
  {
    method: "GET",
    template: "/{org}/{project}/_apis/build/latest/{definition}",
    isAuthenticated: true,
    version: previewOnly,
    location: buildLocation("54481611-01f4-47f3-998f-160da0f0c229", "latest", 2, true),
    handle: latestBuild,
  },
];
