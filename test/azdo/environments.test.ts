/**
 * environments — environments, their checks and pipeline permissions over REST, and the state the
 * runner uses: checks for an environment, exclusive locks (sequential and runLatest), deployment
 * records, and environments a run names without creating them first.
 */
import assert from "node:assert/strict";
import { startTestAzdoEmulator, type TestAzdoEmulator } from "../helpers/azdo-emulator";
import type { Build } from "../../emulators/azdo/state/builds";
import { ExclusiveLocks } from "../../emulators/azdo/state/checks";

describe("azdo emulator: environments, checks and permissions", function () {
  let t: TestAzdoEmulator;
  let token: string;
  const api = (p: string) => `${t.info.projectId}/_apis/pipelines/${p}`;

  before(async () => {
    t = await startTestAzdoEmulator();
    token = await t.userToken();
  });

  after(async () => {
    await t?.emulator.stop();
  });

  it("creates an environment, refuses a second of the same name and filters the list by name", async () => {
    const created = await t.rest("POST", api("environments?api-version=7.1-preview.1"), {
      token,
      body: { name: "tenant-sync-contoso", description: "Contoso" },
    });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    const dup = await t.rest("POST", api("environments?api-version=7.1-preview.1"), {
      token,
      body: { name: "TENANT-SYNC-CONTOSO" },
    });
    assert.equal(dup.status, 409);
    t.emulator.store.environments.ensure(t.emulator.defaultProject, "tenant-sync-fabrikam", t.emulator.now());
    const list = await t.rest("GET", api("environments?name=tenant-sync-c*&api-version=7.1-preview.1"), { token });
    assert.deepEqual(
      list.body.value.map((e: { name: string }) => e.name),
      ["tenant-sync-contoso"],
    );
    const viaClientPath = await t.rest(
      "GET",
      `${t.info.projectId}/_apis/distributedtask/environments/${created.body.id}?api-version=7.2-preview.1`,
      { token },
    );
    assert.equal(viaClientPath.body.name, "tenant-sync-contoso");
  });

  it("adds Approval and Exclusive lock checks the runner reads back, and lists them by resource", async () => {
    const env = t.emulator.store.environments.find(t.emulator.defaultProject, "tenant-sync-contoso")!;
    const approval = await t.rest("POST", api("checks/configurations?api-version=7.1-preview.1"), {
      token,
      body: {
        type: { id: "8c6f20a7-a545-4486-9777-f762fafe0d4d", name: "Approval" },
        resource: { type: "environment", id: String(env.id) },
        settings: {
          approvers: [{ id: "u1", displayName: "Ada" }],
          executionOrder: "anyOrder",
          minRequiredApprovers: 1,
        },
        timeout: 120,
      },
    });
    assert.equal(approval.status, 200, JSON.stringify(approval.body));
    assert.equal(approval.body.resource.name, "tenant-sync-contoso");
    await t.rest("POST", api("checks/configurations?api-version=7.1-preview.1"), {
      token,
      body: {
        type: { id: "2EF31AD6-BAA0-403A-8B45-2CBC9B4E5563" },
        resource: { type: "environment", id: String(env.id) },
      },
    });
    const checks = t.emulator.store.checks.checksFor(env);
    assert.equal(checks.exclusiveLock, true);
    assert.equal(checks.approval?.timeoutMinutes, 120);
    assert.deepEqual(
      checks.approval?.approvers.map((a) => a.id),
      ["u1"],
    );
    const listed = await t.rest(
      "GET",
      api(`checks/configurations?resourceType=environment&resourceId=${env.id}&api-version=7.1-preview.1`),
      { token },
    );
    assert.equal(listed.body.count, 2);
    assert.equal(listed.body.value[0].settings, undefined, "settings only with $expand=settings");
    const removed = await t.rest("DELETE", api(`checks/configurations/${approval.body.id}?api-version=7.1-preview.1`), {
      token,
    });
    assert.equal(removed.status, 204);
    assert.equal(t.emulator.store.checks.checksFor(env).approval, undefined);
    const unknownEnv = await t.rest("POST", api("checks/configurations?api-version=7.1-preview.1"), {
      token,
      body: { type: { id: "2ef31ad6-baa0-403a-8b45-2cbc9b4e5563" }, resource: { type: "environment", id: "999" } },
    });
    assert.equal(unknownEnv.status, 404);
  });

  it("authorizes pipelines on a resource one by one or all at once", async () => {
    const env = t.emulator.store.environments.find(t.emulator.defaultProject, "tenant-sync-contoso")!;
    const p = api(`pipelinePermissions/environment/${env.id}?api-version=7.1-preview.1`);
    const pid = t.info.projectId;
    assert.equal(t.emulator.store.permissions.isAuthorized(pid, "environment", String(env.id), 7), false);
    const one = await t.rest("PATCH", p, { token, body: { pipelines: [{ id: 7, authorized: true }] } });
    assert.equal(one.status, 200, JSON.stringify(one.body));
    assert.equal(t.emulator.store.permissions.isAuthorized(pid, "environment", String(env.id), 7), true);
    assert.equal(t.emulator.store.permissions.isAuthorized(pid, "environment", String(env.id), 8), false);
    await t.rest("PATCH", p, { token, body: { allPipelines: { authorized: true } } });
    assert.equal(t.emulator.store.permissions.isAuthorized(pid, "environment", String(env.id), 8), true);
    const read = await t.rest("GET", p, { token });
    assert.equal(read.body.allPipelines.authorized, true);
    assert.deepEqual(
      read.body.pipelines.map((x: { id: number }) => x.id),
      [7],
    );
    const bad = await t.rest("GET", api("pipelinePermissions/widget/1?api-version=7.1-preview.1"), { token });
    assert.equal(bad.status, 400);
  });

  it("lists a run's deployment records on the environment, newest first", async () => {
    const env = t.emulator.store.environments.find(t.emulator.defaultProject, "tenant-sync-contoso")!;
    const definition = t.emulator.store.builds.addDefinition(t.emulator.defaultProject, "sync", "\\", t.emulator.now());
    const builds = [1, 2].map(() => t.emulator.store.builds.add(definition, {}, t.emulator.now()));
    for (const build of builds) {
      const r = t.emulator.store.environments.addDeploymentRecord(
        { environment: env, build, definitionName: "sync", stageName: "deploy", jobName: "apply" },
        t.emulator.now(),
      );
      t.emulator.store.environments.finishDeploymentRecord(r, "succeeded", t.emulator.now());
    }
    const res = await t.rest(
      "GET",
      api(`environments/${env.id}/environmentdeploymentrecords?api-version=7.1-preview.1`),
      {
        token,
      },
    );
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(
      res.body.value.map((r: { owner: { id: number } }) => r.owner.id),
      [builds[1].id, builds[0].id],
    );
    assert.equal(res.body.value[0].result, "succeeded");
  });
});

describe("azdo emulator: exclusive locks", function () {
  const build = (id: number) => ({ id }) as Build;

  it("sequential: runs take the lock in arrival order as each releases it", async () => {
    const locks = new ExclusiveLocks();
    const first = locks.acquire(1, build(1), "sequential");
    const second = locks.acquire(1, build(2), "sequential");
    const third = locks.acquire(1, build(3), "sequential");
    assert.equal(await first.settled, "granted");
    assert.deepEqual([second.state, third.state], ["waiting", "waiting"]);
    assert.equal(locks.release(1, build(1))?.id, 2);
    assert.equal(await second.settled, "granted");
    assert.equal(third.state, "waiting");
    assert.equal(locks.acquire(2, build(9), "sequential").state, "granted", "another environment has its own lock");
  });

  it("runLatest: a newer waiting run cancels the older waiting ones, not the holder", async () => {
    const superseded: number[] = [];
    const locks = new ExclusiveLocks((b) => superseded.push(b.id));
    locks.acquire(1, build(1), "runLatest");
    const older = locks.acquire(1, build(2), "runLatest");
    const newer = locks.acquire(1, build(3), "runLatest");
    assert.equal(await older.settled, "canceled");
    assert.deepEqual(superseded, [2]);
    assert.equal(locks.holder(1)?.id, 1);
    assert.deepEqual(
      locks.waiting(1).map((b) => b.id),
      [3],
    );
    locks.release(1, build(1));
    assert.equal(await newer.settled, "granted");
  });
});
