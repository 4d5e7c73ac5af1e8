/**
 * agent-environment — what the agent gives a task about its job, read through task-lib: service
 * connections (their scheme and authorization parameters), variables, and the job's access token.
 * The agent puts an endpoint's authorization both in one JSON value and in one variable per
 * parameter; both forms are read.
 */
import * as tl from "azure-pipelines-task-lib/task";

/** What the agent tells a task about service connections and the job (task-lib in a pipeline). */
export interface AgentEnvironment {
  endpointScheme(id: string): string | undefined;
  endpointParameter(id: string, key: string): string | undefined;
  variable(name: string): string | undefined;
  /** The job's access token (System.AccessToken, from the SYSTEMVSSCONNECTION endpoint). */
  systemAccessToken(): string | undefined;
}

/** The endpoint's authorization as one JSON value (ENDPOINT_AUTH_<id>), when the agent gave only that form. */
function endpointAuthorization(id: string): { scheme?: string; parameters?: Record<string, string> } | undefined {
  try {
    return tl.getEndpointAuthorization(id, true) as
      { scheme?: string; parameters?: Record<string, string> } | undefined;
  } catch {
    return undefined;
  }
}

/**
 * An authorization parameter of an endpoint. The agent sets it both as ENDPOINT_AUTH_PARAMETER_<id>_<KEY>
 * and inside ENDPOINT_AUTH_<id>; either is read, the key without regard to case.
 */
function endpointParameterOf(id: string, key: string): string | undefined {
  const direct = tl.getEndpointAuthorizationParameter(id, key, true);
  if (direct) return direct;
  const parameters = endpointAuthorization(id)?.parameters ?? {};
  const match = Object.keys(parameters).find((k) => k.toLowerCase() === key.toLowerCase());
  return match ? parameters[match] : undefined;
}

/** The job's access token (System.AccessToken): the SYSTEMVSSCONNECTION endpoint's, which every task receives. */
export function systemAccessToken(): string | undefined {
  return endpointParameterOf("SYSTEMVSSCONNECTION", "AccessToken") || tl.getVariable("System.AccessToken") || undefined;
}

export const agentEnvironment: AgentEnvironment = {
  endpointScheme: (id) => tl.getEndpointAuthorizationScheme(id, true) || endpointAuthorization(id)?.scheme,
  endpointParameter: endpointParameterOf,
  variable: (name) => tl.getVariable(name),
  systemAccessToken,
};
