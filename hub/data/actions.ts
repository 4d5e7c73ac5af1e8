/**
 * actions — the hub's data layer as the page uses it: it reads the overview (and keeps the last one,
 * to find a tenant's pipeline and pending approval), loads a tenant's detail, and carries out what a
 * person does (approve or reject several tenants in one request, reject and revert, run now, pause
 * and resume, downloads, copy). Each action resolves once the service accepted it, then reads the
 * overview again; a failure rejects with an Error saying what failed, for which tenant, and what to do.
 */
import type { BuildDefinition } from "azure-devops-extension-api/Build";
import type { Run, RunPipelineParameters } from "azure-devops-extension-api/Pipelines";
import { approverNames, artifactLink, artifactZip, logsLink, loadTenantDetail } from "./detail";
import { described, failureMessage, HubError } from "./errors";
import type { HubActions, Overview, RunParameters, RunSummary, TenantDetail } from "./model";
import { loadOverview, type TenantRecord } from "./overview";
import { type HubDataOptions, Rest } from "./rest";
import { runSummaryOf } from "./wire";

export interface HubData extends HubActions {
  /** Reads the overview (also what refresh does) and tells the listeners. */
  loadOverview(): Promise<Overview>;
  /** The last overview read, if any. */
  readonly current: Overview | undefined;
  /** Calls `listener` with every overview read from now on; returns the unsubscribe. */
  subscribe(listener: (overview: Overview) => void): () => void;
}

const list = (names: string[]) =>
  names.length <= 1 ? (names[0] ?? "") : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;

/** Template parameters as the run form sends them: booleans as "true"/"false". */
export function templateParametersOf(p: Partial<RunParameters>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(p)) if (v !== undefined) out[k] = typeof v === "boolean" ? String(v) : String(v);
  return out;
}

class HubDataLayer implements HubData {
  private readonly rest: Rest;
  private tenants = new Map<string, TenantRecord>();
  private last: Overview | undefined;
  private readonly listeners = new Set<(overview: Overview) => void>();

  constructor(private readonly o: HubDataOptions) {
    this.rest = new Rest(o);
  }

  get current(): Overview | undefined {
    return this.last;
  }

  subscribe(listener: (overview: Overview) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async loadOverview(): Promise<Overview> {
    const loaded = await described({ action: "Reading the tenants' status" }, () => loadOverview(this.rest));
    this.tenants = loaded.tenants;
    this.last = loaded.overview;
    for (const listener of this.listeners) listener(loaded.overview);
    return loaded.overview;
  }

  async refresh(): Promise<void> {
    await this.loadOverview();
  }

  /** The tenant as the last overview read it (reading one first if there is none yet). */
  private async record(tenant: string, action: string): Promise<TenantRecord> {
    if (!this.tenants.has(tenant)) await this.loadOverview();
    const record = this.tenants.get(tenant);
    if (!record)
      throw new HubError(
        `${action} ${tenant} failed: no pipeline of that tenant is in the \\TenantSync folder (renamed, moved or deleted): refresh the hub.`,
      );
    return record;
  }

  /** Reads the overview again after an action; the action's own outcome stands even if this read fails. */
  private async settle(): Promise<void> {
    await this.loadOverview().catch(() => undefined);
  }

  loadDetail(tenant: string): Promise<TenantDetail> {
    const action = "Loading the detail of";
    return this.record(tenant, action).then((r) => described({ action, tenant }, () => loadTenantDetail(this.rest, r)));
  }

  approve(tenants: string[], comment: string): Promise<void> {
    return this.decide(tenants, "approved", comment);
  }

  reject(tenants: string[], comment: string): Promise<void> {
    return this.decide(tenants, "rejected", comment);
  }

  /** One PATCH for every tenant's pending approval; the service stops at the first refusal. */
  private async decide(tenants: string[], status: "approved" | "rejected", comment: string): Promise<void> {
    const action = status === "approved" ? "Approving" : "Rejecting";
    const records = await Promise.all(tenants.map((t) => this.record(t, action)));
    const updates = records.map((r) => {
      const approval = r.row.status.detail.approval;
      if (!approval)
        throw new HubError(
          `${action} ${r.row.tenant} failed: no run of it waits for approval (it is ${r.row.status.label}): refresh the hub.`,
        );
      return { record: r, approvalId: approval.id };
    });
    if (updates.length === 0) return;
    try {
      await this.rest.json(
        "PATCH",
        "pipelines/approvals?api-version=7.1-preview.1",
        updates.map((u) => ({ approvalId: u.approvalId, status, comment })),
      );
    } catch (e) {
      // The service names the approval it refused; the tenants before it in the request were decided.
      const said = (e as { serverError?: { message?: string } }).serverError?.message ?? "";
      const refused = updates.find((u) => said.includes(u.approvalId)) ?? updates[0];
      const approvers = approverNames(refused.record.approvals.find((a) => a.id === refused.approvalId));
      const others = tenants.length > 1 ? ` Refresh to see which of ${list(tenants)} were ${status}.` : "";
      await this.settle();
      throw new HubError(
        failureMessage(e, {
          action,
          tenant: refused.record.row.tenant,
          approvers: approvers.length ? approvers : refused.record.row.status.detail.approval?.approvers,
        }) + others,
        e,
      );
    }
    await this.settle();
  }

  async rejectAndRevert(tenants: string[], comment: string): Promise<void> {
    await this.reject(tenants, comment);
    for (const tenant of tenants) await this.queue(tenant, { mode: "revert" }, "Queuing the revert run of");
    await this.settle();
  }

  async runNow(tenant: string, parameters: RunParameters): Promise<RunSummary> {
    const summary = await this.queue(tenant, parameters, "Queuing a run of");
    await this.settle();
    return summary;
  }

  private async queue(tenant: string, parameters: Partial<RunParameters>, action: string): Promise<RunSummary> {
    const record = await this.record(tenant, action);
    return described({ action, tenant }, async () => {
      const latest = record.runs[0];
      // The tenant parameter only when a run gave it: the pipeline's default is the tenant's otherwise.
      const given = latest?.templateParameters?.tenant;
      const body = {
        templateParameters: { ...(given ? { tenant: given } : {}), ...templateParametersOf(parameters) },
        resources: { repositories: { self: { refName: latest?.sourceBranch || "refs/heads/main" } } },
      } as unknown as RunPipelineParameters;
      const run: Run = await this.rest.call(() =>
        this.rest.pipelines.runPipeline(body, this.rest.project, record.definition.id),
      );
      const build = await this.rest.call(() => this.rest.build.getBuild(this.rest.project, run.id));
      return runSummaryOf(build, this.o);
    });
  }

  pause(tenant: string): Promise<void> {
    return this.setQueueStatus(tenant, 1, "Pausing the pipeline of");
  }

  resume(tenant: string): Promise<void> {
    return this.setQueueStatus(tenant, 0, "Resuming the pipeline of");
  }

  /** queueStatus enabled 0, paused 1: the definition as read, at its revision, with the new status. */
  private async setQueueStatus(tenant: string, queueStatus: 0 | 1, action: string): Promise<void> {
    const record = await this.record(tenant, action);
    await described({ action, tenant }, async () => {
      const id = record.definition.id;
      const definition: BuildDefinition = await this.rest.call(() =>
        this.rest.build.getDefinition(this.rest.project, id),
      );
      definition.queueStatus = queueStatus;
      await this.rest.call(() => this.rest.build.updateDefinition(definition, this.rest.project, id));
    });
    await this.settle();
  }

  async downloadLogs(tenant: string, runId: number): Promise<void> {
    const action = "Downloading the logs of";
    const record = await this.record(tenant, action);
    const run = { pipelineId: record.definition.id, runId };
    await described({ action, tenant }, async () => {
      const link = this.o.open ? await logsLink(this.rest, run).catch(() => undefined) : undefined;
      if (link) return this.o.open!(link);
      const zip = await this.rest.call(() => this.rest.build.getBuildLogsZip(this.rest.project, runId));
      await this.saved(`${tenant}-run-${runId}-logs.zip`, zip);
    });
  }

  async downloadArtifact(tenant: string, runId: number, artifact: string): Promise<void> {
    const action = `Downloading ${artifact} of`;
    const record = await this.record(tenant, action);
    const run = { pipelineId: record.definition.id, runId };
    await described({ action, tenant }, async () => {
      const link = await artifactLink(this.rest, run, artifact).catch(() => undefined);
      if (link && this.o.open) return this.o.open(link);
      await this.saved(`${tenant}-run-${runId}-${artifact}.zip`, await artifactZip(this.rest, run, artifact, link));
    });
  }

  private async saved(fileName: string, zip: ArrayBuffer): Promise<void> {
    if (!this.o.save) throw new Error("this page cannot save files (no save hook): open the run in Azure DevOps");
    await this.o.save(fileName, new Blob([zip], { type: "application/zip" }));
  }

  async copy(text: string): Promise<void> {
    await described({ action: "Copying to the clipboard" }, async () => {
      const write = this.o.copyText ?? ((t: string) => globalThis.navigator.clipboard.writeText(t));
      await write(text);
    });
  }
}

/** The data layer of the hub: hub/main.tsx creates one with the SDK's token and the host's hooks. */
export function createHubData(options: HubDataOptions): HubData {
  return new HubDataLayer(options);
}
