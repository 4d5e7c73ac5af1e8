/**
 * projects — the core area's projects: the list and one project, as azure-devops-node-api's
 * CoreApi (getProjects, getProject) and onboarding read them. Projects are made by the control API.
 */
import { fail, json, type HttpResponse } from "../../http/response";
import { ga, type AzdoRoute, type RequestContext, type ResourceLocation } from "../context";
import { projectNotFound } from "../errors";
import type { Project } from "../state/projects";
import { page } from "./common";

const location: ResourceLocation = {
  id: "603fe2ac-9723-48b9-88ad-09305aa6c6e1",
  area: "core",
  resourceName: "projects",
  resourceVersion: 4,
};

function projectBody(ctx: RequestContext, project: Project) {
  return {
    id: project.id,
    name: project.name,
    description: "",
    url: `${ctx.urls.collectionUri}_apis/projects/${project.id}`,
    state: "wellFormed",
    revision: project.revision,
    visibility: "private",
    lastUpdateTime: project.lastUpdateTime,
  };
}

function list(ctx: RequestContext): HttpResponse {
  const projects = ctx.store.projects.list.map((p) => projectBody(ctx, p));
  return page(projects, ctx, "$top", 100);
}

function one(ctx: RequestContext): HttpResponse {
  const project = ctx.store.projects.find(ctx.params.projectId);
  if (!project) return fail(projectNotFound(ctx.params.projectId));
  return json(projectBody(ctx, project));
}

export const projectRoutes: AzdoRoute[] = [
  { method: "GET", template: "/{org}/_apis/projects", isAuthenticated: true, version: ga, handle: list, location },
  {
    method: "GET",
    template: "/{org}/_apis/projects/{projectId}",
    isAuthenticated: true,
    version: ga,
    handle: one,
    location,
  },
];
