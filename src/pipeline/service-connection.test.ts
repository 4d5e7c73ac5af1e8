import assert from "node:assert/strict";
import { isSyncError } from "../core/index";
import type { AgentEnvironment } from "./agent-environment";
import { resolveCredential } from "./service-connection";
import type { ConnectionInputs } from "./task-inputs";

const id = "0f0e0d0c-0000-0000-0000-000000000001";
const viaConnection: ConnectionInputs = {
  authentication: "serviceConnection",
  serviceConnection: id,
  graphUrl: "https://graph.microsoft.com",
  deviceCodeTimeoutMs: 180_000,
};
const pem =
  "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n";

function agent(
  scheme: string | undefined,
  parameters: Record<string, string>,
  variables: Record<string, string> = { "System.OidcRequestUri": "https://dev.azure.com/org/p/_apis/oidctoken" },
  token = "job-token",
): AgentEnvironment {
  return {
    endpointScheme: (e) => (e === id ? scheme : undefined),
    endpointParameter: (e, key) => (e === id ? parameters[key] : undefined),
    variable: (name) => variables[name],
    systemAccessToken: () => token,
  };
}

const spn = { tenantid: "tenant-1", serviceprincipalid: "app-1" };

describe("service connection", () => {
  const cases: Record<
    string,
    { env: AgentEnvironment; kind: string; secrets: string[]; extra?: Record<string, unknown> }
  > = {
    "workload identity federation → the job's OIDC token (AzurePipelinesCredential)": {
      env: agent("WorkloadIdentityFederation", spn),
      kind: "azurePipelines",
      secrets: ["job-token"],
      extra: { serviceConnectionId: id, systemAccessToken: "job-token" },
    },
    "a service principal with a key → a client secret": {
      env: agent("ServicePrincipal", { ...spn, authenticationType: "spnKey", serviceprincipalkey: "key-1" }),
      kind: "clientSecret",
      secrets: ["key-1"],
      extra: { clientSecret: "key-1" },
    },
    "a service principal with a certificate → the PEM": {
      env: agent("ServicePrincipal", {
        ...spn,
        authenticationType: "spnCertificate",
        servicePrincipalCertificate: pem,
      }),
      kind: "certificate",
      secrets: [pem.trim()],
      extra: { certificatePem: pem.trim() },
    },
    "a managed identity": {
      env: agent("ManagedServiceIdentity", { tenantid: "tenant-1" }),
      kind: "managedIdentity",
      secrets: [],
    },
  };
  for (const [name, c] of Object.entries(cases)) {
    it(`signs in with ${name}`, () => {
      const resolved = resolveCredential(viaConnection, c.env, () => undefined);
      assert.equal(resolved.settings.kind, c.kind);
      assert.equal(resolved.identity.tenantId, "tenant-1");
      assert.deepEqual(resolved.secrets, c.secrets);
      for (const [key, value] of Object.entries(c.extra ?? {}))
        assert.equal((resolved.settings as unknown as Record<string, unknown>)[key], value, key);
    });
  }

  it("signs in with explicit ids and a secret, or a device code, at the authority host given", () => {
    const inputs: ConnectionInputs = {
      ...viaConnection,
      authentication: "clientSecret",
      tenantId: "t",
      clientId: "c",
      clientSecret: "s",
      authorityHost: "https://login.example",
    };
    const secret = resolveCredential(inputs, agent(undefined, {}), () => undefined);
    assert.deepEqual(
      [secret.settings.kind, secret.identity, secret.secrets],
      ["clientSecret", { authorityHost: "https://login.example", tenantId: "t", clientId: "c" }, ["s"]],
    );
    const device = resolveCredential(
      { ...inputs, authentication: "deviceCode", deviceCodeTimeoutMs: 30_000 },
      agent(undefined, {}),
      () => undefined,
    );
    assert.equal(device.settings.kind, "deviceCode");
    assert.equal(device.settings.kind === "deviceCode" && device.settings.timeoutMs, 30_000);
  });

  const refused: Record<string, { env: AgentEnvironment; says: RegExp }> = {
    "a connection the job cannot see": { env: agent(undefined, {}), says: /is not available to this job/ },
    "federation without System.OidcRequestUri": {
      env: agent("WorkloadIdentityFederation", spn, {}),
      says: /did not provide System\.OidcRequestUri/,
    },
    "federation without the job's token": {
      env: agent("WorkloadIdentityFederation", spn, undefined, ""),
      says: /has no access token/,
    },
    "a certificate without its private key": {
      env: agent("ServicePrincipal", {
        ...spn,
        authenticationType: "spnCertificate",
        servicePrincipalCertificate: "-----BEGIN CERTIFICATE-----",
      }),
      says: /without its private key/,
    },
    "a connection without a client id": {
      env: agent("ServicePrincipal", { tenantid: "tenant-1" }),
      says: /has no service principal \(client\) id/,
    },
    "another scheme": {
      env: agent("UsernamePassword", spn),
      says: /"UsernamePassword", which Tenant Sync cannot sign in with/,
    },
  };
  for (const [name, c] of Object.entries(refused)) {
    it(`refuses ${name}, naming the input and the connection`, () => {
      try {
        resolveCredential(viaConnection, c.env, () => undefined);
        assert.fail("resolved");
      } catch (e) {
        assert.ok(isSyncError(e));
        assert.equal(e.code, "auth.failed");
        assert.match(e.message, new RegExp(`input "serviceConnection", id ${id}`));
        assert.match(e.message, c.says);
      }
    });
  }
});
