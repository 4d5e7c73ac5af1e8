/**
 * organization — a local Azure DevOps organisation that runs tenant pipelines for real: the Azure
 * DevOps emulator with its local agent, and a Microsoft Graph emulator (its own, or one already
 * running). Each tenant is wired as a real organisation is set up: a Graph tenant whose app trusts
 * the organisation's OIDC issuer for the connection's subject (workload identity federation), a
 * service connection and an environment (approval check, exclusive lock) named tenant-sync-<tenant>,
 * a git repository holding the template as azure-pipelines.yml (its build service allowed
 * Contribute and Create branch, as install grants them), and a pipeline in \TenantSync
 * permitted to use all three. Runs are queued through the REST API's own state, as a person would.
 * The Tenant Sync hub is served too, framed by a fake Azure DevOps page signed in as the
 * organisation's user (./hub-host), at the ready line's hubUrl.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AzureDevOpsEmulator, type AzureDevOpsReadyInfo } from "../azdo/server";
import type { Build, Definition } from "../azdo/state/builds";
import { approvalCheckType, exclusiveLockCheckType } from "../azdo/state/checks";
import type { IdentityRef } from "../azdo/state/approvals";
import { federationAudience, subjectOf } from "../azdo/state/connections";
import { zeroId, type Repository } from "../azdo/state/git";
import { buildServiceDescriptor, gitNamespaceId, gitPermissions, gitRepositoryToken } from "../azdo/state/security";
import { GraphEmulator, type GraphEmulatorOptions } from "../graph/server";
import { HubHostServer } from "./hub-host";
import { declaredParameters, readTemplate, tenantPipelineYaml } from "./tenant-pipeline";

export const pipelineFolder = "\\TenantSync";

export interface LocalDevOpsOptions {
  port?: number;
  controlPort?: number;
  caDir?: string;
  organization?: string;
  project?: string;
  /** A Graph emulator already running (its graphUrl and controlUrl); without it one is started. */
  graph?: { graphUrl: string; controlUrl: string };
  /** Options of the Graph emulator started here. */
  graphOptions?: GraphEmulatorOptions;
  /** Folders of the task bundles the agent runs (default dist/tasks of this checkout). */
  taskRoots?: string[];
  /**
   * Runs at once (default 4): the statuses scenario keeps two agents busy for good (a held backup, a
   * device code nobody enters), so approving a run there still finds an agent to deploy with.
   */
  parallelJobs?: number;
  /** Where repositories and the agent's work folders live (default a temporary folder, removed on stop). */
  dataDir?: string;
  /** The approver: display name of the user whose token is printed (default "Alex Approver"). */
  userName?: string;
  /** The built extension whose hub is served (default dist/ of this checkout). */
  extensionDir?: string;
  log?: (line: string) => void;
}

export interface TenantOptions {
  /** Graph seed for the tenant: demo (default) or empty. */
  seed?: "demo" | "empty";
  /** Sign in with a device code instead of the service connection (the pipeline's YAML says so). */
  deviceCode?: { timeoutSeconds?: number };
  /** Application permissions the tenant's admin has not consented to (removed from the app's roles). */
  withoutPermissions?: string[];
  /** Whether the app trusts the organisation's issuer (default true); false makes every sign-in fail. */
  federated?: boolean;
  /** Approvers of the environment's approval check (default the organisation's user). */
  approvers?: IdentityRef[];
  /** Minutes before a pending approval times out (default 43200, the service's 30 days). */
  approvalTimeoutMinutes?: number;
}

export interface TenantPipeline {
  name: string;
  tenantId: string;
  clientId: string;
  definition: Definition;
  repository: Repository;
  connectionId: string;
  environmentId: number;
}

/** What `tenant-sync emulate devops` prints when ready. */
export interface LocalDevOpsReadyInfo {
  /** The organisation's collection URL (ends in "/"). */
  collectionUrl: string;
  project: string;
  projectId: string;
  /** A user token of an assigned approver, for Authorization: Bearer. */
  token: string;
  user: { id: string; displayName: string; uniqueName: string };
  caCertPath: string;
  controlUrl: string;
  oidcIssuer: string;
  /** The Tenant Sync hub inside a local Azure DevOps page, signed in as `user` (open it in a browser). */
  hubUrl: string;
  /** The Graph emulator started with the organisation (absent when one was given). */
  graph?: { graphUrl: string; authorityHost: string; controlUrl: string; caCertPath: string };
  tenants: { name: string; tenantId: string; pipelineId: number; repository: string }[];
}

/** A GUID derived from a name, so a scenario's tenants keep their ids from run to run. */
export function stableGuid(name: string): string {
  const h = createHash("sha256").update(name).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export class LocalDevOps {
  readonly tenants = new Map<string, TenantPipeline>();
  user!: LocalDevOpsReadyInfo["user"] & { token: string };
  private azdoInfo!: AzureDevOpsReadyInfo;
  private graphUrls!: { graphUrl: string; controlUrl: string };
  private ownGraph?: GraphEmulator;
  private hub?: HubHostServer;
  private readonly dataDir: string;
  private readonly ownsDataDir: boolean;
  readonly azdo: AzureDevOpsEmulator;

  constructor(private readonly o: LocalDevOpsOptions = {}) {
    this.ownsDataDir = !o.dataDir;
    this.dataDir = o.dataDir ?? mkdtempSync(join(tmpdir(), "tenant-sync-devops-"));
    this.azdo = new AzureDevOpsEmulator({
      port: o.port,
      controlPort: o.controlPort,
      caDir: o.caDir,
      organization: o.organization ?? "tenant-sync-local",
      project: o.project ?? "TenantSync",
      gitDataDir: join(this.dataDir, "git"),
      agent: {
        taskRoots: o.taskRoots ?? [join(__dirname, "..", "..", "dist", "tasks")],
        workDirectory: join(this.dataDir, "work"),
        parallelJobs: o.parallelJobs ?? 4,
      },
      log: o.log,
    });
  }

  get store() {
    return this.azdo.store;
  }
  get agent() {
    return this.azdo.agent!;
  }
  get project() {
    return this.azdo.defaultProject;
  }

  async start(): Promise<LocalDevOpsReadyInfo> {
    if (this.o.graph) this.graphUrls = this.o.graph;
    else {
      this.ownGraph = new GraphEmulator({ caDir: this.o.caDir, seed: "empty", ...this.o.graphOptions });
      const ready = await this.ownGraph.start();
      this.graphUrls = { graphUrl: ready.graphUrl, controlUrl: ready.controlUrl };
    }
    this.azdoInfo = await this.azdo.start();
    const displayName = this.o.userName ?? "Alex Approver";
    const token = this.store.tokens.issueUserToken(displayName, 30 * 24 * 3600, {
      id: stableGuid(`user:${displayName}`),
      uniqueName: `${displayName.toLowerCase().replace(/[^a-z0-9]+/g, ".")}@tenant-sync.local`,
    });
    if (token.kind !== "user") throw new Error("The emulator issued a job token where a user token was asked for.");
    this.user = { id: token.id, displayName, uniqueName: token.uniqueName, token: token.token };
    await this.startHub();
    return this.readyInfo();
  }

  private async startHub(): Promise<void> {
    const distDir = this.o.extensionDir ?? join(__dirname, "..", "..", "dist");
    const staged = join(distDir, "vss-extension.json");
    const manifest = existsSync(staged)
      ? (JSON.parse(readFileSync(staged, "utf8")) as { publisher: string; id: string; version?: string })
      : { publisher: "tenant-sync", id: "tenant-sync", version: "0.0.0" };
    this.hub = new HubHostServer({
      caDir: this.o.caDir,
      distDir,
      settings: () => ({
        collectionUrl: this.azdoInfo.collectionUri,
        organization: { id: this.store.organization.id, name: this.store.organization.name },
        project: { id: this.project.id, name: this.project.name },
        user: {
          id: this.user.id,
          name: this.user.uniqueName,
          displayName: this.user.displayName,
          descriptor: `aad.${Buffer.from(this.user.id).toString("base64url")}`,
        },
        token: this.user.token,
        extension: { publisherId: manifest.publisher, extensionId: manifest.id, version: manifest.version ?? "0.0.0" },
        hubId: "tenant-sync-hub",
      }),
    });
    await this.hub.start();
  }

  readyInfo(): LocalDevOpsReadyInfo {
    const graph = this.ownGraph?.readyInfo();
    return {
      collectionUrl: this.azdoInfo.collectionUri,
      project: this.project.name,
      projectId: this.project.id,
      token: this.user.token,
      user: { id: this.user.id, displayName: this.user.displayName, uniqueName: this.user.uniqueName },
      caCertPath: this.azdoInfo.caCertPath,
      controlUrl: this.azdoInfo.controlUrl,
      oidcIssuer: this.azdoInfo.oidcIssuer,
      hubUrl: this.hub!.hubUrl,
      ...(graph && {
        graph: {
          graphUrl: graph.graphUrl,
          authorityHost: graph.authorityHost,
          controlUrl: graph.controlUrl,
          caCertPath: graph.caCertPath,
        },
      }),
      tenants: [...this.tenants.values()].map((t) => ({
        name: t.name,
        tenantId: t.tenantId,
        pipelineId: t.definition.id,
        repository: t.repository.name,
      })),
    };
  }

  /** The approver identity of the organisation's user. */
  get approver(): IdentityRef {
    return { id: this.user.id, displayName: this.user.displayName, uniqueName: this.user.uniqueName };
  }

  /** Sets a tenant up end to end (see the module comment); its pipeline has not run yet. */
  async addTenant(name: string, t: TenantOptions = {}): Promise<TenantPipeline> {
    if (this.tenants.has(name)) throw new Error(`The tenant ${name} is set up already.`);
    const connectionName = `tenant-sync-${name}`;
    const now = this.azdo.clock.now();
    // Tenant side: the tenant, its app, and the app's trust in this organisation's issuer.
    const graphTenant = (await this.graphControl("POST", "/tenants", {
      seed: t.seed ?? "demo",
      tenantId: stableGuid(`tenant:${name}`),
      clientId: stableGuid(`app:${name}`),
      name: name.charAt(0).toUpperCase() + name.slice(1),
    })) as { tenantId: string; clientId: string };
    const app = `/tenants/${graphTenant.tenantId}/apps/${graphTenant.clientId}`;
    if (t.federated !== false)
      await this.graphControl("PATCH", app, {
        federatedCredentials: [
          {
            name: `azure-devops-${name}`,
            issuer: this.azdoInfo.oidcIssuer,
            subject: subjectOf(this.store.organization.name, this.project.name, connectionName),
            audiences: [federationAudience],
          },
        ],
      });
    if (t.withoutPermissions?.length) {
      const granted = (await this.graphControl("GET", `/tenants/${graphTenant.tenantId}`)) as {
        apps?: { clientId: string; roles: string[]; scopes: string[] }[];
      };
      const current = granted.apps?.find((a) => a.clientId === graphTenant.clientId);
      const drop = new Set(t.withoutPermissions);
      await this.graphControl("PUT", `${app}/permissions`, {
        roles: (current?.roles ?? []).filter((r) => !drop.has(r)),
        scopes: (current?.scopes ?? []).filter((r) => !drop.has(r)),
      });
    }
    // Azure DevOps side.
    const connection = this.store.connections.add({
      id: stableGuid(`connection:${name}`),
      name: connectionName,
      projectId: this.project.id,
      tenantId: graphTenant.tenantId,
      clientId: graphTenant.clientId,
      type: "AzureRM",
      scheme: "WorkloadIdentityFederation",
      createdBy: this.approver,
    });
    const environment = this.store.environments.ensure(this.project, connectionName, now);
    const resource = { type: "environment", id: String(environment.id), name: environment.name };
    this.store.checks.add(
      {
        projectId: this.project.id,
        type: approvalCheckType,
        resource,
        settings: {
          approvers: t.approvers ?? [this.approver],
          executionOrder: "anyOrder",
          minRequiredApprovers: 1,
          instructions: "Review the plan on the run's Summary (or in the Tenant Sync hub) before approving.",
          blockedApprovers: [],
        },
        timeout: t.approvalTimeoutMinutes ?? 43200,
        isDisabled: false,
        createdBy: this.approver,
      },
      now,
    );
    this.store.checks.add(
      {
        projectId: this.project.id,
        type: exclusiveLockCheckType,
        resource,
        settings: {},
        timeout: 43200,
        isDisabled: false,
        createdBy: this.approver,
      },
      now,
    );
    const template = readTemplate();
    const yaml = tenantPipelineYaml(
      {
        tenant: name,
        graphUrl: this.graphUrls.graphUrl,
        authorityHost: this.graphUrls.graphUrl,
        deviceCode: t.deviceCode && {
          tenantId: graphTenant.tenantId,
          clientId: graphTenant.clientId,
          timeoutSeconds: t.deviceCode.timeoutSeconds,
        },
      },
      template,
    );
    const repository = await this.store.git.create(this.project, connectionName, { id: stableGuid(`repo:${name}`) });
    // What install grants: the runs push their backups as the build service.
    this.store.security.setEntries(
      gitNamespaceId,
      gitRepositoryToken(this.project.id, repository.id),
      [
        {
          descriptor: buildServiceDescriptor(this.store.organization.id, this.project.id),
          allow: gitPermissions.GenericContribute | gitPermissions.CreateBranch,
          deny: 0,
        },
      ],
      true,
    );
    await this.store.git.push(
      repository,
      "refs/heads/main",
      zeroId,
      [
        {
          comment: `Tenant Sync pipeline for ${name}`,
          changes: [{ changeType: "add", path: "/azure-pipelines.yml", content: Buffer.from(yaml) }],
        },
      ],
      { name: this.user.displayName, email: this.user.uniqueName },
      now,
    );
    const definition = this.store.builds.createDefinition(
      this.project,
      { name: connectionName, path: pipelineFolder, repositoryId: repository.id, yamlPath: "/azure-pipelines.yml" },
      now,
    );
    if (!definition) throw new Error(`A pipeline named ${connectionName} exists already in ${pipelineFolder}.`);
    definition.repositoryName = repository.name;
    definition.declaredParameters = declaredParameters(template);
    for (const [type, id] of [
      ["endpoint", connection.id],
      ["environment", String(environment.id)],
      ["repository", `${this.project.id}.${repository.id}`],
    ] as const)
      this.store.permissions.update(
        this.project.id,
        type,
        id,
        { pipelines: [{ id: definition.id, authorized: true }] },
        this.approver,
        now,
      );
    const pipeline: TenantPipeline = {
      name,
      tenantId: graphTenant.tenantId,
      clientId: graphTenant.clientId,
      definition,
      repository,
      connectionId: connection.id,
      environmentId: environment.id,
    };
    this.tenants.set(name, pipeline);
    return pipeline;
  }

  /** Queues a run of the tenant's pipeline as a person would (template parameters as strings). */
  queueRun(name: string, templateParameters: Record<string, string> = {}, requestedFor?: string): Build {
    const tenant = this.tenant(name);
    const queued = this.store.builds.queue(
      tenant.definition,
      {
        sourceBranch: "refs/heads/main",
        reason: "manual",
        requestedFor: requestedFor ?? this.user.displayName,
        templateParameters,
      },
      this.azdo.clock.now(),
    );
    if ("refused" in queued)
      throw new Error(`The pipeline ${tenant.definition.name} is ${queued.refused}: enable it to queue runs.`);
    return queued;
  }

  tenant(name: string): TenantPipeline {
    const tenant = this.tenants.get(name);
    if (!tenant) throw new Error(`No tenant named ${name} is set up in the local organisation.`);
    return tenant;
  }

  /** A Graph control API call (the emulator started here or the one given). */
  async graphControl(method: string, path: string, body?: unknown): Promise<unknown> {
    const res = await fetch(`${this.graphUrls.controlUrl}${path}`, {
      method,
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok)
      throw new Error(`The Graph emulator's control API answered ${res.status} to ${method} ${path}: ${text}`);
    return text ? JSON.parse(text) : undefined;
  }

  get graphUrl(): string {
    return this.graphUrls.graphUrl;
  }

  async stop(): Promise<void> {
    await this.hub?.stop();
    await this.azdo.stop();
    await this.ownGraph?.stop();
    if (this.ownsDataDir) rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/** Starts a local organisation (nothing in it yet: add tenants, or run a scenario). */
export async function startLocalDevOps(o: LocalDevOpsOptions = {}): Promise<LocalDevOps> {
  const devops = new LocalDevOps(o);
  await devops.start();
  return devops;
}
