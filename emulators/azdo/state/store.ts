/**
 * store — everything the Azure DevOps emulator holds, one small state per area: the organization
 * and its projects, builds (with their properties and tags), service connections and access
 * tokens, Git repositories, each build's timeline, logs, artifacts and attachments, environments
 * with their checks, locks and approvals, pipeline permissions, access control lists. Handlers reach it through their
 * context, never through the emulator object.
 */
import type { Clock } from "../../../src/core/clock";
import { ArtifactState } from "./artifacts";
import { AttachmentState } from "./attachments";
import { BuildState } from "./builds";
import { ConnectionState } from "./connections";
import { GitState } from "./git";
import { ProjectState, type Organization, type Project } from "./projects";
import { LogState } from "./logs";
import { IdentityState } from "./identities";
import { TimelineState } from "./timeline";
import { TokenState } from "./tokens";
// Pipelines, environments, checks and approvals.
import { ApprovalState } from "./approvals";
import { CheckState, ExclusiveLocks } from "./checks";
import { EnvironmentState } from "./environments";
import { PermissionState } from "./permissions";
import type { RunContent } from "./runcontent";
import { SecurityState } from "./security";
import { UrlSigner } from "./signedurls";

export class AzdoStore {
  readonly projects = new ProjectState();
  readonly builds = new BuildState();
  readonly connections = new ConnectionState();
  /** Git repositories (bare repositories under the emulator's data directory). */
  readonly git = new GitState();
  readonly tokens: TokenState;
  // Pipelines, environments, checks and approvals.
  readonly environments = new EnvironmentState();
  readonly checks = new CheckState();
  readonly locks = new ExclusiveLocks();
  readonly approvals = new ApprovalState();
  /** The organisation's users (everyone a token was issued to) and groups, for the identities API. */
  readonly identities = new IdentityState();
  readonly permissions = new PermissionState();
  /** Access control lists (Git Repositories: who may push). */
  readonly security = new SecurityState();
  readonly urlSigner = new UrlSigner();
  /** A run's logs and artifacts as the pipelines routes read them: the build area's logs and artifacts. */
  runContent: RunContent = {
    logs: (build) =>
      this.logs.list(build).map((l) => ({
        id: l.id,
        lineCount: l.lines.length,
        createdOn: l.createdOn,
        lastChangedOn: l.lastChangedOn,
      })),
    logText: (build, logId) => this.logs.find(build, logId)?.lines.join("\n"),
    artifact: (build, name) => {
      const artifact = this.artifacts.find(build, name);
      return artifact && { name: artifact.name, files: artifact.files };
    },
  };
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
    this.tokens = new TokenState(organization.id, clock, jobTokenLifetimeSeconds, (user) =>
      this.identities.addUser(user),
    );
    this.approvals.memberOf = (groupId, caller) => this.identities.isMember(groupId, caller);
    // Approvals time out on the emulator's clock: each advance is a chance to.
    if (isAdvancing(clock)) clock.onAdvance((now) => this.approvals.tick(now));
    this.timelines = new TimelineState(clock);
    this.logs = new LogState(clock);
    this.attachments = new AttachmentState(clock);
  }

  /** A project, with the permissions a new project gives its build service. */
  addProject(name: string, now: number, id?: string): Project {
    const project = this.projects.add(name, now, id);
    this.security.seedProject(this.organization.id, project.id);
    return project;
  }
}

function isAdvancing(clock: Clock): clock is Clock & { onAdvance(listener: (now: number) => void): () => void } {
  return typeof (clock as { onAdvance?: unknown }).onAdvance === "function";
}
