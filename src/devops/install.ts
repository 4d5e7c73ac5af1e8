/**
 * install — a tenant's Azure DevOps side in one idempotent command: the git repository with the
 * pipeline YAML, the pipeline tenant-sync-<tenant> in \TenantSync, the environment with its approval
 * and exclusive lock checks, the service connection (workload identity federation), the
 * pipeline's permission to use all three, and the build service's right to push to the
 * repository (repo-acl.ts). What exists is left as it is; a difference it must not
 * fix on its own (other approvers, another tenant on the connection, an edited YAML) is reported,
 * never overwritten. With dryRun nothing is created: the same steps say what they would do. Every
 * Azure DevOps call goes through azure-devops-node-api (its REST client for the routes without one).
 * Given a Graph client signed in to the tenant (tenantAdmin), it also registers the tenant's app
 * (tenant-app.ts) and gives its client id to the connection; it skips the first run while the app
 * it just registered or changed waits for consent.
 */
import type { GitRepository } from "azure-devops-node-api/interfaces/GitInterfaces";
import type { ServiceEndpoint } from "azure-devops-node-api/interfaces/ServiceEndpointInterfaces";
import { listBuilds } from "./build-lists";
import { callFailed, statusOf, type DevOpsSession } from "./connect";
import { pipelineFolder, pipelinePrefix, previewVersion, projectApi, runUrl } from "./fleet";
import { findPipeline } from "./actions";
import { pipelineYaml, type PipelineYamlOptions } from "./pipeline-yaml";
import { ensureBuildServicePush } from "./repo-acl";
import { ensureTenantApp, type TenantApp, type TenantGraph, trustConnection } from "./tenant-app";
import { adminConsentUrl, adminSteps, graphPermissions } from "./tenant-side";

export const approvalCheckType = { id: "8c6f20a7-a545-4486-9777-f762fafe0d4d", name: "Approval" };
export const exclusiveLockCheckType = { id: "2ef31ad6-baa0-403a-8b45-2cbc9b4e5563", name: "ExclusiveLock" };
const zeroId = "0000000000000000000000000000000000000000";
const yamlPath = "/azure-pipelines.yml";
const branch = "refs/heads/main";

export interface InstallOptions extends PipelineYamlOptions {
  tenantId: string;
  clientId?: string;
  /** Sign-in names (or ids) of the approvers; a group by name; neither: the caller. */
  approvers?: string[];
  approversGroup?: string;
  repo?: string;
  approvalTimeoutMinutes?: number;
  dryRun?: boolean;
  noRun?: boolean;
  /** Signed in to the tenant (--tenant-admin): install registers the app itself instead of printing the steps. */
  tenantAdmin?: TenantGraph;
}

/** + create, ~ change, = exists, ! a difference left as is, i something to do by hand. */
export type Mark = "+" | "~" | "=" | "!" | "i";
export interface InstallStep {
  mark: Mark;
  resource: string;
  text: string;
}

export interface Identity {
  id?: string;
  displayName?: string;
  uniqueName?: string;
}

export interface InstallResult {
  steps: InstallStep[];
  /** The connection's federation values (known once it exists). */
  federation?: { issuer: string; subject: string };
  run?: { id: number; url: string };
  adminSteps: string;
  /** With tenantAdmin: the app registration; `complete` when nothing is left to the administrator but consent. */
  tenantApp?: { clientId?: string; objectId?: string; consentUrl?: string; complete: boolean };
}

export const approvalInstructions =
  "Read the Tenant Sync plan on the run's Summary page (what will be added, changed and deleted in the tenant) before approving. Approve only the plan you have read; reject to leave the tenant as it is.";

/** The organisation's name as subjects spell it: the path of dev.azure.com URLs, else the host's first label. */
export function organizationName(org: string): string {
  const url = new URL(org);
  const first = url.pathname.split("/").filter(Boolean)[0];
  return url.hostname.endsWith(".visualstudio.com") || !first ? url.hostname.split(".")[0] : decodeURIComponent(first);
}

export async function install(
  s: DevOpsSession,
  o: InstallOptions,
  say: (step: InstallStep) => void,
): Promise<InstallResult> {
  const steps: InstallStep[] = [];
  const step = (mark: Mark, resource: string, text: string) => {
    const x = { mark, resource, text };
    steps.push(x);
    say(x);
  };
  const would = (done: string, planned: string) => (o.dryRun ? planned : done);
  const name = `${pipelinePrefix}${o.tenant}`;
  const repoName = o.repo ?? name;

  const core = await s.api.getCoreApi();
  const project = await core.getProject(s.project).catch((e) => {
    throw callFailed(`Reading project ${s.project}`, e, "View project-level information");
  });
  if (!project?.id)
    throw new Error(`Project ${s.project} was not found in ${s.org}: check --project, or create the project first.`);
  const connection = await s.api.connect().catch(() => undefined);
  const approvers = await resolveApprovers(s, o, connection?.authenticatedUser);

  // The repository and its YAML.
  const git = await s.api.getGitApi();
  const repoResource = `repository ${repoName}`;
  let repo: GitRepository | undefined = await git.getRepository(repoName, project.id).catch((e) => {
    if (statusOf(e) === 404) return undefined;
    throw callFailed(`Reading ${repoResource}`, e, "Read (Git repositories)");
  });
  if (repo) step("=", repoResource, "exists");
  else {
    if (!o.dryRun)
      repo = await git.createRepository({ name: repoName, project: { id: project.id } }, project.id).catch((e) => {
        throw callFailed(`Creating ${repoResource}`, e, "Create repository");
      });
    step("+", repoResource, would("created (empty: the first run imports the tenant)", "would be created, empty"));
  }
  const yaml = pipelineYaml(o);
  const yamlResource = `${repoResource}: ${yamlPath.slice(1)}`;
  const current = repo ? await readFile(s, project.id, repo.id!, yamlPath) : undefined;
  if (current === undefined) {
    if (!o.dryRun) await pushFile(s, repo!, yamlPath, yaml, `Tenant Sync pipeline for ${o.tenant}`);
    step(
      "+",
      yamlResource,
      would(
        `committed to main (tenant ${o.tenant}, schedule ${scheduleOf(yaml)})`,
        `would be committed to main (tenant ${o.tenant}, schedule ${scheduleOf(yaml)})`,
      ),
    );
  } else if (current.replace(/\r\n/g, "\n") === yaml) step("=", yamlResource, "as the template makes it");
  else
    step(
      "!",
      yamlResource,
      "differs from what install writes (edited by hand?): left as is. Compare it with templates/azure-pipelines.yml if runs misbehave.",
    );

  // The pipeline.
  const pipelineResource = `pipeline ${pipelineFolder}\\${name}`;
  let pipelineId = (await findPipeline(s, o.tenant))?.id;
  if (pipelineId) step("=", pipelineResource, "exists");
  else {
    if (!o.dryRun) {
      const pipelines = await s.api.getPipelinesApi();
      const created = await pipelines
        .createPipeline(
          {
            name,
            folder: pipelineFolder,
            // type "yaml" and the repository type by name: the service reads either form.
            configuration: {
              type: "yaml",
              path: yamlPath,
              repository: { id: repo!.id, type: "azureReposGit" },
            } as never,
          },
          project.id,
        )
        .catch((e) => {
          throw callFailed(`Creating ${pipelineResource}`, e, "Edit build pipeline (create)");
        });
      pipelineId = created.id;
    }
    step(
      "+",
      pipelineResource,
      would(`created from ${yamlPath.slice(1)}`, `would be created from ${yamlPath.slice(1)}`),
    );
  }

  // The environment and its checks.
  const taskAgent = await s.api.getTaskAgentApi();
  const environmentResource = `environment ${name}`;
  const environments = await taskAgent.getEnvironments(project.id, name).catch((e) => {
    throw callFailed(`Reading ${environmentResource}`, e, "Environments: Reader");
  });
  let environment = (environments ?? []).find((e) => e.name?.toLowerCase() === name.toLowerCase());
  if (environment) step("=", environmentResource, "exists");
  else {
    if (!o.dryRun)
      environment = await taskAgent
        .addEnvironment(
          { name, description: `Tenant Sync: deployments to tenant ${o.tenant} (approval and exclusive lock).` },
          project.id,
        )
        .catch((e) => {
          throw callFailed(`Creating ${environmentResource}`, e, "Environments: Creator");
        });
    step("+", environmentResource, would("created", "would be created"));
  }
  await ensureChecks(s, project.id, environment?.id, environmentResource, approvers, o, step);

  // The tenant's app registration, when install may create it: its client id goes into the connection.
  const tenantOptions = { tenant: o.tenant, tenantId: o.tenantId, org: organizationName(s.org), clientId: o.clientId };
  let tenantApp: TenantApp | undefined;
  const appSteps = steps.length;
  if (o.tenantAdmin) tenantApp = await ensureTenantApp(o.tenantAdmin, { ...tenantOptions, dryRun: o.dryRun }, step);
  const appChanged = steps.slice(appSteps).some((x) => x.mark === "+" || x.mark === "~");
  const clientId = o.clientId ?? tenantApp?.appId;
  const appName = clientId ?? "to be created";

  // The service connection.
  const connectionResource = `service connection ${name}`;
  const endpoints = await s.api.getServiceEndpointApi();
  let endpoint: ServiceEndpoint | undefined = (
    await endpoints.getServiceEndpointsByNames(project.id, [name]).catch((e) => {
      throw callFailed(`Reading ${connectionResource}`, e, "Service connections: Reader");
    })
  )?.[0];
  if (endpoint) {
    const p = endpoint.authorization?.parameters ?? {};
    const differences = [
      endpoint.authorization?.scheme !== "WorkloadIdentityFederation" &&
        `its scheme is ${endpoint.authorization?.scheme}, not WorkloadIdentityFederation`,
      p.tenantid &&
        p.tenantid.toLowerCase() !== o.tenantId.toLowerCase() &&
        `it names tenant ${p.tenantid}, not ${o.tenantId}`,
      clientId &&
        p.serviceprincipalid &&
        p.serviceprincipalid.toLowerCase() !== clientId.toLowerCase() &&
        `it names app ${p.serviceprincipalid}, not ${clientId}`,
    ].filter((d): d is string => Boolean(d));
    if (differences.length)
      step(
        "!",
        connectionResource,
        `exists but ${differences.join("; ")}: left as is. Fix it in Project settings → Service connections, or delete it and run install again.`,
      );
    else step("=", connectionResource, "exists (workload identity federation)");
  } else if (!clientId && !(o.dryRun && tenantApp))
    step(
      "i",
      connectionResource,
      "not created yet: it needs the app's client id. Register the app (below), then run install again with --client-id.",
    );
  else {
    if (!o.dryRun)
      endpoint = await endpoints
        .createServiceEndpoint({
          name,
          type: "AzureRM",
          url: "https://management.azure.com/",
          description: `Tenant Sync: signs in to tenant ${o.tenantId} (Microsoft Graph only; no Azure role needed).`,
          authorization: {
            scheme: "WorkloadIdentityFederation",
            parameters: { tenantid: o.tenantId, serviceprincipalid: clientId! },
          },
          data: { environment: "AzureCloud", scopeLevel: "Subscription", creationMode: "Manual" },
          isShared: false,
          owner: "library",
          serviceEndpointProjectReferences: [
            { projectReference: { id: project.id, name: project.name }, name, description: "" },
          ],
        } as ServiceEndpoint)
        .catch((e) => {
          throw callFailed(`Creating ${connectionResource}`, e, "Service connections: Creator");
        });
    step(
      "+",
      connectionResource,
      would(
        `created (workload identity federation, tenant ${o.tenantId}, app ${appName})`,
        `would be created (workload identity federation, tenant ${o.tenantId}, app ${appName})`,
      ),
    );
  }
  const issuer =
    endpoint?.authorization?.parameters?.workloadIdentityFederationIssuer ??
    (connection?.instanceId
      ? `https://vstoken.dev.azure.com/${connection.instanceId}`
      : "https://vstoken.dev.azure.com/<organisation id>");
  const subject =
    endpoint?.authorization?.parameters?.workloadIdentityFederationSubject ??
    `sc://${organizationName(s.org)}/${project.name}/${name}`;
  if (endpoint) step("i", connectionResource, `federation issuer ${issuer}, subject ${subject}`);
  let trusted = false;
  if (o.tenantAdmin && tenantApp && (endpoint || o.dryRun))
    trusted = await trustConnection(
      o.tenantAdmin,
      tenantApp,
      { issuer, subject, connection: name },
      { ...tenantOptions, dryRun: o.dryRun },
      step,
    );
  const consentUrl = clientId ? adminConsentUrl(o.tenantId, clientId, o.authorityHost) : undefined;
  if (tenantApp && consentUrl)
    step(
      "i",
      tenantApp.resource,
      `admin consent is a person's act, not install's: an Entra administrator grants its ${graphPermissions().length} permissions at ${consentUrl}`,
    );

  // The pipeline's permission to use them, so the first run does not stop to ask.
  const resources: [string, string | undefined, string][] = [
    ["endpoint", endpoint?.id, connectionResource],
    ["environment", environment?.id !== undefined ? String(environment.id) : undefined, environmentResource],
    ["repository", repo?.id ? `${project.id}.${repo.id}` : undefined, repoResource],
  ];
  for (const [type, id, resource] of resources) await ensurePermission(s, type, id, resource, pipelineId, o, step);
  await ensureBuildServicePush(
    s,
    {
      org: organizationName(s.org),
      projectId: project.id,
      projectName: project.name ?? s.project,
      repositoryId: repo?.id,
      repositoryName: repoName,
      collectionId: connection?.instanceId,
    },
    o.dryRun,
    step,
  );

  const result: InstallResult = {
    steps,
    federation: { issuer, subject },
    adminSteps: adminSteps({
      tenant: o.tenant,
      tenantId: o.tenantId,
      clientId,
      issuer,
      subject,
      org: organizationName(s.org),
      authorityHost: o.authorityHost,
    }),
  };
  if (o.tenantAdmin)
    result.tenantApp = {
      clientId,
      objectId: tenantApp?.id,
      consentUrl,
      complete: tenantApp !== undefined && trusted,
    };
  // An app registered or changed just now has no consent yet: its first run could only fail.
  if (!o.dryRun && !o.noRun && pipelineId && endpoint && appChanged)
    step(
      "i",
      `pipeline ${name}`,
      "no first run queued: the app's permissions wait for consent. Once consented, run install again (it queues it) or tenant-sync devops run.",
    );
  else if (!o.dryRun && !o.noRun && pipelineId && endpoint)
    result.run = await firstRun(s, project.id, pipelineId, name, step);
  return result;
}

/** Queues the pipeline's first run; a pipeline that has run already is left alone. */
async function firstRun(
  s: DevOpsSession,
  projectId: string,
  pipelineId: number,
  name: string,
  step: (m: Mark, r: string, t: string) => void,
) {
  const build = await s.api.getBuildApi();
  const runs = await listBuilds(build, projectId, { definitions: [pipelineId], top: 1 });
  if (runs.length > 0) {
    step("=", `pipeline ${name}`, `has run already (latest: ${runUrl(s, runs[0].id!)}): no first run queued`);
    return undefined;
  }
  const pipelines = await s.api.getPipelinesApi();
  const run = await pipelines.runPipeline({}, projectId, pipelineId).catch((e) => {
    throw callFailed(`Queueing the first run of ${name}`, e, "Queue builds");
  });
  const url = runUrl(s, run.id!);
  step("+", `pipeline ${name}`, `first run ${run.name ?? run.id} queued: it imports the tenant. Watch it at ${url}`);
  return { id: run.id!, url };
}

async function readFile(
  s: DevOpsSession,
  projectId: string,
  repositoryId: string,
  path: string,
): Promise<string | undefined> {
  const git = await s.api.getGitApi();
  const item = await git
    .getItem(repositoryId, path, projectId, undefined, undefined, undefined, undefined, undefined, undefined, true)
    .catch((e) => {
      if (statusOf(e) === 404) return undefined;
      throw callFailed(`Reading ${path} of repository ${repositoryId}`, e, "Read (Git repositories)");
    });
  return item?.content ?? undefined;
}

async function pushFile(
  s: DevOpsSession,
  repo: GitRepository,
  path: string,
  content: string,
  comment: string,
): Promise<void> {
  const git = await s.api.getGitApi();
  const refs = await git.getRefs(repo.id!, repo.project?.id, "heads/main");
  const head = (refs ?? []).find((r) => r.name === branch)?.objectId ?? zeroId;
  await git
    .createPush(
      {
        refUpdates: [{ name: branch, oldObjectId: head }],
        // Change and content types by name: the service reads names or numbers.
        commits: [
          {
            comment,
            changes: [{ changeType: "add", item: { path }, newContent: { content, contentType: "rawtext" } }],
          },
        ],
      } as never,
      repo.id!,
      repo.project?.id,
    )
    .catch((e) => {
      throw callFailed(`Committing ${path} to ${repo.name}`, e, "Contribute (Git repositories)");
    });
}

function scheduleOf(yaml: string): string {
  return /- cron: "([^"]*)"/.exec(yaml)?.[1] ?? "none";
}

interface CheckView {
  id: number;
  type: { id: string; name?: string };
  settings?: { approvers?: Identity[] };
  timeout?: number;
}

const sameIdentity = (a: Identity, b: Identity) => {
  const eq = (x?: string, y?: string) => !!x && !!y && x.toLowerCase() === y.toLowerCase();
  return eq(a.id, b.id) || eq(a.uniqueName, b.uniqueName);
};
const identityName = (i: Identity) => i.uniqueName ?? i.displayName ?? i.id ?? "?";

async function ensureChecks(
  s: DevOpsSession,
  projectId: string,
  environmentId: number | undefined,
  resource: string,
  approvers: Identity[],
  o: InstallOptions,
  step: (m: Mark, r: string, t: string) => void,
): Promise<void> {
  const base = `${s.org}${projectId}/_apis/pipelines/checks/configurations`;
  const checks =
    environmentId === undefined
      ? []
      : ((
          await s.api.rest
            .get<{ value: CheckView[] }>(
              `${base}?resourceType=environment&resourceId=${environmentId}&$expand=settings&api-version=${previewVersion}`,
            )
            .catch((e) => {
              throw callFailed(`Reading the checks of ${resource}`, e, "Environments: Reader");
            })
        ).result?.value ?? []);
  const of = (type: { id: string }) => checks.filter((c) => c.type.id.toLowerCase() === type.id);
  const envRef = { type: "environment", id: String(environmentId), name: resource.replace(/^environment /, "") };
  const add = async (what: string, body: object) => {
    if (o.dryRun) return;
    await s.api.rest.create(`${base}?api-version=${previewVersion}`, body).catch((e) => {
      throw callFailed(`Adding the ${what} check to ${resource}`, e, "Environments: Administrator");
    });
  };
  const wanted = approvers.map(identityName).join(", ");
  const approval = of(approvalCheckType)[0];
  if (approval) {
    const have = approval.settings?.approvers ?? [];
    const same = have.length === approvers.length && approvers.every((a) => have.some((h) => sameIdentity(a, h)));
    if (same) step("=", `${resource}: approval check`, `exists (approvers ${wanted})`);
    else
      step(
        "!",
        `${resource}: approval check`,
        `its approvers are ${have.map(identityName).join(", ") || "none"}, not ${wanted}: left as is. Change them in Pipelines → Environments → ${envRef.name} → Approvals and checks if they should be.`,
      );
  } else {
    const timeout = o.approvalTimeoutMinutes ?? 10080;
    await add("approval", {
      type: approvalCheckType,
      resource: envRef,
      settings: {
        approvers,
        executionOrder: "anyOrder",
        minRequiredApprovers: 1,
        instructions: approvalInstructions,
        blockedApprovers: [],
        requesterCannotBeApprover: false,
      },
      timeout,
    });
    step(
      "+",
      `${resource}: approval check`,
      `${o.dryRun ? "would be added" : "added"} (approvers ${wanted}; times out after ${timeout} min; instructions point at the plan on the run's Summary)`,
    );
  }
  if (of(exclusiveLockCheckType).length) step("=", `${resource}: exclusive lock`, "exists");
  else {
    await add("exclusive lock", { type: exclusiveLockCheckType, resource: envRef, settings: {}, timeout: 43200 });
    step(
      "+",
      `${resource}: exclusive lock`,
      o.dryRun ? "would be added (one sync per tenant at a time)" : "added (one sync per tenant at a time)",
    );
  }
}

async function ensurePermission(
  s: DevOpsSession,
  type: string,
  id: string | undefined,
  resource: string,
  pipelineId: number | undefined,
  o: InstallOptions,
  step: (m: Mark, r: string, t: string) => void,
): Promise<void> {
  const what = `${resource}: use by the pipeline`;
  if (!id) {
    if (type === "endpoint" && !o.clientId) return; // the connection waits for the client id; said above
    step("+", what, "would be permitted (once it exists)");
    return;
  }
  const url = `${projectApi(s)}/pipelines/pipelinePermissions/${type}/${encodeURIComponent(id)}?api-version=${previewVersion}`;
  if (pipelineId !== undefined) {
    const current = await s.api.rest
      .get<{ pipelines?: { id: number; authorized: boolean }[]; allPipelines?: { authorized: boolean } }>(url)
      .catch((e) => {
        throw callFailed(`Reading the pipeline permissions of ${resource}`, e, "Administrator role on the resource");
      });
    const p = current.result;
    if (p?.allPipelines?.authorized || p?.pipelines?.some((x) => x.id === pipelineId && x.authorized)) {
      step("=", what, p.allPipelines?.authorized ? "every pipeline may use it" : "permitted");
      return;
    }
  }
  if (!o.dryRun && pipelineId !== undefined)
    await s.api.rest.update(url, { pipelines: [{ id: pipelineId, authorized: true }] }).catch((e) => {
      throw callFailed(`Permitting the pipeline to use ${resource}`, e, "Administrator role on the resource");
    });
  step(
    "+",
    what,
    o.dryRun
      ? "would be permitted (the first run does not stop to ask)"
      : "permitted (the first run does not stop to ask)",
  );
}

/**
 * The approvers as identities. The caller by default (from connectionData). Names given are looked
 * up in the organisation's identities (vssps); where that API is not there (Azure DevOps Server, the
 * local emulator) a sign-in name is used as it is, which the approvals match by unique name.
 */
async function resolveApprovers(
  s: DevOpsSession,
  o: InstallOptions,
  caller: { id?: string; providerDisplayName?: string; properties?: Record<string, { $value?: unknown }> } | undefined,
): Promise<Identity[]> {
  const names = o.approversGroup ? [o.approversGroup] : (o.approvers ?? []);
  if (names.length === 0) {
    if (!caller?.id)
      throw new Error(
        "Could not tell who is signed in (connectionData): give the approvers with --approvers a@x,b@y or --approvers-group NAME.",
      );
    const account = caller.properties?.Account?.$value;
    return [
      {
        id: caller.id,
        displayName: caller.providerDisplayName,
        ...(typeof account === "string" && account ? { uniqueName: account } : {}),
      },
    ];
  }
  const vssps = identitiesHost(s.org);
  const found: Identity[] = [];
  for (const name of names) {
    const url = `${vssps}_apis/identities?searchFilter=General&filterValue=${encodeURIComponent(name)}&queryMembership=None&api-version=7.1`;
    const res = await s.api.rest
      .get<{
        value?: { id: string; providerDisplayName?: string; properties?: Record<string, { $value?: unknown }> }[];
      }>(url)
      .catch((e) =>
        statusOf(e) === 404
          ? { statusCode: 404, result: null }
          : Promise.reject(callFailed(`Looking up the approver ${name}`, e, "Read identities")),
      );
    if (res.statusCode === 404 || !res.result) {
      found.push({ uniqueName: name, displayName: name });
      continue;
    }
    const hit = res.result.value?.[0];
    if (!hit)
      throw new Error(
        `No identity named ${name} in ${s.org}: check the approver's sign-in name (or the group's name).`,
      );
    const account = hit.properties?.Account?.$value;
    found.push({
      id: hit.id,
      displayName: hit.providerDisplayName ?? name,
      uniqueName: typeof account === "string" && account ? account : name,
    });
  }
  return found;
}

/** The identities service: vssps.dev.azure.com for dev.azure.com, <org>.vssps.visualstudio.com, else the collection itself. */
function identitiesHost(org: string): string {
  const url = new URL(org);
  if (url.hostname === "dev.azure.com") return `https://vssps.dev.azure.com/${organizationName(org)}/`;
  if (url.hostname.endsWith(".visualstudio.com")) return `https://${organizationName(org)}.vssps.visualstudio.com/`;
  return org;
}
