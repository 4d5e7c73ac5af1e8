/**
 * detail-model — what a tenant's detail offers, without React: the actions for its status with
 * whether each is enabled and why not, the link to the failing job's log, and the hint for an error
 * that came without one. The detail view renders exactly this list, so the rules (only an assigned
 * approver may approve, a paused pipeline offers Resume, …) are tested here as plain data.
 */
import type { OverviewRow, RunStepView, TenantDetail } from "../data/model";
import type { StatusError } from "../../src/core/status/derive";

export type ActionId =
  | "copyError"
  | "viewJob"
  | "downloadLogs"
  | "downloadArtifact"
  | "copyCode"
  | "openVerification"
  | "approve"
  | "reject"
  | "rejectAndRevert"
  | "grantConsent"
  | "runNow"
  | "pause"
  | "resume";

export interface DetailAction {
  id: ActionId;
  label: string;
  enabled: boolean;
  /** Why it is disabled, shown next to it. */
  reason?: string;
  /** For links (View job, verification, consent). */
  href?: string;
  /** For downloadArtifact: which one. */
  artifact?: string;
}

/**
 * The run's log at a job and task: the run's web link with view=logs&j=…&t=…, the way Azure DevOps
 * opens a log at a place ({collection}{project}/_build/results?buildId=…&view=logs&j=…&t=…).
 */
export function jobLink(webUrl: string, jobRecordId?: string, taskRecordId?: string): string {
  const url = new URL(webUrl);
  url.searchParams.set("view", "logs");
  if (jobRecordId) url.searchParams.set("j", jobRecordId);
  if (taskRecordId) url.searchParams.set("t", taskRecordId);
  return url.toString();
}

/** The failing step of the run, by its timeline. */
export const failedStep = (detail: TenantDetail | undefined): RunStepView | undefined =>
  detail?.steps.find((s) => s.state === "failed");

/** The error a New error detail shows: the published one, else the failing step's first error. */
export function errorOf(row: OverviewRow, detail: TenantDetail | undefined): StatusError | undefined {
  const step = failedStep(detail);
  const published = row.status.detail.error;
  const issue = step?.issues.find((i) => i.type === "error");
  if (!published && !issue) return undefined;
  return {
    code: published?.code ?? "pipeline.failed",
    message: published?.message ?? issue!.message,
    ...(published?.hint ? { hint: published.hint } : {}),
    ...(published?.object ? { object: published.object } : {}),
    ...(published?.step ? { step: published.step } : {}),
    jobRecordId: published?.jobRecordId ?? step?.jobRecordId,
    taskRecordId: published?.taskRecordId ?? step?.taskRecordId,
  };
}

/** The hint for an error: its own, else one by the kind of failure, else by the step it stopped at. */
export function hintFor(error: StatusError): string {
  if (error.hint) return error.hint;
  const text = `${error.code} ${error.message}`.toLowerCase();
  if (/aadsts7000222|secret.*expired|expired.*(secret|certificate)|invalid_client/.test(text))
    return "The service connection's secret has expired: renew it in Project settings → Service connections, then run the sync again.";
  if (/\b403\b|forbidden|authorization_requestdenied|insufficient privileges/.test(text))
    return "The app lacks a permission for this object: grant the permission the message names (and admin consent), then run the sync again.";
  if (/throttl|\b429\b|\b503\b|unavailable|timed? ?out/.test(text))
    return "Microsoft Graph was unavailable; the run retried and gave up. Run the sync again later.";
  const byStep: Record<string, string> = {
    authenticate: "Signing in failed: check the service connection or sign in again when the code is shown.",
    backup: "The backup failed: open the job's log, fix the cause and run the sync again.",
    plan: "Making the plan failed: check the configuration files the log names, fix them and run the sync again.",
    deploy: "The deploy failed: open the job's log; the next deploy applies only what is left.",
  };
  return (
    (error.step && byStep[error.step]) ?? "Open the job's log to see what failed, fix the cause and run the sync again."
  );
}

/** Who may approve, for people who may not: "Alice and Bob may approve." */
export function approversText(names: string[]): string {
  if (names.length === 0) return "Only an assigned approver may approve.";
  const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
  return `${list} may approve.`;
}

/** The actions of a tenant's detail, in the order they are shown (and tabbed through). */
export function detailActions(row: OverviewRow, detail: TenantDetail | undefined): DetailAction[] {
  const status = row.status;
  const run = detail?.run ?? row.latestRun;
  const actions: DetailAction[] = [];
  const noRun = run ? undefined : "The tenant has no run yet.";
  switch (status.status) {
    case "newError": {
      const error = errorOf(row, detail);
      actions.push({
        id: "copyError",
        label: "Copy error",
        enabled: !!error,
        ...(error ? {} : { reason: "The run published no error text." }),
      });
      actions.push({
        id: "viewJob",
        label: "View job",
        enabled: !!run,
        ...(run ? { href: jobLink(run.webUrl, error?.jobRecordId, error?.taskRecordId) } : { reason: noRun }),
      });
      break;
    }
    case "pendingAuthentication": {
      const code = status.detail.deviceCode;
      const usable = !!code && !code.expired;
      const reason = code ? "The code expired; run the sync again for a new one." : "The run has not shown a code.";
      actions.push({ id: "copyCode", label: "Copy code", enabled: usable, ...(usable ? {} : { reason }) });
      actions.push({
        id: "openVerification",
        label: "Open sign-in page",
        enabled: usable,
        ...(code ? { href: code.verificationUri } : {}),
        ...(usable ? {} : { reason }),
      });
      break;
    }
    case "pendingApproval": {
      const may = detail?.canApprove ?? false;
      const reason = detail
        ? approversText(detail.approvers.length ? detail.approvers : (status.detail.approval?.approvers ?? []))
        : "Loading who may approve…";
      for (const [id, label] of [
        ["approve", "Approve"],
        ["reject", "Reject"],
        ["rejectAndRevert", "Reject and revert"],
      ] as const)
        actions.push({ id, label, enabled: may, ...(may ? {} : { reason }) });
      break;
    }
    case "pendingAdminConsent": {
      const url = status.detail.consent?.consentUrl;
      actions.push({
        id: "grantConsent",
        label: "Grant admin consent",
        enabled: !!url,
        ...(url ? { href: url } : { reason: "The run published no consent link; see its report." }),
      });
      break;
    }
  }
  if (status.status === "newError" || status.status === "partiallySuccessful") {
    if (status.status === "partiallySuccessful" && run)
      actions.push({ id: "viewJob", label: "View run", enabled: true, href: jobLink(run.webUrl) });
    actions.push({ id: "downloadLogs", label: "Download logs", enabled: !!run, ...(run ? {} : { reason: noRun }) });
    for (const artifact of detail?.downloads.artifacts ?? [])
      actions.push({
        id: "downloadArtifact",
        label: `Download ${artifact.name}`,
        enabled: !!run,
        artifact: artifact.name,
      });
  }
  const disabledPipeline = status.queueStatus === "disabled";
  actions.push({
    id: "runNow",
    label: "Run sync now",
    enabled: !status.paused,
    ...(status.paused ? { reason: `The pipeline is ${status.queueStatus}: resume it first.` } : {}),
  });
  actions.push(
    status.paused
      ? { id: "resume", label: disabledPipeline ? "Enable" : "Resume", enabled: true }
      : { id: "pause", label: "Pause", enabled: true },
  );
  return actions;
}
