/**
 * timeline — a build's timeline over REST: GET …/builds/{buildId}/timeline[/{timelineId}] with
 * changeId= (only the records changed after it) and planId=; records as the service renders them,
 * enums as numbers when the client asks. The agent writes the records through ../state/timeline.
 */
import { fail, json, type HttpResponse } from "../../http/response";
import { ga, type AzdoRoute, type RequestContext } from "../context";
import { badRequest, vssError } from "../errors";
import type { Build } from "../state/builds";
import type { TimelineRecord } from "../state/timeline";
import { dateValue, enumValue, shaped } from "../wire";
import { buildLocation, buildsTemplate } from "./builds";
import { buildOf } from "./common";

/** …/_apis/build/builds/{id}/logs/{logId}: where a record's log is read. */
export function logUrl(ctx: RequestContext, build: Build, logId: number): string {
  return `${ctx.urls.collectionUri}${build.projectId}/_apis/build/builds/${build.id}/logs/${logId}`;
}

function renderRecord(record: TimelineRecord, build: Build, ctx: RequestContext): Record<string, unknown> {
  const f = ctx.format;
  return {
    previousAttempts: [],
    id: record.id,
    parentId: record.parentId,
    type: record.type,
    name: record.name,
    startTime: dateValue(record.startTime ?? undefined, f) ?? null,
    finishTime: dateValue(record.finishTime ?? undefined, f) ?? null,
    currentOperation: record.currentOperation,
    percentComplete: record.percentComplete,
    state: enumValue("recordState", record.state, f),
    result: record.result === null ? null : enumValue("taskResult", record.result, f),
    resultCode: null,
    changeId: record.changeId,
    lastModified: dateValue(record.lastModified, f),
    workerName: record.workerName,
    order: record.order,
    details: null,
    errorCount: record.errorCount,
    warningCount: record.warningCount,
    url: null,
    log: record.logId === null ? null : { id: record.logId, type: "Container", url: logUrl(ctx, build, record.logId) },
    task: record.task ? { ...record.task } : null,
    attempt: record.attempt,
    identifier: record.identifier,
    ...(record.refName ? { refName: record.refName } : {}),
    issues: record.issues.map((i) => ({
      type: enumValue("issueType", i.type, f),
      category: i.category ?? null,
      message: i.message,
      data: { ...(i.data ?? {}) },
    })),
  };
}

/** GET {project}/_apis/build/builds/{buildId}/timeline[/{timelineId}]?changeId=&planId= */
export function getTimeline(ctx: RequestContext): HttpResponse {
  const build = buildOf(ctx);
  const timeline = ctx.store.timelines.of(build);
  const q = ctx.url.searchParams;
  const wanted = ctx.params.timelineId;
  const planId = q.get("planId");
  if (
    (wanted && wanted.toLowerCase() !== timeline.id.toLowerCase()) ||
    (planId && planId.toLowerCase() !== build.planId.toLowerCase())
  )
    return fail(
      vssError(
        404,
        "TimelineNotFoundException",
        `Timeline ${wanted ?? timeline.id} (plan ${planId ?? build.planId}) does not exist for build ${build.id}; its timeline is ${timeline.id}.`,
        "Microsoft.TeamFoundation.DistributedTask.WebApi.TimelineNotFoundException, Microsoft.TeamFoundation.DistributedTask.WebApi",
      ),
    );
  const changeText = q.get("changeId");
  const changeId = changeText === null ? undefined : Number(changeText);
  if (changeId !== undefined && !Number.isInteger(changeId))
    return fail(
      badRequest(`The value '${changeText}' is not valid for changeId: give the changeId of a timeline you read.`),
    );
  const api = `${ctx.urls.collectionUri}${build.projectId}/_apis/build/builds/${build.id}`;
  return json(
    shaped(
      {
        records: ctx.store.timelines.recordsSince(build, changeId).map((r) => renderRecord(r, build, ctx)),
        lastChangedBy: "00000000-0000-0000-0000-000000000000",
        lastChangedOn: dateValue(timeline.lastChangedOn, ctx.format),
        id: timeline.id,
        changeId: timeline.changeId,
        url: `${api}/Timeline/${timeline.id}`,
      },
      ctx.format,
    ),
  );
}

const route = {
  method: "GET",
  isAuthenticated: true,
  version: ga,
  location: buildLocation("8baac422-4c6e-4de5-8532-db96d92acffa", "Timeline", 3),
  handle: getTimeline,
};

export const timelineRoutes: AzdoRoute[] = [
  { ...route, template: `${buildsTemplate}/{buildId}/timeline` },
  { ...route, template: `${buildsTemplate}/{buildId}/timeline/{timelineId}` },
];
