/**
 * counters — what the emulator saw, for tests and benchmarks: requests by route template and
 * status, batch items, throttled answers, requests sent while a Retry-After was still running
 * (early retries), injected faults and bytes. By status and route: ../http/counters.
 */
import { countRoute, type RouteCounters } from "../http/counters";

export interface Counters extends RouteCounters {
  httpRequests: number;
  graphRequests: number;
  batchRequests: number;
  batchItems: number;
  throttled: number;
  earlyRetries: number;
  faultsInjected: number;
  connectionResets: number;
  bytesIn: number;
  bytesOut: number;
  writes: number;
}

export function newCounters(): Counters {
  return {
    httpRequests: 0,
    graphRequests: 0,
    batchRequests: 0,
    batchItems: 0,
    throttled: 0,
    earlyRetries: 0,
    faultsInjected: 0,
    connectionResets: 0,
    bytesIn: 0,
    bytesOut: 0,
    writes: 0,
    byStatus: {},
    byRoute: {},
  };
}

/** "/beta/deviceManagement/deviceCompliancePolicies/6f…/assign" → ".../{id}/assign". */
export function routeTemplate(method: string, path: string): string {
  const templ = path
    .split("/")
    .map((seg) => (/^[0-9a-f]{8}-[0-9a-f]{4}-|^\d+$|^'.*'$|\(.*\)$/i.test(seg) ? "{id}" : seg))
    .join("/");
  return `${method} ${templ}`;
}

export function countResponse(counters: Counters, method: string, path: string, status: number): void {
  counters.graphRequests += 1;
  countRoute(counters, routeTemplate(method, path), status);
  if (status === 429) counters.throttled += 1;
  if (method !== "GET" && status < 300) counters.writes += 1;
}
