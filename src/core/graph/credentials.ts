/**
 * credentials — the one place that builds an @azure/identity credential from settings: client
 * secret, certificate, workload identity federation (a client assertion, or the Azure Pipelines
 * OIDC token), managed identity, or device code (the prompt goes to a callback; it gives up after
 * 3 minutes by default). The authority host is a setting, so the emulator is a configuration.
 * A sign-in that fails because the tenant does not exist says so in a sentence, not a library link.
 */
import { readFileSync } from "node:fs";
import {
  AzurePipelinesCredential,
  ClientAssertionCredential,
  ClientCertificateCredential,
  ClientSecretCredential,
  DeviceCodeCredential,
  ManagedIdentityCredential,
  type AccessToken,
  type GetTokenOptions,
  type TokenCredential,
} from "@azure/identity";
import { SyncError } from "../errors";

export const publicAuthorityHost = "https://login.microsoftonline.com";
export const graphScope = "https://graph.microsoft.com/.default";

export interface DeviceCodePrompt {
  userCode: string;
  verificationUri: string;
  message: string;
  expiresAt: Date;
}

export type CredentialSettings =
  | { kind: "clientSecret"; tenantId: string; clientId: string; clientSecret: string }
  | { kind: "certificate"; tenantId: string; clientId: string; certificatePath?: string; certificatePem?: string }
  | { kind: "clientAssertion"; tenantId: string; clientId: string; getAssertion: () => Promise<string> }
  | {
      kind: "azurePipelines";
      tenantId: string;
      clientId: string;
      serviceConnectionId: string;
      systemAccessToken: string;
    }
  | { kind: "managedIdentity"; clientId?: string; tenantId: string }
  | {
      kind: "deviceCode";
      tenantId: string;
      clientId: string;
      onPrompt: (prompt: DeviceCodePrompt) => void;
      timeoutMs?: number;
    };

export interface AuthoritySettings {
  authorityHost?: string;
}

export const defaultDeviceCodeTimeoutMs = 3 * 60 * 1000;

/** Builds the credential. Instance discovery is only for the public cloud authority. */
export function createCredential(settings: CredentialSettings, authority: AuthoritySettings = {}): TokenCredential {
  const authorityHost = (authority.authorityHost ?? publicAuthorityHost).replace(/\/$/, "");
  const credential = buildCredential(settings, authorityHost);
  return settings.kind === "managedIdentity"
    ? credential
    : withTenantDiagnosis(credential, settings.tenantId, authorityHost);
}

/** The PEM at `path`, read before any sign-in so a wrong path is named as such, not as a raw ENOENT. */
function readCertificate(path: string): string {
  let pem: string;
  try {
    pem = readFileSync(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? "";
    const why =
      code === "ENOENT" ? "does not exist" : code === "EACCES" ? "is not readable" : `could not be read (${code})`;
    throw new SyncError("config.invalid", `The certificate file ${path} ${why}.`, {
      hint: "Point --certificate (or AZURE_CLIENT_CERTIFICATE_PATH) at the PEM file holding the app's certificate and its private key.",
    });
  }
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem))
    throw new SyncError("config.invalid", `The certificate file ${path} holds no private key.`, {
      hint: "The PEM file must hold the certificate and its private key (PEM, unencrypted).",
    });
  return pem;
}

function buildCredential(settings: CredentialSettings, authorityHost: string): TokenCredential {
  const common = { authorityHost, disableInstanceDiscovery: authorityHost !== publicAuthorityHost };
  switch (settings.kind) {
    case "clientSecret":
      return new ClientSecretCredential(settings.tenantId, settings.clientId, settings.clientSecret, common);
    case "certificate": {
      if (settings.certificatePem)
        return new ClientCertificateCredential(
          settings.tenantId,
          settings.clientId,
          { certificate: settings.certificatePem },
          common,
        );
      if (!settings.certificatePath)
        throw new SyncError(
          "config.invalid",
          "A certificate credential needs a certificate (PEM with its private key).",
          { hint: "Set AZURE_CLIENT_CERTIFICATE_PATH or --certificate." },
        );
      return new ClientCertificateCredential(
        settings.tenantId,
        settings.clientId,
        { certificate: readCertificate(settings.certificatePath) },
        common,
      );
    }
    case "clientAssertion":
      return new ClientAssertionCredential(settings.tenantId, settings.clientId, settings.getAssertion, common);
    case "azurePipelines":
      return new AzurePipelinesCredential(
        settings.tenantId,
        settings.clientId,
        settings.serviceConnectionId,
        settings.systemAccessToken,
        common,
      );
    case "managedIdentity":
      return settings.clientId
        ? new ManagedIdentityCredential({ clientId: settings.clientId })
        : new ManagedIdentityCredential();
    case "deviceCode":
      return withTimeout(
        new DeviceCodeCredential({
          ...common,
          tenantId: settings.tenantId,
          clientId: settings.clientId,
          userPromptCallback: (info) =>
            settings.onPrompt({
              userCode: info.userCode,
              verificationUri: info.verificationUri,
              message: info.message,
              expiresAt: new Date(Date.now() + (settings.timeoutMs ?? defaultDeviceCodeTimeoutMs)),
            }),
        }),
        settings.timeoutMs ?? defaultDeviceCodeTimeoutMs,
      );
  }
}

/**
 * The identity library reports an unknown tenant as "endpoints_resolution_error" with a link. Ask the
 * tenant's OpenID metadata why: AADSTS90002 (or invalid_tenant) means the tenant does not exist there.
 * Any other answer keeps the library's error, with what the metadata said beside it.
 */
function withTenantDiagnosis(credential: TokenCredential, tenantId: string, authorityHost: string): TokenCredential {
  return {
    async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
      try {
        return await credential.getToken(scopes, options);
      } catch (e) {
        if (!/endpoints_resolution_error/.test(e instanceof Error ? e.message : String(e))) throw e;
        throw await diagnoseEndpoints(tenantId, authorityHost, e);
      }
    },
  };
}

async function diagnoseEndpoints(tenantId: string, authorityHost: string, cause: unknown): Promise<SyncError> {
  const url = `${authorityHost}/${encodeURIComponent(tenantId)}/v2.0/.well-known/openid-configuration`;
  const hint =
    "Check the tenant id or domain (--tenant-id, AZURE_TENANT_ID or the service connection's tenant): the Directory (tenant) ID or a verified domain such as contoso.onmicrosoft.com, and the authority host of the tenant's cloud.";
  let said: string;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(15_000) });
    const body = jsonOrEmpty(await response.text()) as {
      error?: string;
      error_codes?: number[];
      error_description?: string;
    };
    if (body.error === "invalid_tenant" || body.error_codes?.includes(90002)) {
      return new SyncError("auth.failed", `Tenant ${tenantId} was not found at ${authorityHost}.`, { hint, cause });
    }
    said = `its OpenID metadata answered ${response.status}${body.error_description ? `: ${body.error_description.split(/\r?\n/)[0]}` : ""}`;
  } catch (e) {
    said = `its OpenID metadata could not be read: ${e instanceof Error ? e.message : String(e)}`;
  }
  return new SyncError(
    "auth.failed",
    `Could not find the sign-in endpoints of tenant ${tenantId} at ${authorityHost}: ${said}.`,
    {
      hint: `${hint} If both are right, check that this machine can reach ${authorityHost}.`,
      cause,
    },
  );
}

/** A body that is not JSON (a proxy's page) carries no error fields. */
function jsonOrEmpty(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
}

/** Device-code sign-in waits for a person: give up after `timeoutMs` with a clear error. */
function withTimeout(credential: TokenCredential, timeoutMs: number): TokenCredential {
  return {
    async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
      const signal = AbortSignal.timeout(timeoutMs);
      try {
        return await credential.getToken(scopes, { ...options, abortSignal: signal });
      } catch (e) {
        if (signal.aborted) {
          throw new SyncError(
            "auth.deviceCodeTimeout",
            `Nobody completed the device-code sign-in within ${Math.round(timeoutMs / 1000)} seconds.`,
            { hint: "Run again and enter the code at the verification URL within the time shown.", cause: e },
          );
        }
        throw e;
      }
    },
  };
}

/** Claims of an access token (no signature check: only to read what it grants). */
export function tokenClaims(accessToken: string): { tid?: string; appid?: string; roles?: string[]; scp?: string } {
  const part = accessToken.split(".")[1];
  if (!part) return {};
  try {
    return JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
  } catch {
    return {};
  }
}
