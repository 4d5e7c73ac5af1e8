/**
 * store — everything the Azure DevOps emulator holds, one small state per area: the organization
 * and its projects, builds (with their properties and tags), service connections, access
 * tokens and Git repositories. Handlers reach it through their context, never through the emulator object.
 */
import type { Clock } from "../../../src/core/clock";
import { BuildState } from "./builds";
import { ConnectionState } from "./connections";
import { GitState } from "./git";
import { ProjectState, type Organization } from "./projects";
import { TokenState } from "./tokens";

export class AzdoStore {
  readonly projects = new ProjectState();
  readonly builds = new BuildState();
  readonly connections = new ConnectionState();
  /** Git repositories (bare repositories under the emulator's data directory). */
  readonly git = new GitState();
  readonly tokens: TokenState;

  constructor(
    readonly organization: Organization,
    clock: Clock,
    jobTokenLifetimeSeconds?: number,
  ) {
    this.tokens = new TokenState(organization.id, clock, jobTokenLifetimeSeconds);
  }
}
