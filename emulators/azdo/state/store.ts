/**
 * store — everything the Azure DevOps emulator holds, one small state per area: the organization
 * and its projects, builds (with their properties and tags), service connections and access
 * tokens, and each build's timeline, logs, artifacts and attachments. Handlers reach it through their context, never through the emulator object.
 */
import type { Clock } from "../../../src/core/clock";
import { ArtifactState } from "./artifacts";
import { AttachmentState } from "./attachments";
import { BuildState } from "./builds";
import { ConnectionState } from "./connections";
import { ProjectState, type Organization } from "./projects";
import { LogState } from "./logs";
import { TimelineState } from "./timeline";
import { TokenState } from "./tokens";

export class AzdoStore {
  readonly projects = new ProjectState();
  readonly builds = new BuildState();
  readonly connections = new ConnectionState();
  readonly tokens: TokenState;
  // A build's run: timeline records, logs, artifacts and attachments (the local agent writes them).
  readonly timelines: TimelineState;
  readonly logs: LogState;
  readonly artifacts = new ArtifactState();
  readonly attachments: AttachmentState;

  constructor(
    readonly organization: Organization,
    clock: Clock,
    jobTokenLifetimeSeconds?: number,
  ) {
    this.tokens = new TokenState(organization.id, clock, jobTokenLifetimeSeconds);
    this.timelines = new TimelineState(clock);
    this.logs = new LogState(clock);
    this.attachments = new AttachmentState(clock);
  }
}
