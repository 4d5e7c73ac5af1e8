/**
 * intune-partners — the local Graph answers Intune's partner connectors (compliance management,
 * device management and remote assistance partners) and the managed Google Play settings as the service
 * does: one connector per partner, the connection's and the binding's state kept by the service.
 */
import assert from "node:assert/strict";
import { type GraphSession, startGraphSession } from "./graph-session";

const dm = "/beta/deviceManagement";

describe("Graph emulator: Intune partner connectors", () => {
  let s: GraphSession;
  // Another group than the one the demo tenant's partners enrol, so the assignments are the ones sent.
  let groupId: string;
  before(async () => {
    s = await startGraphSession({ throttle: { mode: "off" } });
    const finance = await s.call("GET", "/v1.0/groups?$filter=displayName eq 'Finance users'");
    groupId = finance.body.value[0].id;
  });
  after(async () => s?.t.emulator.stop());

  const enrolling = () => [{ target: { "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupId } }];

  it("lists the demo tenant's connected partners with their state and enrolment groups", async () => {
    const compliance = await s.call("GET", `${dm}/complianceManagementPartners`);
    assert.equal(compliance.status, 200);
    const partner = compliance.body.value[0];
    assert.equal(partner.partnerState, "enabled");
    assert.equal(partner.iosOnboarded, true);
    assert.ok(partner.iosEnrollmentAssignments[0].target.groupId);
    const jamf = (await s.call("GET", `${dm}/deviceManagementPartners`)).body.value[0];
    assert.equal(jamf.isConfigured, true);
    assert.equal(jamf.groupsRequiringPartnerEnrollment.length, 1);
    const remote = (await s.call("GET", `${dm}/remoteAssistancePartners`)).body.value[0];
    assert.equal(remote.onboardingStatus, "onboarded");
  });

  it("creates a compliance partner not yet connected, once per partner, and refuses its state", async () => {
    const path = `${dm}/complianceManagementPartners`;
    assert.equal((await s.call("POST", path, { androidOnboarded: true })).status, 400);
    const created = await s.call("POST", path, {
      displayName: "MobileIron device compliance",
      androidOnboarded: true,
      androidEnrollmentAssignments: enrolling(),
    });
    assert.equal(created.status, 201);
    assert.equal(created.body.partnerState, "unknown");
    assert.equal(created.body.lastHeartbeatDateTime, "0001-01-01T00:00:00Z");
    assert.deepEqual(created.body.androidEnrollmentAssignments[0].target.groupId, groupId);
    const again = await s.call("POST", path, { displayName: "mobileiron device compliance" });
    assert.equal(again.status, 400);
    assert.match(again.body.error.message, /already exists/);
    const state = await s.call("PATCH", `${path}/${created.body.id}`, { partnerState: "enabled" });
    assert.equal(state.status, 400);
    const patched = await s.call("PATCH", `${path}/${created.body.id}`, { iosOnboarded: true });
    assert.equal(patched.status, 200);
    assert.equal(patched.body.iosOnboarded, true);
    assert.equal((await s.call("DELETE", `${path}/${created.body.id}`)).status, 204);
    assert.equal((await s.call("GET", `${path}/${created.body.id}`)).status, 404);
  });

  it("checks a device management partner's app type and needs the app id of a single-tenant app", async () => {
    const path = `${dm}/deviceManagementPartners`;
    assert.equal((await s.call("POST", path, { displayName: "Kandji", partnerAppType: "sometimes" })).status, 400);
    const noApp = await s.call("POST", path, { displayName: "Kandji", partnerAppType: "singleTenantApp" });
    assert.equal(noApp.status, 400);
    assert.match(noApp.body.error.message, /singleTenantAppId/);
    const created = await s.call("POST", path, {
      displayName: "Kandji",
      partnerAppType: "multiTenantApp",
      groupsRequiringPartnerEnrollment: enrolling(),
    });
    assert.equal(created.status, 201);
    assert.equal(created.body.isConfigured, false);
    assert.equal(created.body.partnerState, "unknown");
    const toSingle = await s.call("PATCH", `${path}/${created.body.id}`, { partnerAppType: "singleTenantApp" });
    assert.equal(toSingle.status, 400);
    assert.equal((await s.call("PATCH", `${path}/${created.body.id}`, { isConfigured: true })).status, 400);
  });

  it("creates a remote assistance partner not onboarded and keeps its onboarding status to the service", async () => {
    const path = `${dm}/remoteAssistancePartners`;
    const created = await s.call("POST", path, {
      displayName: "Remote support",
      onboardingUrl: "https://support.contoso.com/onboard",
    });
    assert.equal(created.status, 201);
    assert.equal(created.body.onboardingStatus, "notOnboarded");
    const status = await s.call("PATCH", `${path}/${created.body.id}`, { onboardingStatus: "onboarded" });
    assert.equal(status.status, 400);
    const url = await s.call("PATCH", `${path}/${created.body.id}`, { onboardingUrl: "https://support.contoso.com/" });
    assert.equal(url.status, 200);
    assert.equal(url.body.onboardingUrl, "https://support.contoso.com/");
  });

  it("changes who may enrol through managed Google Play, never the binding, and answers the object", async () => {
    const path = `${dm}/androidManagedStoreAccountEnterpriseSettings`;
    const before = await s.call("GET", path);
    assert.equal(before.status, 200);
    assert.equal(before.body.bindStatus, "boundAndValidated");
    assert.equal(before.body.enrollmentTarget, "targeted");
    assert.equal((await s.call("PATCH", path, { bindStatus: "notBound" })).status, 400);
    assert.equal((await s.call("PATCH", path, { enrollmentTarget: "everyone" })).status, 400);
    const patched = await s.call("PATCH", path, { targetGroupIds: [groupId] });
    assert.equal(patched.status, 200);
    assert.deepEqual(patched.body.targetGroupIds, [groupId]);
    assert.equal((await s.call("POST", path, {})).status, 405);
  });
});
