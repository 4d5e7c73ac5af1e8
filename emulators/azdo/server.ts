/**
 * server — the local Azure DevOps: one HTTPS listener for the REST API (collection
 * https://<host>:<port>/<org>/) and the OIDC issuer's metadata (/<orgId>/.well-known/), and a second
 * one for the control API (/_emulator), so no REST token can reach it. Every REST call passes:
 * route → organization → token → api-version → project → handler, and is counted.
 * Certificates come from ../https (the same local CA as the Graph emulator).
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Server } from "node:https";
import type { AddressInfo } from "node:net";
import { type LocalCa, parseJson, startListenerPair } from "../https";
import { handleControl } from "./control";
import { countResponse, newCounters, type AzdoCounters } from "./counters";
import {
  AzdoHttpError,
  methodNotAllowed,
  organizationNotFound,
  projectNotFound,
  routeNotFound,
  unauthorized,
  vssError,
  type AzdoResponse,
} from "./errors";
import { JwtSigner } from "./oidc";
import { resolveRoute, type Route, type RouteContext } from "./routes";
import { AzdoStore, type AccessToken, type Build, type Project } from "./store";
import { readWireFormat, type WireFormat } from "./wire";

export interface AzureDevOpsEmulatorOptions {
  port?: number;
  controlPort?: number;
  host?: string;
  caDir?: string;
  /** Organization name (path segment of the collection URI); default "org". */
  organization?: string;
  organizationId?: string;
  /** The project created at start; default "project". */
  project?: string;
  projectId?: string;
  /** Lifetime of issued OIDC tokens; default 600 s. */
  oidcTokenLifetimeSeconds?: number;
  /** Lifetime of job access tokens; default 3600 s. */
  jobTokenLifetimeSeconds?: number;
  log?: (line: string) => void;
}

/** What start() returns: everything a pipeline run or a test needs to reach the emulator. */
export interface AzureDevOpsReadyInfo {
  /** System.CollectionUri: https://127.0.0.1:<port>/<org>/ (ends with "/"). */
  collectionUri: string;
  /** System.TeamProjectId of the default project. */
  projectId: string;
  project: string;
  organization: string;
  organizationId: string;
  /** https://127.0.0.1:<controlPort>/_emulator */
  controlUrl: string;
  /** The OIDC issuer (iss of OIDC tokens): https://127.0.0.1:<port>/<orgId>. */
  oidcIssuer: string;
  baseUrl: string;
  caCertPath: string;
}

const defaultWire: WireFormat = { apiVersion: "", enumsAsNumbers: false, msDateFormat: false, noArrayWrap: false };
const corsHeaders =
  "Authorization, Content-Type, Accept, X-VSS-ReauthenticationAction, X-TFS-FedAuthRedirect, X-TFS-Session";

export class AzureDevOpsEmulator {
  readonly store: AzdoStore;
  readonly defaultProject: Project;
  /** Signs OIDC tokens; its public key is the issuer's JWKS. */
  readonly oidcSigner = new JwtSigner();
  /** Signs job and user access tokens (the emulator checks them by lookup, not by signature). */
  private readonly accessTokenSigner = new JwtSigner();
  readonly oidcTokenLifetimeSeconds: number;
  counters: AzdoCounters = newCounters();
  clockOffsetMs = 0;
  private server?: Server;
  private controlServer?: Server;
  private ca?: LocalCa;
  private readonly log: (line: string) => void;

  constructor(readonly options: AzureDevOpsEmulatorOptions = {}) {
    this.log = options.log ?? (() => undefined);
    this.oidcTokenLifetimeSeconds = options.oidcTokenLifetimeSeconds ?? 600;
    this.store = new AzdoStore({ name: options.organization ?? "org", id: options.organizationId ?? randomUUID() });
    this.defaultProject = this.store.addProject(options.project ?? "project", this.now(), options.projectId);
  }

  now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  get baseUrl(): string {
    return `https://${this.options.host ?? "127.0.0.1"}:${portOf(this.server)}`;
  }
  get collectionUri(): string {
    return `${this.baseUrl}/${encodeURIComponent(this.store.organization.name)}/`;
  }
  get oidcIssuer(): string {
    return `${this.baseUrl}/${this.store.organization.id}`;
  }
  get controlUrl(): string {
    return `https://${this.options.host ?? "127.0.0.1"}:${portOf(this.controlServer)}/_emulator`;
  }

  async start(): Promise<AzureDevOpsReadyInfo> {
    ({
      ca: this.ca,
      server: this.server,
      controlServer: this.controlServer,
    } = await startListenerPair(this.options, (req, res, isControl) => void this.onRequest(req, res, isControl)));
    return this.readyInfo();
  }

  readyInfo(): AzureDevOpsReadyInfo {
    return {
      collectionUri: this.collectionUri,
      projectId: this.defaultProject.id,
      project: this.defaultProject.name,
      organization: this.store.organization.name,
      organizationId: this.store.organization.id,
      controlUrl: this.controlUrl,
      oidcIssuer: this.oidcIssuer,
      baseUrl: this.baseUrl,
      caCertPath: this.ca?.certPath ?? "",
    };
  }

  async stop(): Promise<void> {
    await Promise.all(
      [this.server, this.controlServer].map(
        (s) =>
          new Promise<void>((resolve) => {
            if (!s || !s.listening) return resolve();
            s.close(() => resolve());
            s.closeAllConnections();
          }),
      ),
    );
  }

  /** A job access token (System.AccessToken) for the build's job; reaches the build's project only. */
  issueJobToken(build: Build, lifetimeSeconds = this.options.jobTokenLifetimeSeconds ?? 3600): AccessToken {
    const expiresAt = this.now() + lifetimeSeconds * 1000;
    const token = this.mintAccessToken(
      { nameid: `Build\\${build.projectId}`, "Build.BuildId": String(build.id), scp: "app_token" },
      expiresAt,
    );
    return this.store.issueJobToken(build, token, expiresAt);
  }

  /** A user token that reaches every project (what the hub gets from SDK.getAccessToken()). */
  issueUserToken(name: string, lifetimeSeconds = 3600): AccessToken {
    const expiresAt = this.now() + lifetimeSeconds * 1000;
    return this.store.issueUserToken(
      name,
      this.mintAccessToken({ nameid: randomUUID(), name, scp: "vso.build_execute" }, expiresAt),
      expiresAt,
    );
  }

  /** Requests counted for routes whose template contains `templateContains`. */
  requestsTo(method: string, templateContains: string): number {
    return Object.entries(this.counters.byRoute)
      .filter(([route]) => route.startsWith(`${method} `) && route.includes(templateContains))
      .reduce((sum, [, byStatus]) => sum + Object.values(byStatus).reduce((a, b) => a + b, 0), 0);
  }

  private mintAccessToken(claims: Record<string, unknown>, expiresAt: number): string {
    const now = Math.floor(this.now() / 1000);
    return this.accessTokenSigner.sign({
      ...claims,
      aui: randomUUID(),
      sid: randomUUID(),
      iss: "app.vstoken.visualstudio.com",
      aud: `app.vstoken.visualstudio.com|vso:${this.store.organization.id}`,
      nbf: now,
      exp: Math.floor(expiresAt / 1000),
    });
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse, isControl: boolean): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const method = req.method ?? "GET";
    try {
      const url = new URL(req.url ?? "/", isControl ? this.controlUrl : this.baseUrl);
      if (isControl) {
        if (!url.pathname.startsWith("/_emulator")) return void send(res, routeNotFound(method, url.pathname));
        return void send(res, handleControl(this, method, url, parseJson(raw)));
      }
      const { routeKey, response } = this.respond(req, method, url, raw);
      countResponse(this.counters, routeKey, response.status);
      send(res, withCors(req, response));
    } catch (e) {
      this.log(`azdo emulator: ${(e as Error).stack ?? String(e)}`);
      if (!res.headersSent)
        send(res, vssError(500, "InternalServerErrorException", "The emulator failed to handle the request."));
    }
  }

  private respond(
    req: IncomingMessage,
    method: string,
    url: URL,
    raw: Buffer,
  ): { routeKey: string; response: AzdoResponse } {
    if (method === "OPTIONS" && req.headers["access-control-request-method"])
      return { routeKey: "OPTIONS (preflight)", response: { status: 204, headers: {} } };
    const resolved = resolveRoute(method, url.pathname);
    if (!resolved) return { routeKey: `${method} (no route)`, response: routeNotFound(method, url.pathname) };
    if ("allowed" in resolved)
      return { routeKey: `${method} (no route)`, response: methodNotAllowed(method, url.pathname, resolved.allowed) };
    const { route, params } = resolved;
    try {
      return {
        routeKey: `${method} ${route.template}`,
        response: this.dispatch(route, {
          emulator: this,
          method,
          url,
          params,
          headers: req.headers,
          raw,
          format: defaultWire,
        }),
      };
    } catch (e) {
      if (e instanceof AzdoHttpError) return { routeKey: `${method} ${route.template}`, response: e.response };
      throw e;
    }
  }

  private dispatch(route: Route, ctx: RouteContext): AzdoResponse {
    const { organization } = this.store;
    if (ctx.params.orgId !== undefined && ctx.params.orgId.toLowerCase() !== organization.id.toLowerCase())
      return routeNotFound(ctx.method, ctx.url.pathname);
    if (
      ctx.params.org !== undefined &&
      ![organization.name, organization.id].some((n) => n.toLowerCase() === ctx.params.org.toLowerCase())
    )
      return organizationNotFound(ctx.params.org);
    if (route.isAuthenticated) {
      ctx.caller = this.authenticate(ctx.headers.authorization);
      if (!ctx.caller) return unauthorized(this.baseUrl);
    }
    if (route.version)
      ctx.format = readWireFormat(ctx.method, ctx.url.searchParams, ctx.headers.accept, route.version.isReleased);
    if (ctx.params.project !== undefined) {
      ctx.project = this.store.findProject(ctx.params.project);
      if (!ctx.project) return projectNotFound(ctx.params.project);
      // Job tokens are scoped to their own project ("limit job authorization scope to current project").
      if (ctx.caller?.kind === "job" && ctx.caller.projectId !== ctx.project.id) return unauthorized(this.baseUrl);
    }
    return route.handle(ctx);
  }

  /** Bearer <token>, or Basic with the token as password (a PAT). */
  private authenticate(header: string | undefined): AccessToken | undefined {
    const m = /^(Bearer|Basic)\s+(\S+)$/i.exec(header ?? "");
    if (!m) return undefined;
    const token =
      m[1].toLowerCase() === "basic"
        ? Buffer.from(m[2], "base64").toString("utf8").split(":").slice(1).join(":")
        : m[2];
    return this.store.findToken(token, this.now());
  }
}

function portOf(server: Server | undefined): number {
  const address = server?.address() as AddressInfo | null | undefined;
  if (!address) throw new Error("emulator not started");
  return address.port;
}

/** Cross-origin callers (the hub in a browser) get CORS headers; preflights are answered here. */
function withCors(req: IncomingMessage, response: AzdoResponse): AzdoResponse {
  const origin = req.headers.origin;
  if (!origin) return response;
  const headers: Record<string, string> = {
    ...response.headers,
    "access-control-allow-origin": origin,
    vary: "Origin",
    "access-control-expose-headers": "x-ms-continuationtoken, activityid, x-vss-e2eid",
  };
  if (req.method === "OPTIONS")
    Object.assign(headers, {
      "access-control-allow-methods": "GET, POST, PUT, PATCH, DELETE, OPTIONS",
      "access-control-allow-headers": corsHeaders,
      "access-control-max-age": "600",
    });
  return { ...response, headers };
}

function send(res: ServerResponse, response: AzdoResponse): void {
  const payload =
    response.body === undefined
      ? Buffer.alloc(0)
      : Buffer.from(typeof response.body === "string" ? response.body : JSON.stringify(response.body));
  res.writeHead(response.status, { ...response.headers, "content-length": payload.length });
  res.end(payload);
}
