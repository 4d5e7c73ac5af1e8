/**
 * `tenant-sync devops install`, `run`, `status` and `approve` as a user runs them against the local
 * Azure DevOps: a dry run creates nothing; install on an empty project creates the repository,
 * pipeline, environment with its checks, service connection and permissions, and lets the build
 * service push to the repository; again, it changes nothing and queues the first run, which
 * imports the tenant once the tenant's app trusts the connection (registered through the Graph
 * emulator's control API, as the printed steps say); a committed change then waits at the
 * approval, status says so with the command, approve moves it on to Deploy and Idle. On a
 * repository that existed before, a job token's push is refused until install grants the build
 * service, and a deny someone set is reported and kept. An environment with other approvers is
 * reported and left untouched.
 */
import assert from "node:assert/strict";
import { startLocalDevOps, type LocalDevOps, type TenantPipeline } from "../../emulators/local-devops/organization";
import { commitChange } from "../../emulators/local-devops/scenarios";
import { localGraphArgs, runDevOps, runIdIn, until } from "./devops-cli";

describe("tenant-sync devops install, then the tenant's life from the terminal", function () {
  this.timeout(240_000);
  let devops: LocalDevOps;
  let graphTenant: { tenantId: string; clientId: string };
  let args: string[];
  const rest = async (path: string, init: RequestInit = {}) => {
    const info = devops.readyInfo();
    const res = await fetch(`${info.collectionUrl}${info.project}/_apis/${path}`, {
      ...init,
      headers: { authorization: `Bearer ${info.token}`, "content-type": "application/json" },
    });
    assert.ok(res.ok, `${path}: ${res.status} ${await res.clone().text()}`);
    return (await res.json()) as { value: any[] } & Record<string, any>;
  };
  const statusOf = async (tenant: string) => {
    const run = await runDevOps(devops, ["status", "--json"]);
    assert.equal(run.code, 0, run.stderr);
    return (JSON.parse(run.stdout) as any[]).find((r) => r.tenant === tenant);
  };
  const build = (id: number) => devops.store.builds.list.find((b) => b.id === id)!;
  const [contribute, createBranch] = [4, 16];
  const gitNamespace = "2e9eb7ed-3c0a-47d4-87c1-0ffdd275fd87";
  const buildService = () =>
    `Microsoft.TeamFoundation.ServiceIdentity;${devops.store.organization.id}:Build:${devops.project.id}`;
  /** The build service's entry on a repository, through the Security REST API as any client reads it. */
  const buildServiceEntry = async (repositoryId: string) => {
    const info = devops.readyInfo();
    const query = `token=repoV2/${devops.project.id}/${repositoryId}&descriptors=${encodeURIComponent(buildService())}&includeExtendedInfo=true`;
    const res = await fetch(`${info.collectionUrl}_apis/accesscontrollists/${gitNamespace}?${query}&api-version=7.1`, {
      headers: { authorization: `Bearer ${info.token}` },
    });
    assert.equal(res.status, 200);
    return ((await res.json()) as any).value[0].acesDictionary[buildService()];
  };

  before(async () => {
    devops = await startLocalDevOps({ caDir: process.env.TENANT_SYNC_CA_DIR });
    graphTenant = (await devops.graphControl("POST", "/tenants", {
      seed: "demo",
      name: "Contoso",
    })) as typeof graphTenant;
    args = [
      "--tenant",
      "contoso",
      "--tenant-id",
      graphTenant.tenantId,
      "--client-id",
      graphTenant.clientId,
      ...localGraphArgs(devops),
    ];
  });

  after(async () => {
    await devops?.stop();
  });

  it("--dry-run prints the plan and creates nothing", async () => {
    const run = await runDevOps(devops, ["install", ...args, "--dry-run"]);
    assert.equal(run.code, 0, run.stderr);
    for (const line of [
      "+ repository tenant-sync-contoso: would be created",
      "+ pipeline \\TenantSync\\tenant-sync-contoso: would be created",
      "+ environment tenant-sync-contoso: approval check: would be added",
      "+ environment tenant-sync-contoso: exclusive lock: would be added",
      "+ service connection tenant-sync-contoso: would be created",
      '+ repository tenant-sync-contoso: push by the runs: would allow "TenantSync Build Service (tenant-sync-local)" Contribute and Create branch',
    ])
      assert.ok(run.stdout.includes(line), `${line}\n${run.stdout}`);
    assert.match(run.stdout, /Subject: +sc:\/\/tenant-sync-local\/TenantSync\/tenant-sync-contoso/);
    assert.equal((await rest("git/repositories?api-version=7.1")).value.length, 0);
    assert.equal((await rest("build/definitions?api-version=7.1")).value.length, 0);
    assert.equal((await rest("distributedtask/environments?api-version=7.1-preview.1")).value.length, 0);
    assert.equal((await rest("serviceendpoint/endpoints?api-version=7.1")).value.length, 0);
  });

  let issuer: string;
  let subject: string;

  it("creates everything on an empty project and prints the federation values and the admin's steps", async () => {
    const run = await runDevOps(devops, ["install", ...args, "--no-run"]);
    assert.equal(run.code, 0, run.stderr);
    assert.doesNotMatch(run.stdout, /^ {2}[=!~] /m, run.stdout);
    const [, iss, sub] = /federation issuer (\S+), subject (\S+)/.exec(run.stdout) ?? [];
    [issuer, subject] = [iss, sub];
    assert.equal(issuer, devops.readyInfo().oidcIssuer);
    assert.equal(subject, "sc://tenant-sync-local/TenantSync/tenant-sync-contoso");
    assert.ok(run.stdout.includes(`adminconsent?client_id=${graphTenant.clientId}`), run.stdout);
    assert.match(run.stdout, /DeviceManagementConfiguration\.ReadWrite\.All/);

    const [repo] = (await rest("git/repositories?api-version=7.1")).value;
    assert.equal(repo.name, "tenant-sync-contoso");
    const item = await rest(
      `git/repositories/${repo.id}/items?path=/azure-pipelines.yml&includeContent=true&api-version=7.1`,
    );
    assert.match(item.content, /- name: tenant\n(?: {4}.*\n)*? {4}default: contoso\n/);
    assert.ok(item.content.includes(`graphUrl: ${devops.graphUrl}`));
    const [pipeline] = (await rest("build/definitions?path=%5CTenantSync&api-version=7.1")).value;
    assert.equal(pipeline.name, "tenant-sync-contoso");
    const [environment] = (await rest("distributedtask/environments?api-version=7.1-preview.1")).value;
    assert.equal(environment.name, "tenant-sync-contoso");
    const checks = await rest(
      `pipelines/checks/configurations?resourceType=environment&resourceId=${environment.id}&$expand=settings&api-version=7.1-preview.1`,
    );
    assert.deepEqual(checks.value.map((c: any) => c.type.name).sort(), ["Approval", "ExclusiveLock"]);
    const approval = checks.value.find((c: any) => c.type.name === "Approval");
    assert.equal(approval.settings.approvers[0].id, devops.user.id);
    assert.match(approval.settings.instructions, /Summary/);
    const [endpoint] = (await rest("serviceendpoint/endpoints?api-version=7.1")).value;
    assert.equal(endpoint.authorization.scheme, "WorkloadIdentityFederation");
    assert.equal(endpoint.authorization.parameters.tenantid, graphTenant.tenantId);
    for (const [type, id] of [
      ["endpoint", endpoint.id],
      ["environment", environment.id],
      ["repository", `${devops.project.id}.${repo.id}`],
    ]) {
      const p = await rest(`pipelines/pipelinePermissions/${type}/${id}?api-version=7.1-preview.1`);
      assert.deepEqual(
        p.pipelines.map((x: any) => [x.id, x.authorized]),
        [[pipeline.id, true]],
        type,
      );
    }
    assert.ok(
      run.stdout.includes(
        '+ repository tenant-sync-contoso: push by the runs: allowed "TenantSync Build Service (tenant-sync-local)" Contribute and Create branch',
      ),
      run.stdout,
    );
    const entry = await buildServiceEntry(repo.id);
    assert.equal(entry.allow, contribute | createBranch, JSON.stringify(entry));
    assert.equal(devops.store.builds.list.length, 0, "--no-run queues nothing");
  });

  let firstRun: number;

  it("again changes nothing, queues the first run, which imports the tenant once the app trusts the connection", async () => {
    // What the Entra admin does with the printed values, here through the emulator's control API.
    await devops.graphControl("PATCH", `/tenants/${graphTenant.tenantId}/apps/${graphTenant.clientId}`, {
      federatedCredentials: [{ name: "azure-devops", issuer, subject, audiences: ["api://AzureADTokenExchange"] }],
    });
    const run = await runDevOps(devops, ["install", ...args]);
    assert.equal(run.code, 0, run.stderr);
    const changes = run.stdout.split("\n").filter((l) => /^ {2}[+~!] /.test(l));
    assert.deepEqual(
      changes.map((l) => l.replace(/: first run .*/, ": first run")),
      ["  + pipeline tenant-sync-contoso: first run"],
    );
    assert.match(run.stdout, /= repository tenant-sync-contoso: push by the runs: .* may push/);
    assert.match(run.stdout, /Created 1, changed 0, left 11 as they were\./);
    firstRun = runIdIn(run.stdout);
    await devops.agent.whenDone(firstRun);
    assert.equal(build(firstRun).result, "succeeded");
    assert.equal((await statusOf("contoso")).status, "idle");
  });

  it("a committed change waits at the approval; status shows the approve command; approve deploys, then Idle", async () => {
    const repository = devops.store.git.list.find((r) => r.name === "tenant-sync-contoso")!;
    await commitChange(devops, { repository } as TenantPipeline);
    const queued = await runDevOps(devops, ["run", "contoso"]);
    assert.equal(queued.code, 0, queued.stderr);
    const id = runIdIn(queued.stdout);
    await until("the run to wait at the approval", () =>
      devops.store.approvals.list.some((a) => a.buildId === id && a.status === "pending"),
    );
    const waiting = await statusOf("contoso");
    assert.equal(waiting.status, "pendingApproval");
    assert.equal(waiting.run.id, id);
    assert.equal(waiting.plan.change, 1);
    assert.match(waiting.next.command, /^tenant-sync devops approve contoso/);
    const table = await runDevOps(devops, ["status"]);
    assert.match(table.stdout, /^contoso +Pending approval .*\+0 ~1 −0$/m);
    assert.ok(table.stdout.includes("tenant-sync devops approve contoso"), table.stdout);

    const approved = await runDevOps(devops, ["approve", "contoso", "--comment", "Read the plan."]);
    assert.equal(approved.code, 0, approved.stderr);
    assert.match(approved.stdout, /contoso: approved: run \S+ goes on to Deploy/);
    await devops.agent.whenDone(id);
    assert.equal(build(id).result, "succeeded");
    assert.equal((await statusOf("contoso")).status, "idle");

    const again = await runDevOps(devops, ["approve", "contoso"]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /contoso: no pending approval: the tenant is Idle/);
  });

  it("lets the build service push to a repository that existed before install; a deny is reported and kept", async () => {
    const made = await rest("git/repositories?api-version=7.1", {
      method: "POST",
      body: JSON.stringify({ name: "tenant-sync-northwind", project: { id: devops.project.id } }),
    });
    const jobToken = devops.store.tokens.issueJobToken(build(firstRun)).token;
    let pushes = 0;
    const pushAsJob = async () => {
      const info = devops.readyInfo();
      const base = `${info.collectionUrl}${info.project}/_apis/git/repositories/${made.id}`;
      const refs = (await (
        await fetch(`${base}/refs?filter=heads/main&api-version=7.1`, {
          headers: { authorization: `Bearer ${jobToken}` },
        })
      ).json()) as { value: { objectId: string }[] };
      const res = await fetch(`${base}/pushes?api-version=7.1`, {
        method: "POST",
        headers: { authorization: `Bearer ${jobToken}`, "content-type": "application/json" },
        body: JSON.stringify({
          refUpdates: [{ name: "refs/heads/main", oldObjectId: refs.value[0]?.objectId ?? "0".repeat(40) }],
          commits: [
            {
              comment: "Backup",
              changes: [{ changeType: "add", item: { path: `/backup-${++pushes}.txt` }, newContent: { content: "b" } }],
            },
          ],
        }),
      });
      return { status: res.status, body: (await res.json()) as { message?: string } };
    };
    const before = await pushAsJob();
    assert.equal(before.status, 403);
    assert.match(before.body.message ?? "", /TF401027: You need the Git '(GenericContribute|CreateBranch)' permission/);

    const northwind = args.map((a) => (a === "contoso" ? "northwind" : a));
    const run = await runDevOps(devops, ["install", ...northwind, "--no-run"]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(
      run.stdout,
      /\+ repository tenant-sync-northwind: push by the runs: allowed .* Contribute and Create branch/,
    );
    assert.equal((await pushAsJob()).status, 201, "the build service pushes once install granted it");

    const again = await runDevOps(devops, ["install", ...northwind, "--no-run"]);
    assert.match(again.stdout, /= repository tenant-sync-northwind: push by the runs: .* may push/);
    assert.deepEqual(await buildServiceEntry(made.id), {
      descriptor: buildService(),
      allow: contribute | createBranch,
      deny: 0,
      extendedInfo: {
        effectiveAllow: 2 | contribute | createBranch,
        effectiveDeny: 0,
        inheritedAllow: 2,
        inheritedDeny: 0,
      },
    });

    // Someone denies Contribute: install says so and leaves it.
    const info = devops.readyInfo();
    const denied = await fetch(`${info.collectionUrl}_apis/accesscontrolentries/${gitNamespace}?api-version=7.1`, {
      method: "POST",
      headers: { authorization: `Bearer ${info.token}`, "content-type": "application/json" },
      body: JSON.stringify({
        token: `repoV2/${devops.project.id}/${made.id}`,
        merge: true,
        accessControlEntries: [{ descriptor: buildService(), allow: 0, deny: contribute }],
      }),
    });
    assert.equal(denied.status, 200);
    const third = await runDevOps(devops, ["install", ...northwind, "--no-run"]);
    assert.equal(third.code, 0, third.stderr);
    assert.match(
      third.stdout,
      /! repository tenant-sync-northwind: push by the runs: .* is denied Contribute .*: left as is/,
    );
    const kept = await buildServiceEntry(made.id);
    assert.deepEqual([kept.allow, kept.deny], [createBranch, contribute]);
    assert.equal((await pushAsJob()).status, 403);
  });

  it("reports an environment with other approvers and leaves it as it is", async () => {
    const environment = await rest("distributedtask/environments?api-version=7.1-preview.1", {
      method: "POST",
      body: JSON.stringify({ name: "tenant-sync-fabrikam" }),
    });
    const someone = {
      id: "5d6f0a3c-0000-4000-a000-000000000001",
      displayName: "Sam Security",
      uniqueName: "sam@fabrikam.example",
    };
    await rest("pipelines/checks/configurations?api-version=7.1-preview.1", {
      method: "POST",
      body: JSON.stringify({
        type: { id: "8c6f20a7-a545-4486-9777-f762fafe0d4d", name: "Approval" },
        resource: { type: "environment", id: String(environment.id) },
        settings: {
          approvers: [someone],
          executionOrder: "anyOrder",
          minRequiredApprovers: 1,
          instructions: "Ask Sam.",
        },
        timeout: 60,
      }),
    });
    const fabrikam = args.map((a) => (a === "contoso" ? "fabrikam" : a));
    const run = await runDevOps(devops, ["install", ...fabrikam, "--no-run"]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(
      run.stdout,
      /! environment tenant-sync-fabrikam: approval check: its approvers are sam@fabrikam\.example, not alex\.approver@tenant-sync\.local: left as is/,
    );
    assert.match(run.stdout, /1 difference reported and left as is/);
    const checks = await rest(
      `pipelines/checks/configurations?resourceType=environment&resourceId=${environment.id}&$expand=settings&api-version=7.1-preview.1`,
    );
    const approval = checks.value.find((c: any) => c.type.name === "Approval");
    assert.deepEqual(approval.settings.approvers, [someone]);
    assert.equal(approval.settings.instructions, "Ask Sam.");
    assert.equal(approval.timeout, 60);
  });

  it("makes an approver group the approval's approver, found by its name; a name nobody has is refused, nothing made", async () => {
    const group = devops.store.identities.addGroup(devops.project.name, "Tenant Sync approvers", [devops.user.id]);
    assert.ok(!("unknown" in group));
    const litware = args.map((a) => (a === "contoso" ? "litware" : a));
    const unknown = await runDevOps(devops, [
      "install",
      ...litware,
      "--approvers",
      "nobody@litware.example",
      "--no-run",
    ]);
    assert.notEqual(unknown.code, 0);
    assert.match(unknown.stderr, /No identity named nobody@litware\.example/);
    const environments = async () =>
      (await rest("distributedtask/environments?api-version=7.1-preview.1")).value.map((e: any) => e.name);
    assert.ok(!(await environments()).includes("tenant-sync-litware"), "nothing was created for litware");

    const run = await runDevOps(devops, [
      "install",
      ...litware,
      "--approvers-group",
      "Tenant Sync approvers",
      "--no-run",
    ]);
    assert.equal(run.code, 0, run.stderr);
    const environment = (await rest("distributedtask/environments?api-version=7.1-preview.1")).value.find(
      (e: any) => e.name === "tenant-sync-litware",
    );
    const checks = await rest(
      `pipelines/checks/configurations?resourceType=environment&resourceId=${environment.id}&$expand=settings&api-version=7.1-preview.1`,
    );
    const approval = checks.value.find((c: any) => c.type.name === "Approval");
    assert.deepEqual(
      approval.settings.approvers.map((a: any) => a.id),
      [group.id],
    );
    const again = await runDevOps(devops, [
      "install",
      ...litware,
      "--approvers-group",
      "Tenant Sync approvers",
      "--no-run",
    ]);
    assert.match(again.stdout, /= environment tenant-sync-litware: approval check: exists/);
  });

  it("says what is wrong with the arguments and exits 2", async () => {
    const run = await runDevOps(devops, ["install", "--tenant", "con toso", "--tenant-id", "x"]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--tenant NAME.*got 'con toso'/);
  });
});
