/**
 * context — the types the Graph emulator's parts share without importing the server: a Graph call
 * and its principal, a mount and a route, the context a route handler runs with (never the server),
 * and what the control API and $batch need of the emulator (the GraphEmulator provides both).
 */
import type { EmulatorClock } from "../http/clock";
import type { RouteSpec } from "../http/routes";
import type { Counters } from "./counters";
import type { GraphResponse } from "./errors";
import type { FaultInjector } from "./faults";
import type { seedTenant } from "./seeds";
import type { ResourceModel } from "./service-model";
import type { Tenant, TenantStore } from "./tenant-store";
import type { Throttler } from "./throttle";
import type { IdentityEndpoint } from "./token-endpoint";

/**
 * Paging knobs of the control API, over the collections' own rules (service-model.ts `ListRules`):
 * unset, each collection pages as the service does; set, every collection uses them (tests make
 * small pages with them).
 */
export interface PagingSettings {
  defaultPageSize?: number;
  maxPageSize?: number;
  /** Page size per resource key, overriding the default. */
  perResource: Record<string, number>;
  /** Every n-th page is served empty first (with a nextLink); 0 = never. */
  emptyPageEvery: number;
}

/** Where a collection is mounted: its path, the model serving it, and which stored objects it shows. */
export interface Mount {
  prefix: string;
  model: ResourceModel;
  /** The store's collection key (the model's key unless the mount has its own store). */
  storeKey: string;
  /** Only objects of this @odata.type are shown, and a create must carry it (per-platform app protection). */
  odataType?: string;
  /** Served by the generic verbs and child collections (false for mounts with their own routes only). */
  isGeneric: boolean;
  /** Answers its own path only, not the paths below it (deviceManagement itself, whose children are mounts of their own). */
  exactOnly?: boolean;
}

/** What a handler gets: the tenant's store, the clock reading, the URLs, the caller, and the request. */
export interface RequestContext {
  tenant: Tenant;
  version: "v1.0" | "beta";
  method: string;
  /** Path after the version, e.g. /deviceManagement/deviceCompliancePolicies/1. */
  path: string;
  url: URL;
  query: URLSearchParams;
  body: unknown;
  /** The emulator clock when the call started. */
  now: number;
  graphUrl: string;
  paging: PagingSettings;
  /** Who calls: the token's tenant, app and permissions (getOmaSettingPlainTextValue needs ReadWrite). */
  caller: Principal;
  /** The route's template parameters, URL-decoded ({id}, {childId}, …). */
  params: Record<string, string>;
  mount: Mount;
}

export type GraphHandler = (ctx: RequestContext) => GraphResponse | Promise<GraphResponse>;

/** A Graph route: a version-less template ("/deviceManagement/deviceConfigurations/{id}/assignments"). */
export interface GraphRoute extends RouteSpec<GraphHandler> {
  mount: Mount;
  /** Served on these versions only (default: both, as far as the model is served). */
  versions?: ("v1.0" | "beta")[];
  /** Another method on this path answers like an unknown route (OData actions), not 405. */
  otherMethodsAreNoRoute?: boolean;
}

export interface Principal {
  tenantId: string;
  appId: string;
  granted: Set<string>;
  isDelegated: boolean;
}

/** One Graph call: an HTTP request or a $batch item. */
export interface GraphCall {
  method: string;
  version: "v1.0" | "beta";
  path: string;
  url: URL;
  rawBody: Buffer | unknown;
  headers: Record<string, string>;
  isBatchItem?: boolean;
  /** When the HTTP request carrying it arrived (emulator clock). */
  receivedAt: number;
}

/** What the control API reads and changes. */
export interface ControlTarget {
  readonly store: TenantStore;
  readonly throttler: Throttler;
  readonly faults: FaultInjector;
  readonly identity: IdentityEndpoint;
  readonly clock: EmulatorClock;
  readonly graphUrl: string;
  counters: Counters;
  paging: PagingSettings;
  now(): number;
  seed(spec: string, options?: Parameters<typeof seedTenant>[1]): Tenant;
  persist(): void;
}

/** What $batch needs: the clock, the counters and one Graph call. */
export interface BatchTarget {
  readonly counters: Counters;
  now(): number;
  call(principal: Principal, req: GraphCall): Promise<GraphResponse>;
}
