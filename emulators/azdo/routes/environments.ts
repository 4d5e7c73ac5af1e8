/**
 * environments — a project's pipeline environments (list with a name filter, add, read, delete)
 * and the deployment records runs leave on them, under pipelines/environments and under the
 * distributedtask/environments path the published TaskAgent clients use (same location ids).
 */
import { fail, json, noContent, type HttpResponse } from "../../http/response";
import { previewOnly, type AzdoRoute, type RequestContext, type ResourceLocation } from "../context";
import { badRequest, vssError } from "../errors";
import { identityOf } from "../state/approvals";
import type { DeploymentRecord, Environment } from "../state/environments";
import { dateValue } from "../wire";
import { page, parseBody, projectOf } from "./common";

const taskWebApi = "Microsoft.TeamFoundation.DistributedTask.WebApi";

function environmentNotFound(id: string, project: string): HttpResponse {
  return vssError(
    404,
    "EnvironmentNotFoundException",
    `Environment ${id} was not found in project ${project}. List the project's environments for their ids.`,
    `${taskWebApi}.EnvironmentNotFoundException, ${taskWebApi}`,
  );
}

function environmentOf(ctx: RequestContext): Environment {
  const project = projectOf(ctx);
  const id = ctx.params.environmentId;
  const environment = /^\d+$/.test(id) ? ctx.store.environments.find(project, Number(id)) : undefined;
  return environment ?? fail(environmentNotFound(id, project.name));
}

function renderEnvironment(e: Environment, ctx: RequestContext) {
  const project = projectOf(ctx);
  const by = { displayName: e.createdBy, id: "00000000-0000-0000-0000-000000000001" };
  return {
    id: e.id,
    name: e.name,
    description: e.description,
    createdBy: by,
    createdOn: dateValue(e.createdOn, ctx.format),
    lastModifiedBy: by,
    lastModifiedOn: dateValue(e.lastModifiedOn, ctx.format),
    project: { id: project.id, name: project.name },
    resources: [],
  };
}

/** A name filter as the service takes it: exact without regard to case, `*` matching any run of characters. */
function nameMatcher(filter: string | null): (name: string) => boolean {
  if (!filter) return () => true;
  const pattern = new RegExp(
    `^${filter
      .split("*")
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
      .join(".*")}$`,
    "i",
  );
  return (name) => pattern.test(name);
}

function listEnvironments(ctx: RequestContext): HttpResponse {
  const project = projectOf(ctx);
  const matches = nameMatcher(ctx.url.searchParams.get("name"));
  const list = ctx.store.environments.list.filter((e) => e.projectId === project.id && matches(e.name));
  return page(
    list.map((e) => renderEnvironment(e, ctx)),
    ctx,
    "$top",
    50,
  );
}

/** POST {project}/_apis/pipelines/environments {name, description} */
function addEnvironment(ctx: RequestContext): HttpResponse {
  const project = projectOf(ctx);
  const body = parseBody(ctx) as { name?: unknown; description?: unknown } | undefined;
  const name = typeof body?.name === "string" ? body.name.trim() : "";
  if (!name) return fail(badRequest("The environment needs a name: send {name, description}."));
  const me = identityOf(ctx.caller!);
  const description = typeof body?.description === "string" ? body.description : "";
  const environment = ctx.store.environments.add(project, name, description, me.displayName, ctx.clock.now());
  if (!environment)
    return fail(
      vssError(
        409,
        "EnvironmentExistsException",
        `Environment ${name} already exists in project ${project.name}; use it, or choose another name.`,
        `${taskWebApi}.EnvironmentExistsException, ${taskWebApi}`,
      ),
    );
  return json(renderEnvironment(environment, ctx));
}

function getEnvironment(ctx: RequestContext): HttpResponse {
  return json(renderEnvironment(environmentOf(ctx), ctx));
}

function deleteEnvironment(ctx: RequestContext): HttpResponse {
  ctx.store.environments.remove(environmentOf(ctx));
  return noContent();
}

function renderRecord(r: DeploymentRecord, ctx: RequestContext) {
  const project = projectOf(ctx);
  const { collectionUri } = ctx.urls;
  return {
    id: r.id,
    requestIdentifier: `${r.planId}|${r.stageName}|${r.jobName}`,
    environmentId: r.environmentId,
    serviceOwner: "00025394-6065-48ca-87d9-7f5672854ef7",
    scopeId: project.id,
    resourceId: 0,
    planType: "Build",
    planId: r.planId,
    stageName: r.stageName,
    jobName: r.jobName,
    stageAttempt: r.stageAttempt,
    jobAttempt: r.jobAttempt,
    definition: {
      _links: { web: { href: `${collectionUri}${project.id}/_build/definition?definitionId=${r.definitionId}` } },
      id: r.definitionId,
      name: r.definitionName,
    },
    owner: {
      _links: { web: { href: `${collectionUri}${project.id}/_build/results?buildId=${r.buildId}` } },
      id: r.buildId,
      name: r.buildNumber,
    },
    ...(r.result ? { result: r.result } : {}),
    queueTime: dateValue(r.queueTime, ctx.format),
    ...(r.startTime ? { startTime: dateValue(r.startTime, ctx.format) } : {}),
    ...(r.finishTime ? { finishTime: dateValue(r.finishTime, ctx.format) } : {}),
  };
}

function listDeploymentRecords(ctx: RequestContext): HttpResponse {
  const records = ctx.store.environments.recordsOf(environmentOf(ctx));
  return page(
    records.map((r) => renderRecord(r, ctx)),
    ctx,
    "top",
    50,
  );
}

const environmentsLocation: ResourceLocation = {
  id: "8572b1fc-2482-47fa-8f74-7e3ed53ee54b",
  area: "distributedtask",
  resourceName: "environments",
};
const recordsLocation: ResourceLocation = {
  id: "51bb5d21-4305-4ea6-9dbb-b7488af73334",
  area: "distributedtask",
  resourceName: "environmentdeploymentRecords",
};

function routesUnder(base: string, withLocations: boolean): AzdoRoute[] {
  const env = withLocations ? { location: environmentsLocation } : {};
  const records = withLocations ? { location: recordsLocation } : {};
  return [
    { method: "GET", template: base, handle: listEnvironments, ...env },
    { method: "POST", template: base, handle: addEnvironment, ...env },
    { method: "GET", template: `${base}/{environmentId}`, handle: getEnvironment, ...env },
    { method: "DELETE", template: `${base}/{environmentId}`, handle: deleteEnvironment, ...env },
    {
      method: "GET",
      template: `${base}/{environmentId}/environmentdeploymentrecords`,
      handle: listDeploymentRecords,
      ...records,
    },
  ].map((r) => ({ ...r, isAuthenticated: true, version: previewOnly }));
}

export const environmentRoutes: AzdoRoute[] = [
  ...routesUnder("/{org}/{project}/_apis/pipelines/environments", false),
  // The published clients' route (the same resource, found by location id).
  ...routesUnder("/{org}/{project}/_apis/distributedtask/environments", true),
];
