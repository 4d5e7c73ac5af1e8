/**
 * repo-acl — install's grant of Contribute and Create branch to the build service, against the
 * emulator's Security REST area: a dry run changes nothing, a grant inherited from the project is
 * enough, and a caller who may not manage permissions is told so with the step to click.
 */
import assert from "node:assert/strict";
import { getBearerHandler, WebApi } from "azure-devops-node-api";
import type { DevOpsSession } from "../../src/devops/connect";
import { buildServiceDescriptor, ensureBuildServicePush, gitNamespaceId } from "../../src/devops/repo-acl";
import { startTestAzdoEmulator, type TestAzdoEmulator } from "../helpers/azdo-emulator";

describe("install: the build service's right to push (repo-acl)", function () {
  let t: TestAzdoEmulator;
  let user: string;
  let jobToken: string;
  let descriptor: string;

  const session = (token: string): DevOpsSession => ({
    org: t.info.collectionUri,
    project: t.info.project,
    api: new WebApi(t.info.collectionUri, getBearerHandler(token)),
    signedInWith: "the given token",
  });
  const newRepository = async (name: string) => {
    const res = await t.rest("POST", `${t.info.projectId}/_apis/git/repositories?api-version=7.1`, {
      token: user,
      body: { name, project: { id: t.info.projectId } },
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body.id as string;
  };
  const grant = async (token: string, repositoryId: string, dryRun = false) => {
    const steps: string[] = [];
    await ensureBuildServicePush(
      session(token),
      {
        org: t.info.organization,
        projectId: t.info.projectId,
        projectName: t.info.project,
        repositoryId,
        repositoryName: "tenant-sync-contoso",
        collectionId: t.emulator.store.organization.id,
      },
      dryRun,
      (mark, resource, text) => steps.push(`${mark} ${resource}: ${text}`),
    );
    return steps;
  };
  const allowOn = async (token: string) => {
    const res = await t.rest(
      "GET",
      `_apis/accesscontrollists/${gitNamespaceId}?token=${encodeURIComponent(token)}&descriptors=${encodeURIComponent(descriptor)}&includeExtendedInfo=true&api-version=7.1`,
      { token: user },
    );
    return res.body.value[0].acesDictionary[descriptor] as { allow: number; extendedInfo: { effectiveAllow: number } };
  };

  before(async () => {
    t = await startTestAzdoEmulator();
    user = await t.userToken();
    jobToken = (await t.createBuild({ definition: "tenant-sync" })).accessToken;
    descriptor = buildServiceDescriptor(t.emulator.store.organization.id, t.info.projectId);
  });

  after(async () => {
    await t?.emulator.stop();
  });

  it("names the descriptor connectionData answers for a job token", async () => {
    const me = await t.rest("GET", "_apis/connectionData", { token: jobToken });
    assert.equal(me.body.authenticatedUser.descriptor, descriptor);
  });

  it("says what it would grant on --dry-run and changes nothing", async () => {
    const id = await newRepository("dry");
    const steps = await grant(user, id, true);
    assert.deepEqual(steps, [
      `+ repository tenant-sync-contoso: push by the runs: would allow "${t.info.project} Build Service (${t.info.organization})" Contribute and Create branch (the runs push their backups)`,
    ]);
    assert.equal((await allowOn(`repoV2/${t.info.projectId}/${id}`)).allow, 0);
  });

  it("grants only what the project does not give already", async () => {
    const id = await newRepository("inherits");
    await t.rest("POST", `_apis/accesscontrolentries/${gitNamespaceId}?api-version=7.1`, {
      token: user,
      body: {
        token: `repoV2/${t.info.projectId}`,
        merge: true,
        accessControlEntries: [{ descriptor, allow: 4, deny: 0 }],
      },
    });
    const steps = await grant(user, id);
    assert.match(steps[0], /^\+ .*: allowed ".*" Create branch \(/);
    const entry = await allowOn(`repoV2/${t.info.projectId}/${id}`);
    assert.equal(entry.allow, 16, "Contribute comes from the project");
    assert.equal(entry.extendedInfo.effectiveAllow & 20, 20);
    assert.match((await grant(user, id))[0], /^= .* may push/);
  });

  it("without Manage permissions, says so and prints the step to click, changing nothing", async () => {
    const id = await newRepository("no-manage");
    const steps = await grant(jobToken, id);
    assert.equal(steps.length, 1);
    assert.match(steps[0], /^! .*: not granted: you lack 'Manage permissions' on Git repositories/);
    assert.ok(steps[0].includes("Project settings → Repositories → tenant-sync-contoso → Security"), "the manual step");
    assert.equal((await allowOn(`repoV2/${t.info.projectId}/${id}`)).allow, 0);
  });
});
