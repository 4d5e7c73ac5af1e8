/**
 * environments — a project's pipeline environments and the deployment records a run leaves on
 * them. A run that names an environment the project does not have creates it, without checks, as
 * the service does (`ensure`). Nothing here speaks HTTP.
 */
import type { Build } from "./builds";
import type { Project } from "./projects";

export interface Environment {
  id: number;
  name: string;
  description: string;
  projectId: string;
  createdOn: string;
  lastModifiedOn: string;
  createdBy: string;
}

export type DeploymentResult = "succeeded" | "succeededWithIssues" | "failed" | "canceled" | "skipped";

export interface DeploymentRecord {
  id: number;
  environmentId: number;
  buildId: number;
  buildNumber: string;
  definitionId: number;
  definitionName: string;
  planId: string;
  stageName: string;
  jobName: string;
  stageAttempt: number;
  jobAttempt: number;
  queueTime: string;
  startTime?: string;
  finishTime?: string;
  result?: DeploymentResult;
}

export interface DeploymentRecordInit {
  environment: Environment;
  build: Build;
  definitionName: string;
  stageName: string;
  jobName: string;
  stageAttempt?: number;
  jobAttempt?: number;
  startTime?: string;
  finishTime?: string;
  result?: DeploymentResult;
}

export class EnvironmentState {
  readonly list: Environment[] = [];
  readonly records: DeploymentRecord[] = [];

  /** A new environment; names are unique in a project without regard to case (null when taken). */
  add(project: Project, name: string, description: string, createdBy: string, now: number): Environment | null {
    if (this.find(project, name)) return null;
    const at = new Date(now).toISOString();
    const environment = {
      id: this.list.length + 1,
      name,
      description,
      projectId: project.id,
      createdOn: at,
      lastModifiedOn: at,
      createdBy,
    };
    this.list.push(environment);
    return environment;
  }

  /** By id, or by name without regard to case. */
  find(project: Project, idOrName: string | number): Environment | undefined {
    return this.list.find(
      (e) =>
        e.projectId === project.id &&
        (String(e.id) === String(idOrName) || e.name.toLowerCase() === String(idOrName).toLowerCase()),
    );
  }

  /** The environment a run names: the existing one, or a new one without checks. */
  ensure(project: Project, name: string, now: number): Environment {
    return this.find(project, name) ?? this.add(project, name, "", "Project Collection Build Service", now)!;
  }

  remove(environment: Environment): void {
    this.list.splice(this.list.indexOf(environment), 1);
  }

  /** A deployment of a run's job to the environment; finish it later with `finishDeploymentRecord`. */
  addDeploymentRecord(init: DeploymentRecordInit, now: number): DeploymentRecord {
    const record: DeploymentRecord = {
      id: this.records.length + 1,
      environmentId: init.environment.id,
      buildId: init.build.id,
      buildNumber: init.build.buildNumber,
      definitionId: init.build.definitionId,
      definitionName: init.definitionName,
      planId: init.build.planId,
      stageName: init.stageName,
      jobName: init.jobName,
      stageAttempt: init.stageAttempt ?? 1,
      jobAttempt: init.jobAttempt ?? 1,
      queueTime: new Date(now).toISOString(),
      startTime: init.startTime,
      finishTime: init.finishTime,
      result: init.result,
    };
    this.records.push(record);
    return record;
  }

  finishDeploymentRecord(record: DeploymentRecord, result: DeploymentResult, now: number): void {
    record.result = result;
    record.finishTime = new Date(now).toISOString();
    record.startTime ??= record.queueTime;
  }

  /** The environment's deployments, newest first (as the service lists them). */
  recordsOf(environment: Environment): DeploymentRecord[] {
    return this.records.filter((r) => r.environmentId === environment.id).reverse();
  }
}
