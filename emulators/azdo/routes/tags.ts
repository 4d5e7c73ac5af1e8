/**
 * tags — a build's tags over REST: GET, POST [..] and PATCH {tagsToAdd, tagsToRemove} on …/tags,
 * PUT and DELETE on …/tags/{tag}; every answer is all the build's tags (../state/tags keeps them).
 */
import { fail, json, type HttpResponse } from "../../http/response";
import { ga, type AzdoRoute, type RequestContext } from "../context";
import { badRequest } from "../errors";
import { addTags, removeTags } from "../state/tags";
import { listBody } from "../wire";
import { buildsTemplate } from "./builds";
import { buildOf, parseBody, touch } from "./common";

function stringArray(value: unknown, what: string): string[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string"))
    return fail(badRequest(`${what} must be a JSON array of strings.`));
  return value as string[];
}

/** Tags: GET / POST [..] / PATCH {tagsToAdd, tagsToRemove} on …/tags; PUT / DELETE on …/tags/{tag}. */
export function tags(ctx: RequestContext): HttpResponse {
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
  if (ctx.method !== "GET") touch(ctx, build);
  return json(listBody([...build.tags], ctx.format));
}

export const tagRoutes: AzdoRoute[] = [
  ...["GET", "POST", "PATCH"].map((method) => ({ method, template: `${buildsTemplate}/{buildId}/tags` })),
  ...["PUT", "DELETE"].map((method) => ({ method, template: `${buildsTemplate}/{buildId}/tags/{tag}` })),
].map((r) => ({ ...r, isAuthenticated: true, version: ga, handle: tags }));
