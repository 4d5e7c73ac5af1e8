/**
 * connect — the Azure DevOps connection of the `tenant-sync devops` commands, through
 * azure-devops-node-api: the organisation and project (flags, else the variables a pipeline job
 * has), and the caller's credential: a personal access token (--pat or AZURE_DEVOPS_EXT_PAT, the
 * Azure CLI's variable; sent as Basic), a bearer token (--token), or else an Entra token for the
 * Azure DevOps resource from @azure/identity's DefaultAzureCredential (Azure CLI sign-in, managed
 * identity, workload identity, environment variables), so it works at a desk and in automation.
 */
import * as azdev from "azure-devops-node-api";
import { DefaultAzureCredential } from "@azure/identity";

/** The Azure DevOps resource (its application id) whose token Entra issues for REST calls. */
export const azureDevOpsScope = "499b84ac-1321-427f-aa17-267ca6975798/.default";

export interface DevOpsTarget {
  /** The organisation's URL, ending in "/" (https://dev.azure.com/contoso/). */
  org: string;
  project: string;
}

export interface DevOpsSession extends DevOpsTarget {
  api: azdev.WebApi;
  /** How the caller signed in, for messages: "a personal access token", … */
  signedInWith: string;
}

export interface ConnectOptions {
  org?: string;
  project?: string;
  pat?: string;
  token?: string;
  env?: NodeJS.ProcessEnv;
  /** Where a missing value is a usage error (the command line turns it into exit code 2). */
  usage: (message: string) => Error;
}

export function targetOf(o: ConnectOptions): DevOpsTarget {
  const env = o.env ?? process.env;
  const org = o.org ?? env.SYSTEM_COLLECTIONURI;
  const project = o.project ?? env.SYSTEM_TEAMPROJECT;
  if (!org)
    throw o.usage(
      "Give the organisation with --org https://dev.azure.com/<organisation> (or set SYSTEM_COLLECTIONURI).",
    );
  if (!project) throw o.usage("Give the project with --project <name> (or set SYSTEM_TEAMPROJECT).");
  let url: URL;
  try {
    url = new URL(org);
  } catch {
    throw o.usage(`--org must be the organisation's URL, like https://dev.azure.com/contoso; got '${org}'.`);
  }
  if (url.protocol !== "https:") throw o.usage(`--org must be an https URL; got '${org}'.`);
  return { org: url.toString().replace(/\/?$/, "/"), project };
}

/** Signs in as the options say; an Entra token is asked for only when neither a PAT nor a token is given. */
export async function connect(o: ConnectOptions): Promise<DevOpsSession> {
  const target = targetOf(o);
  const env = o.env ?? process.env;
  const pat = o.pat ?? env.AZURE_DEVOPS_EXT_PAT;
  // keepAlive: --watch and the actions make several calls to the same host.
  const options = { keepAlive: true, allowRetries: true, maxRetries: 3 };
  if (pat)
    return {
      ...target,
      api: new azdev.WebApi(target.org, azdev.getPersonalAccessTokenHandler(pat), options),
      signedInWith: "a personal access token",
    };
  if (o.token)
    return {
      ...target,
      api: new azdev.WebApi(target.org, azdev.getBearerHandler(o.token), options),
      signedInWith: "the given token",
    };
  let token: string;
  try {
    const got = await new DefaultAzureCredential().getToken(azureDevOpsScope);
    token = got.token;
  } catch (e) {
    throw new Error(
      `Could not sign in to Azure DevOps: no --pat, no AZURE_DEVOPS_EXT_PAT, no --token, and no Entra sign-in was found (${(e as Error).message.split("\n")[0]}). Set AZURE_DEVOPS_EXT_PAT to a personal access token (scopes Build read & execute, Code read & write, Environment and Service Connections read & manage), or sign in with 'az login'.`,
      { cause: e },
    );
  }
  return {
    ...target,
    api: new azdev.WebApi(target.org, azdev.getBearerHandler(token), options),
    signedInWith: "an Entra token",
  };
}

/** The status code of a failed node-api call, when it has one. */
export function statusOf(e: unknown): number | undefined {
  const code = (e as { statusCode?: unknown })?.statusCode;
  return typeof code === "number" ? code : undefined;
}

/**
 * A failed call as a user can act on it: which object, what was being done, what the caller lacks
 * (401 / 403), what the service said.
 */
export function callFailed(what: string, e: unknown, permission?: string): Error {
  const status = statusOf(e);
  const said = (e as Error)?.message ?? String(e);
  if (status === 401)
    return new Error(
      `${what}: Azure DevOps refused the credential (401). Check that the token is current and for this organisation.`,
    );
  if (status === 403 || /TF401027|AccessDenied|not authorized|permission/i.test(said))
    return new Error(
      `${what}: the signed-in identity lacks the permission${permission ? ` '${permission}'` : ""} (${said}). Ask a project administrator to grant it, or run with an identity that has it.`,
    );
  return new Error(`${what}: ${said}`);
}
