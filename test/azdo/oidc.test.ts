/**
 * oidc — workload identity federation end to end over HTTPS: AzurePipelinesCredential asks the
 * Azure DevOps emulator for the job's OIDC token and trades it at the Graph emulator's token
 * endpoint, which finds the issuer's keys through its OpenID metadata (no keys registered).
 */
import assert from "node:assert/strict";
import { createPublicKey, createVerify } from "node:crypto";
import { AzurePipelinesCredential } from "@azure/identity";
import { startTestAzdoEmulator, type EmulatedBuild, type TestAzdoEmulator } from "../helpers/azdo-emulator";
import { startTestEmulator, type TestEmulator } from "../helpers/graph-emulator";

const graphScope = "https://graph.microsoft.com/.default";
const oidcRoute = "/{org}/{project}/_apis/distributedtask/hubs/{hub}/plans/{planId}/jobs/{jobId}/oidctoken";

function decode(jwt: string): { header: Record<string, unknown>; payload: Record<string, unknown> } {
  const [header, payload] = jwt
    .split(".")
    .slice(0, 2)
    .map((part) => JSON.parse(Buffer.from(part, "base64url").toString("utf8")) as Record<string, unknown>);
  return { header, payload };
}

describe("azdo emulator: OIDC tokens for workload identity federation", function () {
  let azdo: TestAzdoEmulator;
  let graph: TestEmulator;
  let build: EmulatedBuild;
  let connectionId: string;
  let savedOidcUri: string | undefined;

  before(async () => {
    [azdo, graph] = await Promise.all([
      startTestAzdoEmulator({ organization: "org", project: "project" }),
      startTestEmulator({ throttle: { mode: "off" } }),
    ]);
    const connection = await azdo.addServiceConnection({
      name: "conn",
      tenantId: graph.info.tenantId,
      clientId: graph.info.clientId,
    });
    assert.equal(connection.subject, "sc://org/project/conn");
    connectionId = connection.id;
    const registered = await graph.control("PATCH", `/tenants/${graph.info.tenantId}/apps/${graph.info.clientId}`, {
      federatedCredentials: [
        { issuer: azdo.info.oidcIssuer, subject: "sc://org/project/conn", audiences: ["api://AzureADTokenExchange"] },
      ],
    });
    assert.equal(registered.status, 200);
    build = await azdo.createBuild({ definition: "tenant-sync-contoso", tenant: "contoso" });
    savedOidcUri = process.env.SYSTEM_OIDCREQUESTURI;
    process.env.SYSTEM_OIDCREQUESTURI = `${azdo.info.collectionUri}${azdo.info.projectId}/_apis/distributedtask/hubs/build/plans/${build.planId}/jobs/${build.jobId}/oidctoken`;
    assert.equal(build.agentVariables.SYSTEM_OIDCREQUESTURI, process.env.SYSTEM_OIDCREQUESTURI);
  });

  after(async () => {
    if (savedOidcUri === undefined) delete process.env.SYSTEM_OIDCREQUESTURI;
    else process.env.SYSTEM_OIDCREQUESTURI = savedOidcUri;
    await Promise.all([azdo?.emulator.stop(), graph?.emulator.stop()]);
  });

  const credentialFor = (serviceConnectionId: string, accessToken: string) =>
    new AzurePipelinesCredential(graph.info.tenantId, graph.info.clientId, serviceConnectionId, accessToken, {
      authorityHost: graph.info.authorityHost,
      disableInstanceDiscovery: true,
    });

  it("gets a Graph token for the job through a federated credential whose keys Graph discovers from the issuer", async () => {
    const token = await credentialFor(connectionId, build.accessToken).getToken(graphScope);
    const claims = decode(token.token).payload;
    assert.equal(claims.tid, graph.info.tenantId);
    assert.equal(claims.appid, graph.info.clientId);
    assert.ok(azdo.emulator.requestsTo("POST", oidcRoute) >= 1, "the credential asked the emulator for an OIDC token");
    assert.ok(
      azdo.emulator.requestsTo("GET", "/.well-known/openid-configuration") >= 1,
      "Graph read the issuer's metadata",
    );
    assert.ok(azdo.emulator.requestsTo("GET", "/.well-known/jwks") >= 1, "Graph read the issuer's keys");
  });

  it("issues a short-lived RS256 token with the issuer, subject and audience of the service connection", async () => {
    const res = await fetch(
      `${process.env.SYSTEM_OIDCREQUESTURI}?api-version=7.1&serviceConnectionId=${connectionId}`,
      {
        method: "POST",
        headers: { authorization: `Bearer ${build.accessToken}`, "content-type": "application/json" },
        body: "{}",
      },
    );
    assert.equal(res.status, 200);
    const { oidcToken } = (await res.json()) as { oidcToken: string };
    const { header, payload } = decode(oidcToken);
    assert.equal(header.alg, "RS256");
    assert.equal(payload.iss, `${azdo.info.baseUrl}/${azdo.info.organizationId}`);
    assert.equal(payload.iss, azdo.info.oidcIssuer);
    assert.equal(payload.sub, "sc://org/project/conn");
    assert.equal(payload.aud, "api://AzureADTokenExchange");
    const lifetime = (payload.exp as number) - (payload.iat as number);
    assert.ok(lifetime > 0 && lifetime <= 900, `lifetime ${lifetime}s`);

    const metadata = (await (await fetch(`${azdo.info.oidcIssuer}/.well-known/openid-configuration`)).json()) as {
      issuer: string;
      jwks_uri: string;
    };
    assert.equal(metadata.issuer, azdo.info.oidcIssuer);
    const { keys } = (await (await fetch(metadata.jwks_uri)).json()) as { keys: Record<string, unknown>[] };
    const key = keys.find((k) => k.kid === header.kid);
    assert.ok(key, "the JWKS holds the signing key");
    const [h, p, s] = oidcToken.split(".");
    const isValid = createVerify("RSA-SHA256")
      .update(`${h}.${p}`)
      .verify(createPublicKey({ key: key as never, format: "jwk" }), Buffer.from(s, "base64url"));
    assert.ok(isValid, "the signature verifies with the published key");
  });

  it("is refused by Graph (AADSTS70021) when the connection's subject has no federated credential", async () => {
    const other = await azdo.addServiceConnection({ name: "other-connection" });
    await assert.rejects(credentialFor(other.id, build.accessToken).getToken(graphScope), /AADSTS70021/);
  });

  it("answers 401 in the service's error shape without a job token or with an invalid one", async () => {
    const url = `${process.env.SYSTEM_OIDCREQUESTURI}?api-version=7.1&serviceConnectionId=${connectionId}`;
    for (const authorization of [undefined, "Bearer not-a-token", `Bearer ${build.accessToken}x`]) {
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", ...(authorization ? { authorization } : {}) },
      });
      assert.equal(res.status, 401, `authorization ${authorization ?? "(none)"}`);
      const body = (await res.json()) as Record<string, unknown>;
      assert.equal(body.$id, "1");
      assert.equal(body.typeKey, "UnauthorizedRequestException");
      assert.match(String(body.message), /TF400813/);
      assert.equal(body.innerException, null);
      assert.equal(body.errorCode, 0);
    }
    await assert.rejects(
      credentialFor(connectionId, "not-a-token").getToken(graphScope),
      (e: Error & { statusCode?: number }) => {
        assert.equal(e.statusCode, 401);
        return true;
      },
    );
  });

  it("refuses an expired job token, and the token of another build's job", async () => {
    const url = `${process.env.SYSTEM_OIDCREQUESTURI}?api-version=7.1&serviceConnectionId=${connectionId}`;
    const otherBuild = await azdo.createBuild({ definition: "tenant-sync-fabrikam", tenant: "fabrikam" });
    const foreign = await fetch(url, {
      method: "POST",
      headers: { authorization: `Bearer ${otherBuild.accessToken}` },
    });
    assert.equal(foreign.status, 403);
    const shortLived = (await azdo.control("POST", `/builds/${build.id}/tokens`, { expiresInSeconds: 60 })).body
      .accessToken as string;
    assert.equal(
      (await fetch(url, { method: "POST", headers: { authorization: `Bearer ${shortLived}` } })).status,
      200,
    );
    await azdo.control("POST", "/clock", { advanceMs: 61_000 });
    try {
      assert.equal(
        (await fetch(url, { method: "POST", headers: { authorization: `Bearer ${shortLived}` } })).status,
        401,
      );
    } finally {
      await azdo.control("POST", "/clock", { advanceMs: -61_000 });
    }
  });
});
