/**
 * counters — what the Azure DevOps emulator saw, for tests: requests by route template and status
 * (../http/counters), refused tokens, OIDC tokens issued. Reset in place, so a context that holds
 * them keeps counting into the same object.
 */
import { countRoute, newRouteCounters, type RouteCounters } from "../http/counters";

export interface AzdoCounters extends RouteCounters {
  requests: number;
  unauthorized: number;
  oidcTokensIssued: number;
}

export function newCounters(): AzdoCounters {
  return { requests: 0, unauthorized: 0, oidcTokensIssued: 0, ...newRouteCounters() };
}

export function resetCounters(counters: AzdoCounters): void {
  Object.assign(counters, newCounters());
}

export function countResponse(counters: AzdoCounters, routeKey: string, status: number): void {
  counters.requests += 1;
  countRoute(counters, routeKey, status);
  if (status === 401) counters.unauthorized += 1;
}
