/**
 * server — the local Microsoft Graph: one HTTPS listener for the identity platform and Graph
 * (/v1.0, /beta, $batch), and a second one for the control API (/_emulator), so no Graph token can
 * reach it. Every Graph call passes: token → tenant → licence → permission → faults → throttling →
 * handler, and is counted by route template; a request with an Origin gets CORS headers. A
 * successful write is recorded in the tenant's audit log with the calling app as initiator.
 */
import type { Server } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import { get as httpsGet } from "node:https";
import type { LocalCa } from "../https";
import { EmulatorClock } from "../http/clock";
import { type CorsHeaders, isPreflight, preflightResponse, withCors } from "../http/cors";
import { requestsTo } from "../http/counters";
import { parseJson, portOf, readBody, startListenerPair, stopServers } from "../http/listener";
import { type Counters, countResponse, newCounters } from "./counters";
import { errorResponse, forbidden, GraphHttpError, type GraphResponse, fail } from "./errors";
import { defaultFaultSettings, FaultInjector, type FaultSettings, serverErrorBodies } from "./faults";
import { isAllowed, requiredPermissions } from "./permissions";
import { type PagingSettings, type ResolvedRoute, resolveRoute } from "./routes";
import { seedTenant } from "./seeds";
import { TenantStore } from "./tenant-store";
import { resourceUnitCost, retryAfterHeader, retryAfterSeconds, Throttler, type ThrottleSettings } from "./throttle";
import { defined, type ServiceFamily } from "./service-model";
import { IdentityEndpoint } from "./token-endpoint";
import { handleControl } from "./control";
import { handleBatch } from "./batch";
import { pendingWrite, recordGraphWrite } from "./audit-log";
import { mountFor } from "./mounts";
import type { BatchTarget, ControlTarget, GraphCall, Principal } from "./context";

/** What a browser app may send to Graph and read back (request ids, throttling, paging headers). */
const graphCorsHeaders: CorsHeaders = {
  allowedHeaders:
    "Authorization, Content-Type, Accept, ConsistencyLevel, Prefer, If-Match, client-request-id, return-client-request-id, SdkVersion",
  exposedHeaders:
    "request-id, client-request-id, Retry-After, Location, x-ms-resource-unit, x-ms-throttle-scope, x-ms-throttle-information",
};

export interface GraphEmulatorOptions {
  port?: number;
  controlPort?: number;
  host?: string;
  seed?: string;
  caDir?: string;
  stateDir?: string;
  throttle?: Partial<ThrottleSettings>;
  faults?: Partial<FaultSettings>;
  paging?: Partial<PagingSettings>;
  tokenLifetimeSeconds?: number;
  deviceCodeIntervalSeconds?: number;
  deviceCodeLifetimeSeconds?: number;
  /** Fixed client credentials for the seeded tenant (otherwise generated). */
  clientId?: string;
  clientSecret?: string;
  tenantId?: string;
  log?: (line: string) => void;
}

export type { GraphCall, Principal } from "./context";

/** What `tenant-sync emulate graph` prints as its one ready line. */
export interface ReadyInfo {
  graphUrl: string;
  authorityHost: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  caCertPath: string;
  controlUrl: string;
}

export class GraphEmulator implements ControlTarget, BatchTarget {
  readonly store = new TenantStore();
  readonly throttler: Throttler;
  readonly faults: FaultInjector;
  readonly identity: IdentityEndpoint;
  counters: Counters = newCounters();
  paging: PagingSettings;
  readonly clock = new EmulatorClock();
  private server?: Server;
  private controlServer?: Server;
  private ca?: LocalCa;
  private readonly retryNotBefore = new Map<string, { issuedAt: number; notBefore: number }>();
  private saveTimer?: NodeJS.Timeout;
  private readonly log: (line: string) => void;

  constructor(readonly options: GraphEmulatorOptions = {}) {
    this.log = options.log ?? (() => undefined);
    this.throttler = new Throttler({ mode: "realistic", scale: 1, ...defined(options.throttle) });
    this.faults = new FaultInjector({ ...defaultFaultSettings, ...defined(options.faults) });
    this.paging = {
      perResource: {},
      emptyPageEvery: 0,
      ...defined(options.paging),
    };
    this.identity = new IdentityEndpoint(this.store, {
      baseUrl: () => this.graphUrl,
      now: () => this.now(),
      tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 3599,
      deviceCodeIntervalSeconds: options.deviceCodeIntervalSeconds ?? 5,
      deviceCodeLifetimeSeconds: options.deviceCodeLifetimeSeconds ?? 900,
      fetchJson,
    });
  }

  now(): number {
    return this.clock.now();
  }

  get graphUrl(): string {
    return `https://${this.options.host ?? "127.0.0.1"}:${portOf(this.server)}`;
  }

  get controlUrl(): string {
    return `https://${this.options.host ?? "127.0.0.1"}:${portOf(this.controlServer)}/_emulator`;
  }

  async start(): Promise<ReadyInfo> {
    const loaded = this.options.stateDir ? this.store.load(this.options.stateDir) : false;
    if (!loaded)
      this.seed(this.options.seed ?? "demo", {
        tenantId: this.options.tenantId,
        clientId: this.options.clientId,
        clientSecret: this.options.clientSecret,
      });
    ({
      ca: this.ca,
      server: this.server,
      controlServer: this.controlServer,
    } = await startListenerPair(this.options, (req, res, isControl) => void this.onRequest(req, res, isControl)));
    return this.readyInfo();
  }

  readyInfo(): ReadyInfo {
    const tenant = this.store.all()[0];
    const app = tenant?.state.apps[0];
    return {
      graphUrl: this.graphUrl,
      authorityHost: this.graphUrl,
      tenantId: tenant?.id ?? "",
      clientId: app?.clientId ?? "",
      clientSecret: app?.secrets[0] ?? "",
      caCertPath: this.ca?.certPath ?? "",
      controlUrl: this.controlUrl,
    };
  }

  seed(spec: string, options: Parameters<typeof seedTenant>[1] = {}) {
    return this.store.add(seedTenant(spec, options));
  }

  async stop(): Promise<void> {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.persist();
    await stopServers([this.server, this.controlServer]);
  }

  persist(): void {
    if (this.options.stateDir) this.store.save(this.options.stateDir);
  }

  private schedulePersist(): void {
    if (!this.options.stateDir || this.saveTimer) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      this.persist();
    }, 200);
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse, isControl: boolean): Promise<void> {
    const receivedAt = this.now();
    const raw = await readBody(req);
    const url = new URL(req.url ?? "/", isControl ? this.controlUrl : this.graphUrl);
    try {
      if (isControl) {
        if (!url.pathname.startsWith("/_emulator"))
          return void send(res, errorResponse(404, "NotFound", "The control API lives under /_emulator.", this.now()));
        return void send(res, await handleControl(this, req.method ?? "GET", url, parseJson(raw)));
      }
      this.counters.httpRequests += 1;
      this.counters.bytesIn += raw.length;
      // Browser apps (SPAs) call Graph and the token endpoint cross-origin: preflights pass before any check.
      if (isPreflight(req)) return void send(res, withCors(req, preflightResponse(), graphCorsHeaders));
      const latency = this.faults.latencyMs();
      if (latency > 0) await delay(latency);
      const scriptedReset = this.faults.takeScripted(req.method ?? "GET", url.pathname, ["reset"]);
      if (scriptedReset || this.faults.shouldReset()) {
        this.counters.connectionResets += 1;
        this.counters.faultsInjected += 1;
        req.socket.destroy();
        return;
      }
      const response = withCors(req, await this.route(req, url, raw, receivedAt), graphCorsHeaders);
      const slow = this.faults.takeScripted(req.method ?? "GET", url.pathname, ["slowBody"]);
      const slowMs = slow?.kind === "slowBody" ? slow.ms : this.faults.slowBodyMs();
      if (slowMs > 0) this.counters.faultsInjected += 1;
      this.counters.bytesOut += await send(res, response, slowMs);
    } catch (e) {
      this.log(`emulator: ${(e as Error).stack ?? String(e)}`);
      if (!res.headersSent)
        send(res, errorResponse(500, "generalException", "The emulator failed to handle the request.", this.now()));
    }
  }

  private async route(req: IncomingMessage, url: URL, raw: Buffer, receivedAt: number): Promise<GraphResponse> {
    const method = req.method ?? "GET";
    if (url.pathname === "/devicelogin") return deviceLoginPage(this, method, raw);
    const identity = await this.identity.handle(method, url, new URLSearchParams(raw.toString("utf8")));
    if (identity) return identity;
    const m = /^\/(v1\.0|beta)(\/.*)?$/i.exec(url.pathname);
    if (!m)
      return errorResponse(
        400,
        "BadRequest",
        `Invalid version: the path must start with /v1.0 or /beta (got ${url.pathname}).`,
        this.now(),
      );
    const version = m[1].toLowerCase() === "beta" ? "beta" : "v1.0";
    const path = m[2] ?? "/";
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
    let principal: Principal;
    try {
      principal = this.authenticate(headers.authorization);
    } catch (e) {
      if (e instanceof GraphHttpError) return e.response;
      throw e;
    }
    if (path === "/$batch" && method === "POST") {
      this.counters.batchRequests += 1;
      // A fault scripted for the outer $batch (pathContains "/$batch" or outer: true) answers the whole POST.
      const injected = await this.injectFault(method, url.pathname, principal.tenantId, this.now(), undefined, true);
      if (injected) return injected;
      return handleBatch(this, principal, version, raw, url, receivedAt);
    }
    return this.call(principal, { method, version, path, url, rawBody: raw, headers, receivedAt });
  }

  /** Checks the bearer token: 401 for missing, malformed or expired tokens. */
  authenticate(authorization: string | undefined): Principal {
    const now = this.now();
    const token = /^Bearer\s+(.+)$/i.exec(authorization ?? "")?.[1]?.trim();
    if (!token) fail(401, "InvalidAuthenticationToken", "Access token is empty.", now);
    const verified = this.identity.verifyAccessToken(token);
    if ("reason" in verified) fail(401, "InvalidAuthenticationToken", verified.reason, now);
    const claims = verified.claims;
    const roles = Array.isArray(claims.roles) ? claims.roles.map(String) : [];
    const scp = typeof claims.scp === "string" ? claims.scp.split(" ").filter(Boolean) : [];
    return {
      tenantId: String(claims.tid),
      appId: String(claims.appid),
      granted: new Set([...roles, ...scp]),
      isDelegated: scp.length > 0,
    };
  }

  /** One Graph call (HTTP request or $batch item), counted. */
  async call(principal: Principal, req: GraphCall): Promise<GraphResponse> {
    let response: GraphResponse;
    const resolved: { route?: ResolvedRoute } = {};
    try {
      response = await this.execute(principal, req, resolved);
    } catch (e) {
      if (!(e instanceof GraphHttpError)) throw e;
      response = e.response;
    }
    countResponse(this.counters, req.method, resolved.route?.template, response.status);
    if (req.method !== "GET" && response.status < 300) this.schedulePersist();
    return response;
  }

  private async execute(
    principal: Principal,
    req: GraphCall,
    resolved: { route?: ResolvedRoute },
  ): Promise<GraphResponse> {
    const now = this.now();
    const tenant = this.store.find(principal.tenantId);
    if (!tenant)
      fail(401, "InvalidAuthenticationToken", "The tenant of this token does not exist in the emulator.", now);
    const route = resolveRoute(req.method, req.version, req.path, now);
    resolved.route = route;
    const { model } = route;
    if (model.family === "intune" && !tenant.state.licences.intune) {
      fail(400, "BadRequest", "Request not applicable to target tenant.", now);
    }
    const required = requiredPermissions(model.key, req.method, route.permissionTemplate);
    if (!isAllowed(principal.granted, required)) {
      const hasIntune = [...principal.granted].some((p) => p.startsWith("DeviceManagement"));
      forbidden(model.family, [...required.anyOf, ...required.allOf], hasIntune, now);
    }
    const injected = await this.injectFault(req.method, `/${req.version}${req.path}`, tenant.id, now, model.family);
    if (injected) return injected;
    const throttled = this.throttle(
      principal,
      tenant.state.size,
      model.family,
      route.isWrite,
      req.method,
      req.url.searchParams,
      now,
      req.receivedAt,
    );
    if (throttled.status === 429) return throttled;
    const body = Buffer.isBuffer(req.rawBody) ? parseJsonBody(req.rawBody, now) : req.rawBody;
    const mount = mountFor(req.path);
    const pending = mount ? pendingWrite(tenant, mount, req.method, req.path) : undefined;
    const response = await route.run({
      tenant,
      version: req.version,
      method: req.method,
      path: req.path,
      url: req.url,
      query: req.url.searchParams,
      body,
      now,
      graphUrl: this.graphUrl,
      paging: this.paging,
      caller: principal,
    });
    if (pending) recordGraphWrite(tenant, pending, response, principal, now);
    response.headers = { ...throttled.headers, ...response.headers };
    return response;
  }

  private async injectFault(
    method: string,
    path: string,
    tenantId: string,
    now: number,
    family?: ServiceFamily,
    outer = false,
  ): Promise<GraphResponse | undefined> {
    const where = { tenantId, outer };
    if (this.faults.takeScripted(method, path, ["hold"], where)) {
      this.counters.faultsInjected += 1;
      await this.faults.hold();
    }
    const scripted = this.faults.takeScripted(method, path, ["status"], where);
    // Random 5xx hit single requests and batch items, as before; the outer $batch fails only when scripted.
    const status = scripted?.kind === "status" ? scripted.status : outer ? undefined : this.faults.randomServerError();
    if (status === undefined) return undefined;
    this.counters.faultsInjected += 1;
    const asked = scripted?.kind === "status" ? scripted.retryAfterSeconds : undefined;
    // Graph's 429s carry Retry-After except conditional access / named locations (see throttle.ts);
    // its 503s ask for a retry too. `retryAfterSeconds: null` scripts a 429 without one.
    const sendsByDefault = (status === 429 && family !== "conditionalAccess") || status === 503;
    const retryAfterMs =
      asked === null ? undefined : asked !== undefined ? asked * 1000 : sendsByDefault ? 1000 : undefined;
    const headers = retryAfterMs !== undefined ? retryAfterHeader(retryAfterMs) : {};
    if (status === 429) {
      return errorResponse(429, "TooManyRequests", "Please retry again later.", now, {
        headers,
        innerError: { code: "429", message: "Please retry after", status: "429" },
      });
    }
    const known = serverErrorBodies[status] ?? {
      code: scripted?.kind === "status" ? (scripted.code ?? "error") : "error",
      message: "Injected fault.",
    };
    const code = scripted?.kind === "status" && scripted.code ? scripted.code : known.code;
    const message = scripted?.kind === "status" && scripted.message ? scripted.message : known.message;
    return errorResponse(status, code, message, now, { headers });
  }

  private throttle(
    principal: Principal,
    size: "S" | "M" | "L",
    family: Parameters<Throttler["take"]>[0]["family"],
    isWrite: boolean,
    method: string,
    query: URLSearchParams,
    now: number,
    receivedAt: number,
  ): GraphResponse {
    const key = `${principal.tenantId}|${principal.appId}|${family}`;
    const window = this.retryNotBefore.get(key);
    // Early: sent after a 429 went out and before its Retry-After ran out. Requests received before
    // the 429 was answered (in flight, or in the same $batch) do not count.
    if (window && receivedAt > window.issuedAt && receivedAt < window.notBefore) this.counters.earlyRetries += 1;
    const decision = this.throttler.take(
      {
        tenantId: principal.tenantId,
        appId: principal.appId,
        family,
        isWrite,
        resourceUnits: resourceUnitCost(method, query),
        tenantSize: size,
      },
      now,
    );
    if (decision.ok) return { status: 200, headers: decision.headers };
    // The window a client must wait is the Retry-After it is told (whole seconds), not the bucket's exact refill.
    const waitMs = decision.sendRetryAfter ? retryAfterSeconds(decision.retryAfterMs) * 1000 : decision.retryAfterMs;
    const notBefore = now + waitMs;
    if (!window || notBefore > window.notBefore) this.retryNotBefore.set(key, { issuedAt: now, notBefore });
    const headers: Record<string, string> = { ...decision.headers };
    if (decision.sendRetryAfter) Object.assign(headers, retryAfterHeader(decision.retryAfterMs));
    return errorResponse(429, "TooManyRequests", "Please retry again later.", now, {
      headers,
      innerError: { code: "429", message: "Please retry after", status: "429" },
    });
  }

  /** Graph calls by route template, for tests. */
  requestsTo(method: string, pathContains: string): number {
    return requestsTo(this.counters, method, pathContains, { ignoreCase: true });
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function parseJsonBody(raw: Buffer, now: number): unknown {
  if (raw.length === 0) return undefined;
  try {
    return JSON.parse(raw.toString("utf8"));
  } catch (e) {
    return fail(
      400,
      "BadRequest",
      `Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format. (${(e as Error).message})`,
      now,
    );
  }
}

async function send(res: ServerResponse, response: GraphResponse, slowMs = 0): Promise<number> {
  const payload =
    response.body === undefined
      ? Buffer.alloc(0)
      : Buffer.from(typeof response.body === "string" ? response.body : JSON.stringify(response.body));
  const headers: Record<string, string | number> = { ...response.headers };
  if (payload.length > 0) headers["content-length"] = payload.length;
  res.writeHead(response.status, headers);
  if (slowMs > 0 && payload.length > 1) {
    const pieces = 5;
    const size = Math.ceil(payload.length / pieces);
    for (let i = 0; i < payload.length; i += size) {
      res.write(payload.subarray(i, i + size));
      await delay(slowMs / pieces);
    }
    res.end();
  } else res.end(payload);
  return payload.length;
}

function fetchJson(url: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    httpsGet(url, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        try {
          if ((res.statusCode ?? 500) >= 400) throw new Error(`HTTP ${res.statusCode} from ${url}`);
          resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")));
        } catch (e) {
          reject(e);
        }
      });
    }).on("error", reject);
  });
}

/** The page a person opens to enter a device code (the emulator's microsoft.com/devicelogin). */
function deviceLoginPage(emulator: GraphEmulator, method: string, raw: Buffer): GraphResponse {
  let message = "";
  if (method === "POST") {
    const form = new URLSearchParams(raw.toString("utf8"));
    const entry = emulator.identity.settleDeviceCode(
      form.get("code") ?? "",
      form.get("decline") ? "declined" : "approved",
    );
    message = entry
      ? entry.state === "approved"
        ? "Signed in. You can close this window."
        : "Sign-in declined."
      : "That code is not recognised or has expired.";
  }
  const html = `<!doctype html><html><head><title>Enter code</title></head><body><h1>Enter code</h1><p>Tenant Sync Graph emulator</p>${message ? `<p id="message">${message}</p>` : ""}<form method="post"><input name="code" aria-label="Code" autofocus><button type="submit">Next</button> <button type="submit" name="decline" value="1">Decline</button></form></body></html>`;
  return { status: 200, headers: { "content-type": "text/html; charset=utf-8" }, body: html };
}
