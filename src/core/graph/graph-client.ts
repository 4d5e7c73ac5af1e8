/**
 * graph-client — every Graph call of a run goes through one GraphClient, built on
 * @microsoft/microsoft-graph-client with our middleware in a fixed order:
 *   concurrency limit → retry (retry-policy.ts decides) → budget → auth → transport.
 * Each service family has its own lane of `maxConcurrency` requests in flight.
 * It offers get / list (an async iterator over pages) / send / batch ($batch of up to 20, throttled
 * items re-queued after the largest Retry-After) and counts what it did. The Graph URL and the
 * credential are settings, so the emulator is a configuration, not a mock.
 */
import type { TokenCredential } from "@azure/core-auth";
import {
  AuthenticationHandler,
  Client,
  type Context,
  HTTPMessageHandler,
  type Middleware,
} from "@microsoft/microsoft-graph-client";
import { TokenCredentialAuthenticationProvider } from "@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials";
import { type Clock, realClock } from "../clock";
import { GraphError, isGraphError } from "../errors";
import { silentLogger, type Logger } from "../logger";
import { GraphBudget, familyOf, type ServiceFamily } from "./budget";
import { ConcurrencyLimiter } from "./concurrency";
import { graphScope } from "./credentials";
import { defaultRetryOptions, retryDelayMs, type RetryOptions } from "./retry-policy";

export type Json = Record<string, unknown>;
export type GraphVersion = "v1.0" | "beta";

/** Graph accepts at most 20 requests per $batch. */
export const maxBatchSize = 20;

export interface GraphClientSettings {
  graphUrl: string;
  credential: TokenCredential;
  clock?: Clock;
  maxConcurrency?: number;
  /** Multiplies the client-side throttling budget (match the emulator's --throttle-scale). */
  budgetScale?: number;
  retry?: Partial<Omit<RetryOptions, "now">>;
  log?: Logger;
}

export interface BatchRequest {
  id: string;
  method: string;
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
}
export interface BatchResult {
  id: string;
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

export interface GraphStats {
  /** HTTP requests sent, retries included (a $batch envelope counts once). */
  httpRequests: number;
  /** Requests carried inside $batch envelopes. */
  batchItems: number;
  /** $batch envelopes sent (included in httpRequests). */
  batchEnvelopes: number;
  /** 429 answers seen, batch items included. */
  throttled: number;
  retries: number;
}

export class GraphClient {
  readonly stats: GraphStats = { httpRequests: 0, batchItems: 0, batchEnvelopes: 0, throttled: 0, retries: 0 };
  readonly budget: GraphBudget;
  private readonly sdk: Client;
  private readonly clock: Clock;
  private readonly retry: Omit<RetryOptions, "now">;
  private readonly log: Logger;
  readonly graphUrl: string;

  constructor(readonly settings: GraphClientSettings) {
    this.graphUrl = settings.graphUrl.replace(/\/$/, "");
    this.clock = settings.clock ?? realClock;
    this.retry = { ...defaultRetryOptions, ...settings.retry };
    this.log = settings.log ?? silentLogger;
    this.budget = new GraphBudget(this.clock, { scale: settings.budgetScale ?? 1 });
    const auth = new AuthenticationHandler(
      new TokenCredentialAuthenticationProvider(settings.credential, { scopes: [graphScope] }),
    );
    const max = settings.maxConcurrency ?? 8;
    // One lane per service family: requests waiting for one family's budget never hold up another's.
    const lanes = new Map<ServiceFamily, ConcurrencyLimiter>(
      (["intune", "entra", "conditionalAccess"] as const).map((f) => [f, new ConcurrencyLimiter(max)]),
    );
    const policies = new PolicyMiddleware(this, lanes);
    this.sdk = Client.initWithMiddleware({
      middleware: [policies, auth, new HTTPMessageHandler()],
      baseUrl: this.graphUrl,
      customHosts: new Set([new URL(this.graphUrl).hostname]),
      defaultVersion: "v1.0",
    });
  }

  /** The access token the client uses (to read granted permissions). */
  async accessToken(): Promise<string> {
    const token = await this.settings.credential.getToken(graphScope);
    if (!token) throw new Error("the credential returned no token");
    return token.token;
  }

  private url(version: GraphVersion, path: string): string {
    return /^https?:/.test(path) ? path : `${this.graphUrl}/${version}${path.startsWith("/") ? path : `/${path}`}`;
  }

  async get(version: GraphVersion, path: string, object?: string): Promise<Json> {
    return this.call("GET", this.url(version, path), undefined, object) as Promise<Json>;
  }

  async send(
    method: "POST" | "PATCH" | "PUT" | "DELETE",
    version: GraphVersion,
    path: string,
    body?: unknown,
    object?: string,
  ): Promise<Json | undefined> {
    return this.call(method, this.url(version, path), body, object) as Promise<Json | undefined>;
  }

  /** Every item of a collection, page by page; callers never see @odata.nextLink. */
  async *list(version: GraphVersion, path: string, object?: string): AsyncGenerator<Json> {
    let next: string | undefined = this.url(version, path);
    while (next) {
      const page = (await this.call("GET", next, undefined, object)) as Json;
      for (const item of (page.value as Json[] | undefined) ?? []) yield item;
      next = typeof page["@odata.nextLink"] === "string" ? page["@odata.nextLink"] : undefined;
    }
  }

  async listAll(version: GraphVersion, path: string, object?: string): Promise<Json[]> {
    const out: Json[] = [];
    for await (const item of this.list(version, path, object)) out.push(item);
    return out;
  }

  /**
   * Sends requests in $batch envelopes of up to 20. Throttled or unavailable items are sent again
   * after the largest Retry-After among them; other failures are returned as results.
   */
  async batch(version: GraphVersion, requests: BatchRequest[]): Promise<Map<string, BatchResult>> {
    const results = new Map<string, BatchResult>();
    let queue = requests.map((r) => ({ request: r, attempt: 0 }));
    while (queue.length > 0) {
      const chunks: (typeof queue)[] = [];
      for (let i = 0; i < queue.length; i += maxBatchSize) chunks.push(queue.slice(i, i + maxBatchSize));
      const retryLater: typeof queue = [];
      let waitMs = 0;
      await Promise.all(
        chunks.map(async (chunk) => {
          const responses = await this.sendBatch(
            version,
            chunk.map((c) => c.request),
          );
          for (const c of chunk) {
            const r = responses.get(c.request.id) ?? {
              id: c.request.id,
              status: 500,
              headers: {},
              body: {
                error: { code: "missingResponse", message: "The $batch answer had no response for this request." },
              },
            };
            if (r.status === 429) this.stats.throttled += 1;
            const delay =
              r.status >= 400
                ? retryDelayMs({ status: r.status, headers: r.headers }, c.attempt, {
                    ...this.retry,
                    now: this.clock.now(),
                  })
                : undefined;
            if (delay === undefined) {
              results.set(c.request.id, r);
            } else {
              if (r.status === 429) this.budget.pause(familyOf(c.request.url), delay);
              retryLater.push({ request: c.request, attempt: c.attempt + 1 });
              waitMs = Math.max(waitMs, delay);
            }
          }
        }),
      );
      if (retryLater.length > 0) {
        this.stats.retries += retryLater.length;
        this.log.debug(`${retryLater.length} batch item(s) throttled or failed; retrying in ${Math.round(waitMs)} ms`);
        await this.clock.sleep(waitMs);
      }
      queue = retryLater;
    }
    return results;
  }

  private async sendBatch(version: GraphVersion, requests: BatchRequest[]): Promise<Map<string, BatchResult>> {
    this.stats.batchItems += requests.length;
    this.stats.batchEnvelopes += 1;
    const body = {
      requests: requests.map((r) => ({
        id: r.id,
        method: r.method,
        url: r.url,
        ...(r.body !== undefined
          ? { body: r.body, headers: { "Content-Type": "application/json", ...r.headers } }
          : r.headers
            ? { headers: r.headers }
            : {}),
      })),
    };
    const answer = (await this.call("POST", this.url(version, "/$batch"), body)) as { responses?: BatchResult[] };
    return new Map((answer.responses ?? []).map((r) => [r.id, { ...r, headers: r.headers ?? {} }]));
  }

  private async call(method: string, url: string, body?: unknown, object?: string): Promise<unknown> {
    try {
      const request = this.sdk.api(url);
      switch (method) {
        case "GET":
          return await request.get();
        case "POST":
          return await request.post(body ?? {});
        case "PATCH":
          return await request.patch(body ?? {});
        case "PUT":
          return await request.put(body ?? {});
        case "DELETE":
          return await request.delete();
        default:
          throw new Error(`unsupported method ${method}`);
      }
    } catch (e) {
      throw toGraphError(e, method, url, object);
    }
  }

  /** Used by the middleware. */
  retryDelay(
    status: number | undefined,
    headers: Headers | undefined,
    attempt: number,
    networkError: boolean,
  ): number | undefined {
    return retryDelayMs({ status, headers, networkError }, attempt, { ...this.retry, now: this.clock.now() });
  }

  sleep(ms: number): Promise<void> {
    return this.clock.sleep(ms);
  }

  logDebug(message: string): void {
    this.log.debug(message);
  }
}

/** Turns the SDK's error (or a network failure) into our GraphError. */
export function toGraphError(e: unknown, method: string, url: string, object?: string): GraphError {
  if (isGraphError(e)) return e;
  const err = e as {
    statusCode?: number;
    code?: string;
    message?: string;
    requestId?: string;
    body?: unknown;
    headers?: Headers;
  };
  let graphCode = err.code ?? undefined;
  let message = err.message ?? String(e);
  if (typeof err.body === "string") {
    try {
      const parsed = JSON.parse(err.body) as { error?: { code?: string; message?: string } };
      graphCode = parsed.error?.code ?? graphCode;
      message = parsed.error?.message ?? message;
    } catch {
      /* not JSON: keep the SDK's message */
    }
  }
  const status = typeof err.statusCode === "number" && err.statusCode > 0 ? err.statusCode : 0;
  return new GraphError({
    status,
    graphCode: graphCode ?? (status === 0 ? "networkError" : undefined),
    message,
    requestId: err.requestId ?? undefined,
    method,
    url,
    object,
    cause: e,
  });
}

function batchItems(context: Context): { url: string; method: string }[] {
  try {
    const body = JSON.parse(String(context.options?.body ?? "{}")) as { requests?: { url: string; method: string }[] };
    return body.requests ?? [];
  } catch {
    return [];
  }
}

/** Requests grouped by what they cost: one budget reservation (and one wait) per group. */
function costGroups(
  items: { url: string; method: string }[],
): { family: ReturnType<typeof familyOf>; isWrite: boolean; cost: number }[] {
  const groups = new Map<string, { family: ReturnType<typeof familyOf>; isWrite: boolean; cost: number }>();
  for (const item of items) {
    const family = familyOf(item.url);
    const isWrite = item.method.toUpperCase() !== "GET";
    const key = `${family}|${isWrite}`;
    const group = groups.get(key) ?? { family, isWrite, cost: 0 };
    group.cost += 1;
    groups.set(key, group);
  }
  return [...groups.values()];
}

function removeAuthorization(context: Context): void {
  const headers = context.options?.headers as Headers | Record<string, string> | undefined;
  if (!headers) return;
  if (typeof (headers as Headers).delete === "function") (headers as Headers).delete("Authorization");
  else
    for (const k of Object.keys(headers))
      if (k.toLowerCase() === "authorization") delete (headers as Record<string, string>)[k];
}

/** Concurrency, retry and budget around every HTTP attempt. */
class PolicyMiddleware implements Middleware {
  private next?: Middleware;
  constructor(
    private readonly client: GraphClient,
    private readonly lanes: Map<ServiceFamily, ConcurrencyLimiter>,
  ) {}

  setNext(next: Middleware): void {
    this.next = next;
  }

  async execute(context: Context): Promise<void> {
    const url = typeof context.request === "string" ? context.request : context.request.url;
    const method = (
      context.options?.method ?? (typeof context.request === "string" ? "GET" : context.request.method)
    ).toUpperCase();
    const path = new URL(url).pathname;
    const isBatch = path.endsWith("/$batch");
    const items = isBatch ? batchItems(context) : [{ url: path, method }];
    const lane = this.lanes.get(familyOf(items[0]?.url ?? path)) as ConcurrencyLimiter;
    await lane.run(async () => {
      for (let attempt = 0; ; attempt++) {
        // Budget is taken just before sending (inside the concurrency slot), so paced requests are not
        // released in a burst later; a $batch takes one unit per item, as the service counts them.
        const releases: (() => void)[] = [];
        for (const group of costGroups(items)) {
          releases.push(await this.client.budget.acquire(group.family, group.isWrite, group.cost));
        }
        context.response = undefined;
        // The auth handler appends its header on every pass; a retry must start without it.
        if (attempt > 0) removeAuthorization(context);
        let networkDelay: number | undefined;
        try {
          this.client.stats.httpRequests += 1;
          await this.next?.execute(context);
        } catch (e) {
          networkDelay = this.client.retryDelay(undefined, undefined, attempt, true);
          if (networkDelay === undefined) {
            releases.forEach((release) => release());
            throw e;
          }
          this.client.logDebug(
            `network error on ${method} ${path} (${(e as Error).message}); retrying in ${networkDelay} ms`,
          );
        }
        releases.forEach((release) => release());
        const response = context.response as Response | undefined;
        let delay = networkDelay;
        if (networkDelay === undefined && response) {
          if (response.status === 429) this.client.stats.throttled += 1;
          if (response.ok) return;
          delay = this.client.retryDelay(response.status, response.headers, attempt, false);
          if (delay === undefined) return;
          // A throttled $batch pauses the families of its items (the path /$batch names none of them).
          if (response.status === 429)
            for (const family of new Set(items.map((item) => familyOf(item.url))))
              this.client.budget.pause(family, delay);
          await response.arrayBuffer().catch(() => undefined);
          this.client.logDebug(`${response.status} on ${method} ${path}; retrying in ${delay} ms`);
        }
        this.client.stats.retries += 1;
        await this.client.sleep(delay ?? 0);
      }
    });
  }
}
