/**
 * oidc — workload identity federation, as Azure Pipelines does it: the job asks
 * POST …/hubs/{hub}/plans/{planId}/jobs/{jobId}/oidctoken?serviceConnectionId= with its own access
 * token and gets {oidcToken}, an RS256 JWT with iss <base>/<orgId>, sub sc://<org>/<project>/<connection>
 * and aud api://AzureADTokenExchange. The issuer's OpenID metadata and JWKS are served under
 * /<orgId>/.well-known/, so a relying party (the Graph emulator's token endpoint) can discover the keys.
 */
import { randomUUID } from "node:crypto";
import { fail, json, type HttpResponse } from "../../http/response";
import { ga, type AzdoRoute, type RequestContext } from "../context";
import { accessDenied, badRequest, vssError } from "../errors";
import { federationAudience, subjectOf } from "../state/connections";

/** GET /{orgId}/.well-known/openid-configuration */
export function openIdConfiguration(ctx: RequestContext): HttpResponse {
  const issuer = ctx.urls.oidcIssuer;
  return json({
    issuer,
    jwks_uri: `${issuer}/.well-known/jwks`,
    subject_types_supported: ["public", "pairwise"],
    response_types_supported: ["id_token"],
    claims_supported: ["sub", "aud", "exp", "iat", "iss", "nbf", "jti"],
    id_token_signing_alg_values_supported: ["RS256"],
    scopes_supported: ["openid"],
  });
}

/** GET /{orgId}/.well-known/jwks */
export function jwks(ctx: RequestContext): HttpResponse {
  return json({ keys: [ctx.oidc.signer.jwk()] });
}

const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** POST /{org}/{project}/_apis/distributedtask/hubs/{hub}/plans/{planId}/jobs/{jobId}/oidctoken */
export function createOidcToken(ctx: RequestContext): HttpResponse {
  const { store, params, project, caller } = ctx;
  if (!project || !guid.test(params.project)) {
    // The route's scope identifier is the project GUID; a name does not match the route.
    return fail(
      vssError(
        404,
        "VssResourceNotFoundException",
        `The project segment of the OIDC token route must be the project GUID (got '${params.project}').`,
      ),
    );
  }
  const build = store.builds.byPlan(params.planId);
  if (!build || build.projectId !== project.id || params.hub.toLowerCase() !== "build") {
    return fail(
      vssError(
        404,
        "TaskOrchestrationPlanNotFoundException",
        `Orchestration plan with identifier ${params.planId} does not exist in hub ${params.hub}.`,
        "Microsoft.TeamFoundation.DistributedTask.WebApi.TaskOrchestrationPlanNotFoundException, Microsoft.TeamFoundation.DistributedTask.WebApi",
      ),
    );
  }
  // The job of a build made by the control API, or any Job record of the build's timeline (the local agent's jobs).
  const jobId = params.jobId.toLowerCase();
  const isJob =
    build.jobId.toLowerCase() === jobId ||
    store.timelines.of(build).records.some((r) => r.type === "Job" && r.id.toLowerCase() === jobId);
  if (!isJob) {
    return fail(
      vssError(
        404,
        "TaskOrchestrationJobNotFoundException",
        `Job ${params.jobId} was not found in orchestration plan ${build.planId}.`,
        "Microsoft.TeamFoundation.DistributedTask.WebApi.TaskOrchestrationJobNotFoundException, Microsoft.TeamFoundation.DistributedTask.WebApi",
      ),
    );
  }
  if (caller?.kind !== "job" || caller.buildId !== build.id) {
    return fail(
      accessDenied(
        `Only the access token of build ${build.id}'s jobs (System.AccessToken) may request their OIDC tokens.`,
      ),
    );
  }
  const connectionId = ctx.url.searchParams.get("serviceConnectionId");
  if (!connectionId) {
    return fail(
      badRequest(
        "The emulator issues OIDC tokens only for a service connection: pass serviceConnectionId (the connection's GUID).",
      ),
    );
  }
  const connection = store.connections.find(connectionId);
  if (!connection || connection.projectId !== project.id) {
    return fail(
      vssError(
        404,
        "ServiceEndpointNotFoundException",
        `Service connection ${connectionId} could not be found in project ${project.name}, or the pipeline is not authorized to use it.`,
        "Microsoft.TeamFoundation.DistributedTask.WebApi.ServiceEndpointNotFoundException, Microsoft.TeamFoundation.DistributedTask.WebApi",
      ),
    );
  }
  checkClaimsBody(ctx.raw);
  const now = Math.floor(ctx.clock.now() / 1000);
  const oidcToken = ctx.oidc.signer.sign({
    jti: randomUUID(),
    sub: subjectOf(store.organization.name, project.name, connection.name),
    aud: federationAudience,
    iss: ctx.urls.oidcIssuer,
    nbf: now,
    exp: now + ctx.oidc.tokenLifetimeSeconds,
    iat: now,
  });
  ctx.counters.oidcTokensIssued += 1;
  return json({ oidcToken });
}

/** The body is optional extra claims (string values); @azure/identity sends none. */
function checkClaimsBody(raw: Buffer): void {
  if (raw.length === 0) return;
  let body: unknown;
  try {
    body = JSON.parse(raw.toString("utf8"));
  } catch {
    fail(
      badRequest("The request body is not valid JSON: it must be an object of claim names to string values, or empty."),
    );
  }
  if (body !== null && (typeof body !== "object" || Array.isArray(body))) {
    fail(badRequest("The request body must be an object of claim names to string values, or empty."));
  }
}

export const oidcRoutes: AzdoRoute[] = [
  { method: "GET", template: "/{orgId}/.well-known/openid-configuration", handle: openIdConfiguration },
  { method: "GET", template: "/{orgId}/.well-known/jwks", handle: jwks },
  {
    method: "POST",
    template: "/{org}/{project}/_apis/distributedtask/hubs/{hub}/plans/{planId}/jobs/{jobId}/oidctoken",
    isAuthenticated: true,
    version: ga,
    handle: createOidcToken,
  },
];
