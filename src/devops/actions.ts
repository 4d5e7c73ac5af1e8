/**
 * actions — the hub's actions from the terminal, for one tenant, several, or every one waiting:
 * approve or reject the pending approval (reject --revert then queues a revert run), queue a run
 * (mode, confirmations and conflict policy as the template's parameters, sent as strings), pause
 * and resume a tenant's pipeline (its queue status). Each tenant is done on its own: one failing
 * names the tenant, what failed and what to do, and the others still go ahead.
 */
import { DefinitionQueueStatus } from "azure-devops-node-api/interfaces/BuildInterfaces";
import { tenantStatusLabels } from "../core/status/derive";
import { listDefinitions } from "./build-lists";
import { callFailed, statusOf, type DevOpsSession } from "./connect";
import { type FleetRow, pipelineFolder, pipelinePrefix, projectApi, previewVersion, readFleet, runUrl } from "./fleet";

export interface ActionResult {
  tenant: string;
  ok: boolean;
  message: string;
}

export type RunMode = "sync" | "backupOnly" | "revert";
export const runModes: RunMode[] = ["sync", "backupOnly", "revert"];
export const confirmations = { deletes: "confirmDeletes", mass: "confirmMassChanges", secrets: "confirmSecrets" };
export const conflictPolicies = ["config", "stop", "repo-wins", "tenant-wins"];

export interface RunRequest {
  mode?: RunMode;
  confirm?: (keyof typeof confirmations)[];
  conflictPolicy?: string;
}

const done = (tenant: string, message: string): ActionResult => ({ tenant, ok: true, message });
const failed = (tenant: string, message: string): ActionResult => ({ tenant, ok: false, message });

/** The template parameters of a run request, as strings (the Pipelines API takes them so). */
export function templateParameters(r: RunRequest): Record<string, string> {
  return {
    ...(r.mode ? { mode: r.mode } : {}),
    ...Object.fromEntries((r.confirm ?? []).map((c) => [confirmations[c], "true"])),
    ...(r.conflictPolicy ? { conflictPolicy: r.conflictPolicy } : {}),
  };
}

/** The tenant's pipeline, by its name in the folder; undefined when there is none. */
export async function findPipeline(s: DevOpsSession, tenant: string) {
  const build = await s.api.getBuildApi();
  const name = `${pipelinePrefix}${tenant}`;
  const found = await listDefinitions(build, s.project, { name, path: pipelineFolder }).catch((e) => {
    throw callFailed(`Looking up the pipeline ${name} in ${pipelineFolder}`, e, "View build pipeline");
  });
  return found.find((d) => d.name?.toLowerCase() === name.toLowerCase());
}

const noPipeline = (s: DevOpsSession, tenant: string) =>
  `no pipeline ${pipelinePrefix}${tenant} in ${pipelineFolder} of project ${s.project}. Check the name (tenant-sync devops status lists the tenants), or set the tenant up with tenant-sync devops install.`;

/** Queues a run of each tenant's pipeline through the Pipelines API. */
export async function queueRuns(s: DevOpsSession, tenants: string[], request: RunRequest): Promise<ActionResult[]> {
  const pipelines = await s.api.getPipelinesApi();
  const results: ActionResult[] = [];
  for (const tenant of tenants) {
    const definition = await findPipeline(s, tenant);
    if (!definition) {
      results.push(failed(tenant, noPipeline(s, tenant)));
      continue;
    }
    try {
      const run = await pipelines.runPipeline(
        { templateParameters: templateParameters(request) },
        s.project,
        definition.id!,
      );
      results.push(
        done(tenant, `run ${run.name ?? run.id} queued (mode ${request.mode ?? "sync"}): ${runUrl(s, run.id!)}`),
      );
    } catch (e) {
      const paused = definition.queueStatus === DefinitionQueueStatus.Disabled;
      results.push(
        failed(
          tenant,
          `${callFailed(`queueing a run of ${definition.name}`, e, "Queue builds").message}${paused ? ` The pipeline is disabled: tenant-sync devops resume ${tenant}.` : ""}`,
        ),
      );
    }
  }
  return results;
}

/** Pauses (runs queue but do not start) or resumes each tenant's pipeline. */
export async function setPaused(s: DevOpsSession, tenants: string[], paused: boolean): Promise<ActionResult[]> {
  const build = await s.api.getBuildApi();
  const want = paused ? DefinitionQueueStatus.Paused : DefinitionQueueStatus.Enabled;
  const results: ActionResult[] = [];
  for (const tenant of tenants) {
    const found = await findPipeline(s, tenant);
    if (!found) {
      results.push(failed(tenant, noPipeline(s, tenant)));
      continue;
    }
    try {
      const definition = await build.getDefinition(s.project, found.id!);
      if (definition.queueStatus === want) {
        results.push(done(tenant, `${definition.name} is ${paused ? "paused" : "enabled"} already; nothing changed.`));
        continue;
      }
      definition.queueStatus = want;
      await build.updateDefinition(definition, s.project, found.id!);
      results.push(
        done(
          tenant,
          paused
            ? `${definition.name} paused: runs (scheduled ones too) queue but do not start until it is resumed.`
            : `${definition.name} resumed: queued runs start.`,
        ),
      );
    } catch (e) {
      results.push(
        failed(tenant, callFailed(`changing the queue status of ${found.name}`, e, "Edit build pipeline").message),
      );
    }
  }
  return results;
}

export interface DecideRequest {
  decision: "approved" | "rejected";
  comment?: string;
  /** After a rejection, queue a revert run (the repository's pending changes reset to the tenant). */
  revert?: boolean;
  /** Every tenant waiting for an approval (instead of, or on top of, the names given). */
  allPending?: boolean;
}

/** Approves or rejects each tenant's pending approval, found by reading the fleet once. */
export async function decide(s: DevOpsSession, tenants: string[], request: DecideRequest): Promise<ActionResult[]> {
  const fleet = await readFleet(s);
  const byName = new Map(fleet.rows.map((r) => [r.tenant.toLowerCase(), r]));
  const wanted = [
    ...new Set([
      ...tenants,
      ...(request.allPending
        ? fleet.rows.filter((r) => r.status.status === "pendingApproval").map((r) => r.tenant)
        : []),
    ]),
  ];
  if (wanted.length === 0 && request.allPending)
    return [done("(none)", "No tenant is waiting for an approval; nothing to decide.")];
  const results: ActionResult[] = [];
  for (const tenant of wanted) {
    const row = byName.get(tenant.toLowerCase());
    if (!row) {
      results.push(failed(tenant, noPipeline(s, tenant)));
      continue;
    }
    const result = await decideOne(s, row, request);
    results.push(result);
    if (result.ok && request.decision === "rejected" && request.revert)
      results.push(...(await queueRuns(s, [row.tenant], { mode: "revert" })));
  }
  return results;
}

async function decideOne(s: DevOpsSession, row: FleetRow, request: DecideRequest): Promise<ActionResult> {
  const { status, tenant } = row;
  const approval = status.detail.approval;
  if (status.status !== "pendingApproval" || !approval)
    return failed(
      tenant,
      `no pending approval: the tenant is ${tenantStatusLabels[status.status]}${status.paused ? " (paused)" : ""}. ${status.nextAction.text}`,
    );
  const verb = request.decision === "approved" ? "approve" : "reject";
  try {
    const res = await s.api.rest.update<{ value: { status: string }[] }>(
      `${projectApi(s)}/pipelines/approvals?api-version=${previewVersion}`,
      [{ approvalId: approval.id, status: request.decision, comment: request.comment ?? "" }],
    );
    const now = res.result?.value?.[0]?.status ?? request.decision;
    const run = status.run ? `run ${status.run.buildNumber ?? status.run.id}` : "the run";
    return done(
      tenant,
      now === "approved"
        ? `approved: ${run} goes on to Deploy (${runUrl(s, approval.runId)}).`
        : now === "rejected"
          ? `rejected: ${run} stops before Deploy; its plan is not deployed.`
          : `your ${verb} was recorded; the approval is ${now} (it needs ${approval.minRequired ?? 1} approver${(approval.minRequired ?? 1) === 1 ? "" : "s"}).`,
    );
  } catch (e) {
    const said = (e as Error).message ?? "";
    if (/not permitted|ApprovalUnauthorized/i.test(said) || statusOf(e) === 403)
      return failed(
        tenant,
        `you may not ${verb} this approval: only its approvers may (${approval.approvers.join(", ") || "see the environment's Approvals and checks"}). Ask one of them, or run this command with their credential.`,
      );
    if (statusOf(e) === 409)
      return failed(
        tenant,
        `the approval was decided already (${said}). Run tenant-sync devops status for where the run is now.`,
      );
    return failed(
      tenant,
      callFailed(`${verb} the approval of ${row.definition.name}`, e, "approve (as an assigned approver)").message,
    );
  }
}
