/**
 * common — what several route areas need from a request: its project, the build named by
 * {buildId}, its JSON body (a 400 when it is not JSON), and one page of a list.
 */
import { fail, json, type HttpResponse } from "../../http/response";
import type { RequestContext } from "../context";
import { badRequest, buildNotFound } from "../errors";
import type { Build } from "../state/builds";
import type { Project } from "../state/projects";
import { listBody } from "../wire";

export function projectOf(ctx: RequestContext): Project {
  if (!ctx.project) throw new Error("route without {project}");
  return ctx.project;
}

export function buildOf(ctx: RequestContext): Build {
  const build = ctx.store.builds.find(projectOf(ctx), ctx.params.buildId);
  return build ?? fail(buildNotFound(ctx.params.buildId));
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The body as JSON; undefined when empty, a 400 when it is not JSON. */
export function parseBody(ctx: RequestContext): unknown {
  if (ctx.raw.length === 0) return undefined;
  try {
    return JSON.parse(ctx.raw.toString("utf8"));
  } catch (e) {
    return fail(badRequest(`The request body is not valid JSON: ${(e as Error).message}`));
  }
}

/** The build was changed now. */
export function touch(ctx: RequestContext, build: Build): void {
  build.lastChangedDate = ctx.clock.iso();
}

/** One page of a list: `continuationToken` is the offset, `topName` ($top or top) the size; the next offset in x-ms-continuationtoken. */
export function page<T>(items: T[], ctx: RequestContext, topName: string, defaultTop: number): HttpResponse {
  const q = ctx.url.searchParams;
  const start = Number(q.get("continuationToken") ?? 0) || 0;
  const top = q.get(topName) !== null ? Math.max(0, Number(q.get(topName))) : defaultTop;
  const headers: Record<string, string> =
    start + top < items.length ? { "x-ms-continuationtoken": String(start + top) } : {};
  return json(listBody(items.slice(start, start + top), ctx.format), 200, headers);
}
