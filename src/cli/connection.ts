/**
 * connection — builds the Graph client of a command from flags and the standard Azure SDK
 * environment variables (AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET,
 * AZURE_CLIENT_CERTIFICATE_PATH, AZURE_FEDERATED_TOKEN_FILE, AZURE_AUTHORITY_HOST) and
 * TENANT_SYNC_GRAPH_URL. Flags win over the environment.
 */
import { readFileSync } from "node:fs";
import { createCredential, type CredentialSettings, publicAuthorityHost } from "../core/graph/credentials";
import { GraphClient } from "../core/graph/graph-client";
import type { Logger } from "../core/logger";
import { type OptionSpec, UsageError, numberOption } from "./command";

export const connectionOptions: Record<string, OptionSpec> = {
  "tenant-id": { type: "string", value: "ID", description: "Tenant id or domain (or AZURE_TENANT_ID)." },
  "client-id": { type: "string", value: "ID", description: "App (client) id (or AZURE_CLIENT_ID)." },
  "client-secret": {
    type: "string",
    value: "SECRET",
    description: "Client secret (or AZURE_CLIENT_SECRET; prefer the variable: flags show in process lists).",
  },
  certificate: {
    type: "string",
    value: "PATH",
    description: "PEM file with certificate and private key (or AZURE_CLIENT_CERTIFICATE_PATH).",
  },
  "federated-token-file": {
    type: "string",
    value: "PATH",
    description: "File holding a federated token for workload identity (or AZURE_FEDERATED_TOKEN_FILE).",
  },
  "managed-identity": { type: "boolean", description: "Sign in with the managed identity of this machine." },
  "device-code": { type: "boolean", description: "Sign in as a user with a device code (delegated permissions)." },
  "authority-host": {
    type: "string",
    value: "URL",
    description: `Identity platform (or AZURE_AUTHORITY_HOST; default ${publicAuthorityHost}).`,
  },
  "graph-url": {
    type: "string",
    value: "URL",
    description: "Microsoft Graph (or TENANT_SYNC_GRAPH_URL; default https://graph.microsoft.com).",
  },
  "budget-scale": {
    type: "string",
    value: "F",
    description: "Scale the client-side throttling budget (match an emulator's --throttle-scale).",
    default: "1",
  },
};

export interface Connection {
  graph: GraphClient;
  identity: { authorityHost: string; tenantId: string; clientId: string };
}

type Values = Record<string, string | boolean | undefined>;

function pick(values: Values, flag: string, env: string): string | undefined {
  const v = values[flag];
  return typeof v === "string" && v !== "" ? v : process.env[env] || undefined;
}

/** Hosts that are this machine: the local emulator. */
export function isLoopbackUrl(url: string | undefined): boolean {
  if (!url) return false;
  try {
    return ["127.0.0.1", "localhost", "[::1]", "::1"].includes(new URL(url).hostname);
  } catch {
    return false;
  }
}

export function graphUrlOf(values: Values): string {
  return pick(values, "graph-url", "TENANT_SYNC_GRAPH_URL") ?? "https://graph.microsoft.com";
}

export function authorityHostOf(values: Values): string {
  return pick(values, "authority-host", "AZURE_AUTHORITY_HOST") ?? publicAuthorityHost;
}

export function credentialSettings(values: Values, log: Logger): CredentialSettings {
  const tenantId = pick(values, "tenant-id", "AZURE_TENANT_ID");
  const clientId = pick(values, "client-id", "AZURE_CLIENT_ID");
  if (values["managed-identity"]) return { kind: "managedIdentity", clientId, tenantId: tenantId ?? "" };
  if (!tenantId) throw new UsageError("No tenant: pass --tenant-id or set AZURE_TENANT_ID.");
  if (!clientId)
    throw new UsageError(
      "No app: pass --client-id or set AZURE_CLIENT_ID (the app registration's Application (client) ID).",
    );
  if (values["device-code"]) {
    return {
      kind: "deviceCode",
      tenantId,
      clientId,
      onPrompt: (p) => log.info(`${p.message} (expires ${p.expiresAt.toISOString()})`),
    };
  }
  const secret = pick(values, "client-secret", "AZURE_CLIENT_SECRET");
  if (secret) return { kind: "clientSecret", tenantId, clientId, clientSecret: secret };
  const certificatePath = pick(values, "certificate", "AZURE_CLIENT_CERTIFICATE_PATH");
  if (certificatePath) return { kind: "certificate", tenantId, clientId, certificatePath };
  const tokenFile = pick(values, "federated-token-file", "AZURE_FEDERATED_TOKEN_FILE");
  if (tokenFile)
    return {
      kind: "clientAssertion",
      tenantId,
      clientId,
      getAssertion: async () => readFileSync(tokenFile, "utf8").trim(),
    };
  throw new UsageError(
    "No credential: set AZURE_CLIENT_SECRET, AZURE_CLIENT_CERTIFICATE_PATH or AZURE_FEDERATED_TOKEN_FILE, or pass --managed-identity or --device-code.",
  );
}

export function connect(values: Values, log: Logger): Connection {
  const settings = credentialSettings(values, log);
  const authorityHost = authorityHostOf(values);
  const graph = new GraphClient({
    graphUrl: graphUrlOf(values),
    credential: createCredential(settings, { authorityHost }),
    budgetScale: numberOption(values["budget-scale"], "budget-scale", { min: 0.001 }) ?? 1,
    log,
  });
  return {
    graph,
    identity: {
      authorityHost,
      tenantId: settings.tenantId,
      clientId: "clientId" in settings ? (settings.clientId ?? "") : "",
    },
  };
}
