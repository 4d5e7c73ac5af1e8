/**
 * endpoints — service connections over REST, the same ones the control API registers: list a
 * project's (endpointNames, endpointIds, type, authSchemes), read one, create one for projects
 * (organization-level POST, as the service publishes it) and delete one. For an Azure Resource
 * Manager connection with workload identity federation the service fills in the issuer (this
 * emulator's OIDC issuer) and the subject (sc://<org>/<project>/<name>).
 */
import { randomUUID } from "node:crypto";
import { fail, json, noContent, type HttpResponse } from "../../http/response";
import { ga, type AzdoRoute, type RequestContext, type ResourceLocation } from "../context";
import { badRequest, projectNotFound, vssError } from "../errors";
import { identityOf } from "../state/approvals";
import { subjectOf, type ServiceConnection } from "../state/connections";
import { listBody } from "../wire";
import { parseBody, projectOf } from "./common";

const taskWebApi = "Microsoft.TeamFoundation.DistributedTask.WebApi";
const wif = "WorkloadIdentityFederation";

type Json = Record<string, unknown>;
function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function strings(v: unknown): Record<string, string> {
  return Object.fromEntries(Object.entries(isObject(v) ? v : {}).map(([k, x]) => [k, x == null ? "" : String(x)]));
}

/** The authorization parameters as the service returns them: secrets blanked, federation filled in. */
function authorizationOf(c: ServiceConnection, ctx: RequestContext) {
  const scheme = c.scheme ?? wif;
  const project = ctx.store.projects.find(c.projectId)!;
  const parameters: Record<string, string | null> = { ...(c.parameters ?? {}) };
  for (const secret of ["serviceprincipalkey", "password", "apitoken", "accesstoken"])
    if (secret in parameters) parameters[secret] = null;
  if (scheme === wif) {
    parameters.tenantid = c.tenantId ?? parameters.tenantid ?? "";
    parameters.serviceprincipalid = c.clientId ?? parameters.serviceprincipalid ?? "";
    parameters.workloadIdentityFederationIssuer = ctx.urls.oidcIssuer;
    parameters.workloadIdentityFederationSubject = subjectOf(ctx.store.organization.name, project.name, c.name);
  }
  return { parameters, scheme };
}

function render(c: ServiceConnection, ctx: RequestContext) {
  const project = ctx.store.projects.find(c.projectId)!;
  const type = c.type ?? "AzureRM";
  return {
    data:
      c.data ??
      (type === "AzureRM" ? { environment: "AzureCloud", scopeLevel: "Subscription", creationMode: "Manual" } : {}),
    id: c.id,
    name: c.name,
    type,
    url: c.url ?? (type === "AzureRM" ? "https://management.azure.com/" : ""),
    createdBy: c.createdBy ?? { displayName: "Tenant Sync emulator", id: "00000000-0000-0000-0000-000000000001" },
    description: c.description ?? "",
    authorization: authorizationOf(c, ctx),
    isShared: false,
    isReady: true,
    isOutdated: false,
    owner: "library",
    serviceEndpointProjectReferences: [
      { projectReference: { id: project.id, name: project.name }, name: c.name, description: c.description ?? "" },
    ],
  };
}

function list(ctx: RequestContext): HttpResponse {
  const q = ctx.url.searchParams;
  const csv = (name: string) =>
    q
      .get(name)
      ?.split(",")
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean);
  const names = csv("endpointNames");
  const ids = csv("endpointIds");
  const schemes = csv("authSchemes");
  const type = q.get("type")?.toLowerCase();
  const project = projectOf(ctx);
  const found = ctx.store.connections.list.filter(
    (c) =>
      c.projectId === project.id &&
      (!names || names.includes(c.name.toLowerCase())) &&
      (!ids || ids.includes(c.id.toLowerCase())) &&
      (!type || (c.type ?? "AzureRM").toLowerCase() === type) &&
      (!schemes || schemes.includes((c.scheme ?? wif).toLowerCase())),
  );
  return json(
    listBody(
      found.map((c) => render(c, ctx)),
      ctx.format,
    ),
  );
}

function notFound(id: string): HttpResponse {
  return vssError(
    404,
    "ServiceEndpointNotFoundException",
    `Service connection ${id} was not found in this project, or you may not use it. List the project's service connections for their ids.`,
    `${taskWebApi}.ServiceEndpointNotFoundException, ${taskWebApi}`,
  );
}

function getOne(ctx: RequestContext): HttpResponse {
  const c = ctx.store.connections.find(ctx.params.endpointId);
  return c && c.projectId === projectOf(ctx).id ? json(render(c, ctx)) : fail(notFound(ctx.params.endpointId));
}

/** POST {org}/_apis/serviceendpoint/endpoints {name, type, url, authorization, data, serviceEndpointProjectReferences} */
function create(ctx: RequestContext): HttpResponse {
  const body = parseBody(ctx);
  if (!isObject(body))
    return fail(badRequest("The body must be the service endpoint ({name, type, authorization, …})."));
  const name = typeof body.name === "string" ? body.name.trim() : "";
  if (!name) return fail(badRequest("The service connection needs a name."));
  const references = Array.isArray(body.serviceEndpointProjectReferences) ? body.serviceEndpointProjectReferences : [];
  const reference = references.find((r: unknown) => isObject(r) && isObject(r.projectReference)) as Json | undefined;
  const projectRef = reference && (reference.projectReference as Json);
  if (!projectRef)
    return fail(
      badRequest(
        `Service connection ${name}: serviceEndpointProjectReferences needs a project ({projectReference: {id}}).`,
      ),
    );
  const projectKey = String(projectRef.id ?? projectRef.name ?? "");
  const project = ctx.store.projects.find(projectKey) ?? fail(projectNotFound(projectKey));
  const authorization = isObject(body.authorization) ? body.authorization : {};
  const scheme = typeof authorization.scheme === "string" ? authorization.scheme : wif;
  const parameters = strings(authorization.parameters);
  if (ctx.store.connections.byName(project.id, name))
    return fail(
      vssError(
        409,
        "DuplicateServiceConnectionException",
        `A service connection named ${name} already exists in project ${project.name}; use it, or choose another name.`,
        `${taskWebApi}.DuplicateServiceConnectionException, ${taskWebApi}`,
      ),
    );
  const me = identityOf(ctx.caller!);
  const connection = ctx.store.connections.add({
    id: randomUUID(),
    name,
    projectId: project.id,
    tenantId: parameters.tenantid || undefined,
    clientId: parameters.serviceprincipalid || undefined,
    type: typeof body.type === "string" ? body.type : "AzureRM",
    url: typeof body.url === "string" ? body.url : undefined,
    description: typeof body.description === "string" ? body.description : undefined,
    scheme,
    parameters,
    data: isObject(body.data) ? strings(body.data) : undefined,
    createdBy: { id: me.id, displayName: me.displayName, uniqueName: me.uniqueName },
  });
  return json(render(connection, ctx));
}

/** DELETE {org}/_apis/serviceendpoint/endpoints/{endpointId}?projectIds= */
function remove(ctx: RequestContext): HttpResponse {
  const c = ctx.store.connections.find(ctx.params.endpointId);
  const projectIds = ctx.url.searchParams
    .get("projectIds")
    ?.split(",")
    .map((s) => ctx.store.projects.find(s.trim())?.id);
  if (!c || (projectIds && !projectIds.includes(c.projectId))) return fail(notFound(ctx.params.endpointId));
  ctx.store.connections.remove(c);
  return noContent();
}

const projectLocation: ResourceLocation = {
  id: "e85f1c62-adfc-4b74-b618-11a150fb195e",
  area: "serviceendpoint",
  resourceName: "endpoints",
  resourceVersion: 4,
};
const organizationLocation: ResourceLocation = {
  id: "14e48fdc-2c8b-41ce-a0c3-e26f6cc55bd0",
  area: "serviceendpoint",
  resourceName: "endpoints",
  resourceVersion: 4,
};

const projectEndpoints = "/{org}/{project}/_apis/serviceendpoint/endpoints";
const organizationEndpoints = "/{org}/_apis/serviceendpoint/endpoints";

export const endpointRoutes: AzdoRoute[] = [
  { method: "GET", template: projectEndpoints, handle: list, location: projectLocation },
  { method: "GET", template: `${projectEndpoints}/{endpointId}`, handle: getOne, location: projectLocation },
  { method: "POST", template: organizationEndpoints, handle: create, location: organizationLocation },
  {
    method: "DELETE",
    template: `${organizationEndpoints}/{endpointId}`,
    handle: remove,
    location: organizationLocation,
  },
].map((r) => ({ ...r, isAuthenticated: true, version: ga }));
