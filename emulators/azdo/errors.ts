/**
 * errors — Azure DevOps error responses in the service's own shape:
 * {"$id":"1","innerException":null,"message","typeName","typeKey","errorCode":0,"eventId":3000}.
 * Messages follow the service's wording where it is known (TF400813, TF200016, the api-version
 * texts); the rest say plainly what the emulator refused.
 */
import { randomUUID } from "node:crypto";
import { jsonContentType, type HttpResponse } from "../http/response";

const webApi = "Microsoft.VisualStudio.Services.WebApi";

export function vssError(
  status: number,
  typeKey: string,
  message: string,
  typeName = `${webApi}.${typeKey}, ${webApi}`,
  headers: Record<string, string> = {},
): HttpResponse {
  const activityId = randomUUID();
  return {
    status,
    headers: {
      "content-type": jsonContentType,
      activityid: activityId,
      "x-tfs-processid": activityId,
      "x-vss-e2eid": randomUUID(),
      "x-tfs-serviceerror": encodeURIComponent(message),
      ...headers,
    },
    body: { $id: "1", innerException: null, message, typeName, typeKey, errorCode: 0, eventId: 3000 },
  };
}

export function unauthorized(baseUrl: string): HttpResponse {
  return vssError(
    401,
    "UnauthorizedRequestException",
    "TF400813: The user '' is not authorized to access this resource.",
    "Microsoft.TeamFoundation.Framework.Server.UnauthorizedRequestException, Microsoft.TeamFoundation.Framework.Server",
    { "www-authenticate": `Bearer authorization_uri=${baseUrl}/_signin, Basic realm="${baseUrl}/"` },
  );
}

export function accessDenied(message: string): HttpResponse {
  return vssError(
    403,
    "AccessCheckException",
    message,
    "Microsoft.VisualStudio.Services.Security.AccessCheckException, Microsoft.VisualStudio.Services.WebApi",
  );
}

export function routeNotFound(method: string, path: string): HttpResponse {
  return vssError(
    404,
    "VssResourceNotFoundException",
    `The resource cannot be found: ${method} ${path}. The Azure DevOps emulator does not serve this route (see emulators/azdo/README.md).`,
  );
}

export function methodNotAllowed(method: string, path: string, allowed: string[]): HttpResponse {
  return vssError(
    405,
    "VssHttpMethodNotAllowedException",
    `The requested resource does not support http method '${method}' (${path}).`,
    undefined,
    { allow: allowed.join(", ") },
  );
}

export function organizationNotFound(name: string): HttpResponse {
  return vssError(
    404,
    "HostNotFoundException",
    `The organization '${name}' could not be found on this server.`,
    "Microsoft.TeamFoundation.Framework.Server.HostNotFoundException, Microsoft.TeamFoundation.Framework.Server",
  );
}

export function projectNotFound(project: string): HttpResponse {
  return vssError(
    404,
    "ProjectDoesNotExistWithNameException",
    `TF200016: The following project does not exist: ${project}. Verify that the name of the project is correct and that the project exists on the specified Azure DevOps Server.`,
    "Microsoft.TeamFoundation.Core.WebApi.ProjectDoesNotExistWithNameException, Microsoft.TeamFoundation.Core.WebApi",
  );
}

export function buildNotFound(buildId: string): HttpResponse {
  return vssError(
    404,
    "BuildNotFoundException",
    `The requested build ${buildId} could not be found.`,
    "Microsoft.TeamFoundation.Build.WebApi.BuildNotFoundException, Microsoft.TeamFoundation.Build2.WebApi",
  );
}

export function badRequest(
  message: string,
  typeKey = "ArgumentException",
  typeName = "System.ArgumentException, mscorlib",
): HttpResponse {
  return vssError(400, typeKey, message, typeName);
}

export function definitionNotFound(definition: string | number, detail = ""): HttpResponse {
  return vssError(
    404,
    "DefinitionNotFoundException",
    `Build pipeline ${definition} was not found.${detail ? ` ${detail}` : ""}`,
    "Microsoft.TeamFoundation.Build.WebApi.DefinitionNotFoundException, Microsoft.TeamFoundation.Build2.WebApi",
  );
}
