/**
 * server — the local Azure DevOps: one HTTPS listener for the REST API (collection
 * https://<host>:<port>/<org>/) and the OIDC issuer's metadata (/<orgId>/.well-known/), and a second
 * one for the control API (/_emulator), so no REST token can reach it. Every REST call passes:
 * route → organization → token → api-version → project → handler, and is counted. The plumbing
 * (listeners, route matching, responses, CORS, counters, clock) is ../http's.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Server } from "node:https";
import type { LocalCa } from "../https";
import { EmulatorClock } from "../http/clock";
import { requestsTo } from "../http/counters";
import { isPreflight, preflightResponse, withCors } from "../http/cors";
import { parseJson, portOf, readBody, startListenerPair, stopServers } from "../http/listener";
import { HttpError, send, type HttpResponse } from "../http/response";
import { resolveRoute, routeKey } from "../http/routes";
import { LocalAgent, type LocalAgentOptions } from "./agent/local-agent";
import type { AzdoContext, AzdoRoute, AzdoUrls, RequestContext } from "./context";
import { handleControl } from "./control";
import { countResponse, newCounters } from "./counters";
import {
  methodNotAllowed,
  organizationNotFound,
  projectNotFound,
  routeNotFound,
  unauthorized,
  vssError,
} from "./errors";
import { routes } from "./routes";
import type { Build } from "./state/builds";
import type { Project } from "./state/projects";
import { JwtSigner } from "./state/signer";
import { AzdoStore } from "./state/store";
import type { AccessToken } from "./state/tokens";
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
  /** Where the Git repositories' bare repositories live (kept on stop); default a temporary directory removed on stop. */
  gitDataDir?: string;
  /**
   * Run queued builds with the local agent (the pipeline's YAML from its repository, our task
   * bundles as separate processes). Without it builds stay queued until the control API moves them.
   */
  agent?: Omit<LocalAgentOptions, "ctx" | "caCertPath" | "log">;
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

export class AzureDevOpsEmulator {
  readonly clock = new EmulatorClock();
  readonly store: AzdoStore;
  readonly defaultProject: Project;
  /** Signs OIDC tokens; its public key is the issuer's JWKS. */
  readonly oidcSigner = new JwtSigner();
  readonly counters = newCounters();
  /** The local agent running queued builds (with the `agent` option, once started). */
  agent?: LocalAgent;
  /** What every handler gets instead of this object. */
  readonly context: AzdoContext;
  private server?: Server;
  private controlServer?: Server;
  private ca?: LocalCa;
  private readonly log: (line: string) => void;

  constructor(readonly options: AzureDevOpsEmulatorOptions = {}) {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the getters below read the ports at call time
    const emulator = this;
    this.log = options.log ?? (() => undefined);
    this.store = new AzdoStore(
      { name: options.organization ?? "org", id: options.organizationId ?? randomUUID() },
      this.clock,
      options.jobTokenLifetimeSeconds,
    );
    if (options.gitDataDir) this.store.git.useDataDir(options.gitDataDir);
    this.defaultProject = this.store.addProject(options.project ?? "project", this.now(), options.projectId);
    // The URLs are known once the listeners have their ports; handlers read them, never this object.
    const urls: AzdoUrls = {
      get baseUrl() {
        return emulator.baseUrl;
      },
      get collectionUri() {
        return emulator.collectionUri;
      },
      get oidcIssuer() {
        return emulator.oidcIssuer;
      },
      get controlUrl() {
        return emulator.controlUrl;
      },
    };
    this.context = {
      store: this.store,
      clock: this.clock,
      urls,
      counters: this.counters,
      oidc: { signer: this.oidcSigner, tokenLifetimeSeconds: options.oidcTokenLifetimeSeconds ?? 600 },
      defaultProject: this.defaultProject,
    };
  }

  now(): number {
    return this.clock.now();
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
    if (this.options.agent) {
      this.agent = new LocalAgent({
        ...this.options.agent,
        ctx: this.context,
        caCertPath: this.ca?.certPath ?? "",
        log: this.log,
      });
      this.store.builds.scheduler = this.agent;
    }
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
    await this.agent?.stop();
    await stopServers([this.server, this.controlServer]);
    this.store.git.dispose();
  }

  /** A job access token (System.AccessToken) for the build's job; reaches the build's project only. */
  issueJobToken(build: Build, lifetimeSeconds?: number): AccessToken {
    return this.store.tokens.issueJobToken(build, lifetimeSeconds);
  }

  /** A user token that reaches every project (what the hub gets from SDK.getAccessToken()). */
  issueUserToken(name: string, lifetimeSeconds = 3600): AccessToken {
    return this.store.tokens.issueUserToken(name, lifetimeSeconds);
  }

  /** Requests counted for routes whose template contains `templateContains`. */
  requestsTo(method: string, templateContains: string): number {
    return requestsTo(this.counters, method, templateContains);
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse, isControl: boolean): Promise<void> {
    const raw = await readBody(req);
    const method = req.method ?? "GET";
    try {
      const url = new URL(req.url ?? "/", isControl ? this.controlUrl : this.baseUrl);
      if (isControl) {
        if (!url.pathname.startsWith("/_emulator")) return void send(res, routeNotFound(method, url.pathname));
        return void send(res, await handleControl(this.context, method, url, parseJson(raw)));
      }
      const { key, response } = await this.respond(req, method, url, raw);
      countResponse(this.counters, key, response.status);
      send(res, withCors(req, response), req);
    } catch (e) {
      this.log(`azdo emulator: ${(e as Error).stack ?? String(e)}`);
      if (!res.headersSent)
        send(res, vssError(500, "InternalServerErrorException", "The emulator failed to handle the request."));
    }
  }

  private async respond(
    req: IncomingMessage,
    method: string,
    url: URL,
    raw: Buffer,
  ): Promise<{ key: string; response: HttpResponse }> {
    if (isPreflight(req)) return { key: "OPTIONS (preflight)", response: preflightResponse() };
    const resolved = resolveRoute(routes, method, url.pathname);
    if (!resolved) return { key: routeKey(method), response: routeNotFound(method, url.pathname) };
    if ("allowed" in resolved)
      return { key: routeKey(method), response: methodNotAllowed(method, url.pathname, resolved.allowed) };
    const { route, params } = resolved;
    const key = routeKey(method, route.template);
    try {
      const ctx: RequestContext = {
        ...this.context,
        method,
        url,
        params,
        headers: req.headers,
        raw,
        format: defaultWire,
      };
      return { key, response: await this.dispatch(route, ctx) };
    } catch (e) {
      if (e instanceof HttpError) return { key, response: e.response };
      throw e;
    }
  }

  private dispatch(route: AzdoRoute, ctx: RequestContext): HttpResponse | Promise<HttpResponse> {
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
      ctx.project = this.store.projects.find(ctx.params.project);
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
    return this.store.tokens.find(token);
  }
}
