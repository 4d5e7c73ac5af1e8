/**
 * Deploy against the Graph emulator over real HTTPS: a whole tenant re-created in another (reference
 * mapping), updates / assignments / deletes, a stale plan refused, deletes held for confirmation, a
 * killed deploy resumed without duplicates, and per-change failures reported as outcomes.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isSyncError } from "../../src/core/errors";
import type { GraphClient } from "../../src/core/graph/graph-client";
import { addressOf, type NormalizedObject } from "../../src/core/snapshot/normalize";
import type { JsonObject } from "../../src/core/snapshot/pointer";
import { deploy, type DeployResult } from "../../src/core/sync/deploy";
import type { Change, Confirmation, Plan } from "../../src/core/sync/plan";
import { startTestEmulator, type TestEmulator } from "../helpers/graph-emulator";
import {
  clientFor,
  comparisonForms,
  createChange,
  createChanges,
  deleteChange,
  exportAll,
  find,
  inApplyOrder,
  isRestricted,
  planOf,
  portable,
  type TenantCredentials,
  updateChange,
} from "./plan-builders";

function journalIn(): string {
  return join(mkdtempSync(join(tmpdir(), "tenant-sync-deploy-test-")), "plan.json.journal");
}

/** Deploys as approved, with every confirmation given unless the test says which. */
function run(
  graph: GraphClient,
  plan: Plan,
  confirm: Confirmation[] = ["deletes", "mass", "secrets"],
  journalPath = journalIn(),
): Promise<DeployResult> {
  return deploy({ plan, graph, confirm, journalPath });
}

function failures(result: DeployResult): string {
  return JSON.stringify(
    result.outcomes.filter((o) => !o.ok),
    null,
    1,
  );
}

describe("deploy", function () {
  this.timeout(120_000);
  let t: TestEmulator;
  let source: NormalizedObject[];
  let proxySecret: string;

  /** A tenant of its own for a test: "empty" (only what every tenant ships with) or "demo". */
  async function newTenant(seed: "empty" | "demo"): Promise<{ credentials: TenantCredentials; graph: GraphClient }> {
    const answer = await t.control("POST", "/tenants", {
      seed,
      tenantId: randomUUID(),
      name: `Tenant${Math.floor(Math.random() * 1e6)}`,
    });
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    const credentials = answer.body as TenantCredentials;
    return { credentials, graph: clientFor(credentials) };
  }

  /** The demo snapshot as creates for `target`, the OMA secret supplied by the person deploying. */
  function recreateDemoIn(targetBefore: NormalizedObject[]): Change[] {
    const changes = createChanges(source, targetBefore);
    const oma = changes.find((c) => c.address === 'intune.deviceConfiguration["Windows - Custom OMA-URI"]');
    const settings = oma?.after?.object.omaSettings as JsonObject[];
    settings[1].value = proxySecret;
    return changes;
  }

  before(async () => {
    t = await startTestEmulator({ throttle: { mode: "off" } });
    source = await exportAll(clientFor(t.info));
    const config = (await t.control("GET", `/tenants/${t.info.tenantId}/objects/deviceConfiguration`)).body.find(
      (o: JsonObject) => o.displayName === "Windows - Custom OMA-URI",
    );
    proxySecret = config.nav.omaSecrets[0].props.value;
  });
  after(async () => t.emulator.stop());
  afterEach(async () => {
    await t.control("DELETE", "/faults");
  });

  it("re-creates every object of one tenant in another, mapping every reference to the target's ids", async () => {
    const target = await newTenant("empty");
    // A scope tag made first shifts the target's scope tag ids away from the source's.
    await t.control("POST", `/tenants/${target.credentials.tenantId}/objects/roleScopeTag`, {
      "@odata.type": "#microsoft.graph.roleScopeTag",
      displayName: "Made in the portal",
      description: "",
      isBuiltIn: false,
    });
    const before = await exportAll(target.graph);
    const changes = recreateDemoIn(before);
    assert.ok(changes.length > 35, `${changes.length} changes`);
    const result = await run(target.graph, planOf(target.credentials.tenantId, changes));
    assert.equal(result.status, "succeeded", failures(result));
    assert.equal(result.applied, changes.length);
    assert.equal(Object.keys(result.created).length, changes.filter((c) => c.action === "create").length);

    const after = await exportAll(target.graph);
    const want = comparisonForms(source.filter((o) => !isRestricted(o)));
    const got = comparisonForms(after);
    for (const [address, form] of want) assert.equal(got.get(address), form, `${address} matches the source`);
    // Apple's certificate and tokens are the target's own: the copy leaves them as they were.
    const kept = (objects: NormalizedObject[]) => comparisonForms(objects.filter(isRestricted));
    assert.deepEqual(kept(after), kept(before));
    // The references point at the target's own objects, not at the ids carried from the source.
    const compliance = find(after, "intune.compliancePolicy", "Windows - Compliance baseline");
    const sourceCompliance = find(source, "intune.compliancePolicy", "Windows - Compliance baseline");
    const emea = find(after, "intune.roleScopeTag", "EMEA");
    assert.notEqual(emea.id, find(source, "intune.roleScopeTag", "EMEA").id);
    assert.deepEqual(compliance.object.roleScopeTagIds, ["0", { $ref: 'intune.roleScopeTag["EMEA"]', id: emea.id }]);
    const ids = (objects: NormalizedObject[]) => new Set(objects.map((o) => o.id));
    const refIds = JSON.stringify(after.map((o) => o.object)).match(/"\$ref":"[^"]*(?:\\"[^"]*)*","id":"[^"]+"/g) ?? [];
    assert.ok(refIds.length > 20);
    for (const ref of refIds) {
      const id = /"id":"([^"]+)"$/.exec(ref)?.[1] as string;
      assert.ok(ids(after).has(id), `${ref} names an object of the target`);
    }
    assert.notDeepEqual(compliance.object.assignments, sourceCompliance.object.assignments);
    assert.deepEqual(
      portable(compliance.object.assignments as JsonObject[]),
      portable(sourceCompliance.object.assignments as JsonObject[]),
    );
    const secret = (
      await t.control("GET", `/tenants/${target.credentials.tenantId}/objects/deviceConfiguration`)
    ).body.find((o: JsonObject) => o.displayName === "Windows - Custom OMA-URI");
    assert.equal(secret.nav.omaSecrets[0].props.value, proxySecret, "the supplied secret is stored encrypted");
  });

  it("applies updates, assignment changes, deletes and a create to the demo tenant, and nothing else", async () => {
    const tenant = await newTenant("demo");
    const before = await exportAll(tenant.graph);
    const changes: Change[] = [];
    /** An update of the named object: `edit` changes a copy of its snapshot form. */
    const edit = (
      type: string,
      name: string,
      fn: (o: JsonObject, files: Record<string, string>) => void,
      action: "update" | "assign" = "update",
    ) => {
      const now = find(before, type, name);
      const object = structuredClone(now.object);
      const files = { ...now.files };
      fn(object, files);
      changes.push(updateChange(now, object, action, files));
    };
    const group = (name: string) => ({ $ref: addressOf("entra.group", name) });
    const target = (name: string) => ({
      "@odata.type": "#microsoft.graph.groupAssignmentTarget",
      groupId: group(name),
      deviceAndAppManagementAssignmentFilterId: null,
      deviceAndAppManagementAssignmentFilterType: "none",
    });
    const contractors = createChange({ ...find(before, "entra.group", "Pilot users"), name: "Contractors" });
    Object.assign(contractors.after?.object as JsonObject, {
      displayName: "Contractors",
      mailNickname: "Contractors",
      description: "External staff",
    });
    Object.assign(contractors, { address: addressOf("entra.group", "Contractors") });
    changes.push(contractors);
    edit("intune.compliancePolicy", "Windows - Compliance baseline", (o) => {
      o.description = "Require BitLocker, Secure Boot and a 12-character password";
      o.passwordMinimumLength = 12;
      (
        (o.scheduledActionsForRule as JsonObject[])[0].scheduledActionConfigurations as JsonObject[]
      )[1].gracePeriodHours = 48;
    });
    edit("intune.settingsCatalogPolicy", "Windows - BitLocker", (o) => {
      o.description = "BitLocker, one setting";
      o.settings = (o.settings as JsonObject[]).slice(0, 1);
    });
    edit("intune.groupPolicyConfiguration", "Windows - Administrative templates", (o) => {
      const values = (o.definitionValues as JsonObject[]).slice(0, 1);
      (values[0].presentationValues as JsonObject[])[0].value = "0";
      o.definitionValues = values;
    });
    edit("intune.notificationMessageTemplate", "Device not compliant", (o) => {
      const messages = o.localizedNotificationMessages as JsonObject[];
      messages[0].subject = "Action needed: your device is not compliant";
      messages.push({
        locale: "de-de",
        subject: "Ihr Gerät ist nicht konform",
        messageTemplate: "Öffnen Sie das Unternehmensportal.",
        isDefault: false,
      });
    });
    edit("entra.authenticationStrengthPolicy", "Admins: FIDO2 or Windows Hello", (o) => {
      o.description = "FIDO2, Windows Hello or certificate";
      (o.allowedCombinations as string[]).push("x509CertificateMultiFactor");
    });
    edit("intune.roleDefinition", "EMEA device operator", (o) => {
      (o.roleAssignments as JsonObject[])[0].members = [group("Finance users")];
    });
    edit("entra.crossTenantAccessPolicy", "Cross-tenant access policy", (o) => {
      ((o.default as JsonObject).inboundTrust as JsonObject).isMfaAccepted = true;
      o.partners = [
        {
          tenantId: "9c5d131d-b1c3-4fc4-9e3f-c6557947d551",
          b2bCollaborationInbound: {
            usersAndGroups: {
              accessType: "allowed",
              targets: [{ target: group("Finance users"), targetType: "group" }],
            },
            applications: {
              accessType: "allowed",
              targets: [{ target: "AllApplications", targetType: "application" }],
            },
          },
        },
      ];
    });
    edit("entra.authenticationMethodsPolicy", "Authentication methods policy", (o) => {
      (o.authenticationMethodConfigurations as JsonObject[]).find((c) => c.id === "Sms")!.state = "disabled";
    });
    edit("intune.appProtectionPolicy", "iOS - Protect company data", (o) => {
      o.description = "Outlook only";
      o.apps = (o.apps as JsonObject[]).filter((a) => JSON.stringify(a).includes("outlook"));
    });
    edit("intune.deviceConfiguration", "Windows - Custom OMA-URI", (o) => {
      o.description = "Custom settings (proxy kept)";
    });
    edit("intune.remediationScript", "Clear temp files", (_o, files) => {
      files[".detection.ps1"] = "if ((Get-ChildItem $env:TEMP).Count -gt 500) { exit 1 }\n";
    });
    edit(
      "intune.powerShellScript",
      "Set time zone",
      (o) => {
        o.assignments = [{ target: target("Pilot users") }];
      },
      "assign",
    );
    edit(
      "intune.autopilotProfile",
      "Autopilot - User driven",
      (o) => {
        o.assignments = [{ target: target("Finance users") }, { target: target("Contractors") }];
      },
      "assign",
    );
    edit(
      "intune.termsAndConditions",
      "Acceptable use",
      (o) => {
        o.assignments = [{ target: target("Contractors") }];
      },
      "assign",
    );
    // The priority goes through setPriority, the limit through the PATCH.
    edit("intune.enrollmentConfiguration", "Finance device limit", (o) => {
      o.priority = 3;
      o.limit = 6;
    });
    const deleted = [
      find(before, "intune.assignmentFilter", "iOS company owned"),
      find(before, "intune.qualityUpdateProfile", "Expedite 2026-01 security update"),
      find(before, "intune.managedAppConfiguration", "Edge - Managed bookmarks"),
    ];
    changes.push(...deleted.map(deleteChange));

    const result = await run(tenant.graph, planOf(tenant.credentials.tenantId, inApplyOrder(changes)));
    assert.equal(result.status, "succeeded", failures(result));
    assert.equal(result.applied, changes.length);

    const after = await exportAll(tenant.graph);
    const expected = comparisonForms([
      ...before.filter((o) => !changes.some((c) => c.address === addressOf(o.type, o.name))),
      ...changes
        .filter((c) => c.after)
        .map((c) => ({
          type: c.type,
          name: c.name,
          object: c.after?.object as JsonObject,
          files: c.after?.files ?? {},
        })),
    ]);
    const got = comparisonForms(after);
    assert.deepEqual(
      [...got.keys()].sort(),
      [...expected.keys()].sort(),
      "exactly the deleted objects are gone and the created one is there",
    );
    for (const [address, form] of expected) assert.equal(got.get(address), form, `${address} is as planned`);
    const oma = (
      await t.control("GET", `/tenants/${tenant.credentials.tenantId}/objects/deviceConfiguration`)
    ).body.find((o: JsonObject) => o.displayName === "Windows - Custom OMA-URI");
    assert.equal(
      oma.nav.omaSecrets.at(-1).props.value,
      proxySecret,
      "the secret the repo does not hold kept its value",
    );
  });

  it("refuses a plan the tenant has moved past (plan.stale), naming the object, and writes nothing", async () => {
    const tenant = await newTenant("demo");
    const before = await exportAll(tenant.graph);
    const policy = find(before, "intune.compliancePolicy", "Windows - Compliance baseline");
    const changes = [
      updateChange(policy, { ...policy.object, description: "From the repo" }),
      createChange({
        ...find(before, "entra.group", "Pilot users"),
        name: "New group",
        object: {
          ...find(before, "entra.group", "Pilot users").object,
          displayName: "New group",
          mailNickname: "Newgroup",
        },
      }),
    ];
    const plan = planOf(tenant.credentials.tenantId, inApplyOrder(changes));
    await t.control("PATCH", `/tenants/${tenant.credentials.tenantId}/objects/deviceCompliancePolicy/${policy.id}`, {
      description: "Edited in the portal after the plan",
    });
    await t.control("DELETE", "/counters");
    await assert.rejects(run(tenant.graph, plan), (e: unknown) => {
      assert.ok(isSyncError(e));
      assert.equal(e.code, "plan.stale");
      assert.match(e.message, /intune\.compliancePolicy\["Windows - Compliance baseline"\] was changed/);
      assert.doesNotMatch(e.message, /New group/);
      assert.equal(e.detail.object, 'intune.compliancePolicy["Windows - Compliance baseline"]');
      assert.match(String(e.detail.hint), /new plan/);
      return true;
    });
    const counters = (await t.control("GET", "/counters")).body;
    assert.equal(counters.writes, 0, "nothing was written");
    assert.ok(counters.graphRequests > 0, "the tenant was read");
  });

  it("holds deletes until they are confirmed (plan.blocked), then applies them", async () => {
    const tenant = await newTenant("demo");
    const before = await exportAll(tenant.graph);
    const filter = find(before, "intune.assignmentFilter", "iOS company owned");
    const address = addressOf(filter.type, filter.name);
    const plan = planOf(
      tenant.credentials.tenantId,
      [deleteChange(filter)],
      [
        {
          kind: "delete",
          confirm: "deletes",
          addresses: [address],
          message: `1 object will be deleted from the tenant: ${address}.`,
        },
      ],
    );
    await t.control("DELETE", "/counters");
    await assert.rejects(run(tenant.graph, plan, ["mass"]), (e: unknown) => {
      assert.ok(isSyncError(e));
      assert.equal(e.code, "plan.blocked");
      assert.match(
        e.message,
        /confirm "deletes": 1 object will be deleted from the tenant: intune\.assignmentFilter\["iOS company owned"\]/,
      );
      assert.match(String(e.detail.hint), /confirming "deletes"/);
      return true;
    });
    assert.equal((await t.control("GET", "/counters")).body.graphRequests, 0, "nothing was even read");
    const result = await run(tenant.graph, plan, ["deletes"]);
    assert.equal(result.status, "succeeded", failures(result));
    assert.deepEqual(result.outcomes, [{ address, action: "delete", ok: true }]);
    const after = await exportAll(tenant.graph);
    assert.equal(
      after.some((o) => o.type === filter.type && o.name === filter.name),
      false,
    );
  });

  it("refuses a plan carrying a write Tenant Sync never makes (a VPP token delete), before writing", async () => {
    const tenant = await newTenant("demo");
    const token = find(await exportAll(tenant.graph), "intune.vppToken", "Contoso Ltd - London");
    await t.control("DELETE", "/counters");
    await assert.rejects(
      run(tenant.graph, planOf(tenant.credentials.tenantId, [deleteChange(token)]), ["deletes"]),
      (e: unknown) => {
        assert.ok(isSyncError(e));
        assert.equal(e.code, "plan.invalid");
        assert.match(
          e.message,
          /asks to delete intune\.vppToken\["Contoso Ltd - London"\], which Tenant Sync never does/,
        );
        assert.match(String(e.detail.hint), /Apple VPP tokens/);
        return true;
      },
    );
    assert.equal(t.emulator.counters.writes, 0, "nothing was written");
  });

  it("says which findings block a plan whatever is confirmed", async () => {
    const tenant = await newTenant("empty");
    const plan = planOf(
      tenant.credentials.tenantId,
      [],
      [
        {
          kind: "conflict",
          addresses: ['entra.group["A"]'],
          message: "1 object was changed both in the repo and in the tenant.",
        },
      ],
    );
    await assert.rejects(run(tenant.graph, plan, ["deletes", "mass", "secrets"]), (e: unknown) => {
      assert.ok(isSyncError(e));
      assert.equal(e.code, "plan.blocked");
      assert.match(e.message, /blocked \(conflict\): 1 object was changed both/);
      assert.match(String(e.detail.hint), /No confirmation lifts/);
      return true;
    });
  });

  it("refuses a plan made for another tenant, and one the app lacks the permissions for, before writing", async () => {
    const tenant = await newTenant("empty");
    const group = createChange(find(source, "entra.group", "Pilot users"));
    await assert.rejects(
      run(tenant.graph, planOf(t.info.tenantId, [group])),
      (e: unknown) =>
        isSyncError(e) && e.code === "plan.invalid" && e.message.includes(`made for tenant ${t.info.tenantId}`),
    );
    const c = tenant.credentials;
    await t.control("PUT", `/tenants/${c.tenantId}/apps/${c.clientId}/permissions`, {
      roles: ["Group.Read.All", "Policy.Read.All"],
    });
    await t.control("DELETE", "/counters");
    await assert.rejects(run(clientFor(c), planOf(c.tenantId, [group])), (e: unknown) => {
      assert.ok(isSyncError(e));
      assert.equal(e.code, "auth.consentRequired");
      assert.match(e.message, /lacks Group\.ReadWrite\.All/);
      return true;
    });
    assert.equal((await t.control("GET", "/counters")).body.writes, 0);
  });

  it("resumes a killed deploy: applies only what is left and never creates an object twice", async () => {
    const target = await newTenant("empty");
    const changes = recreateDemoIn(await exportAll(target.graph));
    const dir = mkdtempSync(join(tmpdir(), "tenant-sync-deploy-kill-"));
    const planPath = join(dir, "plan.json");
    const plan = planOf(target.credentials.tenantId, changes);
    writeFileSync(planPath, JSON.stringify(plan));
    await t.control("PUT", "/faults", { latencyMs: 200 });
    await t.control("DELETE", "/counters");
    const c = target.credentials;
    const child = spawn(process.execPath, [require.resolve("tsx/cli"), join(__dirname, "deploy-child.ts"), planPath], {
      env: {
        ...process.env,
        AZURE_TENANT_ID: c.tenantId,
        AZURE_CLIENT_ID: c.clientId,
        AZURE_CLIENT_SECRET: c.clientSecret,
        AZURE_AUTHORITY_HOST: c.authorityHost,
        TENANT_SYNC_GRAPH_URL: c.graphUrl,
      },
      stdio: "ignore",
      // Its own process group: tsx runs the script in a child process, and the kill must reach both.
      detached: true,
    });
    const exited = new Promise((r) => child.once("exit", r));
    const deadline = Date.now() + 60_000;
    while (t.emulator.counters.writes < 7 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    process.kill(-(child.pid as number), "SIGKILL");
    await exited;
    // A request already sent when the process died still lands (that is the case resuming must handle).
    await new Promise((r) => setTimeout(r, 600));
    const writesAtKill = t.emulator.counters.writes;
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(t.emulator.counters.writes, writesAtKill, "the killed deploy writes nothing more");
    await t.control("PUT", "/faults", { latencyMs: 0 });
    assert.ok(writesAtKill >= 7, "the child wrote before it was killed");
    const journal = readFileSync(`${planPath}.journal`, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    const done = new Set(journal.filter((l) => l.event === "done").map((l) => l.change));
    assert.ok(
      done.size > 0 && done.size < changes.length,
      `the child finished ${done.size} of ${changes.length} changes`,
    );

    const result = await run(target.graph, plan, undefined, `${planPath}.journal`);
    assert.equal(result.status, "succeeded", failures(result));
    assert.equal(result.skipped, done.size, "changes done before the kill are not applied again");
    assert.equal(result.applied, changes.length - done.size);
    const after = await exportAll(target.graph);
    const counts = new Map<string, number>();
    for (const o of after) counts.set(addressOf(o.type, o.name), (counts.get(addressOf(o.type, o.name)) ?? 0) + 1);
    assert.deepEqual(
      [...counts].filter(([, n]) => n > 1),
      [],
      "no object exists twice",
    );
    const want = comparisonForms(source.filter((o) => !isRestricted(o)));
    const got = comparisonForms(after);
    for (const [address, form] of want) assert.equal(got.get(address), form, `${address} matches the source`);
    assert.equal(existsSync(`${planPath}.journal`), true);
  });

  it("reports a change Graph refuses as a failed outcome and goes on (partiallySucceeded)", async () => {
    const tenant = await newTenant("demo");
    const before = await exportAll(tenant.graph);
    const ring = find(before, "intune.deviceConfiguration", "Update ring - Broad");
    const script = find(before, "intune.powerShellScript", "Set time zone");
    const contractors = createChange({
      ...find(before, "entra.group", "Pilot users"),
      name: "Contractors",
      object: {
        ...find(before, "entra.group", "Pilot users").object,
        displayName: "Contractors",
        mailNickname: "Contractors",
      },
    });
    const terms = find(before, "intune.termsAndConditions", "Acceptable use");
    const changes = inApplyOrder([
      contractors,
      updateChange(ring, { ...ring.object, description: "Refused by the service" }),
      updateChange(script, { ...script.object, description: "Accepted" }),
      updateChange(
        terms,
        {
          ...terms.object,
          assignments: [
            {
              target: {
                "@odata.type": "#microsoft.graph.groupAssignmentTarget",
                groupId: { $ref: 'entra.group["Contractors"]' },
                deviceAndAppManagementAssignmentFilterId: null,
                deviceAndAppManagementAssignmentFilterType: "none",
              },
            },
          ],
        },
        "assign",
      ),
    ]);
    await t.control("POST", "/faults", {
      method: "PATCH",
      pathContains: `/deviceConfigurations/${ring.id}`,
      count: 1,
      action: { kind: "status", status: 400, code: "BadRequest", message: "Injected: the ring cannot change now" },
    });
    await t.control("POST", "/faults", {
      method: "POST",
      pathContains: "/groups",
      count: 1,
      action: { kind: "status", status: 400, code: "Request_BadRequest", message: "Injected: group quota reached" },
    });
    const result = await run(tenant.graph, planOf(tenant.credentials.tenantId, changes));
    assert.equal(result.status, "partiallySucceeded");
    assert.deepEqual({ applied: result.applied, failed: result.failed }, { applied: 1, failed: 3 });
    const byAddress = new Map(result.outcomes.map((o) => [o.address, o]));
    const refused = byAddress.get('intune.deviceConfiguration["Update ring - Broad"]');
    assert.ok(refused && !refused.ok);
    assert.equal(refused.error.code, "graph.failed");
    assert.match(
      refused.error.message,
      /400.*Injected: the ring cannot change now.*intune\.deviceConfiguration\["Update ring - Broad"\]/,
    );
    assert.deepEqual(byAddress.get('intune.powerShellScript["Set time zone"]'), {
      address: 'intune.powerShellScript["Set time zone"]',
      action: "update",
      ok: true,
    });
    const dependent = byAddress.get('intune.termsAndConditions["Acceptable use"]');
    assert.ok(dependent && !dependent.ok);
    assert.match(
      dependent.error.message,
      /refers to entra\.group\["Contractors"\], whose create failed earlier in this deploy/,
    );
    const after = await exportAll(tenant.graph);
    assert.equal(find(after, "intune.powerShellScript", "Set time zone").object.description, "Accepted");
    assert.equal(
      find(after, "intune.deviceConfiguration", "Update ring - Broad").object.description,
      ring.object.description,
    );
  });

  it("refuses a create whose reference names a group the target does not have, naming the group, before writing", async () => {
    const tenant = await newTenant("empty");
    const ring = structuredClone(find(source, "intune.deviceConfiguration", "Update ring - Broad"));
    (ring.object.assignments as JsonObject[])[0].target = {
      "@odata.type": "#microsoft.graph.groupAssignmentTarget",
      groupId: { $ref: 'entra.group["Nobody here"]', id: "00000000-1111-2222-3333-444444444444" },
      deviceAndAppManagementAssignmentFilterId: null,
      deviceAndAppManagementAssignmentFilterType: "none",
    };
    await assert.rejects(run(tenant.graph, planOf(tenant.credentials.tenantId, [createChange(ring)])), (e: unknown) => {
      assert.ok(isSyncError(e));
      assert.equal(e.code, "plan.blocked");
      assert.match(
        e.message,
        /blocked \(missingReference\): intune\.deviceConfiguration\["Update ring - Broad"\] refers to entra\.group\["Nobody here"\].*which the tenant does not have/,
      );
      assert.equal(e.detail.object, 'intune.deviceConfiguration["Update ring - Broad"]');
      return true;
    });
    assert.equal(
      (await exportAll(tenant.graph)).some((o) => o.type === "intune.deviceConfiguration"),
      false,
      "nothing was created",
    );
  });

  it("fails a create that holds a secret placeholder, saying the secret must be supplied", async () => {
    const tenant = await newTenant("empty");
    const oma = structuredClone(find(source, "intune.deviceConfiguration", "Windows - Custom OMA-URI"));
    oma.object.assignments = [];
    const result = await run(tenant.graph, planOf(tenant.credentials.tenantId, [createChange(oma)]));
    const [outcome] = result.outcomes;
    assert.ok(!outcome.ok);
    assert.match(outcome.error.message, /holds a secret at \/omaSettings\/1\/value that is not stored in git/);
    assert.match(String(outcome.error.hint), /Supply the secret/);
  });
});
