/**
 * azure-devops-node-api, unmodified, against every area onboarding and the command line use: its
 * location discovery (resource areas, then OPTIONS per area) must resolve to the emulator's routes
 * for core, build, git, pipelines, distributed task (environments) and service endpoints.
 */
import assert from "node:assert/strict";
import * as azdev from "azure-devops-node-api";
import { startLocalDevOps, type LocalDevOps } from "../../emulators/local-devops/organization";

describe("azure-devops-node-api over every area the product uses", function () {
  this.timeout(60_000);
  let devops: LocalDevOps;
  let api: azdev.WebApi;
  let project: string;

  before(async () => {
    devops = await startLocalDevOps({ caDir: process.env.TENANT_SYNC_CA_DIR });
    await devops.addTenant("contoso");
    const info = devops.readyInfo();
    project = info.project;
    api = new azdev.WebApi(info.collectionUrl, azdev.getBearerHandler(info.token));
  });

  after(async () => {
    await devops?.stop();
  });

  it("reads projects, pipelines, definitions, repositories, environments and service connections", async () => {
    const projects = await (await api.getCoreApi()).getProjects();
    assert.deepEqual(
      projects.map((p) => p.name),
      [project],
    );
    const pipelines = await (await api.getPipelinesApi()).listPipelines(project);
    assert.deepEqual(
      pipelines.map((p) => [p.name, p.folder]),
      [["tenant-sync-contoso", "\\TenantSync"]],
    );
    const definitions = await (await api.getBuildApi()).getDefinitions(project, "tenant-sync-*");
    assert.equal(definitions.length, 1);
    const repositories = await (await api.getGitApi()).getRepositories(project);
    assert.deepEqual(
      repositories.map((r) => r.name),
      ["tenant-sync-contoso"],
    );
    const environments = await (await api.getTaskAgentApi()).getEnvironments(project);
    assert.deepEqual(
      environments.map((e) => e.name),
      ["tenant-sync-contoso"],
    );
    const endpoints = await (await api.getServiceEndpointApi()).getServiceEndpoints(project);
    assert.equal(endpoints.length, 1);
    assert.equal(endpoints[0].name, "tenant-sync-contoso");
    assert.equal(endpoints[0].authorization?.scheme, "WorkloadIdentityFederation");
    assert.equal(
      endpoints[0].authorization?.parameters?.workloadIdentityFederationSubject,
      `sc://${devops.store.organization.name}/${project}/tenant-sync-contoso`,
    );
  });
});
