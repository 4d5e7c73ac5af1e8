/**
 * answers — the shapes every Graph handler answers with: a JSON body with the service's OData
 * content type, 204, the @odata.context URL, and the two "no such route" answers (405 for a known
 * path with another method, and the family's own 400 for an unknown segment).
 */
import { badRequest, fail, type GraphResponse } from "./errors";
import type { RequestContext } from "./context";
import type { ResourceModel } from "./service-model";

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): GraphResponse {
  return {
    status,
    headers: {
      "content-type":
        "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8",
      ...headers,
    },
    body,
  };
}

export function noContent(): GraphResponse {
  return { status: 204, headers: {} };
}

export function contextUrl(ctx: Pick<RequestContext, "graphUrl" | "version">, fragment: string): string {
  return `${ctx.graphUrl}/${ctx.version}/$metadata#${fragment}`;
}

/** "/deviceManagement/x" → "deviceManagement/x", the form @odata.context fragments use. */
export function fragmentOf(path: string): string {
  return path.replace(/^\//, "");
}

export function methodNotAllowed(ctx: RequestContext, model: ResourceModel): never {
  return fail(
    405,
    model.family === "directory" ? "Request_BadRequest" : "BadRequest",
    `The requested resource does not support http method '${ctx.method}'.`,
    ctx.now,
  );
}

/** Intune's OData router names the template it could not match; the other families name the segment. */
export function noRoute(ctx: RequestContext, model: ResourceModel): never {
  if (model.family === "intune")
    fail(
      400,
      "No method match route template",
      `No OData route exists that match template ~/singleton/navigation/key/navigation with http verb ${ctx.method} for request ${ctx.url.pathname}.`,
      ctx.now,
    );
  return badRequest(`Resource not found for the segment '${ctx.path.split("/").pop()}'.`, ctx.now, model.family);
}
