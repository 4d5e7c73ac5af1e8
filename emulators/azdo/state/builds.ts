/**
 * builds — build definitions and builds: each build has an orchestration plan with one job, a
 * property bag (./properties) and tags (./tags). Build numbers are <yyyymmdd>.<n> per definition and
 * day. Nothing here speaks HTTP.
 */
import { randomBytes, randomUUID } from "node:crypto";
import type { Project } from "./projects";
import type { PropertyBag } from "./properties";

export type QueueStatus = "enabled" | "paused" | "disabled";

export interface Definition {
  id: number;
  name: string;
  path: string;
  projectId: string;
  revision: number;
  createdDate: string;
  /** enabled: runs start; paused: runs are queued and wait; disabled: queueing is refused. */
  queueStatus: QueueStatus;
  /** The git repository the pipeline's YAML lives in (id of the git area's repository). */
  repositoryId?: string;
  /** The YAML file in that repository ("/azure-pipelines.yml"). */
  yamlPath?: string;
  /** The names under the YAML's `parameters:`, once read; a run passing any other is refused. Unset: not checked. */
  declaredParameters?: string[];
  repositoryName?: string;
  /** When it was last changed (created, updated over REST). */
  modifiedDate?: string;
}

/** What starts queued builds: the local agent, once the emulator has one; without it they stay queued. */
export interface BuildScheduler {
  /** A build was queued (status notStarted) on an enabled definition, or its definition was enabled again. */
  queued(build: Build): void;
  /** Someone asked to cancel the build (status is now cancelling). */
  cancelRequested(build: Build): void;
}

/** What a request to queue a run gives (POST builds, POST pipelines/{id}/runs). */
export interface QueueRequest {
  sourceBranch?: string;
  reason?: string;
  requestedFor?: string;
  templateParameters?: Record<string, string>;
  /** Run-time variables: name → value and whether it is secret. */
  variables?: Record<string, { value: string; isSecret?: boolean }>;
  /** The commit to run (resources.repositories.self.version); the branch's head when unset. */
  sourceVersion?: string;
  /** Stage names the run skips (RunPipelineParameters.stagesToSkip). */
  stagesToSkip?: string[];
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
  variables: Record<string, { value: string; isSecret?: boolean }>;
  /** Stage names the run skips, as queued. */
  stagesToSkip?: string[];
  /** Why a run could not start (a YAML error, a missing file): the service shows these on the run. */
  validationResults?: { result: "error" | "warning"; message: string }[];
  properties: PropertyBag;
  tags: string[];
}

export const buildStatuses: BuildStatus[] = ["notStarted", "inProgress", "completed", "cancelling", "postponed"];
export const buildResults: BuildResult[] = ["succeeded", "partiallySucceeded", "failed", "canceled"];

export class BuildState {
  readonly definitions: Definition[] = [];
  readonly list: Build[] = [];
  /** Set by whoever runs builds (the local agent); builds stay notStarted without one. */
  scheduler?: BuildScheduler;

  addDefinition(project: Project, name: string, path: string, now: number): Definition {
    const definition = {
      id: this.definitions.length + 1,
      name,
      path: normalizePath(path),
      projectId: project.id,
      revision: 1,
      createdDate: new Date(now).toISOString(),
      queueStatus: "enabled" as QueueStatus,
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

  definitionOf(build: Build): Definition {
    return this.definitions.find((d) => d.id === build.definitionId)!;
  }

  add(
    definition: Definition,
    init: Partial<Pick<Build, "status" | "result" | "sourceBranch" | "reason" | "requestedFor" | "templateParameters">>,
    now: number,
  ): Build {
    const queueTime = new Date(now).toISOString();
    const status = init.status ?? "inProgress";
    const day = queueTime.slice(0, 10).replace(/-/g, "");
    const sameDay = this.list.filter(
      (b) => b.definitionId === definition.id && b.buildNumber.startsWith(`${day}.`),
    ).length;
    const build: Build = {
      id: this.list.length + 1,
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
      variables: {},
      properties: new Map(),
      tags: [],
    };
    this.list.push(build);
    return build;
  }

  /**
   * Queues a run of the definition as the service does: refused when the definition is disabled
   * (the caller answers the service's error), queued and left waiting when it is paused, queued and
   * handed to the scheduler when it is enabled.
   */
  queue(definition: Definition, request: QueueRequest, now: number): Build | { refused: QueueStatus } {
    if (definition.queueStatus === "disabled") return { refused: "disabled" };
    const build = this.add(definition, { ...request, status: "notStarted" }, now);
    build.variables = { ...(request.variables ?? {}) };
    if (request.sourceVersion) build.sourceVersion = request.sourceVersion;
    if (request.stagesToSkip?.length) build.stagesToSkip = [...request.stagesToSkip];
    if (definition.queueStatus === "enabled") this.scheduler?.queued(build);
    return build;
  }

  /** Changes a definition's queue status; enabling it hands its waiting builds to the scheduler, oldest first. */
  setQueueStatus(definition: Definition, status: QueueStatus): void {
    const was = definition.queueStatus;
    definition.queueStatus = status;
    definition.revision++;
    if (status === "enabled" && was !== "enabled")
      for (const b of this.list.filter((x) => x.definitionId === definition.id && x.status === "notStarted"))
        this.scheduler?.queued(b);
  }

  /** A definition from a create request; undefined when the folder already has one of that name. */
  createDefinition(
    project: Project,
    init: { name: string; path?: string; repositoryId?: string; yamlPath?: string; queueStatus?: QueueStatus },
    now: number,
  ): Definition | undefined {
    const path = normalizePath(init.path ?? "\\");
    const clash = this.definitions.some(
      (d) =>
        d.projectId === project.id &&
        d.path.toLowerCase() === path.toLowerCase() &&
        d.name.toLowerCase() === init.name.toLowerCase(),
    );
    if (clash) return undefined;
    const definition: Definition = this.addDefinition(project, init.name, path, now);
    definition.repositoryId = init.repositoryId;
    definition.yamlPath = init.yamlPath;
    definition.queueStatus = init.queueStatus ?? "enabled";
    return definition;
  }

  /** The definition's latest build by queue time, of any status or only completed ones. */
  latestBuild(definition: Definition, completedOnly = false): Build | undefined {
    return this.list
      .filter((b) => b.definitionId === definition.id && (!completedOnly || b.status === "completed"))
      .reduce<Build | undefined>((latest, b) => (!latest || b.queueTime >= latest.queueTime ? b : latest), undefined);
  }

  /**
   * Asks to cancel a build that has not completed: it is cancelling and the scheduler is told;
   * with no scheduler nothing runs it, so it completes canceled at once. Completed builds are left as they are.
   */
  requestCancel(build: Build, now: number): void {
    if (build.status === "completed") return;
    this.update(build, { status: "cancelling" }, now);
    if (this.scheduler) this.scheduler.cancelRequested(build);
    else this.update(build, { status: "completed", result: "canceled" }, now);
  }

  /**
   * Runs a failed or canceled build again (its failed stages, for the scheduler to pick): back to
   * notStarted and handed to the scheduler. Returns why it cannot when the build is not such a build.
   */
  retry(build: Build, now: number): { refused: string } | undefined {
    if (build.status !== "completed" || (build.result !== "failed" && build.result !== "canceled"))
      return { refused: build.status === "completed" ? `it ${build.result}` : `it is ${build.status}` };
    build.status = "notStarted";
    build.result = undefined;
    build.finishTime = undefined;
    build.lastChangedDate = new Date(now).toISOString();
    if (this.definitionOf(build).queueStatus === "enabled") this.scheduler?.queued(build);
    return undefined;
  }

  /** A build of the project (by id); with no project, any build. */
  find(project: Project | undefined, id: string | number): Build | undefined {
    return this.list.find((b) => (!project || b.projectId === project.id) && String(b.id) === String(id));
  }

  byPlan(planId: string): Build | undefined {
    return this.list.find((b) => b.planId.toLowerCase() === planId.toLowerCase());
  }

  /** Moves a build on; completing it stamps its finish time, and a result defaults to succeeded. */
  update(build: Build, change: { status?: BuildStatus; result?: BuildResult }, now: number): void {
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
}

/** Definition folders are backslash paths from the root: "\\", "\\TenantSync". */
export function normalizePath(path: string): string {
  const trimmed = path.replace(/\//g, "\\").replace(/\\+$/, "");
  return trimmed.startsWith("\\") ? trimmed || "\\" : `\\${trimmed}`;
}
