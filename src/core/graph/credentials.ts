/**
 * credentials — the one place that builds an @azure/identity credential from settings: client
 * secret, certificate, workload identity federation (a client assertion, or the Azure Pipelines
 * OIDC token), managed identity, or device code (the prompt goes to a callback; it gives up after
 * 3 minutes by default). The authority host is a setting, so the emulator is a configuration.
 */
import {
  AzurePipelinesCredential, ClientAssertionCredential, ClientCertificateCredential, ClientSecretCredential,
  DeviceCodeCredential, ManagedIdentityCredential, type AccessToken, type GetTokenOptions, type TokenCredential,
} from "@azure/identity";
import { SyncError } from "../errors";

export const publicAuthorityHost = "https://login.microsoftonline.com";
export const graphScope = "https://graph.microsoft.com/.default";

export interface DeviceCodePrompt { userCode: string; verificationUri: string; message: string; expiresAt: Date }

export type CredentialSettings =
  | { kind: "clientSecret"; tenantId: string; clientId: string; clientSecret: string }
  | { kind: "certificate"; tenantId: string; clientId: string; certificatePath?: string; certificatePem?: string }
  | { kind: "clientAssertion"; tenantId: string; clientId: string; getAssertion: () => Promise<string> }
  | { kind: "azurePipelines"; tenantId: string; clientId: string; serviceConnectionId: string; systemAccessToken: string }
  | { kind: "managedIdentity"; clientId?: string; tenantId: string }
  | { kind: "deviceCode"; tenantId: string; clientId: string; onPrompt: (prompt: DeviceCodePrompt) => void; timeoutMs?: number };

export interface AuthoritySettings { authorityHost?: string }

export const defaultDeviceCodeTimeoutMs = 3 * 60 * 1000;

/** Builds the credential. Instance discovery is only for the public cloud authority. */
export function createCredential(settings: CredentialSettings, authority: AuthoritySettings = {}): TokenCredential {
  const authorityHost = (authority.authorityHost ?? publicAuthorityHost).replace(/\/$/, "");
  const common = { authorityHost, disableInstanceDiscovery: authorityHost !== publicAuthorityHost };
  switch (settings.kind) {
    case "clientSecret":
      return new ClientSecretCredential(settings.tenantId, settings.clientId, settings.clientSecret, common);
    case "certificate": {
      if (settings.certificatePem) return new ClientCertificateCredential(settings.tenantId, settings.clientId, { certificate: settings.certificatePem }, common);
      if (!settings.certificatePath) throw new SyncError("config.invalid", "A certificate credential needs a certificate (PEM with its private key).", { hint: "Set AZURE_CLIENT_CERTIFICATE_PATH or --certificate." });
      return new ClientCertificateCredential(settings.tenantId, settings.clientId, { certificatePath: settings.certificatePath }, common);
    }
    case "clientAssertion":
      return new ClientAssertionCredential(settings.tenantId, settings.clientId, settings.getAssertion, common);
    case "azurePipelines":
      return new AzurePipelinesCredential(settings.tenantId, settings.clientId, settings.serviceConnectionId, settings.systemAccessToken, common);
    case "managedIdentity":
      return settings.clientId ? new ManagedIdentityCredential({ clientId: settings.clientId }) : new ManagedIdentityCredential();
    case "deviceCode":
      return withTimeout(new DeviceCodeCredential({
        ...common, tenantId: settings.tenantId, clientId: settings.clientId,
        userPromptCallback: (info) => settings.onPrompt({
          userCode: info.userCode, verificationUri: info.verificationUri, message: info.message,
          expiresAt: new Date(Date.now() + (settings.timeoutMs ?? defaultDeviceCodeTimeoutMs)),
        }),
      }), settings.timeoutMs ?? defaultDeviceCodeTimeoutMs);
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
          throw new SyncError("auth.deviceCodeTimeout", `Nobody completed the device-code sign-in within ${Math.round(timeoutMs / 1000)} seconds.`, { hint: "Run again and enter the code at the verification URL within the time shown.", cause: e });
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
