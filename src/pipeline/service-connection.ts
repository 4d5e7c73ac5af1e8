/**
 * service-connection — how a task signs in to the tenant: an Azure Resource Manager service connection
 * (workload identity federation through the job's OIDC token, as AzurePipelinesCredential does; or a
 * service principal with a secret or a certificate; or a managed identity), an explicit tenant/client id
 * with a secret, or a device-code sign-in for delegated-only settings. Every secret read here is
 * registered with the agent before anything else can print it. The first token is fetched at once, so a
 * sign-in problem stops the run with its own message instead of surfacing inside the backup. What the
 * agent provides comes in through AgentEnvironment (agent-environment.ts in a pipeline, a table in tests).
 */
import {
  type CredentialSettings,
  createCredential,
  type DeviceCodePrompt,
  GraphClient,
  isSyncError,
  type Logger,
  publicAuthorityHost,
  redact,
  SyncError,
} from "../core/index";
import type { AgentEnvironment } from "./agent-environment";
import type { ConnectionInputs } from "./task-inputs";

export interface ResolvedCredential {
  settings: CredentialSettings;
  identity: { authorityHost: string; tenantId: string; clientId: string };
  /** Values to register with the agent's secret masker. */
  secrets: string[];
  /** For people: how the task signs in. */
  description: string;
}

function connectionError(id: string, problem: string, hint: string): SyncError {
  return new SyncError("auth.failed", `The service connection (input "serviceConnection", id ${id}) ${problem}.`, {
    hint,
  });
}

function endpointParameter(env: AgentEnvironment, id: string, key: string, what: string): string {
  const value = env.endpointParameter(id, key)?.trim();
  if (!value)
    throw connectionError(
      id,
      `has no ${what} (authorization parameter "${key}")`,
      "Edit the service connection in Project settings → Service connections, or choose another one.",
    );
  return value;
}

/** An AzureRM service connection → credential settings, by its authorization scheme. */
function fromServiceConnection(id: string, env: AgentEnvironment, authorityHost: string): ResolvedCredential {
  const scheme = env.endpointScheme(id);
  if (!scheme)
    throw connectionError(
      id,
      "is not available to this job",
      "Check that the input names an Azure Resource Manager service connection this pipeline is authorised to use.",
    );
  if (scheme === "ManagedServiceIdentity") {
    const tenantId = env.endpointParameter(id, "tenantid")?.trim() ?? "";
    return {
      settings: { kind: "managedIdentity", tenantId },
      identity: { authorityHost, tenantId, clientId: "" },
      secrets: [],
      description: "the agent's managed identity",
    };
  }
  const tenantId = endpointParameter(env, id, "tenantid", "tenant id");
  const clientId = endpointParameter(env, id, "serviceprincipalid", "service principal (client) id");
  const identity = { authorityHost, tenantId, clientId };
  if (scheme === "WorkloadIdentityFederation") {
    const systemAccessToken = env.systemAccessToken();
    if (!systemAccessToken)
      throw connectionError(
        id,
        "uses workload identity federation, but the job has no access token (System.AccessToken) to ask for an OIDC token with",
        "Run the task in an Azure Pipelines job (the agent provides the token to every task).",
      );
    if (!env.variable("System.OidcRequestUri"))
      throw connectionError(
        id,
        "uses workload identity federation, but the agent did not provide System.OidcRequestUri",
        "Use a current agent (3.240 or later), which exposes the job's OIDC endpoint.",
      );
    return {
      settings: { kind: "azurePipelines", tenantId, clientId, serviceConnectionId: id, systemAccessToken },
      identity,
      secrets: [systemAccessToken],
      description: `workload identity federation (app ${clientId})`,
    };
  }
  if (scheme === "ServicePrincipal") {
    const type = env.endpointParameter(id, "authenticationType")?.trim() || "spnKey";
    if (type === "spnCertificate") {
      const certificatePem = endpointParameter(env, id, "servicePrincipalCertificate", "certificate");
      if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(certificatePem))
        throw connectionError(
          id,
          "has a certificate without its private key",
          "Upload the certificate as PEM with its private key to the service connection.",
        );
      return {
        settings: { kind: "certificate", tenantId, clientId, certificatePem },
        identity,
        secrets: [certificatePem],
        description: `a certificate (app ${clientId})`,
      };
    }
    const clientSecret = endpointParameter(env, id, "serviceprincipalkey", "client secret");
    return {
      settings: { kind: "clientSecret", tenantId, clientId, clientSecret },
      identity,
      secrets: [clientSecret],
      description: `a client secret (app ${clientId})`,
    };
  }
  throw connectionError(
    id,
    `uses the authorization scheme "${scheme}", which Tenant Sync cannot sign in with`,
    "Use an Azure Resource Manager connection with workload identity federation, a service principal (secret or certificate) or a managed identity.",
  );
}

/** The inputs (and the service connection they name) → credential settings. Reads, never signs in. */
export function resolveCredential(
  inputs: ConnectionInputs,
  env: AgentEnvironment,
  onPrompt: (prompt: DeviceCodePrompt) => void,
): ResolvedCredential {
  const authorityHost = inputs.authorityHost ?? publicAuthorityHost;
  switch (inputs.authentication) {
    case "serviceConnection":
      return fromServiceConnection(inputs.serviceConnection ?? "", env, authorityHost);
    case "clientSecret": {
      const { tenantId = "", clientId = "", clientSecret = "" } = inputs;
      return {
        settings: { kind: "clientSecret", tenantId, clientId, clientSecret },
        identity: { authorityHost, tenantId, clientId },
        secrets: [clientSecret],
        description: `a client secret (app ${clientId})`,
      };
    }
    case "deviceCode": {
      const { tenantId = "", clientId = "" } = inputs;
      return {
        settings: { kind: "deviceCode", tenantId, clientId, onPrompt, timeoutMs: inputs.deviceCodeTimeoutMs },
        identity: { authorityHost, tenantId, clientId },
        secrets: [],
        description: `a device-code sign-in (app ${clientId})`,
      };
    }
  }
}

export interface GraphConnection {
  graph: GraphClient;
  identity: ResolvedCredential["identity"];
}

function signInHint(resolved: ResolvedCredential): string {
  switch (resolved.settings.kind) {
    case "azurePipelines":
      return "Check the app registration's federated credential: its issuer and subject must match the service connection (Project settings → Service connections → the connection shows both).";
    case "clientSecret":
      return "Check the tenant id, the client id and that the secret has not expired; renew it in the app registration's Certificates & secrets.";
    case "certificate":
      return "Check the tenant id, the client id and that the certificate is uploaded to the app registration and has not expired.";
    case "deviceCode":
      return "Run again and sign in with the code shown; the app registration must allow public client flows.";
    default:
      return "Check the identity the task signs in with and its access to the tenant.";
  }
}

/**
 * Signs in and returns the run's Graph client. Secrets are registered first; a failed sign-in is a
 * SyncError ("auth.failed") naming the tenant and the app, with what to check.
 */
export async function connectGraph(
  inputs: ConnectionInputs,
  o: {
    env: AgentEnvironment;
    log: Logger;
    setSecret: (value: string) => void;
    onPrompt: (prompt: DeviceCodePrompt) => void;
  },
): Promise<GraphConnection> {
  const resolved = resolveCredential(inputs, o.env, o.onPrompt);
  for (const secret of resolved.secrets) {
    // The agent masks line by line: a multi-line secret (a PEM) is masked per line.
    for (const line of secret.split(/\r?\n/).filter((l) => l.trim().length >= 8)) o.setSecret(line);
  }
  const credential = createCredential(resolved.settings, { authorityHost: resolved.identity.authorityHost });
  const graph = new GraphClient({ graphUrl: inputs.graphUrl, credential, log: o.log });
  o.log.info(
    `Signing in to tenant ${resolved.identity.tenantId || "(the managed identity's)"} with ${resolved.description}…`,
  );
  try {
    await graph.accessToken();
  } catch (e) {
    if (isSyncError(e)) throw e;
    // Entra's texts end lines with \r\n: keep the first line, without its \r.
    const reason = redact(e instanceof Error ? e.message : String(e)).split(/\r?\n/)[0];
    if (resolved.settings.kind === "deviceCode" && /expired_token|code (has )?expired/i.test(reason))
      throw new SyncError(
        "auth.deviceCodeTimeout",
        `The device code for tenant ${resolved.identity.tenantId} expired before anyone signed in with it.`,
        {
          hint: "Run again and enter the new code shown on the run (or in the Tenant Sync hub) before it expires.",
          cause: e,
        },
      );
    throw new SyncError(
      "auth.failed",
      `Could not sign in to tenant ${resolved.identity.tenantId} with ${resolved.description}: ${reason}`,
      { hint: signInHint(resolved), cause: e },
    );
  }
  return { graph, identity: resolved.identity };
}
