/**
 * routes — the REST surface of the Azure DevOps emulator as a table: method, route template (also
 * the counter key), whether a bearer token is required, whether the route is versioned and
 * released (build properties exist only as a preview), and the handler.
 */
import type { IncomingHttpHeaders } from "node:http";
import { getBuild, getProperties, listBuilds, tags, updateProperties } from "./builds";
import type { AzdoResponse } from "./errors";
import { createOidcToken, jwks, openIdConfiguration } from "./oidc";
import type { AzureDevOpsEmulator } from "./server";
import type { AccessToken, Project } from "./store";
import type { WireFormat } from "./wire";

export interface RouteContext {
  emulator: AzureDevOpsEmulator;
  method: string;
  url: URL;
  /** Template parameters, URL-decoded. */
  params: Record<string, string>;
  headers: IncomingHttpHeaders;
  raw: Buffer;
  /** The token the request carried (routes with isAuthenticated). */
  caller?: AccessToken;
  /** Resolved from {project}. */
  project?: Project;
  format: WireFormat;
}

export interface Route {
  method: string;
  template: string;
  isAuthenticated: boolean;
  /** undefined: no api-version (OpenID metadata); else whether a GA version is accepted. */
  version?: { isReleased: boolean };
  handle: (ctx: RouteContext) => AzdoResponse;
}

const builds = "/{org}/{project}/_apis/build/builds";
const ga = { isReleased: true };
const previewOnly = { isReleased: false };

export const routes: Route[] = [
  {
    method: "GET",
    template: "/{orgId}/.well-known/openid-configuration",
    isAuthenticated: false,
    handle: openIdConfiguration,
  },
  { method: "GET", template: "/{orgId}/.well-known/jwks", isAuthenticated: false, handle: jwks },
  {
    method: "POST",
    template: "/{org}/{project}/_apis/distributedtask/hubs/{hub}/plans/{planId}/jobs/{jobId}/oidctoken",
    isAuthenticated: true,
    version: ga,
    handle: createOidcToken,
  },
  { method: "GET", template: builds, isAuthenticated: true, version: ga, handle: listBuilds },
  { method: "GET", template: `${builds}/{buildId}`, isAuthenticated: true, version: ga, handle: getBuild },
  {
    method: "GET",
    template: `${builds}/{buildId}/properties`,
    isAuthenticated: true,
    version: previewOnly,
    handle: getProperties,
  },
  {
    method: "PATCH",
    template: `${builds}/{buildId}/properties`,
    isAuthenticated: true,
    version: previewOnly,
    handle: updateProperties,
  },
  ...["GET", "POST", "PATCH"].map((method) => ({
    method,
    template: `${builds}/{buildId}/tags`,
    isAuthenticated: true,
    version: ga,
    handle: tags,
  })),
  ...["PUT", "DELETE"].map((method) => ({
    method,
    template: `${builds}/{buildId}/tags/{tag}`,
    isAuthenticated: true,
    version: ga,
    handle: tags,
  })),
];

function matchTemplate(template: string, segments: string[]): Record<string, string> | undefined {
  const parts = template.split("/").filter(Boolean);
  if (parts.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (part.startsWith("{")) params[part.slice(1, -1)] = segments[i];
    else if (part.toLowerCase() !== segments[i].toLowerCase()) return undefined;
  }
  return params;
}

/** The route for a path: matched on method and path, or on path only (405), or none (404). */
export function resolveRoute(
  method: string,
  pathname: string,
): { route: Route; params: Record<string, string> } | { allowed: string[] } | undefined {
  let segments: string[];
  try {
    segments = pathname.split("/").filter(Boolean).map(decodeURIComponent);
  } catch {
    return undefined;
  }
  const candidates = routes
    .map((route) => ({ route, params: matchTemplate(route.template, segments) }))
    .filter((c) => c.params);
  const hit = candidates.find((c) => c.route.method === method);
  if (hit) return { route: hit.route, params: hit.params! };
  return candidates.length > 0 ? { allowed: [...new Set(candidates.map((c) => c.route.method))] } : undefined;
}
