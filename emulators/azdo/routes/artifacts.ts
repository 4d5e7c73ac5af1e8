/**
 * artifacts — a build's artifacts over REST: the list, one by ?artifactName=, its files as a zip
 * (?artifactName=…&$format=zip, or Accept: application/zip; the bearer token is needed, as on the
 * service) and POST …/artifacts, with which the agent associates an artifact it has published.
 */
import { fail, json, type HttpResponse } from "../../http/response";
import { ga, type AzdoRoute, type RequestContext } from "../context";
import { badRequest, vssError } from "../errors";
import type { ArtifactType, BuildArtifact } from "../state/artifacts";
import type { Build } from "../state/builds";
import { listBody, shaped } from "../wire";
import { buildLocation, buildsTemplate } from "./builds";
import { buildOf, isObject, parseBody } from "./common";
import { wantsZip, zipResponse } from "./zip";

const artifactTypes: ArtifactType[] = ["Container", "PipelineArtifact", "FilePath", "GitRef", "VersionControl"];

function artifactUrl(ctx: RequestContext, build: Build, name: string): string {
  return `${ctx.urls.collectionUri}${build.projectId}/_apis/build/builds/${build.id}/artifacts?artifactName=${encodeURIComponent(name)}&api-version=7.1`;
}

function renderArtifact(artifact: BuildArtifact, build: Build, ctx: RequestContext): Record<string, unknown> {
  const url = artifactUrl(ctx, build, artifact.name);
  const downloadable = artifact.type === "Container" || artifact.type === "PipelineArtifact";
  return {
    id: artifact.id,
    name: artifact.name,
    source: artifact.source,
    resource: {
      type: artifact.type,
      data: artifact.data,
      properties: { ...artifact.properties },
      url,
      ...(downloadable ? { downloadUrl: `${url}&%24format=zip` } : {}),
      _links: downloadable
        ? { self: { href: url }, download: { href: `${url}&%24format=zip` } }
        : { self: { href: url } },
    },
  };
}

/** GET {project}/_apis/build/builds/{buildId}/artifacts[?artifactName=X[&$format=zip]] */
export function getArtifacts(ctx: RequestContext): HttpResponse {
  const build = buildOf(ctx);
  const name = ctx.url.searchParams.get("artifactName");
  if (name === null) {
    const artifacts = ctx.store.artifacts.list(build);
    return json(
      listBody(
        artifacts.map((a) => renderArtifact(a, build, ctx)),
        ctx.format,
      ),
    );
  }
  const artifact =
    ctx.store.artifacts.find(build, name) ??
    fail(
      vssError(
        404,
        "ArtifactNotFoundException",
        `Artifact ${name} was not found for build ${build.id}. List the build's artifacts (…/artifacts) for their names.`,
        "Microsoft.TeamFoundation.Build.WebApi.ArtifactNotFoundException, Microsoft.TeamFoundation.Build2.WebApi",
      ),
    );
  if (wantsZip(ctx)) {
    // As the service's container download: every file under a folder named after the artifact.
    const entries = [...artifact.files].map(([path, content]): [string, Buffer] => [
      `${artifact.name}/${path}`,
      content,
    ]);
    return zipResponse(entries, `${artifact.name}.zip`);
  }
  return json(shaped(renderArtifact(artifact, build, ctx), ctx.format));
}

/** POST {project}/_apis/build/builds/{buildId}/artifacts {name, resource: {type, data, properties?}} */
export function createArtifact(ctx: RequestContext): HttpResponse {
  const build = buildOf(ctx);
  const body = parseBody(ctx);
  const resource = isObject(body) && isObject(body.resource) ? body.resource : undefined;
  if (!isObject(body) || typeof body.name !== "string" || !body.name || !resource)
    return fail(badRequest('An artifact needs a name and a resource: send {"name", "resource": {"type", "data"}}.'));
  const type = artifactTypes.find((t) => t.toLowerCase() === String(resource.type ?? "").toLowerCase());
  if (!type)
    return fail(badRequest(`The artifact type ${String(resource.type)} is not one of ${artifactTypes.join(", ")}.`));
  if (ctx.store.artifacts.find(build, body.name))
    return fail(
      vssError(
        409,
        "ArtifactExistsException",
        `Artifact ${body.name} already exists for build ${build.id}. Publish it under another name.`,
        "Microsoft.TeamFoundation.Build.WebApi.ArtifactExistsException, Microsoft.TeamFoundation.Build2.WebApi",
      ),
    );
  const properties = isObject(resource.properties)
    ? Object.fromEntries(Object.entries(resource.properties).map(([k, v]) => [k, String(v)]))
    : {};
  const artifact = ctx.store.artifacts.addArtifact(
    build,
    body.name,
    {},
    {
      type,
      data: typeof resource.data === "string" ? resource.data : undefined,
      properties,
      source: typeof body.source === "string" ? body.source : null,
    },
  );
  return json(shaped(renderArtifact(artifact, build, ctx), ctx.format));
}

const route = {
  template: `${buildsTemplate}/{buildId}/artifacts`,
  isAuthenticated: true,
  version: ga,
  location: buildLocation("1db06c96-014e-44e1-ac91-90b2d4b3e984", "artifacts", 5),
};

export const artifactRoutes: AzdoRoute[] = [
  { ...route, method: "GET", handle: getArtifacts },
  { ...route, method: "POST", handle: createArtifact },
];
