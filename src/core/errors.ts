/**
 * errors — the engine's two error classes. SyncError: something the run cannot get past, with a
 * stable code, the object it concerns and what to do next. GraphError: a failed Graph call, with
 * status, Graph's error code and request id; URLs and messages are redacted at construction so
 * no token or secret reaches a log, and Graph's text is made one safe line (safeText). Recognise them
 * by `name` (survives duplicate module copies).
 */
import { safeText } from "./safe-text";

export type SyncErrorCode =
  | "auth.failed"
  | "auth.consentRequired"
  | "auth.deviceCodePending"
  | "auth.deviceCodeTimeout"
  | "repo.locked"
  | "repo.lockFailed"
  | "config.invalid"
  | "graph.failed"
  | "graph.throttled"
  | "export.failed"
  | "export.partial"
  | "snapshot.invalid"
  | "git.failed"
  | "plan.invalid"
  | "plan.stale"
  | "plan.blocked"
  | "plan.unverified"
  | "sync.conflict"
  | "deploy.failed"
  | "snapshot.collision"
  | "repo.unsafePath"
  | "repo.fileTooLarge"
  | "repo.notUtf8"
  | "secret.unavailable";

export interface ErrorDetail {
  /** The object the error concerns, as an address: intune.compliancePolicy["Windows baseline"]. */
  object?: string;
  /** What to do next. */
  hint?: string;
  cause?: unknown;
}

export class SyncError extends Error {
  override readonly name = "SyncError";
  constructor(
    readonly code: SyncErrorCode,
    message: string,
    readonly detail: ErrorDetail = {},
  ) {
    super(message, { cause: detail.cause });
  }
}

// A query value ends at "&", "#" or whitespace: the text after a URL in a message is kept.
const secretQuery =
  /((?:^|[?&\s])(?:client_secret|client_assertion|access_token|refresh_token|code|sig|token|(?:\$|%24)skiptoken)=)[^&#\s]*/gi;
const secretJson = /("(?:client_secret|client_assertion|access_token|refresh_token|clientSecret)"\s*:\s*")[^"]*"/gi;
const bearer = /(Bearer\s+)[A-Za-z0-9\-._~+/]+=*/gi;
const jwtLike = /eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g;

/** Removes tokens, secrets and opaque page tokens from text meant for people. */
export function redact(text: string): string {
  return text
    .replace(secretQuery, "$1[redacted]")
    .replace(secretJson, '$1[redacted]"')
    .replace(bearer, "$1[redacted]")
    .replace(jwtLike, "[redacted-token]");
}

export interface GraphErrorInit {
  status: number;
  graphCode?: string;
  message: string;
  requestId?: string;
  method: string;
  url: string;
  object?: string;
  retryAfterMs?: number;
  cause?: unknown;
}

export class GraphError extends Error {
  override readonly name = "GraphError";
  readonly status: number;
  readonly graphCode?: string;
  readonly requestId?: string;
  readonly method: string;
  readonly url: string;
  readonly object?: string;
  readonly retryAfterMs?: number;

  constructor(init: GraphErrorInit) {
    const url = redact(init.url);
    const what = `${init.method} ${url} failed: ${init.status}${init.graphCode ? ` ${safeText(init.graphCode)}` : ""}: ${safeText(redact(init.message))}`;
    super(init.object ? `${what} (${init.object})` : what, { cause: init.cause });
    this.status = init.status;
    this.graphCode = init.graphCode;
    this.requestId = init.requestId;
    this.method = init.method;
    this.url = url;
    this.object = init.object;
    this.retryAfterMs = init.retryAfterMs;
  }
}

export function isSyncError(e: unknown): e is SyncError {
  return e instanceof Error && e.name === "SyncError";
}

export function isGraphError(e: unknown): e is GraphError {
  return e instanceof Error && e.name === "GraphError";
}

/** One line for people: the message, then the hint. */
export function describeError(e: unknown): string {
  if (isSyncError(e)) return [e.message, e.detail.hint].filter(Boolean).join(" ");
  if (e instanceof Error) return redact(e.message);
  return redact(String(e));
}
