/**
 * build-host — the local runner's host for one build, over the Azure DevOps emulator's state: the
 * runner's timeline records, logs, artifacts and attachments land where the REST API reads them;
 * checkout is a real git clone over the emulator's smart HTTP with the job's token; service
 * connections, environments, their checks (approval, exclusive lock) and approvals are the store's.
 * What the service would refuse (a connection the pipeline may not use) is refused here too.
 */
import type { Build } from "../state/builds";
import type { AzdoContext } from "../context";
import type { Environment } from "../state/environments";
import type { Project } from "../state/projects";
import type { Repository } from "../state/git";
import { addTags } from "../state/tags";
import { runGit } from "../git-process";
import type {
  ApprovalOutcome,
  ApprovalRequest,
  EnvironmentChecks,
  Issue,
  JobRef,
  NewRecord,
  RecordPatch,
  RunHost,
  ServiceEndpoint,
} from "../runner/host";
import { remoteUrl } from "../routes/git";
import { federationAudience, subjectOf } from "../state/connections";

export interface BuildHostOptions {
  ctx: AzdoContext;
  build: Build;
  project: Project;
  repository: Repository;
  /** The CA certificate git trusts for the emulator's HTTPS (GIT_SSL_CAINFO). */
  caCertPath: string;
  /** Cancels another build (a newer run displaced it at an exclusive lock under runLatest). */
  cancelBuild: (build: Build) => void;
  /** Waiting at checks frees the run's agent (park) and takes one again after (unpark). */
  checks?: { park(): void; unpark(): Promise<void> };
}

/** The Azure Resource Manager endpoint's URL and data, as the service gives them to tasks. */
const armUrl = "https://management.azure.com/";

export class BuildHost implements RunHost {
  private readonly listeners = new Set<() => void>();
  private cancelled = false;
  private jobTokens = new Map<string, string>();
  private readonly locks = new Map<string, Environment>();

  constructor(private readonly o: BuildHostOptions) {}

  private get store() {
    return this.o.ctx.store;
  }
  private get build() {
    return this.o.build;
  }

  now(): number {
    return this.o.ctx.clock.now();
  }

  addRecord(record: NewRecord): void {
    this.store.timelines.addRecord(this.build, { ...record, task: record.task ?? null });
  }

  updateRecord(id: string, patch: RecordPatch): void {
    const { issues, log, ...rest } = patch;
    const current = this.store.timelines.find(this.build, id);
    // The runner sends a record's whole issue list; the timeline appends, so only the new ones go.
    const added = issues && current ? issues.slice(current.issues.length) : issues;
    this.store.timelines.updateRecord(this.build, id, {
      ...rest,
      ...(added?.length ? { issues: added.map(timelineIssue) } : {}),
      ...(log ? { logId: log.id } : {}),
    });
  }

  createLog(): number {
    return this.store.logs.createLog(this.build).id;
  }

  appendLog(logId: number, lines: string[]): void {
    this.store.logs.appendLines(this.build, logId, lines);
  }

  setBuildStatus(status: "inProgress" | "completed", result?: Build["result"]): void {
    this.store.builds.update(this.build, { status, result }, this.now());
  }

  addBuildTag(tag: string): void {
    addTags(this.build, [tag]);
  }

  setBuildNumber(buildNumber: string): void {
    this.build.buildNumber = buildNumber;
  }

  addBuildIssue(issue: Issue): void {
    // A run that never started carries its problems as the build's validation results, as the service shows YAML errors.
    this.build.validationResults = [
      ...(this.build.validationResults ?? []),
      { result: issue.type === "error" ? "error" : "warning", message: issue.message },
    ];
  }

  async uploadArtifact(a: { name: string; containerFolder: string; files: Map<string, Buffer> }): Promise<void> {
    // Files are kept relative to the artifact's root: the zip download puts them under <name>/, as the
    // service's zip of a Container artifact holds its container folder's items.
    const prefix = a.containerFolder.replace(/\\/g, "/").replace(/^\/+|\/+$/g, "");
    const existing = this.store.artifacts.find(this.build, a.name);
    if (existing) for (const [path, bytes] of a.files) existing.files.set(path, bytes);
    else this.store.artifacts.addArtifact(this.build, a.name, a.files, { properties: { localpath: prefix } });
  }

  async downloadArtifact(name: string): Promise<Map<string, Buffer> | undefined> {
    const artifact = this.store.artifacts.find(this.build, name);
    return artifact && new Map(artifact.files);
  }

  async listArtifacts(): Promise<string[]> {
    return this.store.artifacts.list(this.build).map((a) => a.name);
  }

  associateArtifact(a: { name: string; type: string; data: string }): void {
    const type = a.type === "Container" || a.type === "FilePath" || a.type === "GitRef" ? a.type : "Container";
    this.store.artifacts.addArtifact(this.build, a.name, {}, { type, data: a.data });
  }

  addAttachment(recordId: string, type: string, name: string, bytes: Buffer): void {
    this.store.attachments.addAttachment(this.build, this.build.planId, recordId, type, name, bytes);
  }

  async checkout(
    dir: string,
    options: { fetchDepth?: number; persistCredentials: boolean; clean?: boolean },
    job: JobRef,
  ): Promise<string[]> {
    const url = remoteUrl(this.o.ctx, this.o.project, this.o.repository);
    const header = `AUTHORIZATION: bearer ${this.jobToken(job)}`;
    const env = { GIT_SSL_CAINFO: this.o.caCertPath };
    const log: string[] = [];
    const git = async (args: string[], shown = args) => {
      log.push(`git ${shown.join(" ")}`);
      const run = await runGit(args, { cwd: dir, env });
      if (run.code !== 0)
        throw new Error(`git ${shown[0]} failed (exit ${run.code}): ${run.stderr.trim().split("\n").pop()}`);
      return run.stdout.toString("utf8").trim();
    };
    const auth = ["-c", `http.extraheader=${header}`];
    const shownAuth = ["-c", "http.extraheader=AUTHORIZATION: bearer ***"];
    // As the agent does: init, add the remote, fetch the branch (to the depth asked), check out the commit.
    await git(["init", "-q"]);
    await git(["remote", "add", "origin", url]);
    const depth = options.fetchDepth && options.fetchDepth > 0 ? [`--depth=${options.fetchDepth}`] : [];
    const refspec = `+refs/heads/*:refs/remotes/origin/*`;
    await git(
      [...auth, "fetch", "--force", "--no-tags", ...depth, "origin", refspec],
      [...shownAuth, "fetch", "--force", "--no-tags", ...depth, "origin", refspec],
    );
    await git(["checkout", "--force", "-q", this.build.sourceVersion]);
    if (options.persistCredentials) {
      await git(["config", "http.extraheader", header], ["config", "http.extraheader", "AUTHORIZATION: bearer ***"]);
      log.push("The job's access token stays in the repository's git config for the steps after checkout.");
    }
    return log;
  }

  serviceConnection(nameOrId: string): ServiceEndpoint | undefined {
    const { store, urls } = this.o.ctx;
    const connection =
      store.connections.find(nameOrId) ??
      store.connections.list.find(
        (c) => c.projectId === this.o.project.id && c.name.toLowerCase() === nameOrId.toLowerCase(),
      );
    if (!connection || connection.projectId !== this.o.project.id) return undefined;
    if (!store.permissions.isAuthorized(this.o.project.id, "endpoint", connection.id, this.build.definitionId))
      return undefined;
    return {
      id: connection.id,
      name: connection.name,
      url: armUrl,
      scheme: "WorkloadIdentityFederation",
      parameters: {
        tenantid: connection.tenantId ?? "",
        serviceprincipalid: connection.clientId ?? "",
        workloadIdentityFederationIssuer: urls.oidcIssuer,
        workloadIdentityFederationSubject: subjectOf(store.organization.name, this.o.project.name, connection.name),
        audience: federationAudience,
      },
      data: {
        environment: "AzureCloud",
        scopeLevel: "Subscription",
        subscriptionId: "00000000-0000-0000-0000-000000000000",
        subscriptionName: "Tenant Sync (no subscription)",
        creationMode: "Manual",
      },
    };
  }

  environment(name: string): EnvironmentChecks {
    const env = this.store.environments.ensure(this.o.project, name, this.now());
    const checks = this.store.checks.checksFor(env);
    return {
      exclusiveLock: checks.exclusiveLock,
      approval: checks.approval && {
        approvers: checks.approval.approvers.map((a) => a.uniqueName ?? a.displayName ?? a.id),
        instructions: checks.approval.instructions,
        minRequiredApprovers: checks.approval.minRequiredApprovers,
        timeoutMinutes: checks.approval.timeoutMinutes,
      },
    };
  }

  async awaitApproval(request: ApprovalRequest): Promise<ApprovalOutcome> {
    const env = this.store.environments.ensure(this.o.project, request.environment, this.now());
    const settings = this.store.checks.checksFor(env).approval;
    if (!settings) return "approved";
    const approval = this.store.approvals.create(
      {
        build: this.build,
        id: request.approvalId,
        stageRecordId: request.stageRecordId,
        checkpointRecordId: request.checkpointRecordId,
        environment: { id: env.id, name: env.name },
        approvers: settings.approvers,
        minRequiredApprovers: settings.minRequiredApprovers,
        executionOrder: settings.executionOrder,
        instructions: settings.instructions,
        blockedApprovers: settings.blockedApprovers,
        timeoutMinutes: settings.timeoutMinutes,
      },
      this.now(),
    );
    const unsubscribe = this.onCancelRequested(() => this.store.approvals.cancel(approval.id, this.now()));
    this.o.checks?.park();
    try {
      return await this.store.approvals.decided(approval.id);
    } finally {
      unsubscribe();
      await this.o.checks?.unpark();
    }
  }

  async acquireLock(environment: string, lockBehavior: "sequential" | "runLatest"): Promise<"granted" | "canceled"> {
    const env = this.store.environments.ensure(this.o.project, environment, this.now());
    this.store.locks.onSuperseded = (build) => this.o.cancelBuild(build);
    const ticket = this.store.locks.acquire(env.id, this.build, lockBehavior);
    const unsubscribe = this.onCancelRequested(() => this.store.locks.release(env.id, this.build));
    this.o.checks?.park();
    try {
      const outcome = await ticket.settled;
      if (outcome === "granted") this.locks.set(environment, env);
      return outcome;
    } finally {
      unsubscribe();
      await this.o.checks?.unpark();
    }
  }

  releaseLock(environment: string): void {
    const env = this.locks.get(environment);
    if (!env) return;
    this.locks.delete(environment);
    this.store.locks.release(env.id, this.build);
  }

  /** One token per build, as the job's identity is the project's build service. */
  jobToken(job: JobRef): string {
    let token = this.jobTokens.get("build");
    if (!token) {
      token = this.store.tokens.issueJobToken(this.build).token;
      this.jobTokens.set("build", token);
    }
    void job;
    return token;
  }

  oidcRequestUri(job: JobRef): string {
    const { collectionUri } = this.o.ctx.urls;
    return `${collectionUri}${this.o.project.id}/_apis/distributedtask/hubs/build/plans/${this.build.planId}/jobs/${job.jobId}/oidctoken`;
  }

  isCancelRequested(): boolean {
    return this.cancelled;
  }

  onCancelRequested(listener: () => void): () => void {
    if (this.cancelled) {
      listener();
      return () => undefined;
    }
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Called by the agent when someone cancels the build. */
  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    for (const listener of [...this.listeners]) listener();
    this.listeners.clear();
  }
}

function timelineIssue(issue: Issue) {
  return { type: issue.type, category: issue.category ?? "General", message: issue.message, data: issue.data ?? {} };
}
