/**
 * cors — cross-origin answers as Azure DevOps gives them to an extension's frame: the requesting
 * origin is allowed, with credentials and the Authorization and Content-Type headers; preflight
 * OPTIONS requests are answered 204 before any route or token check. Another service passes its
 * own header names (Graph: ConsistencyLevel, client-request-id, throttling headers).
 */
import type { IncomingMessage } from "node:http";
import { noContent, type HttpResponse } from "./response";

export const corsAllowedHeaders =
  "Authorization, Content-Type, Accept, X-VSS-ReauthenticationAction, X-TFS-FedAuthRedirect, X-TFS-Session";
const allowedMethods = "GET, POST, PUT, PATCH, DELETE, OPTIONS";
const exposedHeaders = "x-ms-continuationtoken, activityid, x-vss-e2eid";

/** An OPTIONS request asking whether a cross-origin call may be made. */
export function isPreflight(req: Pick<IncomingMessage, "method" | "headers">): boolean {
  return req.method === "OPTIONS" && req.headers["access-control-request-method"] !== undefined;
}

/** The answer to a preflight (the CORS headers are added by withCors). */
export function preflightResponse(): HttpResponse {
  return noContent();
}

/** The headers a service lets a browser send and read; Azure DevOps' by default. */
export interface CorsHeaders {
  allowedHeaders: string;
  exposedHeaders: string;
}

/** Adds the CORS headers when the request has an Origin; the response is returned unchanged otherwise. */
export function withCors(
  req: Pick<IncomingMessage, "method" | "headers">,
  response: HttpResponse,
  names: CorsHeaders = { allowedHeaders: corsAllowedHeaders, exposedHeaders },
): HttpResponse {
  const origin = req.headers.origin;
  if (!origin) return response;
  const headers: Record<string, string> = {
    ...response.headers,
    "access-control-allow-origin": origin,
    "access-control-allow-credentials": "true",
    vary: "Origin",
    "access-control-expose-headers": names.exposedHeaders,
  };
  if (req.method === "OPTIONS")
    Object.assign(headers, {
      "access-control-allow-methods": allowedMethods,
      "access-control-allow-headers": names.allowedHeaders,
      "access-control-max-age": "600",
    });
  return { ...response, headers };
}
