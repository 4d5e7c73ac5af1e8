/**
 * list-rules — the Graph emulator serves each collection's list as the service does: the page it
 * returns without $top, the largest $top it honours (capped or refused with the service's 400), the
 * navigation properties it expands on a list and those it expands only on one object, and the
 * configuration policies' assignments that come back empty when expanded by id.
 */
import assert from "node:assert/strict";
import { type GraphSession, startGraphSession } from "./graph-session";

const dm = "/beta/deviceManagement";

describe("Graph emulator: list rules per collection", function () {
  this.timeout(60_000);
  let s: GraphSession;

  before(async () => {
    s = await startGraphSession({ seed: "synthetic:1500:3", throttle: { mode: "off" } });
  });
  after(async () => s?.t.emulator.stop());
  afterEach(async () => {
    await s.t.control("PUT", "/paging", { maxPageSize: null, defaultPageSize: null });
  });

  it("refuses on a list an expansion the service serves only on one object, and serves it by id", async () => {
    const list = await s.call("GET", `${dm}/deviceConfigurations?$expand=assignments`);
    assert.equal(list.status, 400);
    assert.match(list.body.error.message, /Expanding 'assignments' is not supported when listing/);
    const [first] = (await s.call("GET", `${dm}/deviceConfigurations`)).body.value;
    const one = await s.call("GET", `${dm}/deviceConfigurations/${first.id}?$expand=assignments`);
    assert.equal(one.status, 200);
    assert.ok(Array.isArray(one.body.assignments));
  });

  it("expands assignments and the nested actions of compliance policies on the list", async () => {
    const list = await s.call(
      "GET",
      `${dm}/deviceCompliancePolicies?$expand=assignments,scheduledActionsForRule($expand=scheduledActionConfigurations)&$top=1000`,
    );
    assert.equal(list.status, 200);
    assert.ok(list.body.value.length > 0);
    for (const p of list.body.value) {
      assert.ok(Array.isArray(p.assignments));
      assert.ok(Array.isArray(p.scheduledActionsForRule[0].scheduledActionConfigurations));
    }
  });

  it("lists settings catalog policies 25 a page by default and 1000 with $top; their assignments only on the list", async () => {
    const all = (await s.t.control("GET", `/tenants/${s.t.info.tenantId}/objects/configurationPolicy`)).body as {
      id: string;
    }[];
    assert.ok(all.length > 25, "the seed has more policies than one default page");
    const first = await s.call("GET", `${dm}/configurationPolicies`);
    assert.equal(first.body.value.length, 25);
    assert.match(first.body["@odata.nextLink"], /\$skiptoken=/);
    const big = await s.call("GET", `${dm}/configurationPolicies?$top=1000&$expand=assignments`);
    assert.equal(big.body.value.length, all.length);
    assert.equal(big.body["@odata.nextLink"], undefined);
    const assigned = big.body.value.find((p: { assignments: unknown[] }) => p.assignments.length > 0);
    assert.ok(assigned, "some policy is assigned");
    const byId = await s.call("GET", `${dm}/configurationPolicies/${assigned.id}?$expand=assignments`);
    assert.deepEqual(byId.body.assignments, [], "expanded by id, the service answers no assignments");
    const own = await s.call("GET", `${dm}/configurationPolicies/${assigned.id}/assignments`);
    assert.equal(own.body.value.length, assigned.assignments.length);
  });

  it("refuses a $top above 200 on the Windows update profiles with the OData limit message", async () => {
    const refused = await s.call("GET", `${dm}/windowsFeatureUpdateProfiles?$top=1000`);
    assert.equal(refused.status, 400);
    assert.equal(
      refused.body.error.message.split(" - ")[0],
      "The limit of '200' for Top query has been exceeded. The value from the incoming request is '1000'.",
    );
    assert.equal((await s.call("GET", `${dm}/windowsFeatureUpdateProfiles?$top=200`)).status, 200);
    assert.equal((await s.call("GET", `${dm}/windowsQualityUpdateProfiles?$expand=assignments`)).status, 400);
  });

  it("pages groups 100 by default, honours $top=999 and refuses 1000 as the directory does", async () => {
    const groups = (await s.t.control("GET", `/tenants/${s.t.info.tenantId}/objects/group`)).body as unknown[];
    assert.ok(groups.length > 100);
    assert.equal((await s.call("GET", "/v1.0/groups")).body.value.length, 100);
    const all = await s.call("GET", "/v1.0/groups?$top=999");
    assert.equal(all.body.value.length, Math.min(999, groups.length));
    const refused = await s.call("GET", "/v1.0/groups?$top=1000");
    assert.equal(refused.status, 400);
    assert.match(
      refused.body.error.message,
      /Invalid page size specified: '1000'. Must be between 1 and 999 inclusive/,
    );
    assert.equal(refused.body.error.code, "Request_UnsupportedQuery");
  });

  it("caps an Intune $top above the collection's maximum instead of refusing it", async () => {
    await s.t.control("PUT", "/paging", { maxPageSize: 3 });
    const page = await s.call("GET", `${dm}/deviceConfigurations?$top=50`);
    assert.equal(page.status, 200);
    assert.equal(page.body.value.length, 3);
    assert.ok(page.body["@odata.nextLink"]);
  });

  it("leaves a reusable setting's instance out of the list and serves it by id", async () => {
    const made = await s.call("POST", `${dm}/reusablePolicySettings`, {
      displayName: "Blocked USB vendors",
      description: "",
      settingDefinitionId: "device_vendor_msft_defender_configuration_devicecontrol_policygroups_{groupid}",
      settingInstance: {
        "@odata.type": "#microsoft.graph.deviceManagementConfigurationGroupSettingCollectionInstance",
        settingDefinitionId: "device_vendor_msft_defender_configuration_devicecontrol_policygroups_{groupid}",
        groupSettingCollectionValue: [],
      },
    });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    const listed = (await s.call("GET", `${dm}/reusablePolicySettings`)).body.value.find(
      (r: { id: string }) => r.id === made.body.id,
    );
    assert.equal(listed.settingInstance, undefined);
    const one = await s.call("GET", `${dm}/reusablePolicySettings/${made.body.id}`);
    assert.ok(one.body.settingInstance);
  });

  it("expands applications' federated credentials on the list, at most 100 applications a page", async () => {
    await s.t.control("PUT", "/paging", { defaultPageSize: null });
    const list = await s.call("GET", "/v1.0/applications?$top=999&$expand=federatedIdentityCredentials");
    assert.equal(list.status, 200);
    assert.ok(list.body.value.length > 0);
    assert.ok(list.body.value.length <= 100);
    for (const app of list.body.value) assert.ok(Array.isArray(app.federatedIdentityCredentials));
  });

  it("leaves an app's scope tags out of the list and expands its categories by id as the linked categories", async () => {
    const app = await s.call("POST", "/beta/deviceAppManagement/mobileApps", {
      "@odata.type": "#microsoft.graph.webApp",
      displayName: "Expenses portal",
      appUrl: "https://expenses.contoso.com",
      publisher: "Contoso",
      useManagedBrowser: false,
      roleScopeTagIds: ["0"],
    });
    assert.equal(app.status, 201, JSON.stringify(app.body));
    const [category] = (await s.call("GET", "/beta/deviceAppManagement/mobileAppCategories")).body.value;
    const link = await s.call("POST", `/beta/deviceAppManagement/mobileApps/${app.body.id}/categories/$ref`, {
      "@odata.id": `${s.t.info.graphUrl}/beta/deviceAppManagement/mobileAppCategories/${category.id}`,
    });
    assert.equal(link.status, 204);
    const listed = (
      await s.call("GET", "/beta/deviceAppManagement/mobileApps?$filter=isof('microsoft.graph.webApp')")
    ).body.value.find((a: { id: string }) => a.id === app.body.id);
    assert.equal(listed.roleScopeTagIds, undefined);
    const one = await s.call(
      "GET",
      `/beta/deviceAppManagement/mobileApps/${app.body.id}?$expand=categories,assignments`,
    );
    assert.deepEqual(one.body.roleScopeTagIds, ["0"]);
    assert.deepEqual(
      one.body.categories.map((c: { id: string; displayName: string }) => [c.id, c.displayName]),
      [[category.id, category.displayName]],
    );
    assert.deepEqual(one.body.assignments, []);
  });
});
