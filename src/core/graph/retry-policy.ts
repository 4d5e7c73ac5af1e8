/**
 * retry-policy — the one decision of whether and when to retry a Graph call. Pure: it reads the
 * status, the headers and the attempt number and returns a delay in milliseconds, or undefined for
 * "do not retry". 429 / 503 / 504 honour Retry-After (seconds, fractional seconds or an HTTP date),
 * retry-after-ms and x-ms-retry-after-ms; without them, and for 500 / 502 and network errors, the
 * delay grows exponentially with jitter (conditional access answers 429 without Retry-After).
 * Other 4xx are never retried.
 */

export interface RetryInput {
  status?: number;
  /** Response headers, looked up case-insensitively. */
  headers?: Record<string, string | undefined> | { get(name: string): string | null };
  networkError?: boolean;
}

export interface RetryOptions {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** 0 ≤ random() < 1, injected for tests. */
  random: () => number;
  now: number;
}

export const defaultRetryOptions: Omit<RetryOptions, "now"> = {
  maxAttempts: 8,
  baseDelayMs: 1000,
  maxDelayMs: 60_000,
  random: Math.random,
};

const honoursRetryAfter = new Set([429, 503, 504]);
const backsOff = new Set([429, 500, 502, 503, 504]);

function header(headers: RetryInput["headers"], name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as { get?: unknown }).get === "function")
    return (headers as { get(n: string): string | null }).get(name) ?? undefined;
  const record = headers as Record<string, string | undefined>;
  const key = Object.keys(record).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : record[key];
}

/** The delay a server asked for, in ms, or undefined when it named none. */
export function serverRetryDelayMs(headers: RetryInput["headers"], now: number): number | undefined {
  for (const name of ["retry-after-ms", "x-ms-retry-after-ms"]) {
    const v = header(headers, name);
    if (v !== undefined && v.trim() !== "" && Number.isFinite(Number(v))) return Math.max(0, Number(v));
  }
  const v = header(headers, "retry-after")?.trim();
  if (!v) return undefined;
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  // An HTTP date has a weekday and month name; anything else (e.g. "-1") is not one.
  if (!/[A-Za-z]/.test(v)) return undefined;
  const date = Date.parse(v);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Delay before attempt `attempt + 1` (attempt counts from 0 = the first try), or undefined. */
export function retryDelayMs(input: RetryInput, attempt: number, options: RetryOptions): number | undefined {
  if (attempt + 1 >= options.maxAttempts) return undefined;
  const retryable = input.networkError || (input.status !== undefined && backsOff.has(input.status));
  if (!retryable) return undefined;
  if (input.status !== undefined && honoursRetryAfter.has(input.status)) {
    const asked = serverRetryDelayMs(input.headers, options.now);
    if (asked !== undefined) return Math.min(asked, options.maxDelayMs);
  }
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** attempt);
  return Math.round(ceiling / 2 + (options.random() * ceiling) / 2);
}
