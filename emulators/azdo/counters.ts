/**
 * counters — what the Azure DevOps emulator saw, for tests: requests by route template and
 * status, refused tokens, OIDC tokens issued.
 */
export interface AzdoCounters {
  requests: number;
  unauthorized: number;
  oidcTokensIssued: number;
  byStatus: Record<string, number>;
  /** "PATCH /{org}/{project}/_apis/build/builds/{buildId}/properties" → {"200": 3}; unmatched paths count under "GET (no route)". */
  byRoute: Record<string, Record<string, number>>;
}

export function newCounters(): AzdoCounters {
  return { requests: 0, unauthorized: 0, oidcTokensIssued: 0, byStatus: {}, byRoute: {} };
}

export function countResponse(counters: AzdoCounters, routeKey: string, status: number): void {
  counters.requests += 1;
  counters.byStatus[status] = (counters.byStatus[status] ?? 0) + 1;
  const perRoute = (counters.byRoute[routeKey] ??= {});
  perRoute[status] = (perRoute[status] ?? 0) + 1;
  if (status === 401) counters.unauthorized += 1;
}
