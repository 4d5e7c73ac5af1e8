/**
 * `tenant-sync devops install --tenant-admin` as a user runs it, against the local Azure DevOps and
 * its Graph emulator: an identity without Application.ReadWrite.All is named as lacking it, nothing
 * is created in the tenant and the administrator's steps are printed; an identity with it registers
 * the app (asking for the permissions, not consenting), its federated credential for the service
 * connection and its service principal, and the connection carries the app's client id. After
 * consent (the control API stands for the administrator), install again changes nothing in the
 * tenant and queues the first run, which signs in with workload identity federation and imports the
 * tenant. An app that asks for fewer permissions is reported when named by --client-id and completed
 * (nothing removed) when found by name. A tenant sign-in that fails stops install before it changes anything. The app-role id
 * table the CLI uses is checked against the published permissions data.
 */
import assert from "node:assert/strict";
import { ClientSecretCredential } from "@azure/identity";
import { startLocalDevOps, type LocalDevOps } from "../../emulators/local-devops/organization";
import { graphAppRoleIds, microsoftGraphAppId } from "../../src/devops/graph-app-roles";
import { graphPermissions } from "../../src/devops/tenant-side";
import { localGraphArgs, runDevOps, runIdIn } from "./devops-cli";

const permissionsSpec = require("../../spec/graph/permissions.json") as { appRoleIds: Record<string, { id: string }> };

interface StoredApp {
  clientId: string;
  displayName: string;
  roles: string[];
  requiredResourceAccess?: { resourceAppId: string; resourceAccess: { id: string; type: string }[] }[];
  federatedCredentials: { issuer: string; subject: string; audiences: string[] }[];
  servicePrincipal?: { id: string };
}

describe("tenant-sync devops install --tenant-admin registers the tenant's app", function () {
  this.timeout(240_000);
  let devops: LocalDevOps;
  let tenantId: string;
  let base: string[];
  const appName = "Tenant Sync – tenant-sync-local – contoso";
  const apps = async () => ((await devops.graphControl("GET", `/tenants/${tenantId}`)) as { apps: StoredApp[] }).apps;
  const identity = async (roles: string[]) =>
    (await devops.graphControl("POST", `/tenants/${tenantId}/apps`, { displayName: roles.join(" "), roles })) as {
      clientId: string;
      clientSecret: string;
    };
  const as = (who: { clientId: string; clientSecret: string }) => [
    "--tenant-admin",
    "--admin-client-id",
    who.clientId,
    // Joined with "=": a generated secret may start with "-", which would read as another option.
    `--client-secret=${who.clientSecret}`,
  ];
  const endpoints = async () => {
    const info = devops.readyInfo();
    const res = await fetch(`${info.collectionUrl}${info.project}/_apis/serviceendpoint/endpoints?api-version=7.1`, {
      headers: { authorization: `Bearer ${info.token}` },
    });
    return ((await res.json()) as { value: any[] }).value;
  };

  before(async () => {
    devops = await startLocalDevOps({ caDir: process.env.TENANT_SYNC_CA_DIR });
    ({ tenantId } = (await devops.graphControl("POST", "/tenants", { seed: "demo", name: "Contoso" })) as {
      tenantId: string;
    });
    base = ["install", "--tenant", "contoso", "--tenant-id", tenantId, ...localGraphArgs(devops)];
  });
  after(async () => {
    await devops?.stop();
  });

  it("keeps one table of Graph app role ids, as published, covering every permission install asks for", () => {
    for (const [name, id] of Object.entries(graphAppRoleIds))
      assert.equal(id, permissionsSpec.appRoleIds[name]?.id, `${name} in src/devops/graph-app-roles.ts`);
    const missing = graphPermissions().filter((p) => !graphAppRoleIds[p]);
    assert.deepEqual(missing, []);
  });

  it("--dry-run lists the app, its federated credential and service principal, and creates nothing", async () => {
    const admin = await identity(["Application.ReadWrite.All"]);
    const before = (await apps()).length;
    const run = await runDevOps(devops, [...base, ...as(admin), "--dry-run"]);
    assert.equal(run.code, 0, run.stderr);
    for (const line of [
      `+ app registration "${appName}": would be created, asking for ${graphPermissions().length} Microsoft Graph application permissions (not consented)`,
      `+ app registration "${appName}": federated credential: would be added (issuer `,
      ", subject sc://tenant-sync-local/TenantSync/tenant-sync-contoso)",
      `+ app registration "${appName}": service principal: would be created`,
      "+ service connection tenant-sync-contoso: would be created (workload identity federation",
    ])
      assert.ok(run.stdout.includes(line), `${line}\n${run.stdout}`);
    assert.equal((await apps()).length, before);
    assert.match(run.stdout, /Tenant side: install would register the app as listed above/);
  });

  it("an identity without Application.ReadWrite.All: the refusal names the permission, nothing is created, the admin's steps are printed", async () => {
    const reader = await identity(["Application.Read.All"]);
    const summary = async () => (await apps()).map((a) => [a.clientId, a.displayName, a.roles, a.federatedCredentials]);
    const before = await summary();
    const run = await runDevOps(devops, [...base, ...as(reader), "--no-run"]);
    assert.equal(run.code, 0, run.stderr);
    assert.ok(
      run.stdout.includes(
        `! app registration "${appName}": Creating the app registration "${appName}" in tenant ${tenantId}: the signed-in identity lacks Application.ReadWrite.All (or Application.ReadWrite.OwnedBy) (Microsoft Graph answered 403 Authorization_RequestDenied).`,
      ),
      run.stdout,
    );
    assert.match(run.stdout, /Tenant side, left to an Entra administrator/);
    assert.match(run.stdout, /1\. Register an app: .*"Tenant Sync – tenant-sync-local – contoso"/);
    assert.match(run.stdout, /service connection tenant-sync-contoso: not created yet: it needs the app's client id/);
    assert.deepEqual(await summary(), before);
    assert.equal((await endpoints()).length, 0);
  });

  let clientId: string;

  it("an identity with it registers the app, its federated credential and service principal, without consent", async () => {
    const admin = await identity(["Application.ReadWrite.All"]);
    const run = await runDevOps(devops, [...base, ...as(admin)]);
    assert.equal(run.code, 0, run.stderr);
    const app = (await apps()).find((a) => a.displayName === appName)!;
    assert.ok(app, run.stdout);
    clientId = app.clientId;
    assert.ok(run.stdout.includes(`+ app registration "${appName}": created (client id ${clientId})`), run.stdout);
    const [graph] = app.requiredResourceAccess!;
    assert.equal(graph.resourceAppId, microsoftGraphAppId);
    assert.deepEqual(
      graph.resourceAccess.map((a) => a.id).sort(),
      graphPermissions()
        .map((p) => graphAppRoleIds[p])
        .sort(),
    );
    assert.ok(graph.resourceAccess.every((a) => a.type === "Role"));
    assert.deepEqual(app.roles, [], "asking for permissions is not consent");
    assert.deepEqual(
      app.federatedCredentials.map((c) => [c.issuer, c.subject, c.audiences]),
      [
        [
          devops.readyInfo().oidcIssuer,
          "sc://tenant-sync-local/TenantSync/tenant-sync-contoso",
          ["api://AzureADTokenExchange"],
        ],
      ],
    );
    assert.ok(app.servicePrincipal?.id);
    const [endpoint] = await endpoints();
    assert.equal(endpoint.authorization.parameters.serviceprincipalid, clientId);
    assert.ok(run.stdout.includes(`adminconsent?client_id=${clientId}`), run.stdout);
    assert.match(run.stdout, /Tenant side: done in tenant .* but for consent/);
    assert.match(run.stdout, /no first run queued: the app's permissions wait for consent/);
    assert.equal(devops.store.builds.list.length, 0);
  });

  it("after consent, again: nothing changes in the tenant, and the first run signs in with the federated credential", async () => {
    await devops.graphControl("PUT", `/tenants/${tenantId}/apps/${clientId}/permissions`, {
      roles: graphPermissions(),
    });
    const admin = await identity(["Application.ReadWrite.All"]);
    const appsBefore = (await apps()).length;
    const run = await runDevOps(devops, [...base, ...as(admin)]);
    assert.equal(run.code, 0, run.stderr);
    for (const line of [
      `= app registration "${appName}": exists (client id ${clientId}) and asks for the permissions`,
      `= app registration "${appName}": federated credential: exists`,
      `= app registration "${appName}": service principal: exists`,
    ])
      assert.ok(run.stdout.includes(line), `${line}\n${run.stdout}`);
    const changes = run.stdout.split("\n").filter((l) => /^ {2}[+~!] /.test(l));
    assert.deepEqual(
      changes.map((l) => l.replace(/: first run .*/, ": first run")),
      ["  + pipeline tenant-sync-contoso: first run"],
    );
    assert.equal((await apps()).length, appsBefore);
    const id = runIdIn(run.stdout);
    await devops.agent.whenDone(id);
    assert.equal(devops.store.builds.list.find((b) => b.id === id)!.result, "succeeded");
  });

  it("an app asking for fewer permissions: named by --client-id it is reported, found by name the missing ones are added", async () => {
    const admin = await identity(["Application.ReadWrite.All"]);
    const token = (
      await new ClientSecretCredential(tenantId, admin.clientId, admin.clientSecret, {
        authorityHost: devops.graphUrl,
        disableInstanceDiscovery: true,
      }).getToken("https://graph.microsoft.com/.default")
    ).token;
    const [kept, ...rest] = graphPermissions();
    const graph = (method: string, path: string, body?: unknown) =>
      fetch(`${devops.graphUrl}/v1.0${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const other = { resourceAppId: "00000002-0000-0000-c000-000000000000", resourceAccess: [] };
    const fewer = [
      { resourceAppId: microsoftGraphAppId, resourceAccess: [{ id: graphAppRoleIds[kept], type: "Role" }] },
      other,
    ];
    const patched = await graph("PATCH", `/applications(appId='${clientId}')`, { requiredResourceAccess: fewer });
    assert.equal(patched.status, 204);
    const requested = async () => (await apps()).find((a) => a.clientId === clientId)!.requiredResourceAccess!;

    const named = await runDevOps(devops, [...base, ...as(admin), "--client-id", clientId, "--no-run"]);
    assert.equal(named.code, 0, named.stderr);
    assert.ok(
      named.stdout.includes(
        `! app registration ${clientId}: exists but does not ask for ${rest.join(", ")}: left as is (you named it with --client-id).`,
      ),
      named.stdout,
    );
    assert.deepEqual(await requested(), fewer);

    const byName = await runDevOps(devops, [...base, ...as(admin), "--no-run"]);
    assert.equal(byName.code, 0, byName.stderr);
    assert.ok(
      byName.stdout.includes(`~ app registration "${appName}": now asks for ${rest.join(", ")} as well`),
      byName.stdout,
    );
    const after = await requested();
    assert.deepEqual(after[1], other, "nothing it asked for is removed");
    assert.deepEqual(
      after[0].resourceAccess.map((a) => a.id).sort(),
      graphPermissions()
        .map((p) => graphAppRoleIds[p])
        .sort(),
    );
  });

  it("a tenant sign-in that fails stops install before it changes anything, naming the sign-in", async () => {
    const admin = await identity(["Application.ReadWrite.All"]);
    const fabrikam = base.map((a) => (a === "contoso" ? "fabrikam" : a));
    const run = await runDevOps(devops, [...fabrikam, ...as({ ...admin, clientSecret: "wrong" })]);
    assert.equal(run.code, 1, run.stdout);
    assert.match(
      run.stderr,
      new RegExp(`Signing in to tenant ${tenantId} for --tenant-admin: .*Check --admin-client-id`),
    );
    assert.doesNotMatch(run.stdout, /tenant-sync-fabrikam/);
    assert.equal(devops.store.git.list.filter((r) => r.name === "tenant-sync-fabrikam").length, 0);
  });

  it("tenant sign-in flags without --tenant-admin are a usage error", async () => {
    const run = await runDevOps(devops, [...base, "--admin-client-id", "x"]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--admin-client-id: only with --tenant-admin/);
  });
});
