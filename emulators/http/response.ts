/**
 * response — what a handler answers (status, headers, body) and the helpers to build and send it:
 * JSON, no content, an error thrown from deep inside a handler (HttpError / fail) and writing the
 * answer with its content-length, gzipped like the service's when the caller accepts it. The error bodies themselves are each service's own (../azdo/errors).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { gzipSync } from "node:zlib";

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  /** A string or a Buffer is sent as is; anything else as JSON. */
  body?: unknown;
}

export const jsonContentType = "application/json; charset=utf-8";

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): HttpResponse {
  return { status, headers: { "content-type": jsonContentType, ...headers }, body };
}

/** Bytes with their content type (a zip, a log as text/plain). */
export function bytes(
  body: Buffer | string,
  contentType: string,
  status = 200,
  headers: Record<string, string> = {},
): HttpResponse {
  return { status, headers: { "content-type": contentType, ...headers }, body };
}

export function noContent(headers: Record<string, string> = {}): HttpResponse {
  return { status: 204, headers };
}

/** Thrown inside handlers to answer with `response`. */
export class HttpError extends Error {
  constructor(readonly response: HttpResponse) {
    super(`HTTP error ${response.status}`);
  }
}

export function fail(response: HttpResponse): never {
  throw new HttpError(response);
}

/** Bodies smaller than this go as they are (compressing them saves nothing worth the time). */
const gzipFrom = 1024;

/** Whether `accept-encoding` allows gzip (a `q=0` refuses it). */
export function acceptsGzip(req: IncomingMessage | undefined): boolean {
  const header = req?.headers["accept-encoding"];
  if (!header) return false;
  return String(header)
    .split(",")
    .map((part) => part.trim().toLowerCase().split(";"))
    .some(([coding, q]) => (coding === "gzip" || coding === "*") && !/^\s*q=0(\.0*)?\s*$/.test(q ?? ""));
}

/**
 * Writes the response with its content-length. With `req`, a JSON or text body of 1 KB or more is
 * gzipped when the request accepts it (as Azure DevOps answers browsers and clients that ask);
 * bytes of other types (zips) go as they are.
 */
export function send(res: ServerResponse, response: HttpResponse, req?: IncomingMessage): void {
  let payload =
    response.body === undefined
      ? Buffer.alloc(0)
      : Buffer.isBuffer(response.body)
        ? response.body
        : Buffer.from(typeof response.body === "string" ? response.body : JSON.stringify(response.body));
  const headers: Record<string, string | number> = { ...response.headers };
  const type = String(response.headers["content-type"] ?? "");
  const compressible = /^(application\/(json|[\w.+-]*\+json)|text\/)/i.test(type);
  if (req && compressible && !response.headers["content-encoding"]) {
    headers.vary = headers.vary ? `${headers.vary}, Accept-Encoding` : "Accept-Encoding";
    if (payload.length >= gzipFrom && acceptsGzip(req)) {
      payload = gzipSync(payload);
      headers["content-encoding"] = "gzip";
    }
  }
  res.writeHead(response.status, { ...headers, "content-length": payload.length });
  res.end(payload);
}
