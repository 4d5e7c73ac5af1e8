/**
 * attachments — files tasks attached to their timeline records (task.addattachment): the list of a
 * type (…/builds/{buildId}/attachments/{type}) and one attachment's content
 * (…/builds/{buildId}/{timelineId}/{recordId}/attachments/{type}/{name}, as octet-stream).
 */
import { bytes, fail, json, type HttpResponse } from "../../http/response";
import { ga, type AzdoRoute, type RequestContext } from "../context";
import { vssError } from "../errors";
import { listBody } from "../wire";
import { buildLocation, buildsTemplate } from "./builds";
import { buildOf } from "./common";

/** GET {project}/_apis/build/builds/{buildId}/attachments/{type} */
export function listAttachments(ctx: RequestContext): HttpResponse {
  const build = buildOf(ctx);
  const base = `${ctx.urls.collectionUri}${build.projectId}/_apis/build/builds/${build.id}`;
  const attachments = ctx.store.attachments.list(build, ctx.params.type).map((a) => ({
    _links: {
      self: {
        href: `${base}/${a.timelineId}/${a.recordId}/attachments/${encodeURIComponent(a.type)}/${encodeURIComponent(a.name)}`,
      },
    },
    name: a.name,
  }));
  return json(listBody(attachments, ctx.format));
}

/** GET {project}/_apis/build/builds/{buildId}/{timelineId}/{recordId}/attachments/{type}/{name} */
export function getAttachment(ctx: RequestContext): HttpResponse {
  const build = buildOf(ctx);
  const { timelineId, recordId, type, name } = ctx.params;
  const attachment =
    ctx.store.attachments.find(build, { timelineId, recordId, type, name }) ??
    fail(
      vssError(
        404,
        "AttachmentNotFoundException",
        `Attachment ${type}/${name} of record ${recordId} (timeline ${timelineId}) was not found in build ${build.id}. List the build's attachments of that type for their links.`,
        "Microsoft.TeamFoundation.DistributedTask.WebApi.AttachmentNotFoundException, Microsoft.TeamFoundation.DistributedTask.WebApi",
      ),
    );
  return bytes(attachment.bytes, "application/octet-stream");
}

const auth = { method: "GET", isAuthenticated: true, version: ga };

export const attachmentRoutes: AzdoRoute[] = [
  {
    ...auth,
    template: `${buildsTemplate}/{buildId}/attachments/{type}`,
    location: buildLocation("f2192269-89fa-4f94-baf6-8fb128c55159", "attachments", 2),
    handle: listAttachments,
  },
  {
    ...auth,
    template: `${buildsTemplate}/{buildId}/{timelineId}/{recordId}/attachments/{type}/{name}`,
    location: buildLocation("af5122d3-3438-485e-a25a-2dbbfde84ee6", "attachments", 2),
    handle: getAttachment,
  },
];
