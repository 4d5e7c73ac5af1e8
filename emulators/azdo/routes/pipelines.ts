/**
 * pipelines — the Pipelines API: pipelines (YAML build definitions) listed, read and created, runs
 * queued (RunPipelineParameters) and read, and a run's logs and artifacts with signedContent:
 * links on the same host that need no token until they expire, signed with the store's UrlSigner.
 * A run is a build: its id is the build id, its name the build number.
 */
import AdmZip from "adm-zip";
import { bytes, fail, json, type HttpResponse } from "../../http/response";
import { ga, type AzdoRoute, type RequestContext, type ResourceLocation } from "../context";
import { accessDenied, badRequest, vssError } from "../errors";
import { identityOf } from "../state/approvals";
import type { Build, Definition, QueueRequest } from "../state/builds";
import type { RunContent } from "../state/runcontent";
import { dateValue, listBody } from "../wire";
import { page, parseBody, projectOf } from "./common";

const pipelinesTemplate = "/{org}/{project}/_apis/pipelines";
const runTemplate = `${pipelinesTemplate}/{pipelineId}/runs/{runId}`;

const pipelinesWebApi = "Microsoft.Azure.Pipelines.WebApi";
function pipelinesError(status: number, typeKey: string, message: string): HttpResponse {
  return vssError(status, typeKey, message, `${pipelinesWebApi}.${typeKey}, ${pipelinesWebApi}`);
}

/** Run state and result, as names or (enumsAsNumbers=true) as the published numbers. */
const runStates = { unknown: 0, inProgress: 1, canceling: 2, completed: 4 };
const runResults = { unknown: 0, succeeded: 1, failed: 2, canceled: 4 };
function runEnum<T extends Record<string, number>>(table: T, value: keyof T & string, ctx: RequestContext) {
  return ctx.format.enumsAsNumbers ? table[value] : value;
}

function runStateOf(build: Build): keyof typeof runStates {
  if (build.status === "completed") return "completed";
  if (build.status === "cancelling") return "canceling";
  return "inProgress";
}

function runResultOf(build: Build): keyof typeof runResults | undefined {
  if (!build.result) return undefined;
  return build.result === "partiallySucceeded" ? "succeeded" : build.result;
}

function pipelineOf(ctx: RequestContext): Definition {
  const project = projectOf(ctx);
  const id = ctx.params.pipelineId;
  const definition = /^\d+$/.test(id) ? ctx.store.builds.findDefinition(project, Number(id)) : undefined;
  return (
    definition ??
    fail(
      pipelinesError(
        404,
        "PipelineNotFoundException",
        `Pipeline with id ${id} was not found in project ${project.name}. List the project's pipelines (GET …/_apis/pipelines) for the ids.`,
      ),
    )
  );
}

function runOf(ctx: RequestContext, definition: Definition): Build {
  const build = ctx.store.builds.find(projectOf(ctx), ctx.params.runId);
  if (!build || build.definitionId !== definition.id)
    return fail(
      pipelinesError(
        404,
        "PipelineRunNotFoundException",
        `Run ${ctx.params.runId} of pipeline ${definition.id} (${definition.name}) was not found.`,
      ),
    );
  return build;
}

function api(ctx: RequestContext): string {
  return `${ctx.urls.collectionUri}${projectOf(ctx).id}/_apis`;
}

function pipelineReference(d: Definition, ctx: RequestContext) {
  return {
    url: `${api(ctx)}/pipelines/${d.id}?revision=${d.revision}`,
    id: d.id,
    revision: d.revision,
    name: d.name,
    folder: d.path,
  };
}

function renderPipeline(d: Definition, ctx: RequestContext, withConfiguration: boolean) {
  const web = `${ctx.urls.collectionUri}${projectOf(ctx).id}/_build/definition?definitionId=${d.id}`;
  return {
    _links: { self: { href: `${api(ctx)}/pipelines/${d.id}?revision=${d.revision}` }, web: { href: web } },
    ...(withConfiguration
      ? {
          configuration: {
            path: d.yamlPath,
            repository: d.repositoryId ? { id: d.repositoryId, type: "azureReposGit" } : undefined,
            type: "yaml",
          },
        }
      : {}),
    ...pipelineReference(d, ctx),
  };
}

function renderRun(build: Build, ctx: RequestContext) {
  const d = ctx.store.builds.definitionOf(build);
  const self = `${api(ctx)}/pipelines/${d.id}/runs/${build.id}`;
  const web = `${ctx.urls.collectionUri}${projectOf(ctx).id}/_build/results?buildId=${build.id}`;
  const result = runResultOf(build);
  return {
    _links: {
      self: { href: self },
      web: { href: web },
      "pipeline.web": { href: `${ctx.urls.collectionUri}${projectOf(ctx).id}/_build/definition?definitionId=${d.id}` },
      pipeline: { href: `${api(ctx)}/pipelines/${d.id}?revision=${d.revision}` },
    },
    templateParameters: { ...build.templateParameters },
    pipeline: pipelineReference(d, ctx),
    state: runEnum(runStates, runStateOf(build), ctx),
    ...(result ? { result: runEnum(runResults, result, ctx) } : {}),
    createdDate: dateValue(build.queueTime, ctx.format),
    ...(build.finishTime ? { finishedDate: dateValue(build.finishTime, ctx.format) } : {}),
    url: self,
    resources: {
      repositories: {
        self: {
          repository: d.repositoryId ? { id: d.repositoryId, type: "azureReposGit" } : { type: "azureReposGit" },
          refName: build.sourceBranch,
          version: build.sourceVersion,
        },
      },
    },
    id: build.id,
    name: build.buildNumber,
  };
}

/** GET {project}/_apis/pipelines (orderBy "name asc|desc", $top, continuationToken) */
function listPipelines(ctx: RequestContext): HttpResponse {
  const q = ctx.url.searchParams;
  const project = projectOf(ctx);
  const [field, direction] = (q.get("orderBy") ?? "name asc").trim().split(/\s+/);
  if (!["name", "id", "folder"].includes(field.toLowerCase()))
    return fail(badRequest(`The value '${q.get("orderBy")}' is not valid for orderBy: use "name asc" or "name desc".`));
  const key = (d: Definition) =>
    (field.toLowerCase() === "id"
      ? String(d.id).padStart(10, "0")
      : field.toLowerCase() === "folder"
        ? d.path
        : d.name
    ).toLowerCase();
  const sorted = ctx.store.builds.definitions
    .filter((d) => d.projectId === project.id)
    .sort((a, b) => key(a).localeCompare(key(b)) * (direction?.toLowerCase() === "desc" ? -1 : 1));
  return page(
    sorted.map((d) => renderPipeline(d, ctx, false)),
    ctx,
    "$top",
    sorted.length,
  );
}

function getPipeline(ctx: RequestContext): HttpResponse {
  return json(renderPipeline(pipelineOf(ctx), ctx, true));
}

type Json = Record<string, unknown>;
function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** POST {project}/_apis/pipelines {name, folder, configuration: {type: "yaml", path, repository: {id, type}}} */
function createPipeline(ctx: RequestContext): HttpResponse {
  const project = projectOf(ctx);
  const body = parseBody(ctx);
  const configuration = isObject(body) && isObject(body.configuration) ? body.configuration : undefined;
  const repository = configuration && isObject(configuration.repository) ? configuration.repository : undefined;
  const name = isObject(body) && typeof body.name === "string" ? body.name.trim() : "";
  if (!name) return fail(badRequest("The pipeline needs a name: send {name, folder, configuration}."));
  // The service reads enums as names or numbers (ConfigurationType.Yaml = 1).
  if (!configuration || !["yaml", "1"].includes(String(configuration.type).toLowerCase()))
    return fail(badRequest(`Pipeline ${name}: only configuration.type "yaml" is supported by the emulator.`));
  if (typeof configuration.path !== "string" || !configuration.path)
    return fail(badRequest(`Pipeline ${name}: configuration.path (the YAML file in the repository) is required.`));
  if (!repository || typeof repository.id !== "string" || String(repository.type) !== "azureReposGit")
    return fail(
      badRequest(
        `Pipeline ${name}: configuration.repository must be {id: <git repository id>, type: "azureReposGit"}.`,
      ),
    );
  const folder = isObject(body) && typeof body.folder === "string" && body.folder ? body.folder : "\\";
  const existing = ctx.store.builds.definitions.find(
    (d) => d.projectId === project.id && d.name.toLowerCase() === name.toLowerCase(),
  );
  if (existing)
    return fail(
      vssError(
        409,
        "DefinitionExistsException",
        `A pipeline named ${name} already exists in project ${project.name} (id ${existing.id}); choose another name or use that pipeline.`,
        "Microsoft.TeamFoundation.Build.WebApi.DefinitionExistsException, Microsoft.TeamFoundation.Build2.WebApi",
      ),
    );
  const definition = ctx.store.builds.addDefinition(project, name, folder, ctx.clock.now());
  definition.repositoryId = repository.id;
  definition.yamlPath = configuration.path.startsWith("/") ? configuration.path : `/${configuration.path}`;
  return json(renderPipeline(definition, ctx, true));
}

function listRuns(ctx: RequestContext): HttpResponse {
  const d = pipelineOf(ctx);
  const runs = ctx.store.builds.list.filter((b) => b.definitionId === d.id).sort((a, b) => b.id - a.id);
  return json(
    listBody(
      runs.map((b) => renderRun(b, ctx)),
      ctx.format,
    ),
  );
}

function getRun(ctx: RequestContext): HttpResponse {
  return json(renderRun(runOf(ctx, pipelineOf(ctx)), ctx));
}

function stringValue(v: unknown): string {
  return typeof v === "string" ? v : typeof v === "object" ? JSON.stringify(v) : String(v);
}

/** The queue request a RunPipelineParameters body asks for; a 400 for what the emulator does not do. */
function queueRequestOf(d: Definition, body: unknown, ctx: RequestContext): QueueRequest {
  const b = isObject(body) ? body : {};
  if (b.previewRun === true || typeof b.yamlOverride === "string")
    return fail(
      badRequest(
        `previewRun and yamlOverride are not supported by the emulator (pipeline ${d.name}): queue the run without them.`,
      ),
    );
  const templateParameters = Object.fromEntries(
    Object.entries(isObject(b.templateParameters) ? b.templateParameters : {}).map(([k, v]) => [k, stringValue(v)]),
  );
  const declared = d.declaredParameters?.map((p) => p.toLowerCase());
  const unexpected = declared && Object.keys(templateParameters).filter((k) => !declared.includes(k.toLowerCase()));
  if (unexpected && unexpected.length > 0)
    return fail(
      pipelinesError(
        400,
        "PipelineValidationException",
        `Unexpected parameter${unexpected.length > 1 ? "s" : ""} ${unexpected.map((p) => `'${p}'`).join(", ")}: pipeline ${d.name} declares ${d.declaredParameters!.length ? d.declaredParameters!.map((p) => `'${p}'`).join(", ") : "no parameters"}.`,
      ),
    );
  const self = isObject(b.resources) && isObject(b.resources.repositories) ? b.resources.repositories.self : undefined;
  const refName = isObject(self) && typeof self.refName === "string" ? self.refName : undefined;
  const variables = Object.fromEntries(
    Object.entries(isObject(b.variables) ? b.variables : {}).map(([k, v]) => [
      k,
      isObject(v) ? { value: stringValue(v.value ?? ""), isSecret: v.isSecret === true } : { value: stringValue(v) },
    ]),
  );
  const caller = ctx.caller ? identityOf(ctx.caller) : undefined;
  return {
    sourceBranch: refName && (refName.startsWith("refs/") ? refName : `refs/heads/${refName}`),
    sourceVersion: isObject(self) && typeof self.version === "string" ? self.version : undefined,
    reason: "manual",
    requestedFor: caller?.displayName,
    templateParameters,
    variables,
    stagesToSkip: Array.isArray(b.stagesToSkip) ? b.stagesToSkip.map(String) : [],
  };
}

/** POST {project}/_apis/pipelines/{pipelineId}/runs */
function runPipeline(ctx: RequestContext): HttpResponse {
  const d = pipelineOf(ctx);
  const queued = ctx.store.builds.queue(d, queueRequestOf(d, parseBody(ctx), ctx), ctx.clock.now());
  if ("refused" in queued)
    return fail(
      vssError(
        400,
        "BuildRequestValidationFailedException",
        `Could not queue the build because there were validation errors or warnings: pipeline ${d.name} (id ${d.id}) is disabled. Enable it (its queue status) and queue the run again.`,
        "Microsoft.TeamFoundation.Build.WebApi.BuildRequestValidationFailedException, Microsoft.TeamFoundation.Build2.WebApi",
      ),
    );
  return json(renderRun(queued, ctx));
}

// Logs and artifacts, with signed links.

function content(ctx: RequestContext): RunContent {
  return ctx.store.runContent;
}

function wantsSignedContent(ctx: RequestContext): boolean {
  const expand = (ctx.url.searchParams.get("$expand") ?? "none").toLowerCase();
  if (!["none", "signedcontent"].includes(expand))
    return fail(badRequest(`The value '${expand}' is not valid for $expand: use none or signedContent.`));
  return expand === "signedcontent";
}

/** A link to `path` on this host that works without a token until it expires. */
function signedContent(ctx: RequestContext, path: string) {
  const { expires, signature } = ctx.store.urlSigner.sign(path, ctx.clock.now());
  const url = new URL(path, ctx.urls.baseUrl);
  url.searchParams.set("expires", expires);
  url.searchParams.set("signature", signature);
  return { url: url.toString(), signatureExpires: dateValue(expires, ctx.format) };
}

function runPath(ctx: RequestContext, build: Build): string {
  return `/${encodeURIComponent(ctx.store.organization.name)}/${build.projectId}/_apis/pipelines/${build.definitionId}/runs/${build.id}`;
}

function listLogs(ctx: RequestContext): HttpResponse {
  const build = runOf(ctx, pipelineOf(ctx));
  const signed = wantsSignedContent(ctx);
  const base = runPath(ctx, build);
  return json({
    logs: content(ctx)
      .logs(build)
      .map((l) => renderLog(ctx, build, l, signed)),
    ...(signed ? { signedContent: signedContent(ctx, `${base}/signedlogs`) } : {}),
    url: `${ctx.urls.baseUrl}${base}/logs`,
  });
}

function renderLog(ctx: RequestContext, build: Build, log: ReturnType<RunContent["logs"]>[number], signed: boolean) {
  const base = runPath(ctx, build);
  return {
    createdOn: dateValue(log.createdOn, ctx.format),
    lastChangedOn: dateValue(log.lastChangedOn, ctx.format),
    lineCount: log.lineCount,
    ...(signed ? { signedContent: signedContent(ctx, `${base}/signedlogs/${log.id}`) } : {}),
    id: log.id,
    url: `${ctx.urls.baseUrl}${base}/logs/${log.id}`,
  };
}

function logNotFound(build: Build, logId: string): HttpResponse {
  return vssError(
    404,
    "BuildLogNotFoundException",
    `Log ${logId} of run ${build.id} (${build.buildNumber}) was not found. List the run's logs for their ids.`,
    "Microsoft.TeamFoundation.Build.WebApi.BuildLogNotFoundException, Microsoft.TeamFoundation.Build2.WebApi",
  );
}

function getLog(ctx: RequestContext): HttpResponse {
  const build = runOf(ctx, pipelineOf(ctx));
  const signed = wantsSignedContent(ctx);
  const log = content(ctx)
    .logs(build)
    .find((l) => String(l.id) === ctx.params.logId);
  return log ? json(renderLog(ctx, build, log, signed)) : fail(logNotFound(build, ctx.params.logId));
}

function artifactNotFound(build: Build, name: string): HttpResponse {
  return vssError(
    404,
    "ArtifactNotFoundException",
    `Artifact ${name} was not found for run ${build.id} (${build.buildNumber}). The run publishes its artifacts as it goes; check the name and that the run got that far.`,
    "Microsoft.TeamFoundation.Build.WebApi.ArtifactNotFoundException, Microsoft.TeamFoundation.Build2.WebApi",
  );
}

function getArtifact(ctx: RequestContext): HttpResponse {
  const build = runOf(ctx, pipelineOf(ctx));
  const name = ctx.url.searchParams.get("artifactName");
  if (!name) return fail(badRequest("artifactName is required: the name of the run's artifact."));
  const signed = wantsSignedContent(ctx);
  const artifact = content(ctx).artifact(build, name);
  if (!artifact) return fail(artifactNotFound(build, name));
  const base = runPath(ctx, build);
  return json({
    name: artifact.name,
    ...(signed ? { signedContent: signedContent(ctx, `${base}/signedartifacts/${encodeURIComponent(name)}`) } : {}),
    url: `${ctx.urls.baseUrl}${base}/artifacts?artifactName=${encodeURIComponent(name)}`,
  });
}

/** Signed links: no token; the signature over path + expiry decides. */
function checkSignature(ctx: RequestContext): Build {
  const q = ctx.url.searchParams;
  const verdict = ctx.store.urlSigner.check(ctx.url.pathname, q.get("expires"), q.get("signature"), ctx.clock.now());
  if (verdict === "expired")
    return fail(
      accessDenied(
        `The signed link expired at ${q.get("expires")}. Ask for the run's logs or artifacts again with $expand=signedContent for a new link.`,
      ),
    );
  if (verdict === "invalid")
    return fail(
      accessDenied(
        "The link's signature is not valid for this path (altered or incomplete). Use the signedContent.url exactly as the service returned it.",
      ),
    );
  const build = ctx.store.builds.find(projectOf(ctx), ctx.params.runId);
  if (!build)
    return fail(pipelinesError(404, "PipelineRunNotFoundException", `Run ${ctx.params.runId} was not found.`));
  return build;
}

function zipOf(files: [string, Buffer][]): Buffer {
  const zip = new AdmZip();
  for (const [name, data] of files) zip.addFile(name, data);
  return zip.toBuffer();
}

function signedLog(ctx: RequestContext): HttpResponse {
  const build = checkSignature(ctx);
  const text = content(ctx).logText(build, Number(ctx.params.logId));
  return text === undefined ? fail(logNotFound(build, ctx.params.logId)) : bytes(text, "text/plain; charset=utf-8");
}

function signedLogs(ctx: RequestContext): HttpResponse {
  const build = checkSignature(ctx);
  const c = content(ctx);
  const files = c.logs(build).map((l): [string, Buffer] => [`${l.id}.txt`, Buffer.from(c.logText(build, l.id) ?? "")]);
  return bytes(zipOf(files), "application/zip", 200, {
    "content-disposition": `attachment; filename="${build.buildNumber}-logs.zip"`,
  });
}

function signedArtifact(ctx: RequestContext): HttpResponse {
  const build = checkSignature(ctx);
  const artifact = content(ctx).artifact(build, ctx.params.artifactName);
  if (!artifact) return fail(artifactNotFound(build, ctx.params.artifactName));
  const files = [...artifact.files].map(([path, data]): [string, Buffer] => [`${artifact.name}/${path}`, data]);
  return bytes(zipOf(files), "application/zip", 200, {
    "content-disposition": `attachment; filename="${artifact.name}.zip"`,
  });
}

const location = (id: string, resourceName: string): ResourceLocation => ({ id, area: "pipelines", resourceName });
const pipelinesLocation = location("28e1305e-2afe-47bf-abaf-cbb0e6a91988", "pipelines");
const runsLocation = location("7859261e-d2e9-4a68-b820-a5d84cc5bb3d", "runs");
const logsLocation = location("fb1b6d27-3957-43d5-a14b-a2d70403e545", "logs");
const artifactsLocation = location("85023071-bd5e-4438-89b0-2a5bf362a19d", "artifacts");

const rest = (method: string, template: string, handle: AzdoRoute["handle"], loc: ResourceLocation): AzdoRoute => ({
  method,
  template,
  isAuthenticated: true,
  version: ga,
  handle,
  location: loc,
});

export const pipelineRoutes: AzdoRoute[] = [
  rest("GET", pipelinesTemplate, listPipelines, pipelinesLocation),
  rest("POST", pipelinesTemplate, createPipeline, pipelinesLocation),
  rest("GET", `${pipelinesTemplate}/{pipelineId}`, getPipeline, pipelinesLocation),
  rest("GET", `${pipelinesTemplate}/{pipelineId}/runs`, listRuns, runsLocation),
  rest("POST", `${pipelinesTemplate}/{pipelineId}/runs`, runPipeline, runsLocation),
  rest("GET", runTemplate, getRun, runsLocation),
  rest("GET", `${runTemplate}/logs`, listLogs, logsLocation),
  rest("GET", `${runTemplate}/logs/{logId}`, getLog, logsLocation),
  rest("GET", `${runTemplate}/artifacts`, getArtifact, artifactsLocation),
  { method: "GET", template: `${runTemplate}/signedlogs`, handle: signedLogs },
  { method: "GET", template: `${runTemplate}/signedlogs/{logId}`, handle: signedLog },
  { method: "GET", template: `${runTemplate}/signedartifacts/{artifactName}`, handle: signedArtifact },
];
