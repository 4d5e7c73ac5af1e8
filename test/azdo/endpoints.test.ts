/**
 * endpoints — service connections over REST through azure-devops-node-api's ServiceEndpointApi
 * where it needs no location discovery, plain fetch otherwise: an Azure Resource Manager
 * connection with workload identity federation gets the emulator's issuer and its subject, and the
 * control API's connections are the same ones.
 */
import assert from "node:assert/strict";
import { startTestAzdoEmulator, type TestAzdoEmulator } from "../helpers/azdo-emulator";

describe("azdo emulator: service endpoints", function () {
  let t: TestAzdoEmulator;
  let token: string;

  before(async () => {
    t = await startTestAzdoEmulator();
    token = await t.userToken();
  });

  after(async () => {
    await t?.emulator.stop();
  });

  it("creates an AzureRM workload identity federation connection with the issuer and subject filled in", async () => {
    const res = await t.rest("POST", "_apis/serviceendpoint/endpoints?api-version=7.1", {
      token,
      body: {
        name: "tenant-sync-contoso",
        type: "AzureRM",
        url: "https://management.azure.com/",
        authorization: {
          scheme: "WorkloadIdentityFederation",
          parameters: { tenantid: "tenant-1", serviceprincipalid: "client-1" },
        },
        serviceEndpointProjectReferences: [
          { projectReference: { id: t.info.projectId, name: t.info.project }, name: "tenant-sync-contoso" },
        ],
      },
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body.authorization, {
      scheme: "WorkloadIdentityFederation",
      parameters: {
        tenantid: "tenant-1",
        serviceprincipalid: "client-1",
        workloadIdentityFederationIssuer: t.info.oidcIssuer,
        workloadIdentityFederationSubject: `sc://${t.info.organization}/${t.info.project}/tenant-sync-contoso`,
      },
    });
    const stored = t.emulator.store.connections.find(res.body.id)!;
    assert.equal(stored.clientId, "client-1");
    const dup = await t.rest("POST", "_apis/serviceendpoint/endpoints?api-version=7.1", {
      token,
      body: {
        name: "TENANT-SYNC-CONTOSO",
        serviceEndpointProjectReferences: [{ projectReference: { id: t.info.projectId } }],
      },
    });
    assert.equal(dup.status, 409);
  });

  it("lists by name and type, reads one, and deletes it", async () => {
    const registered = await t.addServiceConnection({ name: "tenant-sync-fabrikam", tenantId: "t2", clientId: "c2" });
    const byName = await t.rest(
      "GET",
      `${t.info.projectId}/_apis/serviceendpoint/endpoints?endpointNames=tenant-sync-fabrikam&type=azurerm&api-version=7.1`,
      { token },
    );
    assert.deepEqual(
      byName.body.value.map((e: { id: string }) => e.id),
      [registered.id],
      "the control API's connection is listed",
    );
    assert.equal(byName.body.value[0].authorization.parameters.workloadIdentityFederationSubject, registered.subject);
    const one = await t.rest(
      "GET",
      `${t.info.projectId}/_apis/serviceendpoint/endpoints/${registered.id}?api-version=7.1`,
      {
        token,
      },
    );
    assert.equal(one.body.name, "tenant-sync-fabrikam");
    const removed = await t.rest(
      "DELETE",
      `_apis/serviceendpoint/endpoints/${registered.id}?projectIds=${t.info.projectId}&api-version=7.1`,
      { token },
    );
    assert.equal(removed.status, 204);
    const gone = await t.rest(
      "GET",
      `${t.info.projectId}/_apis/serviceendpoint/endpoints/${registered.id}?api-version=7.1`,
      {
        token,
      },
    );
    assert.equal(gone.status, 404);
  });
});
