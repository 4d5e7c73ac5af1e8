/**
 * properties — a build's property bag over REST (a preview-only resource): GET with filter= and
 * PATCH with an application/json-patch+json document; the bag's rules are in ../state/properties.
 */
import { fail, json, type HttpResponse } from "../../http/response";
import { previewOnly, type AzdoRoute, type RequestContext } from "../context";
import { vssError } from "../errors";
import type { Build } from "../state/builds";
import { applyPropertyPatch, parseFilter, selectProperties } from "../state/properties";
import { buildLocation, buildsTemplate } from "./builds";
import { buildOf, parseBody, touch } from "./common";

function propertiesBody(build: Build, filter?: string[]): unknown {
  const value = selectProperties(build.properties, filter);
  return { count: Object.keys(value).length, value };
}

/** GET {project}/_apis/build/builds/{buildId}/properties?filter= */
export function getProperties(ctx: RequestContext): HttpResponse {
  return json(propertiesBody(buildOf(ctx), parseFilter(ctx.url.searchParams.get("filter"))));
}

/** PATCH {project}/_apis/build/builds/{buildId}/properties (application/json-patch+json) */
export function updateProperties(ctx: RequestContext): HttpResponse {
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
  touch(ctx, build);
  return json(propertiesBody(build));
}

export const propertyRoutes: AzdoRoute[] = ["GET", "PATCH"].map((method) => ({
  method,
  template: `${buildsTemplate}/{buildId}/properties`,
  isAuthenticated: true,
  version: previewOnly,
  location: buildLocation("0a6312e9-0627-49b7-8083-7d74a64849c9", "properties", 1, true),
  handle: method === "GET" ? getProperties : updateProperties,
}));
