/**
 * counters — requests by route template and status ("GET /{org}/{project}/_apis/build/builds" →
 * {"200": 3}), shared by the emulators; each emulator adds its own counts beside them.
 */

export interface RouteCounters {
  requests: number;
  byStatus: Record<string, number>;
  byRoute: Record<string, Record<string, number>>;
}

export function newRouteCounters(): RouteCounters {
  return { requests: 0, byStatus: {}, byRoute: {} };
}

/** Counts one answered request under its route key. */
export function countRoute(counters: RouteCounters, routeKey: string, status: number): void {
  counters.requests += 1;
  counters.byStatus[status] = (counters.byStatus[status] ?? 0) + 1;
  const perRoute = (counters.byRoute[routeKey] ??= {});
  perRoute[status] = (perRoute[status] ?? 0) + 1;
}

/** Requests counted for `method` on route keys containing `templateContains`. */
export function requestsTo(counters: Pick<RouteCounters, "byRoute">, method: string, templateContains: string): number {
  return Object.entries(counters.byRoute)
    .filter(([route]) => route.startsWith(`${method} `) && route.includes(templateContains))
    .reduce((sum, [, byStatus]) => sum + Object.values(byStatus).reduce((a, b) => a + b, 0), 0);
}
