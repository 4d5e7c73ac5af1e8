/**
 * intune-more — the local Graph answers the settings catalog compliance policies (settings, actions for
 * noncompliance through setScheduledActions, assignments), compliance and custom attribute scripts,
 * device and app categories, driver update profiles and reusable policy settings as the service does.
 */
import assert from "node:assert/strict";
import { type GraphSession, startGraphSession } from "./graph-session";

const dm = "/beta/deviceManagement";
const block = { actionType: "block", gracePeriodHours: 0, notificationTemplateId: "", notificationMessageCCList: [] };
const encryption = {
  settingInstance: {
    "@odata.type": "#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance",
    settingDefinitionId: "linux_deviceencryption_required",
    choiceSettingValue: { value: "linux_deviceencryption_required_true", children: [] },
  },
};

describe("Graph emulator: more Intune types", () => {
  let s: GraphSession;
  let groupId: string;
  before(async () => {
    s = await startGraphSession({ throttle: { mode: "off" } });
    groupId = (await s.call("GET", "/v1.0/groups")).body.value[0].id;
  });
  after(async () => s?.t.emulator.stop());

  const target = () => ({ "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupId });

  it("creates a settings catalog compliance policy with its settings and counts them", async () => {
    const missing = await s.call("POST", `${dm}/compliancePolicies`, { name: "No platform", technologies: "linuxMdm" });
    assert.equal(missing.status, 400);
    assert.match(missing.body.error.message, /platforms/);
    const created = await s.call("POST", `${dm}/compliancePolicies`, {
      name: "Linux - test",
      platforms: "linux",
      technologies: "linuxMdm",
      settings: [encryption],
    });
    assert.equal(created.status, 201);
    assert.equal(created.body.settingCount, 1);
    assert.equal(created.body.isAssigned, false);
    const settings = await s.call("GET", `${dm}/compliancePolicies/${created.body.id}/settings`);
    assert.equal(settings.body.value[0].settingInstance.settingDefinitionId, "linux_deviceencryption_required");
  });

  it("replaces the actions for noncompliance with setScheduledActions, one block action exactly", async () => {
    const policy = (await s.call("GET", `${dm}/compliancePolicies`)).body.value.find(
      (p: { name: string }) => p.name === "Linux - Encrypted devices",
    );
    const path = `${dm}/compliancePolicies/${policy.id}`;
    const none = await s.call("POST", `${path}/setScheduledActions`, {
      scheduledActions: [{ ruleName: null, scheduledActionConfigurations: [] }],
    });
    assert.equal(none.status, 400);
    assert.equal((await s.call("POST", `${path}/setScheduledActions`, {})).status, 400);
    const notify = { ...block, actionType: "notification", gracePeriodHours: 48 };
    const set = await s.call("POST", `${path}/setScheduledActions`, {
      scheduledActions: [{ ruleName: null, scheduledActionConfigurations: [block, notify] }],
    });
    assert.equal(set.status, 200);
    const expanded = await s.call("GET", `${path}/scheduledActionsForRule?$expand=scheduledActionConfigurations`);
    assert.deepEqual(
      expanded.body.value[0].scheduledActionConfigurations.map((c: { actionType: string }) => c.actionType),
      ["block", "notification"],
    );
    const plain = await s.call("GET", `${path}/scheduledActionsForRule`);
    assert.equal(plain.body.value[0].scheduledActionConfigurations, undefined);
  });

  it("keeps a compliance policy's actions when a PUT replaces its settings, and marks it assigned", async () => {
    const policy = (await s.call("GET", `${dm}/compliancePolicies`)).body.value.find(
      (p: { name: string }) => p.name === "Linux - Encrypted devices",
    );
    const path = `${dm}/compliancePolicies/${policy.id}`;
    const before = await s.call("GET", `${path}/scheduledActionsForRule?$expand=scheduledActionConfigurations`);
    const put = await s.call("PUT", path, {
      name: policy.name,
      description: "Changed by PUT",
      platforms: "linux",
      technologies: "linuxMdm",
      roleScopeTagIds: ["0"],
      settings: [],
    });
    assert.equal(put.status, 204);
    const after = await s.call("GET", path);
    assert.equal(after.body.description, "Changed by PUT");
    assert.equal(after.body.settingCount, 0);
    const actions = await s.call("GET", `${path}/scheduledActionsForRule?$expand=scheduledActionConfigurations`);
    assert.deepEqual(actions.body.value, before.body.value);
    const refused = await s.call("POST", `${path}/assign`, {
      assignments: [{ target: { ...target(), groupId: "x" } }],
    });
    assert.equal(refused.status, 400);
    assert.equal((await s.call("POST", `${path}/assign`, { assignments: [{ target: target() }] })).status, 200);
    assert.equal((await s.call("GET", path)).body.isAssigned, true);
  });

  it("returns a compliance script's body only by id and has no assign action for it", async () => {
    const list = await s.call("GET", `${dm}/deviceComplianceScripts`);
    const script = list.body.value[0];
    assert.equal(script.detectionScriptContent, undefined);
    const byId = await s.call("GET", `${dm}/deviceComplianceScripts/${script.id}`);
    assert.match(Buffer.from(byId.body.detectionScriptContent, "base64").toString(), /ConvertTo-Json/);
    assert.equal((await s.call("POST", `${dm}/deviceComplianceScripts/${script.id}/assign`, {})).status, 400);
  });

  it("serves custom attribute scripts' assignments only through $expand and keeps the attribute fixed", async () => {
    const path = `${dm}/deviceCustomAttributeShellScripts`;
    const script = (await s.call("GET", path)).body.value[0];
    assert.equal(script.scriptContent, undefined);
    assert.equal((await s.call("GET", `${path}/${script.id}/assignments`)).status, 400);
    const expanded = await s.call("GET", `${path}/${script.id}?$expand=assignments`);
    assert.equal(expanded.body.assignments.length, 1);
    assert.equal(expanded.body.customAttributeName, "FileVaultStatus");
    const rename = await s.call("PATCH", `${path}/${script.id}`, { customAttributeName: "Other" });
    assert.equal(rename.status, 400);
    const assign = await s.call("POST", `${path}/${script.id}/assign`, { deviceManagementScriptAssignments: [] });
    assert.equal(assign.status, 204);
    assert.deepEqual((await s.call("GET", `${path}/${script.id}?$expand=assignments`)).body.assignments, []);
    const badType = await s.call("POST", path, {
      displayName: "Bad",
      customAttributeName: "Bad",
      customAttributeType: "boolean",
      scriptContent: Buffer.from("echo 1").toString("base64"),
    });
    assert.equal(badType.status, 400);
    assert.match(badType.body.error.message, /customAttributeType/);
  });

  it("checks driver update profiles' approval type and refuses their device counts", async () => {
    const path = `${dm}/windowsDriverUpdateProfiles`;
    assert.equal((await s.call("POST", path, { displayName: "No approval" })).status, 400);
    assert.equal((await s.call("POST", path, { displayName: "Odd", approvalType: "sometimes" })).status, 400);
    const created = await s.call("POST", path, { displayName: "Manual drivers", approvalType: "manual" });
    assert.equal(created.status, 201);
    const counts = await s.call("PATCH", `${path}/${created.body.id}`, { newUpdates: 3 });
    assert.equal(counts.status, 400);
    const assign = await s.call("POST", `${path}/${created.body.id}/assign`, { assignments: [{ target: target() }] });
    assert.equal(assign.status, 204);
    assert.equal((await s.call("GET", `${path}/${created.body.id}/assignments`)).body.value.length, 1);
  });

  it("refuses to delete a reusable setting a policy's settings name, and deletes it once unused", async () => {
    const path = `${dm}/reusablePolicySettings`;
    const setting = (await s.call("GET", path)).body.value[0];
    assert.equal(setting.displayName, "Corporate subnets");
    const changeDefinition = await s.call("PATCH", `${path}/${setting.id}`, { settingDefinitionId: "other" });
    assert.equal(changeDefinition.status, 400);
    const rule = (value: string) => ({
      settingInstance: {
        "@odata.type": "#microsoft.graph.deviceManagementConfigurationSimpleSettingInstance",
        settingDefinitionId:
          "vendor_msft_firewall_mdmstore_firewallrules_{firewallrulename}_remoteaddressdynamickeywords",
        simpleSettingValue: {
          "@odata.type": "#microsoft.graph.deviceManagementConfigurationStringSettingValue",
          value,
        },
      },
    });
    const policy = await s.call("POST", `${dm}/configurationPolicies`, {
      name: "Firewall - office rules",
      platforms: "windows10",
      technologies: "mdm",
      settings: [rule(setting.id)],
    });
    assert.equal(policy.status, 201);
    const refused = await s.call("DELETE", `${path}/${setting.id}`);
    assert.equal(refused.status, 400);
    assert.match(refused.body.error.message, /Firewall - office rules/);
    assert.equal((await s.call("DELETE", `${dm}/configurationPolicies/${policy.body.id}`)).status, 204);
    assert.equal((await s.call("DELETE", `${path}/${setting.id}`)).status, 204);
  });

  it("has the built-in app categories and device categories with their names only", async () => {
    const apps = await s.call("GET", "/beta/deviceAppManagement/mobileAppCategories");
    const names = apps.body.value.map((c: { displayName: string }) => c.displayName);
    for (const name of ["Business", "Productivity", "Contoso line-of-business"]) assert.ok(names.includes(name), name);
    const stamp = await s.call("PATCH", `/beta/deviceAppManagement/mobileAppCategories/${apps.body.value[0].id}`, {
      lastModifiedDateTime: "2026-01-01T00:00:00Z",
    });
    assert.equal(stamp.status, 400);
    assert.equal((await s.call("POST", `${dm}/deviceCategories`, { description: "no name" })).status, 400);
    const category = await s.call("POST", `${dm}/deviceCategories`, { displayName: "Lab", roleScopeTagIds: ["0"] });
    assert.equal(category.status, 201);
    const renamed = await s.call("PATCH", `${dm}/deviceCategories/${category.body.id}`, { displayName: "Test lab" });
    assert.equal(renamed.status, 200);
    assert.equal(renamed.body.displayName, "Test lab");
  });
});
