/**
 * control — the Azure DevOps emulator's control API under /_emulator on its own port (no REST
 * token reaches it): create projects, definitions and builds (each build gets a plan, a job and a
 * job access token), move builds on, register service connections, issue tokens, read a build's
 * properties and tags, read counters and move the clock. JSON in and out.
 */
import { randomUUID } from "node:crypto";
import { newCounters } from "./counters";
import {
  AzdoHttpError,
  badRequest,
  buildNotFound,
  fail,
  projectNotFound,
  routeNotFound,
  vssError,
  type AzdoResponse,
} from "./errors";
import { federationAudience, subjectOf } from "./oidc";
import { plainProperties } from "./properties";
import type { AzureDevOpsEmulator } from "./server";
import { buildResults, buildStatuses, type Build, type BuildResult, type BuildStatus, type Project } from "./store";

type Json = Record<string, unknown>;

function ok(body?: unknown, status = 200): AzdoResponse {
  return body === undefined
    ? { status: 204, headers: {} }
    : { status, headers: { "content-type": "application/json; charset=utf-8" }, body };
}

function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  return typeof v === "string" && v.length > 0 ? v : undefined;
}

export function handleControl(emulator: AzureDevOpsEmulator, method: string, url: URL, body: unknown): AzdoResponse {
  const parts = url.pathname
    .replace(/^\/_emulator\/?/, "")
    .split("/")
    .filter(Boolean)
    .map(decodeURIComponent);
  const b: Json = isObject(body) ? body : {};
  try {
    switch (`${method} ${parts[0] ?? ""}`) {
      case "GET ":
      case "GET state":
        return ok(stateOf(emulator));
      case "POST projects":
        return ok(emulator.store.addProject(str(b.name) ?? "project", emulator.now(), str(b.id)), 201);
      case "POST definitions":
        return ok(
          emulator.store.addDefinition(
            projectFor(emulator, b),
            str(b.name) ?? "tenant-sync",
            str(b.path) ?? "\\",
            emulator.now(),
          ),
          201,
        );
      case "POST builds":
        return parts.length === 1 ? createBuild(emulator, b) : buildRoute(emulator, method, parts.slice(1), b);
      case "GET builds":
        return parts.length === 1
          ? ok(emulator.store.builds.map((build) => buildSummary(emulator, build)))
          : buildRoute(emulator, method, parts.slice(1), b);
      case "PATCH builds":
        return buildRoute(emulator, method, parts.slice(1), b);
      case "POST serviceconnections":
        return registerConnection(emulator, b);
      case "POST tokens": {
        const token = emulator.issueUserToken(str(b.name) ?? "Hub user", Number(b.expiresInSeconds ?? 3600));
        return ok({ accessToken: token.token, expiresAt: new Date(token.expiresAt).toISOString() }, 201);
      }
      case "DELETE tokens":
        return emulator.store.revokeToken(parts[1] ?? "") ? ok() : ok({ revoked: false }, 404);
      case "GET counters":
        return ok(emulator.counters);
      case "DELETE counters":
        emulator.counters = newCounters();
        return ok();
      case "POST clock":
        emulator.clockOffsetMs += Number(b.advanceMs ?? 0);
        return ok({ now: new Date(emulator.now()).toISOString() });
      default:
        return routeNotFound(method, url.pathname);
    }
  } catch (e) {
    if (e instanceof AzdoHttpError) return e.response;
    return badRequest((e as Error).message);
  }
}

function stateOf(emulator: AzureDevOpsEmulator) {
  const { store } = emulator;
  return {
    organization: store.organization,
    collectionUri: emulator.collectionUri,
    oidcIssuer: emulator.oidcIssuer,
    projects: store.projects,
    definitions: store.definitions,
    builds: store.builds.map((build) => buildSummary(emulator, build)),
    serviceConnections: store.connections,
  };
}

function projectFor(emulator: AzureDevOpsEmulator, b: Json): Project {
  const name = str(b.project) ?? emulator.defaultProject.id;
  const project = emulator.store.findProject(name);
  return project ?? fail(projectNotFound(name));
}

function buildSummary(emulator: AzureDevOpsEmulator, build: Build) {
  const definition = emulator.store.definitions.find((d) => d.id === build.definitionId)!;
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
function createBuild(emulator: AzureDevOpsEmulator, b: Json): AzdoResponse {
  const project = projectFor(emulator, b);
  const ref = typeof b.definition === "number" ? b.definition : (str(b.definition) ?? "tenant-sync");
  // A definition named here that does not exist yet is created, so one call sets up a run.
  const definition =
    emulator.store.findDefinition(project, ref) ??
    (typeof ref === "string"
      ? emulator.store.addDefinition(project, ref, str(b.path) ?? "\\", emulator.now())
      : undefined);
  if (!definition)
    return vssError(404, "DefinitionNotFoundException", `No build definition ${ref} in project ${project.name}.`);
  const templateParameters = Object.fromEntries(
    Object.entries(isObject(b.templateParameters) ? b.templateParameters : {}).map(([k, v]) => [k, String(v)]),
  );
  if (str(b.tenant)) templateParameters.tenant = str(b.tenant)!;
  const build = emulator.store.addBuild(
    definition,
    {
      status: statusOf(b.status),
      result: resultOf(b.result),
      sourceBranch: str(b.sourceBranch),
      requestedFor: str(b.requestedFor),
      templateParameters,
    },
    emulator.now(),
  );
  const token = emulator.issueJobToken(build);
  const oidcRequestUri = `${emulator.collectionUri}${project.id}/_apis/distributedtask/hubs/build/plans/${build.planId}/jobs/${build.jobId}/oidctoken`;
  return ok(
    {
      ...buildSummary(emulator, build),
      accessToken: token.token,
      oidcRequestUri,
      agentVariables: agentVariables(emulator, project, build, definition.name, token.token, oidcRequestUri),
    },
    201,
  );
}

/** The job's variables as the agent puts them in a task's environment (shared/notes/azure-devops.md §5.2). */
function agentVariables(
  emulator: AzureDevOpsEmulator,
  project: Project,
  build: Build,
  definitionName: string,
  accessToken: string,
  oidcRequestUri: string,
): Record<string, string> {
  return {
    SYSTEM_COLLECTIONURI: emulator.collectionUri,
    SYSTEM_TEAMFOUNDATIONCOLLECTIONURI: emulator.collectionUri,
    SYSTEM_COLLECTIONID: emulator.store.organization.id,
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
    ENDPOINT_URL_SYSTEMVSSCONNECTION: emulator.collectionUri,
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

/** GET/PATCH /_emulator/builds/{id}, GET …/{id}/properties, GET …/{id}/tags, POST …/{id}/tokens */
function buildRoute(emulator: AzureDevOpsEmulator, method: string, parts: string[], b: Json): AzdoResponse {
  const build = emulator.store.builds.find((x) => String(x.id) === parts[0]);
  if (!build) return buildNotFound(parts[0] ?? "");
  switch (`${method} ${parts[1] ?? ""}`) {
    case "GET ":
      return ok(buildSummary(emulator, build));
    case "PATCH ":
      emulator.store.updateBuild(build, { status: statusOf(b.status), result: resultOf(b.result) }, emulator.now());
      return ok(buildSummary(emulator, build));
    case "GET properties":
      return ok(plainProperties(build.properties));
    case "GET tags":
      return ok([...build.tags]);
    case "POST tokens": {
      const token = emulator.issueJobToken(
        build,
        b.expiresInSeconds === undefined ? undefined : Number(b.expiresInSeconds),
      );
      return ok({ accessToken: token.token, expiresAt: new Date(token.expiresAt).toISOString() }, 201);
    }
    default:
      return routeNotFound(method, `/_emulator/builds/${parts.join("/")}`);
  }
}

/** POST /_emulator/serviceconnections {name, id?, project?, tenantId?, clientId?} */
function registerConnection(emulator: AzureDevOpsEmulator, b: Json): AzdoResponse {
  const project = projectFor(emulator, b);
  const connection = emulator.store.addConnection({
    id: str(b.id) ?? randomUUID(),
    name: str(b.name) ?? "tenant-sync",
    projectId: project.id,
    tenantId: str(b.tenantId),
    clientId: str(b.clientId),
  });
  const subject = subjectOf(emulator.store.organization.name, project.name, connection.name);
  return ok(
    {
      ...connection,
      issuer: emulator.oidcIssuer,
      subject,
      audience: federationAudience,
      // What the agent hands a task for this connection (ENDPOINT_AUTH_<id>).
      authorization: {
        scheme: "WorkloadIdentityFederation",
        parameters: {
          tenantid: connection.tenantId ?? "",
          serviceprincipalid: connection.clientId ?? "",
          workloadIdentityFederationIssuer: emulator.oidcIssuer,
          workloadIdentityFederationSubject: subject,
        },
      },
    },
    201,
  );
}
