/**
 * permissions — which pipelines may use a protected resource (an environment, a service
 * connection, a repository, an agent queue): open to all pipelines, or to the ones authorized one
 * by one. A resource nobody has set permissions on is open to none. Nothing here speaks HTTP.
 */
import type { IdentityRef } from "./approvals";

export const protectedResourceTypes = ["environment", "endpoint", "repository", "queue", "variablegroup", "securefile"];

export interface Permission {
  authorized: boolean;
  authorizedBy?: IdentityRef;
  authorizedOn?: string;
}

export interface ResourcePermissions {
  resource: { type: string; id: string };
  allPipelines?: Permission;
  pipelines: (Permission & { id: number })[];
}

export class PermissionState {
  private readonly byResource = new Map<string, ResourcePermissions>();

  private key(projectId: string, type: string, id: string): string {
    return `${projectId}|${type.toLowerCase()}|${id.toLowerCase()}`;
  }

  get(projectId: string, type: string, id: string): ResourcePermissions {
    return this.byResource.get(this.key(projectId, type, id)) ?? { resource: { type, id }, pipelines: [] };
  }

  /** Applies a change: allPipelines replaces the resource's; each pipeline entry replaces that pipeline's. */
  update(
    projectId: string,
    type: string,
    id: string,
    change: { allPipelines?: { authorized: boolean }; pipelines?: { id: number; authorized: boolean }[] },
    by: IdentityRef,
    now: number,
  ): ResourcePermissions {
    const at = new Date(now).toISOString();
    const current = this.get(projectId, type, id);
    const next: ResourcePermissions = {
      resource: { type: current.resource.type, id: current.resource.id },
      allPipelines: change.allPipelines
        ? { authorized: change.allPipelines.authorized, authorizedBy: by, authorizedOn: at }
        : current.allPipelines,
      pipelines: [...current.pipelines],
    };
    for (const p of change.pipelines ?? []) {
      next.pipelines = next.pipelines.filter((x) => x.id !== p.id);
      next.pipelines.push({ id: p.id, authorized: p.authorized, authorizedBy: by, authorizedOn: at });
    }
    this.byResource.set(this.key(projectId, type, id), next);
    return next;
  }

  /** Whether the pipeline (definition) may use the resource. */
  isAuthorized(projectId: string, type: string, id: string, definitionId: number): boolean {
    const p = this.get(projectId, type, id);
    return !!p.allPipelines?.authorized || !!p.pipelines.find((x) => x.id === definitionId)?.authorized;
  }
}
