/**
 * identity — every @azure/identity credential the tool may use gets a Graph token from the
 * emulator's identity platform, and the tokens carry the claims the consent check reads
 * (`tid`, `appid`, `roles` for app-only, `scp` for delegated). Failures are the platform's.
 */
import assert from "node:assert/strict";
import { createSign, generateKeyPairSync, randomUUID } from "node:crypto";
import forge from "node-forge";
import {
  ClientAssertionCredential,
  ClientCertificateCredential,
  ClientSecretCredential,
  DeviceCodeCredential,
  type DeviceCodeInfo,
} from "@azure/identity";
import { startTestEmulator, type TestEmulator } from "../helpers/graph-emulator";

const graphScope = "https://graph.microsoft.com/.default";

function claimsOf(token: string): Record<string, unknown> {
  const [, payload] = token.split(".");
  return JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>;
}

/** An RSA key and a self-signed certificate for it, both PEM. */
function selfSignedCertificate(): { certPem: string; keyPem: string } {
  const keys = forge.pki.rsa.generateKeyPair({ bits: 2048, e: 0x10001 });
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = "01";
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 24 * 60 * 60 * 1000);
  const subject = [{ name: "commonName", value: "tenant-sync test client" }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: forge.pki.privateKeyToPem(keys.privateKey) };
}

/** A compact RS256 JWS signed with `privateKeyPem`, as a workload identity issuer would mint it. */
function signAssertion(payload: Record<string, unknown>, privateKeyPem: string, kid: string): string {
  const head = Buffer.from(JSON.stringify({ alg: "RS256", typ: "JWT", kid })).toString("base64url");
  const body = Buffer.from(JSON.stringify(payload)).toString("base64url");
  const signature = createSign("RSA-SHA256").update(`${head}.${body}`).sign(privateKeyPem).toString("base64url");
  return `${head}.${body}.${signature}`;
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe("Graph emulator identity platform (@azure/identity)", function () {
  let t: TestEmulator;
  let consentedRoles: string[];
  const options = () => ({ authorityHost: t.info.authorityHost, disableInstanceDiscovery: true });

  before(async () => {
    t = await startTestEmulator({ throttle: { mode: "off" }, deviceCodeIntervalSeconds: 1 });
    const tenants = (await t.control("GET", "/tenants")).body as {
      tenantId: string;
      apps: { clientId: string; roles: string[] }[];
    }[];
    consentedRoles = tenants
      .find((x) => x.tenantId === t.info.tenantId)!
      .apps.find((a) => a.clientId === t.info.clientId)!.roles;
  });

  after(async () => {
    await t?.emulator.stop();
  });

  /** Waits until the pending sign-in with this user code has been polled, and returns the poll count. */
  async function pendingPolls(userCode: string): Promise<number> {
    return waitFor(`a pending poll for ${userCode}`, async () => {
      const codes = (await t.control("GET", "/devicecodes")).body as {
        userCode: string;
        state: string;
        polls: number;
      }[];
      const entry = codes.find((c) => c.userCode === userCode);
      return entry && entry.state === "pending" && entry.polls >= 1 ? entry.polls : undefined;
    });
  }

  it("issues an app-only token to ClientSecretCredential with the tenant, app and consented roles", async () => {
    const credential = new ClientSecretCredential(t.info.tenantId, t.info.clientId, t.info.clientSecret, options());
    const token = await credential.getToken(graphScope);
    assert.ok(token.expiresOnTimestamp > Date.now());
    const claims = claimsOf(token.token);
    assert.equal(claims.tid, t.info.tenantId);
    assert.equal(claims.appid, t.info.clientId);
    assert.deepEqual(claims.roles, [...consentedRoles].sort());
    assert.ok((claims.roles as string[]).includes("DeviceManagementConfiguration.ReadWrite.All"));
    assert.equal(claims.scp, undefined);
  });

  it("issues an app-only token to ClientCertificateCredential for a certificate registered on the app", async () => {
    const { certPem, keyPem } = selfSignedCertificate();
    const registered = await t.control("PATCH", `/tenants/${t.info.tenantId}/apps/${t.info.clientId}`, {
      certificates: [certPem],
    });
    assert.equal(registered.status, 200);
    const credential = new ClientCertificateCredential(
      t.info.tenantId,
      t.info.clientId,
      { certificate: certPem + keyPem },
      options(),
    );
    const claims = claimsOf((await credential.getToken(graphScope)).token);
    assert.equal(claims.tid, t.info.tenantId);
    assert.equal(claims.appid, t.info.clientId);
    assert.deepEqual(claims.roles, [...consentedRoles].sort());
  });

  it("refuses ClientCertificateCredential when the certificate is not registered on the app", async () => {
    const { certPem, keyPem } = selfSignedCertificate();
    const credential = new ClientCertificateCredential(
      t.info.tenantId,
      t.info.clientId,
      { certificate: certPem + keyPem },
      options(),
    );
    await assert.rejects(credential.getToken(graphScope), /AADSTS700027/);
  });

  it("issues an app-only token to ClientAssertionCredential for a federated credential's signed assertion", async () => {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const kid = "test-key-1";
    const jwk = { ...(publicKey.export({ format: "jwk" }) as Record<string, unknown>), kid, use: "sig", alg: "RS256" };
    const issuer = "https://vstoken.dev.azure.com/00000000-0000-0000-0000-00000000beef";
    const subject = "sc://contoso/tenant-sync/graph-connection";
    const registered = await t.control("PATCH", `/tenants/${t.info.tenantId}/apps/${t.info.clientId}`, {
      federatedCredentials: [{ issuer, subject, audiences: ["api://AzureADTokenExchange"], jwks: { keys: [jwk] } }],
    });
    assert.equal(registered.status, 200);
    const privateKeyPem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    let assertionsMinted = 0;
    const getAssertion = async () => {
      assertionsMinted += 1;
      const now = Math.floor(Date.now() / 1000);
      return signAssertion(
        {
          iss: issuer,
          sub: subject,
          aud: "api://AzureADTokenExchange",
          iat: now,
          nbf: now,
          exp: now + 600,
          jti: randomUUID(),
        },
        privateKeyPem,
        kid,
      );
    };
    const credential = new ClientAssertionCredential(t.info.tenantId, t.info.clientId, getAssertion, options());
    const claims = claimsOf((await credential.getToken(graphScope)).token);
    assert.ok(assertionsMinted >= 1, "the credential asked for an assertion");
    assert.equal(claims.tid, t.info.tenantId);
    assert.equal(claims.appid, t.info.clientId);
    assert.deepEqual(claims.roles, [...consentedRoles].sort());
  });

  it("refuses a federated assertion whose subject has no federated credential", async () => {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const now = Math.floor(Date.now() / 1000);
    const assertion = signAssertion(
      {
        iss: "https://issuer.invalid",
        sub: "someone-else",
        aud: "api://AzureADTokenExchange",
        iat: now,
        exp: now + 600,
      },
      pem,
      "k",
    );
    const credential = new ClientAssertionCredential(
      t.info.tenantId,
      t.info.clientId,
      async () => assertion,
      options(),
    );
    await assert.rejects(credential.getToken(graphScope), /AADSTS70021/);
  });

  it("issues a delegated token to DeviceCodeCredential once the sign-in is completed after a pending poll", async () => {
    let polledBeforeCompletion = 0;
    const settled: Promise<void>[] = [];
    const credential = new DeviceCodeCredential({
      tenantId: t.info.tenantId,
      clientId: t.info.clientId,
      ...options(),
      userPromptCallback: (info: DeviceCodeInfo) => {
        assert.match(info.message, new RegExp(info.userCode));
        settled.push(
          (async () => {
            polledBeforeCompletion = await pendingPolls(info.userCode);
            const done = await t.control("POST", `/devicecodes/${info.userCode}/complete`, {});
            assert.equal(done.status, 200);
            assert.equal(done.body.state, "approved");
          })(),
        );
      },
    });
    const token = await credential.getToken(graphScope);
    await Promise.all(settled);
    assert.equal(settled.length, 1, "the user is prompted once");
    assert.ok(polledBeforeCompletion >= 1, "the credential polled while the sign-in was pending");
    const claims = claimsOf(token.token);
    assert.equal(claims.tid, t.info.tenantId);
    assert.equal(claims.appid, t.info.clientId);
    assert.equal(claims.roles, undefined);
    const scopes = String(claims.scp).split(" ");
    assert.ok(scopes.includes("Group.ReadWrite.All"), `scp was ${String(claims.scp)}`);
    assert.ok(scopes.includes("DeviceManagementConfiguration.ReadWrite.All"));
    const remaining = (await t.control("GET", "/devicecodes")).body as unknown[];
    assert.equal(remaining.length, 0, "a redeemed device code is gone");
  });

  it("rejects DeviceCodeCredential with an expiry error when the code expires while pending", async () => {
    const settled: Promise<void>[] = [];
    const credential = new DeviceCodeCredential({
      tenantId: t.info.tenantId,
      clientId: t.info.clientId,
      ...options(),
      userPromptCallback: (info: DeviceCodeInfo) => {
        settled.push(
          (async () => {
            await pendingPolls(info.userCode);
            await t.control("POST", "/clock", { advanceMs: 16 * 60 * 1000 });
          })(),
        );
      },
    });
    try {
      await assert.rejects(credential.getToken(graphScope), (e: Error) => {
        assert.match(e.message, /expired/i);
        return true;
      });
      await Promise.all(settled);
    } finally {
      await Promise.all(settled).catch(() => undefined);
      await t.control("POST", "/clock", { advanceMs: -16 * 60 * 1000 });
    }
  });

  it("rejects DeviceCodeCredential when the user declines the sign-in", async () => {
    const settled: Promise<void>[] = [];
    const credential = new DeviceCodeCredential({
      tenantId: t.info.tenantId,
      clientId: t.info.clientId,
      ...options(),
      userPromptCallback: (info: DeviceCodeInfo) => {
        settled.push(
          (async () => {
            await pendingPolls(info.userCode);
            const declined = await t.control("POST", `/devicecodes/${info.userCode}/decline`, {});
            assert.equal(declined.body.state, "declined");
          })(),
        );
      },
    });
    await assert.rejects(credential.getToken(graphScope), (e: Error) => {
      assert.match(e.message, /declined|authorization_declined/i);
      return true;
    });
    await Promise.all(settled);
  });

  it("rejects a wrong client secret with AADSTS7000215", async () => {
    const credential = new ClientSecretCredential(t.info.tenantId, t.info.clientId, "not-the-secret", options());
    await assert.rejects(credential.getToken(graphScope), /AADSTS7000215/);
  });

  it("rejects a tenant the identity platform does not know (AADSTS90002 on its metadata)", async () => {
    const unknownTenant = randomUUID();
    const metadata = await fetch(`${t.info.authorityHost}/${unknownTenant}/v2.0/.well-known/openid-configuration`);
    assert.equal(metadata.status, 400);
    const body = (await metadata.json()) as { error: string; error_codes: number[] };
    assert.equal(body.error, "invalid_tenant");
    assert.deepEqual(body.error_codes, [90002]);
    const credential = new ClientSecretCredential(unknownTenant, t.info.clientId, t.info.clientSecret, options());
    await assert.rejects(credential.getToken(graphScope), /endpoints_resolution_error/);
  });
});
