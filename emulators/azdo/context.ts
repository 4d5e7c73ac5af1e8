/**
 * context — what a handler of the Azure DevOps emulator is given instead of the emulator object:
 * the store, the clock, the URLs it answers on, the counters and the OIDC signer; for a REST
 * request also the matched route's parameters, the caller's token, the project and the wire format.
 */
import type { IncomingHttpHeaders } from "node:http";
import type { EmulatorClock } from "../http/clock";
import type { HttpResponse } from "../http/response";
import type { RouteSpec } from "../http/routes";
import type { AzdoCounters } from "./counters";
import type { Project } from "./state/projects";
import type { JwtSigner } from "./state/signer";
import type { AzdoStore } from "./state/store";
import type { AccessToken } from "./state/tokens";
import type { WireFormat } from "./wire";

export interface AzdoUrls {
  /** https://127.0.0.1:<port> */
  readonly baseUrl: string;
  /** https://127.0.0.1:<port>/<org>/ (ends with "/"). */
  readonly collectionUri: string;
  /** https://127.0.0.1:<port>/<orgId> */
  readonly oidcIssuer: string;
  /** https://127.0.0.1:<controlPort>/_emulator */
  readonly controlUrl: string;
}

export interface AzdoContext {
  store: AzdoStore;
  clock: EmulatorClock;
  urls: AzdoUrls;
  counters: AzdoCounters;
  oidc: { signer: JwtSigner; tokenLifetimeSeconds: number };
  /** The project created at start; the control API's default. */
  defaultProject: Project;
}

export interface RequestContext extends AzdoContext {
  method: string;
  url: URL;
  /** Template parameters, URL-decoded. */
  params: Record<string, string>;
  headers: IncomingHttpHeaders;
  raw: Buffer;
  /** The token the request carried (routes with isAuthenticated). */
  caller?: AccessToken;
  /** Resolved from {project}. */
  project?: Project;
  format: WireFormat;
}

/**
 * A resource location as the service publishes it for location discovery (OPTIONS {collection}/_apis/{area}),
 * which azure-devops-node-api reads before its first call to an area: the location id of the
 * published client, its area and resource names; the route template is the route's own.
 */
export interface ResourceLocation {
  id: string;
  area: string;
  resourceName: string;
  /** Default "7.2"; releasedVersion defaults to "7.1" (or "0.0" for preview-only routes). */
  maxVersion?: string;
  releasedVersion?: string;
  resourceVersion?: number;
}

/** A handler answers at once or, for work that waits on a process (git), later. */
export type AzdoRoute = RouteSpec<(ctx: RequestContext) => HttpResponse | Promise<HttpResponse>> & {
  location?: ResourceLocation;
};

export const ga = { isReleased: true };
export const previewOnly = { isReleased: false };
