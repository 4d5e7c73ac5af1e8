/**
 * control — a table-driven control router: method + path template under /_emulator
 * ("/builds/{buildId}/tokens") → handler(ctx, params, body, method). Parameters are URL-decoded; the first
 * route whose method ("*": any) and template match answers; no match answers undefined (a 404).
 */
import { matchTemplate, pathSegments } from "./routes";

export interface ControlRoute<C, R> {
  /** "*" matches any method (a route's own 405 after the routes for its methods). */
  method: string;
  /** Relative to /_emulator; "/" is the root. */
  path: string;
  handle: (ctx: C, params: Record<string, string>, body: Record<string, unknown>, method: string) => R;
}

/** The JSON body as an object ({} when it is not one). */
export function bodyObject(body: unknown): Record<string, unknown> {
  return typeof body === "object" && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}

/** The answer of the matching route, or undefined when none matches. */
export function routeControl<C, R>(
  table: readonly ControlRoute<C, R>[],
  ctx: C,
  method: string,
  pathname: string,
  body: unknown,
  prefix = "/_emulator",
): R | undefined {
  if (!pathname.startsWith(prefix)) return undefined;
  const segments = pathSegments(pathname.slice(prefix.length));
  if (!segments) return undefined;
  for (const route of table) {
    if (route.method !== method && route.method !== "*") continue;
    const params = matchTemplate(route.path, segments);
    if (params) return route.handle(ctx, params, bodyObject(body), method);
  }
  return undefined;
}
