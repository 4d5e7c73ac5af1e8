/**
 * response — what a handler answers (status, headers, body) and the helpers to build and send it:
 * JSON, no content, an error thrown from deep inside a handler (HttpError / fail) and writing the
 * answer with its content-length. The error bodies themselves are each service's own (../azdo/errors).
 */
import type { ServerResponse } from "node:http";

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

/** Writes the response with its content-length. */
export function send(res: ServerResponse, response: HttpResponse): void {
  const payload =
    response.body === undefined
      ? Buffer.alloc(0)
      : Buffer.isBuffer(response.body)
        ? response.body
        : Buffer.from(typeof response.body === "string" ? response.body : JSON.stringify(response.body));
  res.writeHead(response.status, { ...response.headers, "content-length": payload.length });
  res.end(payload);
}
