/**
 * store — what the Azure DevOps emulator holds: one organization, its projects, build definitions,
 * builds (each with an orchestration plan, one job, a property bag and tags), service connections
 * and access tokens. Job tokens belong to one build and reach only its project; user tokens reach
 * the whole organization. Nothing here speaks HTTP.
 */
import { randomBytes, randomUUID } from "node:crypto";
import type { PropertyBag } from "./properties";

export interface Organization {
  name: string;
  id: string;
}
export interface Project {
  id: string;
  name: string;
  revision: number;
  lastUpdateTime: string;
}
export interface Definition {
  id: number;
  name: string;
  path: string;
  projectId: string;
  revision: number;
  createdDate: string;
}

export type BuildStatus = "notStarted" | "inProgress" | "completed" | "cancelling" | "postponed";
export type BuildResult = "succeeded" | "partiallySucceeded" | "failed" | "canceled";

export interface Build {
  id: number;
  buildNumber: string;
  definitionId: number;
  projectId: string;
  planId: string;
  jobId: string;
  status: BuildStatus;
  result?: BuildResult;
  queueTime: string;
  startTime?: string;
  finishTime?: string;
  lastChangedDate: string;
  sourceBranch: string;
  sourceVersion: string;
  reason: string;
  requestedFor: string;
  templateParameters: Record<string, string>;
  properties: PropertyBag;
  tags: string[];
}

export interface ServiceConnection {
  id: string;
  name: string;
  projectId: string;
  tenantId?: string;
  clientId?: string;
}

/** A job token (System.AccessToken of one build's job) or a user token (the hub's). */
export type AccessToken =
  | { kind: "job"; token: string; buildId: number; projectId: string; expiresAt: number }
  | { kind: "user"; token: string; name: string; expiresAt: number };

export const buildStatuses: BuildStatus[] = ["notStarted", "inProgress", "completed", "cancelling", "postponed"];
export const buildResults: BuildResult[] = ["succeeded", "partiallySucceeded", "failed", "canceled"];

export class AzdoStore {
  readonly projects: Project[] = [];
  readonly definitions: Definition[] = [];
  readonly builds: Build[] = [];
  readonly connections: ServiceConnection[] = [];
  private readonly tokens = new Map<string, AccessToken>();

  constructor(readonly organization: Organization) {}

  addProject(name: string, now: number, id: string = randomUUID()): Project {
    if (this.findProject(name) || this.findProject(id))
      throw new Error(`A project named ${name} (or with id ${id}) already exists.`);
    const project = { id, name, revision: this.projects.length + 1, lastUpdateTime: new Date(now).toISOString() };
    this.projects.push(project);
    return project;
  }

  /** By id, or by name without regard to case (as the service resolves {project}). */
  findProject(idOrName: string): Project | undefined {
    const key = idOrName.toLowerCase();
    return this.projects.find((p) => p.id.toLowerCase() === key || p.name.toLowerCase() === key);
  }

  addDefinition(project: Project, name: string, path: string, now: number): Definition {
    const definition = {
      id: this.definitions.length + 1,
      name,
      path: normalizePath(path),
      projectId: project.id,
      revision: 1,
      createdDate: new Date(now).toISOString(),
    };
    this.definitions.push(definition);
    return definition;
  }

  findDefinition(project: Project, idOrName: string | number): Definition | undefined {
    return this.definitions.find(
      (d) =>
        d.projectId === project.id &&
        (d.id === Number(idOrName) || d.name.toLowerCase() === String(idOrName).toLowerCase()),
    );
  }

  addBuild(
    definition: Definition,
    init: Partial<Pick<Build, "status" | "result" | "sourceBranch" | "reason" | "requestedFor" | "templateParameters">>,
    now: number,
  ): Build {
    const queueTime = new Date(now).toISOString();
    const status = init.status ?? "inProgress";
    const day = queueTime.slice(0, 10).replace(/-/g, "");
    const sameDay = this.builds.filter(
      (b) => b.definitionId === definition.id && b.buildNumber.startsWith(`${day}.`),
    ).length;
    const build: Build = {
      id: this.builds.length + 1,
      buildNumber: `${day}.${sameDay + 1}`,
      definitionId: definition.id,
      projectId: definition.projectId,
      planId: randomUUID(),
      jobId: randomUUID(),
      status,
      result: status === "completed" ? (init.result ?? "succeeded") : undefined,
      queueTime,
      startTime: status === "notStarted" || status === "postponed" ? undefined : queueTime,
      finishTime: status === "completed" ? queueTime : undefined,
      lastChangedDate: queueTime,
      sourceBranch: init.sourceBranch ?? "refs/heads/main",
      sourceVersion: randomBytes(20).toString("hex"),
      reason: init.reason ?? "manual",
      requestedFor: init.requestedFor ?? "Tenant Sync emulator",
      templateParameters: init.templateParameters ?? {},
      properties: new Map(),
      tags: [],
    };
    this.builds.push(build);
    return build;
  }

  findBuild(project: Project, id: string | number): Build | undefined {
    return this.builds.find((b) => b.projectId === project.id && String(b.id) === String(id));
  }

  buildByPlan(planId: string): Build | undefined {
    return this.builds.find((b) => b.planId.toLowerCase() === planId.toLowerCase());
  }

  /** Moves a build on; completing it stamps its finish time, and a result defaults to succeeded. */
  updateBuild(build: Build, change: { status?: BuildStatus; result?: BuildResult }, now: number): void {
    const at = new Date(now).toISOString();
    if (change.status) {
      build.status = change.status;
      if (change.status === "inProgress" && !build.startTime) build.startTime = at;
      if (change.status === "completed") {
        build.finishTime = at;
        build.result = change.result ?? build.result ?? "succeeded";
      }
    }
    if (change.result) build.result = change.result;
    build.lastChangedDate = at;
  }

  addConnection(connection: ServiceConnection): ServiceConnection {
    if (this.findConnection(connection.id))
      throw new Error(`A service connection with id ${connection.id} already exists.`);
    this.connections.push(connection);
    return connection;
  }

  findConnection(id: string): ServiceConnection | undefined {
    return this.connections.find((c) => c.id.toLowerCase() === id.toLowerCase());
  }

  issueJobToken(build: Build, token: string, expiresAt: number): AccessToken {
    const entry: AccessToken = { kind: "job", token, buildId: build.id, projectId: build.projectId, expiresAt };
    this.tokens.set(token, entry);
    return entry;
  }

  issueUserToken(name: string, token: string, expiresAt: number): AccessToken {
    const entry: AccessToken = { kind: "user", token, name, expiresAt };
    this.tokens.set(token, entry);
    return entry;
  }

  /** The token's record if it was issued here and has not expired. */
  findToken(token: string, now: number): AccessToken | undefined {
    const entry = this.tokens.get(token);
    return entry && entry.expiresAt > now ? entry : undefined;
  }

  revokeToken(token: string): boolean {
    return this.tokens.delete(token);
  }
}

/** Definition folders are backslash paths from the root: "\\", "\\TenantSync". */
function normalizePath(path: string): string {
  const trimmed = path.replace(/\//g, "\\").replace(/\\+$/, "");
  return trimmed.startsWith("\\") ? trimmed || "\\" : `\\${trimmed}`;
}

/** Adds tags (case-insensitive, first spelling kept) and keeps them sorted, as the service lists them. */
export function addTags(build: Build, tags: string[]): void {
  for (const tag of tags.map((t) => t.trim()).filter(Boolean)) {
    if (!build.tags.some((t) => t.toLowerCase() === tag.toLowerCase())) build.tags.push(tag);
  }
  build.tags.sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));
}

export function removeTags(build: Build, tags: string[]): void {
  const gone = new Set(tags.map((t) => t.trim().toLowerCase()));
  build.tags = build.tags.filter((t) => !gone.has(t.toLowerCase()));
}
