/**
 * errors — the one place where a failed REST call becomes the sentence a person reads: what failed,
 * for which tenant, why (in words, not a status code), and what to do next. The service's own message
 * is kept at the end when it adds something, so nothing it said is lost.
 */
import type { RestFailure } from "./rest";

export interface FailureContext {
  /** What was being done, as a gerund phrase: "Approving", "Pausing the pipeline of". */
  action: string;
  /** The tenant (or tenants) it was done for. */
  tenant?: string;
  /** Who may approve, for refusals of an approval. */
  approvers?: string[];
}

/** An Error whose message is for people; the REST failure stays as `cause`. */
export class HubError extends Error {
  readonly status?: number;
  constructor(message: string, cause?: unknown) {
    super(message);
    this.name = "HubError";
    this.cause = cause;
    this.status = (cause as RestFailure | undefined)?.status;
  }
}

const list = (names: string[]) =>
  names.length <= 1 ? (names[0] ?? "") : `${names.slice(0, -1).join(", ")} or ${names[names.length - 1]}`;

/** Why it failed and what to do, from the status and the service's error type. */
function reason(e: RestFailure, c: FailureContext): string {
  const typeKey = e.serverError?.typeKey ?? "";
  const said = e.serverError?.message ?? (e.status ? "" : e.message);
  const quote = said ? ` (Azure DevOps said: ${said})` : "";
  if (e.name === "NetworkException" || (e instanceof TypeError && !e.status))
    return "Azure DevOps could not be reached: check the connection and try again.";
  if (typeKey === "ApprovalUnauthorizedException" || /not permitted to complete approval/i.test(said))
    return `you are not an assigned approver of this run${c.approvers?.length ? ` (${list(c.approvers)} may approve)` : ""}`;
  if (typeKey === "ApprovalAlreadyCompletedException" || /already in completed state/i.test(said))
    return "the approval was already decided (by someone else, or it timed out): refresh to see the outcome";
  if (/DefinitionDisabled|BuildRequestValidationFailed/.test(typeKey) && /disabled/i.test(said))
    return "the pipeline is disabled: enable it (Resume) and try again";
  if (typeKey === "PipelineValidationException")
    return `the pipeline refused the run's parameters: check the pipeline's YAML declares them${quote}`;
  switch (e.status) {
    case 401:
      return "your sign-in to Azure DevOps was refused or expired: reload the page and try again";
    case 403:
      return `you lack the permission for this in the project: ask a project administrator${quote}`;
    case 404:
      return `it was not found (deleted, renamed, or not run that far): refresh the hub${quote}`;
    case 409:
      return `it changed meanwhile: refresh the hub and try again${quote}`;
    case 429:
      return "Azure DevOps is throttling the hub's requests: wait a minute and try again";
  }
  if (e.status && e.status >= 500) return `Azure DevOps had a problem (${e.status}): try again in a moment${quote}`;
  if (e.status) return `Azure DevOps refused the request (${e.status})${quote}`;
  return `${e.message || String(e)}`;
}

/** The message for a failure of `c.action` (for `c.tenant`). */
export function failureMessage(e: unknown, c: FailureContext): string {
  const failure = (e instanceof Error ? e : new Error(String(e))) as RestFailure;
  return `${c.action}${c.tenant ? ` ${c.tenant}` : ""} failed: ${reason(failure, c)}.`;
}

/** Runs `work`; a failure rejects with a HubError saying what failed, for whom, and what to do. */
export async function described<T>(c: FailureContext | (() => FailureContext), work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof HubError) throw e;
    throw new HubError(failureMessage(e, typeof c === "function" ? c() : c), e);
  }
}
