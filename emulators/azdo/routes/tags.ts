/**
 * tags — a build's tags over REST: GET, POST [..] and PATCH {tagsToAdd, tagsToRemove} on …/tags,
 * PUT and DELETE on …/tags/{tag}; every answer is all the build's tags (../state/tags keeps them).
 * GET {project}/_apis/build/tags lists every tag used in the project.
 */
import { fail, json, type HttpResponse } from "../../http/response";
import { ga, type AzdoRoute, type RequestContext } from "../context";
import { badRequest } from "../errors";
import { addTags, removeTags } from "../state/tags";
import { listBody } from "../wire";
import { buildLocation, buildsTemplate } from "./builds";
import { buildOf, parseBody, projectOf, touch } from "./common";

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

/** GET {project}/_apis/build/tags: the tags of the project's builds, unique without regard to case, sorted. */
export function projectTags(ctx: RequestContext): HttpResponse {
  const project = projectOf(ctx);
  const all = new Map<string, string>();
  for (const build of ctx.store.builds.list.filter((b) => b.projectId === project.id))
    for (const tag of build.tags) if (!all.has(tag.toLowerCase())) all.set(tag.toLowerCase(), tag);
  const sorted = [...all.values()].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));
  return json(listBody(sorted, ctx.format));
}

const buildTagsLocation = buildLocation("6e6114b2-8161-44c8-8f6c-c5505782427f", "tags", 3);

export const tagRoutes: AzdoRoute[] = [
  ...[
    ...["GET", "POST", "PATCH"].map((method) => ({ method, template: `${buildsTemplate}/{buildId}/tags` })),
    ...["PUT", "DELETE"].map((method) => ({ method, template: `${buildsTemplate}/{buildId}/tags/{tag}` })),
  ].map((r) => ({ ...r, isAuthenticated: true, version: ga, location: buildTagsLocation, handle: tags })),
  {
    method: "GET",
    template: "/{org}/{project}/_apis/build/tags",
    isAuthenticated: true,
    version: ga,
    location: buildLocation("d84ac5c6-edc7-43d5-adc9-1b34be5dea09", "tags", 3),
    handle: projectTags,
  },
];
