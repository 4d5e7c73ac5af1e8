/**
 * counters — answers by status and by route template ("GET /{org}/{project}/_apis/build/builds" →
 * {"200": 3}), shared by the emulators; each emulator keeps its own totals beside them.
 */

export interface RouteCounters {
  byStatus: Record<string, number>;
  byRoute: Record<string, Record<string, number>>;
}

export function newRouteCounters(): RouteCounters {
  return { byStatus: {}, byRoute: {} };
}

/** Counts one answer under its status and its route key. */
export function countRoute(counters: RouteCounters, routeKey: string, status: number): void {
  counters.byStatus[status] = (counters.byStatus[status] ?? 0) + 1;
  const perRoute = (counters.byRoute[routeKey] ??= {});
  perRoute[status] = (perRoute[status] ?? 0) + 1;
}

/** Requests counted for `method` on route keys containing `templateContains`. */
export function requestsTo(
  counters: Pick<RouteCounters, "byRoute">,
  method: string,
  templateContains: string,
  o: { ignoreCase?: boolean } = {},
): number {
  const fold = (s: string) => (o.ignoreCase ? s.toLowerCase() : s);
  return Object.entries(counters.byRoute)
    .filter(([route]) => route.startsWith(`${method} `) && fold(route).includes(fold(templateContains)))
    .reduce((sum, [, byStatus]) => sum + Object.values(byStatus).reduce((a, b) => a + b, 0), 0);
}
