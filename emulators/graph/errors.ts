/**
 * errors — Microsoft Graph error responses in the service's own shapes,
 * including the service-specific 403 bodies that "Pending admin consent" detection keys off.
 */
import { randomUUID } from "node:crypto";
import type { HttpResponse } from "../http/response";
import type { ServiceFamily } from "./service-model";

/** A Graph answer is the shared response shape (../http/response). */
export type GraphResponse = HttpResponse;

export class GraphHttpError extends Error {
  constructor(readonly response: GraphResponse) {
    super(`Graph error ${response.status}`);
  }
}

function isoSecond(now: number): string {
  return new Date(now).toISOString().slice(0, 19);
}

export function errorResponse(
  status: number,
  code: string,
  message: string,
  now: number,
  extra: { headers?: Record<string, string>; innerError?: Record<string, unknown> } = {},
): GraphResponse {
  const requestId = randomUUID();
  return {
    status,
    headers: {
      "content-type": "application/json",
      "request-id": requestId,
      "client-request-id": requestId,
      ...extra.headers,
    },
    body: {
      error: {
        code,
        message,
        innerError: {
          date: isoSecond(now),
          "request-id": requestId,
          "client-request-id": requestId,
          ...extra.innerError,
        },
      },
    },
  };
}

export function fail(
  status: number,
  code: string,
  message: string,
  now: number,
  extra?: { headers?: Record<string, string>; innerError?: Record<string, unknown> },
): never {
  throw new GraphHttpError(errorResponse(status, code, message, now, extra));
}

/** Intune wraps its errors as a JSON document inside `message`. */
export function intuneMessage(text: string, activityId: string = randomUUID()): string {
  const inner = {
    _version: 3,
    Message: `${text} - Operation ID (for customer support): 00000000-0000-0000-0000-000000000000 - Activity ID: ${activityId} - Url: https://fef.msub05.manage.microsoft.com/DeviceConfiguration/deviceManagement?api-version=5025-01-01`,
    CustomApiErrorPhrase: "",
    RetryAfter: null,
    ErrorSourceService: "",
    HttpHeaders: "{}",
  };
  return JSON.stringify(inner, null, 2).replace(/\n/g, "\r\n");
}

/** The 403 a family answers when the token lacks every permission that would allow the call. */
export function forbidden(family: ServiceFamily, acceptable: string[], hasAnyIntuneRole: boolean, now: number): never {
  switch (family) {
    case "directory":
      return fail(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.", now);
    case "identityPolicy":
    case "conditionalAccess":
      return fail(
        403,
        "AccessDenied",
        "You cannot perform the requested operation, required scopes are missing in the token.",
        now,
      );
    case "intune": {
      const text = hasAnyIntuneRole
        ? `Application is not authorized to perform this operation. Application must have one of the following scopes: ${acceptable.join(", ")}`
        : "Application is not authorized to perform this operation as called in app only context but does not have application permissions configured.";
      return fail(403, "Forbidden", intuneMessage(text), now);
    }
  }
}

export function notFound(what: string, now: number, family: ServiceFamily | undefined): never {
  if (family === "directory")
    fail(
      404,
      "Request_ResourceNotFound",
      `Resource '${what}' does not exist or one of its queried reference-property objects are not present.`,
      now,
    );
  if (family === "intune")
    fail(404, "ResourceNotFound", intuneMessage(`Resource not found for the segment '${what}'.`), now);
  return fail(404, "ResourceNotFound", `Resource not found for the segment '${what}'.`, now);
}

export function badRequest(message: string, now: number, family?: ServiceFamily): never {
  if (family === "intune") fail(400, "ModelValidationFailure", message, now, { innerError: { message } });
  if (family === "directory") fail(400, "Request_BadRequest", message, now);
  return fail(400, "BadRequest", message, now);
}
