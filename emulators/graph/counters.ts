/**
 * counters — what the emulator saw, for tests and benchmarks: requests by route template
 * ("GET /beta/deviceManagement/deviceConfigurations/{id}/assignments") and status, batch items, throttled answers, requests sent while a Retry-After was still running
 * (early retries), injected faults and bytes. By status and route: ../http/counters.
 */
import { countRoute, type RouteCounters } from "../http/counters";
import { routeKey } from "../http/routes";

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

/** Counts one Graph answer under its route template ("GET /beta/groups/{id}"), or "(no route)". */
export function countResponse(counters: Counters, method: string, template: string | undefined, status: number): void {
  counters.graphRequests += 1;
  countRoute(counters, routeKey(method, template), status);
  if (status === 429) counters.throttled += 1;
  if (method !== "GET" && status < 300) counters.writes += 1;
}
