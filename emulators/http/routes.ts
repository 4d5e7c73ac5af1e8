/**
 * routes — a route table: method, path template ("/{project}/_apis/build/builds/{buildId}/timeline",
 * also the counter key), whether a token is needed, the api-version rule, and the handler. Literal
 * segments match without regard to case; parameters come back URL-decoded. A parameter may also sit
 * inside a segment ("getValue(ref='{ref}')", an OData function's argument).
 */

export interface RouteSpec<H> {
  method: string;
  template: string;
  /** A bearer (or Basic) token is required. */
  isAuthenticated?: boolean;
  /** undefined: no api-version; else whether a released (GA) version is accepted. */
  version?: { isReleased: boolean };
  handle: H;
}

export type RouteMatch<R> = { route: R; params: Record<string, string> } | { allowed: string[] } | undefined;

/** The template's parameters for these (decoded) path segments, or undefined when it does not match. */
export function matchTemplate(template: string, segments: string[]): Record<string, string> | undefined {
  const parts = template.split("/").filter(Boolean);
  if (parts.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (/^\{[^{}]+\}$/.test(part)) params[part.slice(1, -1)] = segments[i];
    else if (part.includes("{")) {
      if (!matchInSegment(part, segments[i], params)) return undefined;
    } else if (part.toLowerCase() !== segments[i].toLowerCase()) return undefined;
  }
  return params;
}

/** A parameter inside a segment, as in an OData function call: "getValue(ref='{ref}')". */
function matchInSegment(part: string, segment: string, params: Record<string, string>): boolean {
  const names: string[] = [];
  const pattern = part
    .split(/(\{[^{}]+\})/)
    .map((piece) => {
      if (!/^\{[^{}]+\}$/.test(piece)) return piece.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      names.push(piece.slice(1, -1));
      return "(.+?)";
    })
    .join("");
  const m = new RegExp(`^${pattern}$`, "i").exec(segment);
  if (!m) return false;
  names.forEach((name, i) => (params[name] = m[i + 1]));
  return true;
}

/** A path's segments, URL-decoded; undefined when a segment is not valid percent-encoding. */
export function pathSegments(pathname: string): string[] | undefined {
  try {
    return pathname.split("/").filter(Boolean).map(decodeURIComponent);
  } catch {
    return undefined;
  }
}

/** The route for a path: matched on method and path, or on path only (`allowed`: a 405), or none (a 404). */
export function resolveRoute<R extends { method: string; template: string }>(
  table: readonly R[],
  method: string,
  pathname: string,
): RouteMatch<R> {
  const segments = pathSegments(pathname);
  if (!segments) return undefined;
  // A literal segment beats a parameter at the same place ("…/pipelines/approvals" is not pipeline
  // "approvals"), so the table's order does not decide; among equals the first route wins.
  const candidates = table
    .map((route) => ({ route, params: matchTemplate(route.template, segments) }))
    .filter((c) => c.params)
    .sort((a, b) => specificity(b.route.template).localeCompare(specificity(a.route.template)));
  const hit = candidates.find((c) => c.route.method === method);
  if (hit) return { route: hit.route, params: hit.params! };
  return candidates.length > 0 ? { allowed: [...new Set(candidates.map((c) => c.route.method))] } : undefined;
}

/** A template's literal segments as "1", parameters as "0": compared as strings, literals first, left to right. */
function specificity(template: string): string {
  return template
    .split("/")
    .filter(Boolean)
    .map((p) => (p.startsWith("{") ? "0" : "1"))
    .join("");
}

/** The counter key of a request: "METHOD template", or "METHOD (no route)". */
export function routeKey(method: string, template?: string): string {
  return `${method} ${template ?? "(no route)"}`;
}
