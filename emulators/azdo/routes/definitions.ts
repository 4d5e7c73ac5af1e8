/**
 * definitions — build definitions (pipelines) over REST: the list (name= with * wildcards, path=
 * folder and its subfolders, definitionIds=, yamlFilename=, repositoryId=, queryOrder=, $top +
 * continuationToken, includeLatestBuilds=), one definition, creating a YAML pipeline and updating it
 * (name, folder, YAML file, queueStatus; the revision sent must be the current one).
 */
import { fail, json, type HttpResponse } from "../../http/response";
import { ga, type AzdoRoute, type RequestContext } from "../context";
import { badRequest, definitionNotFound, vssError } from "../errors";
import { normalizePath, type Definition, type QueueStatus } from "../state/builds";
import { dateValue, enumName, enumValue, listBody, shaped } from "../wire";
import { buildLocation, definitionFields, pageOf, renderBuild, wildcard } from "./builds";
import { isObject, parseBody, projectOf } from "./common";

const definitionsTemplate = "/{org}/{project}/_apis/build/definitions";
const queueStatuses: QueueStatus[] = ["enabled", "paused", "disabled"];

function definitionOf(ctx: RequestContext): Definition {
  const ref = ctx.params.definitionId;
  const definition = Number.isInteger(Number(ref))
    ? ctx.store.builds.findDefinition(projectOf(ctx), Number(ref))
    : undefined;
  return definition ?? fail(definitionNotFound(ref));
}

/** A BuildDefinitionReference, as the list renders it; latest builds only when asked. */
function renderReference(definition: Definition, ctx: RequestContext, withLatest: boolean): Record<string, unknown> {
  const f = ctx.format;
  const project = ctx.store.projects.find(definition.projectId)!;
  const api = `${ctx.urls.collectionUri}${project.id}/_apis/build`;
  const web = `${ctx.urls.collectionUri}${project.id}/_build/definition?definitionId=${definition.id}`;
  const latest = withLatest ? ctx.store.builds.latestBuild(definition) : undefined;
  const latestCompleted = withLatest ? ctx.store.builds.latestBuild(definition, true) : undefined;
  return {
    _links: {
      self: { href: `${api}/Definitions/${definition.id}?revision=${definition.revision}` },
      web: { href: web },
      editor: {
        href: `${ctx.urls.collectionUri}${project.id}/_build/designer?id=${definition.id}&_a=edit-build-definition`,
      },
      badge: { href: `${api}/status/${definition.id}` },
    },
    quality: enumValue("definitionQuality", "definition", f),
    authoredBy: { displayName: "Tenant Sync emulator", id: "00000000-0000-0000-0000-000000000001" },
    drafts: [],
    queue: { id: 1, name: "Azure Pipelines", pool: { id: 1, name: "Azure Pipelines", isHosted: true } },
    ...(latest ? { latestBuild: renderBuild(latest, ctx) } : {}),
    ...(latestCompleted ? { latestCompletedBuild: renderBuild(latestCompleted, ctx) } : {}),
    ...definitionFields(definition, project, ctx),
    createdDate: dateValue(definition.createdDate, f),
  };
}

/** A BuildDefinition with its YAML process and repository. */
function renderDefinition(definition: Definition, ctx: RequestContext, withLatest = false): Record<string, unknown> {
  const project = ctx.store.projects.find(definition.projectId)!;
  const repositoryName = definition.repositoryName ?? project.name;
  return {
    options: [],
    triggers: [],
    variables: {},
    properties: {},
    tags: [],
    jobAuthorizationScope: enumValue("jobAuthorizationScope", "project", ctx.format),
    jobTimeoutInMinutes: 60,
    jobCancelTimeoutInMinutes: 5,
    badgeEnabled: false,
    process: { yamlFilename: definition.yamlPath ?? "azure-pipelines.yml", type: 2 },
    repository: {
      properties: { reportBuildStatus: "true" },
      id: definition.repositoryId ?? project.id,
      type: "TfsGit",
      name: repositoryName,
      url: `${ctx.urls.collectionUri}${project.id}/_git/${encodeURIComponent(repositoryName)}`,
      defaultBranch: "refs/heads/main",
      clean: null,
      checkoutSubmodules: false,
    },
    ...renderReference(definition, ctx, withLatest),
  };
}

const orders: Record<string, (a: Definition, b: Definition) => number> = {
  none: (a, b) => a.id - b.id,
  definitionNameAscending: (a, b) => a.name.localeCompare(b.name, "en", { sensitivity: "base" }) || a.id - b.id,
  definitionNameDescending: (a, b) => b.name.localeCompare(a.name, "en", { sensitivity: "base" }) || b.id - a.id,
  lastModifiedAscending: (a, b) => modified(a).localeCompare(modified(b)) || a.id - b.id,
  lastModifiedDescending: (a, b) => modified(b).localeCompare(modified(a)) || b.id - a.id,
};

function modified(d: Definition): string {
  return d.modifiedDate ?? d.createdDate;
}

function underFolder(definition: Definition, folder: string | null): boolean {
  if (!folder) return true;
  const want = folder.replace(/\//g, "\\").replace(/\\+$/, "").toLowerCase();
  const path = definition.path.toLowerCase();
  const root = want.startsWith("\\") ? want : `\\${want}`;
  return root === "" || root === "\\" || path === root || path.startsWith(`${root}\\`);
}

/** GET {project}/_apis/build/definitions */
export function listDefinitions(ctx: RequestContext): HttpResponse {
  const q = ctx.url.searchParams;
  const project = projectOf(ctx);
  const name = wildcard(q.get("name"));
  const ids = q.get("definitionIds")?.split(",").map(Number);
  const yamlFilename = q.get("yamlFilename")?.replace(/^\/+/, "").toLowerCase();
  const repositoryId = q.get("repositoryId")?.toLowerCase();
  const order =
    orders[enumName("definitionQueryOrder", q.get("queryOrder")) ?? "none"] ??
    fail(badRequest(`The value '${q.get("queryOrder")}' is not valid for queryOrder.`));
  const definitions = ctx.store.builds.definitions
    .filter(
      (d) =>
        d.projectId === project.id &&
        (!name || name.test(d.name)) &&
        (!ids || ids.includes(d.id)) &&
        underFolder(d, q.get("path")) &&
        (!yamlFilename || (d.yamlPath ?? "").replace(/^\/+/, "").toLowerCase() === yamlFilename) &&
        (!repositoryId || (d.repositoryId ?? "").toLowerCase() === repositoryId),
    )
    .sort(order);
  const { page, headers } = pageOf(definitions, q);
  const withLatest = q.get("includeLatestBuilds")?.toLowerCase() === "true";
  return json(
    listBody(
      page.map((d) => renderReference(d, ctx, withLatest)),
      ctx.format,
    ),
    200,
    headers,
  );
}

/** GET {project}/_apis/build/definitions/{definitionId} */
export function getDefinition(ctx: RequestContext): HttpResponse {
  const withLatest = ctx.url.searchParams.get("includeLatestBuilds")?.toLowerCase() === "true";
  return json(shaped(renderDefinition(definitionOf(ctx), ctx, withLatest), ctx.format));
}

function queueStatusOf(value: unknown): QueueStatus | undefined {
  if (value === undefined || value === null) return undefined;
  const status = typeof value === "number" ? queueStatuses[value] : queueStatuses.find((s) => s === value);
  return (
    status ??
    fail(badRequest(`The queueStatus ${JSON.stringify(value)} is not valid: use enabled, paused or disabled.`))
  );
}

/** The YAML process and repository of a create or update request. */
function yamlParts(body: Record<string, unknown>): {
  yamlPath?: string;
  repositoryId?: string;
  repositoryName?: string;
} {
  const process = isObject(body.process) ? body.process : undefined;
  if (process && process.type !== undefined && Number(process.type) !== 2)
    fail(badRequest(`The emulator runs YAML pipelines only: process.type must be 2 (got ${String(process.type)}).`));
  const repository = isObject(body.repository) ? body.repository : undefined;
  if (repository?.type !== undefined && repository.type !== "TfsGit")
    fail(
      badRequest(
        `The emulator's pipelines use Azure Repos: repository.type must be TfsGit (got ${String(repository.type)}).`,
      ),
    );
  return {
    yamlPath: typeof process?.yamlFilename === "string" ? process.yamlFilename : undefined,
    repositoryId: typeof repository?.id === "string" ? repository.id : undefined,
    repositoryName: typeof repository?.name === "string" ? repository.name : undefined,
  };
}

/** POST {project}/_apis/build/definitions {name, path?, repository{id, type: "TfsGit"}, process{type: 2, yamlFilename}, queueStatus?} */
export function createDefinition(ctx: RequestContext): HttpResponse {
  const body = parseBody(ctx);
  if (!isObject(body) || typeof body.name !== "string" || !body.name.trim())
    return fail(badRequest("A build pipeline needs a name: send {name, path, repository, process}."));
  const parts = yamlParts(body);
  const project = projectOf(ctx);
  const path = typeof body.path === "string" ? body.path : "\\";
  const definition = ctx.store.builds.createDefinition(
    project,
    { name: body.name.trim(), path, queueStatus: queueStatusOf(body.queueStatus), ...parts },
    ctx.clock.now(),
  );
  if (!definition)
    return fail(
      vssError(
        409,
        "DefinitionExistsException",
        `The build pipeline ${body.name} already exists in folder ${path} of project ${project.name}. Choose another name or folder.`,
        "Microsoft.TeamFoundation.Build.WebApi.DefinitionExistsException, Microsoft.TeamFoundation.Build2.WebApi",
      ),
    );
  definition.repositoryName = parts.repositoryName;
  definition.modifiedDate = definition.createdDate;
  return json(shaped(renderDefinition(definition, ctx), ctx.format));
}

/** PUT {project}/_apis/build/definitions/{definitionId}: the whole definition back, with its current revision. */
export function updateDefinition(ctx: RequestContext): HttpResponse {
  const definition = definitionOf(ctx);
  const body = parseBody(ctx);
  if (!isObject(body)) return fail(badRequest("The body must be the build pipeline (as GET returns it), changed."));
  if (Number(body.id) !== definition.id)
    return fail(
      badRequest(
        `The request specifies pipeline ID ${definition.id} but the supplied pipeline has ID ${Number(body.id) || 0}.`,
      ),
    );
  if (Number(body.revision) !== definition.revision)
    return fail(
      definitionNotFound(
        definition.id,
        `(revision ${String(body.revision)} is not its current revision ${definition.revision}: GET the pipeline again and send its revision.)`,
      ),
    );
  const parts = yamlParts(body);
  if (typeof body.name === "string" && body.name.trim()) definition.name = body.name.trim();
  if (typeof body.path === "string") definition.path = normalizePath(body.path);
  if (parts.yamlPath !== undefined) definition.yamlPath = parts.yamlPath;
  if (parts.repositoryId !== undefined) definition.repositoryId = parts.repositoryId;
  if (parts.repositoryName !== undefined) definition.repositoryName = parts.repositoryName;
  definition.modifiedDate = ctx.clock.iso();
  const status = queueStatusOf(body.queueStatus);
  // setQueueStatus bumps the revision itself (and hands waiting builds on when enabling).
  if (status !== undefined && status !== definition.queueStatus) ctx.store.builds.setQueueStatus(definition, status);
  else definition.revision++;
  return json(shaped(renderDefinition(definition, ctx), ctx.format));
}

const location = buildLocation("dbeaf647-6167-421a-bda9-c9327b25e2e6", "definitions", 8);
const auth = { isAuthenticated: true, version: ga, location };

export const definitionRoutes: AzdoRoute[] = [
  { method: "GET", template: definitionsTemplate, ...auth, handle: listDefinitions },
  { method: "POST", template: definitionsTemplate, ...auth, handle: createDefinition },
  { method: "GET", template: `${definitionsTemplate}/{definitionId}`, ...auth, handle: getDefinition },
  { method: "PUT", template: `${definitionsTemplate}/{definitionId}`, ...auth, handle: updateDefinition },
];
