/**
 * logs — a build's logs over REST: the list (…/logs), one log (…/logs/{logId}?startLine&endLine) as
 * text, or as a JSON array of lines when the client accepts JSON, and every log as one zip when the
 * list is asked for with Accept: application/zip. Zip entries are named after the timeline record
 * that owns each log: "<job name>/<order>_<task name>.txt" for a task, "<order>_<name>.txt" for
 * other records, "log_<id>.txt" for a log no record points at.
 */
import { fail, bytes, json, type HttpResponse } from "../../http/response";
import { ga, type AzdoRoute, type RequestContext } from "../context";
import { badRequest, vssError } from "../errors";
import type { Build } from "../state/builds";
import type { BuildLog } from "../state/logs";
import type { TimelineRecord } from "../state/timeline";
import { dateValue, listBody } from "../wire";
import { buildLocation, buildsTemplate } from "./builds";
import { buildOf } from "./common";
import { logUrl } from "./timeline";
import { acceptedTypes, entryName, wantsZip, zipResponse } from "./zip";

function renderLog(log: BuildLog, build: Build, ctx: RequestContext): Record<string, unknown> {
  return {
    lineCount: log.lines.length,
    createdOn: dateValue(log.createdOn, ctx.format),
    lastChangedOn: dateValue(log.lastChangedOn, ctx.format),
    id: log.id,
    type: "Container",
    url: logUrl(ctx, build, log.id),
  };
}

/** The zip entry name of a log, from the record that owns it. */
function zipEntryName(log: BuildLog, records: TimelineRecord[]): string {
  const record = records.find((r) => r.logId === log.id);
  if (!record) return `log_${log.id}.txt`;
  const file = `${record.order}_${entryName(record.name)}.txt`;
  if (record.type !== "Task") return file;
  let job = records.find((r) => r.id === record.parentId);
  while (job && job.type !== "Job") job = records.find((r) => r.id === job!.parentId);
  return job ? `${entryName(job.name)}/${file}` : file;
}

function logText(lines: string[]): Buffer {
  return Buffer.from(lines.map((l) => `${l}\n`).join(""), "utf8");
}

/** GET {project}/_apis/build/builds/{buildId}/logs (a zip with Accept: application/zip) */
export function listLogs(ctx: RequestContext): HttpResponse {
  const build = buildOf(ctx);
  const logs = ctx.store.logs.list(build);
  if (wantsZip(ctx)) {
    const records = ctx.store.timelines.of(build).records;
    const seen = new Set<string>();
    const entries = logs.map((log): [string, Buffer] => {
      let name = zipEntryName(log, records);
      if (seen.has(name.toLowerCase())) name = name.replace(/\.txt$/, `_${log.id}.txt`);
      seen.add(name.toLowerCase());
      return [name, logText(log.lines)];
    });
    return zipResponse(entries, `logs_${build.id}.zip`);
  }
  return json(
    listBody(
      logs.map((l) => renderLog(l, build, ctx)),
      ctx.format,
    ),
  );
}

function lineNumber(ctx: RequestContext, name: string): number | undefined {
  const text = ctx.url.searchParams.get(name);
  if (text === null || text === "") return undefined;
  const n = Number(text);
  return Number.isInteger(n) && n >= 0
    ? n
    : fail(badRequest(`The value '${text}' is not valid for ${name}: give a line number (1 is the first line).`));
}

/** GET {project}/_apis/build/builds/{buildId}/logs/{logId}?startLine&endLine (1-based, both included) */
export function getLog(ctx: RequestContext): HttpResponse {
  const build = buildOf(ctx);
  const log = ctx.store.logs.find(build, ctx.params.logId);
  if (!log)
    return fail(
      vssError(
        404,
        "BuildLogNotFoundException",
        `Build log ${ctx.params.logId} of build ${build.id} was not found. List the build's logs (…/logs) for their ids.`,
        "Microsoft.TeamFoundation.Build.WebApi.BuildLogNotFoundException, Microsoft.TeamFoundation.Build2.WebApi",
      ),
    );
  const start = Math.max(1, lineNumber(ctx, "startLine") ?? 1);
  const end = Math.min(log.lines.length, lineNumber(ctx, "endLine") ?? log.lines.length);
  const lines = log.lines.slice(start - 1, Math.max(start - 1, end));
  if (wantsZip(ctx)) return zipResponse([[`${log.id}.txt`, logText(lines)]], `log_${build.id}_${log.id}.zip`);
  if (acceptedTypes(ctx)[0]?.includes("json")) return json(listBody(lines, ctx.format));
  return bytes(logText(lines), "text/plain; charset=utf-8");
}

const route = {
  method: "GET",
  isAuthenticated: true,
  version: ga,
  location: buildLocation("35a80daf-7f30-45fc-86e8-6b813d9c90df", "logs", 2),
};

export const logRoutes: AzdoRoute[] = [
  { ...route, template: `${buildsTemplate}/{buildId}/logs`, handle: listLogs },
  { ...route, template: `${buildsTemplate}/{buildId}/logs/{logId}`, handle: getLog },
];
