/**
 * context — the types the Graph emulator's parts share without importing the server: a Graph call
 * and its principal, the context a route handler runs with, and what the control API and $batch
 * need of the emulator (the GraphEmulator provides both).
 */
import type { EmulatorClock } from "../http/clock";
import type { Counters } from "./counters";
import type { GraphResponse } from "./errors";
import type { FaultInjector } from "./faults";
import type { seedTenant } from "./seeds";
import type { Tenant, TenantStore } from "./tenant-store";
import type { Throttler } from "./throttle";
import type { IdentityEndpoint } from "./token-endpoint";

export interface PagingSettings {
  defaultPageSize: number;
  maxPageSize: number;
  /** Page size per resource key, overriding the default. */
  perResource: Record<string, number>;
  /** Every n-th page is served empty first (with a nextLink); 0 = never. */
  emptyPageEvery: number;
}

export interface RequestContext {
  tenant: Tenant;
  version: "v1.0" | "beta";
  method: string;
  /** Path after the version, e.g. /deviceManagement/deviceCompliancePolicies/1. */
  path: string;
  url: URL;
  query: URLSearchParams;
  body: unknown;
  now: number;
  graphUrl: string;
  paging: PagingSettings;
  /** Token claims can decrypt secrets (getOmaSettingPlainTextValue needs ReadWrite). */
  granted: Set<string>;
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
