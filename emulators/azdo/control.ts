/**
 * control — the Azure DevOps emulator's control API under /_emulator on its own port (no REST
 * token reaches it), as a table of method + path template → handler: create projects, definitions
 * and builds (each build gets a plan, a job and a job access token), move builds on, register
 * service connections, issue tokens, read a build's properties and tags, counters, the clock; Git repositories (./control-git).
 */
import { randomUUID } from "node:crypto";
import { routeControl, type ControlRoute } from "../http/control";
import { HttpError, json, noContent, fail, type HttpResponse } from "../http/response";
import type { AzdoContext } from "./context";
import { gitControlRoutes } from "./control-git";
import { resetCounters } from "./counters";
import { badRequest, buildNotFound, projectNotFound, routeNotFound, vssError } from "./errors";
import { buildResults, buildStatuses, type Build, type BuildResult, type BuildStatus } from "./state/builds";
import { federationAudience, subjectOf } from "./state/connections";
import type { Project } from "./state/projects";
import { plainProperties } from "./state/properties";

type Json = Record<string, unknown>;
type Route = ControlRoute<AzdoContext, HttpResponse | Promise<HttpResponse>>;

function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  return typeof v === "string" && v.length > 0 ? v : undefined;
}

const state: Route["handle"] = (ctx) => json(stateOf(ctx));

const controlRoutes: Route[] = [
  { method: "GET", path: "/", handle: state },
  { method: "GET", path: "/state", handle: state },
  {
    method: "POST",
    path: "/projects",
    handle: (ctx, _, b) => json(ctx.store.addProject(str(b.name) ?? "project", ctx.clock.now(), str(b.id)), 201),
  },
  {
    method: "POST",
    path: "/definitions",
    handle: (ctx, _, b) =>
      json(
        ctx.store.builds.addDefinition(
          projectFor(ctx, b),
          str(b.name) ?? "tenant-sync",
          str(b.path) ?? "\\",
          ctx.clock.now(),
        ),
        201,
      ),
  },
  { method: "POST", path: "/builds", handle: createBuild },
  { method: "GET", path: "/builds", handle: (ctx) => json(ctx.store.builds.list.map((b) => buildSummary(ctx, b))) },
  { method: "GET", path: "/builds/{buildId}", handle: (ctx, p) => json(buildSummary(ctx, buildFor(ctx, p))) },
  {
    method: "PATCH",
    path: "/builds/{buildId}",
    handle: (ctx, p, b) => {
      const build = buildFor(ctx, p);
      ctx.store.builds.update(build, { status: statusOf(b.status), result: resultOf(b.result) }, ctx.clock.now());
      return json(buildSummary(ctx, build));
    },
  },
  {
    method: "GET",
    path: "/builds/{buildId}/properties",
    handle: (ctx, p) => json(plainProperties(buildFor(ctx, p).properties)),
  },
  { method: "GET", path: "/builds/{buildId}/tags", handle: (ctx, p) => json([...buildFor(ctx, p).tags]) },
  {
    method: "POST",
    path: "/builds/{buildId}/tokens",
    handle: (ctx, p, b) => {
      const token = ctx.store.tokens.issueJobToken(
        buildFor(ctx, p),
        b.expiresInSeconds === undefined ? undefined : Number(b.expiresInSeconds),
      );
      return json({ accessToken: token.token, expiresAt: new Date(token.expiresAt).toISOString() }, 201);
    },
  },
  { method: "POST", path: "/serviceconnections", handle: registerConnection },
  {
    method: "POST",
    path: "/tokens",
    handle: (ctx, _, b) => {
      const token = ctx.store.tokens.issueUserToken(str(b.name) ?? "Hub user", Number(b.expiresInSeconds ?? 3600), {
        id: str(b.id),
        uniqueName: str(b.uniqueName),
      });
      // The identity is what approvals and checks record as the caller.
      const identity = token.kind === "user" ? { id: token.id, uniqueName: token.uniqueName } : {};
      return json({ accessToken: token.token, expiresAt: new Date(token.expiresAt).toISOString(), ...identity }, 201);
    },
  },
  {
    method: "POST",
    path: "/groups",
    handle: (ctx, _, b) => {
      const name = str(b.name);
      if (!name) fail(badRequest("Give the group's name: {name, members: [id or sign-in name…], scope?}."));
      const members = Array.isArray(b.members) ? b.members.map(String) : [];
      const scope = str(b.scope) ?? ctx.store.organization.name;
      const group = ctx.store.identities.addGroup(scope, name, members);
      if ("unknown" in group)
        fail(
          badRequest(
            `No identity ${group.unknown} in the organisation: issue it a token first (POST /_emulator/tokens).`,
          ),
        );
      return json(
        { id: group.id, displayName: group.displayName, uniqueName: group.uniqueName, members: group.members },
        201,
      );
    },
  },
  { method: "DELETE", path: "/tokens", handle: () => json({ revoked: false }, 404) },
  {
    method: "DELETE",
    path: "/tokens/{token}",
    handle: (ctx, p) => (ctx.store.tokens.revoke(p.token) ? noContent() : json({ revoked: false }, 404)),
  },
  { method: "GET", path: "/counters", handle: (ctx) => json(ctx.counters) },
  {
    method: "DELETE",
    path: "/counters",
    handle: (ctx) => {
      resetCounters(ctx.counters);
      return noContent();
    },
  },
  {
    method: "POST",
    path: "/clock",
    handle: (ctx, _, b) => json({ now: new Date(ctx.clock.advance(Number(b.advanceMs ?? 0))).toISOString() }),
  },
  ...gitControlRoutes,
];

export async function handleControl(ctx: AzdoContext, method: string, url: URL, body: unknown): Promise<HttpResponse> {
  try {
    return (await routeControl(controlRoutes, ctx, method, url.pathname, body)) ?? routeNotFound(method, url.pathname);
  } catch (e) {
    if (e instanceof HttpError) return e.response;
    return badRequest((e as Error).message);
  }
}

function stateOf(ctx: AzdoContext) {
  const { store, urls } = ctx;
  return {
    organization: store.organization,
    collectionUri: urls.collectionUri,
    oidcIssuer: urls.oidcIssuer,
    projects: store.projects.list,
    definitions: store.builds.definitions,
    builds: store.builds.list.map((build) => buildSummary(ctx, build)),
    serviceConnections: store.connections.list,
    // Pipelines, environments, checks and approvals.
    environments: store.environments.list,
    checks: store.checks.list,
    approvals: store.approvals.list,
  };
}

function projectFor(ctx: AzdoContext, b: Json): Project {
  const name = str(b.project) ?? ctx.defaultProject.id;
  const project = ctx.store.projects.find(name);
  return project ?? fail(projectNotFound(name));
}

function buildFor(ctx: AzdoContext, params: Record<string, string>): Build {
  return ctx.store.builds.find(undefined, params.buildId) ?? fail(buildNotFound(params.buildId));
}

function buildSummary(ctx: AzdoContext, build: Build) {
  const definition = ctx.store.builds.definitionOf(build);
  return {
    id: build.id,
    buildNumber: build.buildNumber,
    projectId: build.projectId,
    definition: { id: definition.id, name: definition.name, path: definition.path },
    planId: build.planId,
    jobId: build.jobId,
    status: build.status,
    result: build.result,
    queueTime: build.queueTime,
    finishTime: build.finishTime,
    templateParameters: build.templateParameters,
    properties: plainProperties(build.properties),
    tags: build.tags,
  };
}

/** POST /_emulator/builds {definition, tenant?, project?, status?, result?, sourceBranch?, templateParameters?} */
function createBuild(ctx: AzdoContext, _: Record<string, string>, b: Json): HttpResponse {
  const { store, clock, urls } = ctx;
  const project = projectFor(ctx, b);
  const ref = typeof b.definition === "number" ? b.definition : (str(b.definition) ?? "tenant-sync");
  // A definition named here that does not exist yet is created, so one call sets up a run.
  const definition =
    store.builds.findDefinition(project, ref) ??
    (typeof ref === "string" ? store.builds.addDefinition(project, ref, str(b.path) ?? "\\", clock.now()) : undefined);
  if (!definition)
    return vssError(404, "DefinitionNotFoundException", `No build definition ${ref} in project ${project.name}.`);
  const templateParameters = Object.fromEntries(
    Object.entries(isObject(b.templateParameters) ? b.templateParameters : {}).map(([k, v]) => [k, String(v)]),
  );
  if (str(b.tenant)) templateParameters.tenant = str(b.tenant)!;
  const build = store.builds.add(
    definition,
    {
      status: statusOf(b.status),
      result: resultOf(b.result),
      sourceBranch: str(b.sourceBranch),
      requestedFor: str(b.requestedFor),
      templateParameters,
    },
    clock.now(),
  );
  const token = store.tokens.issueJobToken(build);
  const oidcRequestUri = `${urls.collectionUri}${project.id}/_apis/distributedtask/hubs/build/plans/${build.planId}/jobs/${build.jobId}/oidctoken`;
  return json(
    {
      ...buildSummary(ctx, build),
      accessToken: token.token,
      oidcRequestUri,
      agentVariables: agentVariables(ctx, project, build, definition.name, token.token, oidcRequestUri),
    },
    201,
  );
}

/** The job's variables as the agent puts them in a task's environment. */
function agentVariables(
  ctx: AzdoContext,
  project: Project,
  build: Build,
  definitionName: string,
  accessToken: string,
  oidcRequestUri: string,
): Record<string, string> {
  const { collectionUri } = ctx.urls;
  return {
    SYSTEM_COLLECTIONURI: collectionUri,
    SYSTEM_TEAMFOUNDATIONCOLLECTIONURI: collectionUri,
    SYSTEM_COLLECTIONID: ctx.store.organization.id,
    SYSTEM_TEAMPROJECTID: project.id,
    SYSTEM_TEAMPROJECT: project.name,
    SYSTEM_HOSTTYPE: "build",
    SYSTEM_PLANID: build.planId,
    SYSTEM_JOBID: build.jobId,
    SYSTEM_DEFINITIONID: String(build.definitionId),
    BUILD_DEFINITIONNAME: definitionName,
    BUILD_BUILDID: String(build.id),
    BUILD_BUILDNUMBER: build.buildNumber,
    SYSTEM_OIDCREQUESTURI: oidcRequestUri,
    ENDPOINT_URL_SYSTEMVSSCONNECTION: collectionUri,
    ENDPOINT_AUTH_SYSTEMVSSCONNECTION: JSON.stringify({ parameters: { AccessToken: accessToken }, scheme: "OAuth" }),
  };
}

function statusOf(v: unknown): BuildStatus | undefined {
  if (v === undefined) return undefined;
  if (!buildStatuses.includes(v as BuildStatus)) throw new Error(`status must be one of ${buildStatuses.join(", ")}.`);
  return v as BuildStatus;
}

function resultOf(v: unknown): BuildResult | undefined {
  if (v === undefined) return undefined;
  if (!buildResults.includes(v as BuildResult)) throw new Error(`result must be one of ${buildResults.join(", ")}.`);
  return v as BuildResult;
}

/** POST /_emulator/serviceconnections {name, id?, project?, tenantId?, clientId?} */
function registerConnection(ctx: AzdoContext, _: Record<string, string>, b: Json): HttpResponse {
  const { store, urls } = ctx;
  const project = projectFor(ctx, b);
  const connection = store.connections.add({
    id: str(b.id) ?? randomUUID(),
    name: str(b.name) ?? "tenant-sync",
    projectId: project.id,
    tenantId: str(b.tenantId),
    clientId: str(b.clientId),
  });
  const subject = subjectOf(store.organization.name, project.name, connection.name);
  return json(
    {
      ...connection,
      issuer: urls.oidcIssuer,
      subject,
      audience: federationAudience,
      // What the agent hands a task for this connection (ENDPOINT_AUTH_<id>).
      authorization: {
        scheme: "WorkloadIdentityFederation",
        parameters: {
          tenantid: connection.tenantId ?? "",
          serviceprincipalid: connection.clientId ?? "",
          workloadIdentityFederationIssuer: urls.oidcIssuer,
          workloadIdentityFederationSubject: subject,
        },
      },
    },
    201,
  );
}
