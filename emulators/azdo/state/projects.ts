/**
 * projects — the organization and its projects. {project} in a route is a project's id or its name,
 * either without regard to case, as the service resolves it. Nothing here speaks HTTP.
 */
import { randomUUID } from "node:crypto";

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

export class ProjectState {
  readonly list: Project[] = [];

  add(name: string, now: number, id: string = randomUUID()): Project {
    if (this.find(name) || this.find(id)) throw new Error(`A project named ${name} (or with id ${id}) already exists.`);
    const project = { id, name, revision: this.list.length + 1, lastUpdateTime: new Date(now).toISOString() };
    this.list.push(project);
    return project;
  }

  /** By id, or by name without regard to case (as the service resolves {project}). */
  find(idOrName: string): Project | undefined {
    const key = idOrName.toLowerCase();
    return this.list.find((p) => p.id.toLowerCase() === key || p.name.toLowerCase() === key);
  }
}
