/**
 * intune-tokens — the local Graph answers what an admin uploads from Apple as the service does: the MDM
 * push certificate (metadata read, the upload state the service's) and the VPP tokens, made from
 * Apple's token file (organization, location and expiry read from it, the token never given back, a
 * second token of a location marked duplicate), their settings changed with PATCH; and the enrollment
 * program (DEP) tokens, whose Apple side and sync state are the service's; and the tenant-wide Intune
 * settings, read at deviceManagement/settings and written by a PATCH of deviceManagement.
 */
import assert from "node:assert/strict";
import { type GraphSession, startGraphSession } from "./graph-session";

const tokens = "/beta/deviceAppManagement/vppTokens";
const apns = "/beta/deviceManagement/applePushNotificationCertificate";
const dep = "/beta/deviceManagement/depOnboardingSettings";

/** A token file as Apple Business Manager gives it: base64 of a JSON document. */
const tokenFile = (orgName: string, expDate: string) =>
  Buffer.from(JSON.stringify({ token: "b3BhcXVlLXRva2Vu", expDate, orgName })).toString("base64");

describe("Graph emulator: Apple push certificate and VPP tokens", () => {
  let s: GraphSession;
  before(async () => {
    s = await startGraphSession({ throttle: { mode: "off" } });
  });
  after(async () => s?.t.emulator.stop());

  it("serves the demo tenant's push certificate, its Apple-made properties read-only", async () => {
    const got = await s.call("GET", apns);
    assert.equal(got.status, 200);
    assert.equal(got.body.appleIdentifier, "it-apple@contoso.com");
    assert.match(got.body.topicIdentifier, /^com\.apple\.mgmt\.External\.[0-9a-f-]{36}$/);
    assert.ok(Date.parse(got.body.expirationDateTime) > Date.parse(got.body.lastModifiedDateTime));
    const expiry = await s.call("PATCH", apns, { expirationDateTime: "2030-01-01T00:00:00Z" });
    assert.equal(expiry.status, 400);
    const patched = await s.call("PATCH", apns, { appleIdentifier: "apple-mdm@contoso.com" });
    assert.equal(patched.status, 200);
    assert.equal(patched.body.appleIdentifier, "apple-mdm@contoso.com");
    assert.equal(patched.body.topicIdentifier, got.body.topicIdentifier);
  });

  it("lists the demo tenant's VPP locations after their sync, without the tokens", async () => {
    const list = await s.call("GET", tokens);
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.value.map((t: { locationName: string }) => t.locationName).sort(), [
      "Contoso Ltd - London",
      "Contoso Ltd - Redmond",
    ]);
    for (const t of list.body.value) {
      assert.equal(t.token, null);
      assert.equal(t.state, "valid");
      assert.equal(t.lastSyncStatus, "completed");
    }
  });

  it("makes a token from Apple's file, refuses anything else, and marks a second one of a location duplicate", async () => {
    assert.equal((await s.call("POST", tokens, { displayName: "No file" })).status, 400);
    const notApple = await s.call("POST", tokens, { token: Buffer.from("not json").toString("base64") });
    assert.equal(notApple.status, 400);
    assert.match(notApple.body.error.message, /token file downloaded from Apple Business Manager/);
    const created = await s.call("POST", tokens, {
      token: tokenFile("Fabrikam Oslo", "2027-02-01T10:00:00+0000"),
      appleId: "abm@fabrikam.com",
      countryOrRegion: "no",
    });
    assert.equal(created.status, 201);
    assert.equal(created.body.token, null);
    assert.equal(created.body.organizationName, "Fabrikam Oslo");
    assert.equal(created.body.locationName, "Fabrikam Oslo");
    assert.equal(created.body.expirationDateTime, "2027-02-01T10:00:00.000Z");
    assert.equal(created.body.state, "valid");
    assert.equal(created.body.lastSyncStatus, "none");
    const second = await s.call("POST", tokens, { token: tokenFile("Fabrikam Oslo", "2027-03-01T10:00:00+0000") });
    assert.equal(second.status, 201);
    assert.equal(second.body.state, "duplicateLocationId");
    for (const id of [created.body.id, second.body.id])
      assert.equal((await s.call("DELETE", `${tokens}/${id}`)).status, 204);
  });

  it("changes a token's settings, refuses what Apple says of it, and renews it from a new file", async () => {
    const [token] = (await s.call("GET", tokens)).body.value;
    const state = await s.call("PATCH", `${tokens}/${token.id}`, { state: "expired" });
    assert.equal(state.status, 400);
    const location = await s.call("PATCH", `${tokens}/${token.id}`, { locationName: "Elsewhere" });
    assert.equal(location.status, 400);
    const patched = await s.call("PATCH", `${tokens}/${token.id}`, {
      automaticallyUpdateApps: !token.automaticallyUpdateApps,
      displayName: "Renamed",
    });
    assert.equal(patched.status, 200);
    assert.equal(patched.body.automaticallyUpdateApps, !token.automaticallyUpdateApps);
    assert.equal(patched.body.displayName, "Renamed");
    const renewed = await s.call("PATCH", `${tokens}/${token.id}`, {
      token: tokenFile(token.locationName, "2028-01-01T00:00:00+0000"),
    });
    assert.equal(renewed.status, 200);
    assert.equal(renewed.body.expirationDateTime, "2028-01-01T00:00:00.000Z");
    assert.equal(renewed.body.state, "valid", "a renewal of the same token is no duplicate");
    assert.equal(renewed.body.token, null);
  });

  it("lists the demo tenant's enrollment program token as synced, and changes only its name, consent and scope tags", async () => {
    const [token] = (await s.call("GET", dep)).body.value;
    assert.equal(token.tokenName, "Contoso ABM");
    assert.equal(token.tokenType, "dep");
    assert.equal(token.syncedDeviceCount, 42);
    for (const readOnly of [{ tokenType: "appleSchoolManager" }, { shareTokenWithSchoolDataSyncService: true }])
      assert.equal((await s.call("PATCH", `${dep}/${token.id}`, readOnly)).status, 400, JSON.stringify(readOnly));
    const patched = await s.call("PATCH", `${dep}/${token.id}`, { tokenName: "Contoso ABM (Redmond)" });
    assert.equal(patched.status, 200);
    assert.equal(patched.body.tokenName, "Contoso ABM (Redmond)");
    assert.equal(patched.body.syncedDeviceCount, 42);
  });

  it("makes an enrollment program token not onboarded until Apple's side is uploaded", async () => {
    assert.equal((await s.call("POST", dep, {})).status, 400);
    const created = await s.call("POST", dep, { tokenName: "Fabrikam ASM" });
    assert.equal(created.status, 201);
    assert.equal(created.body.tokenType, "none");
    assert.equal(created.body.appleIdentifier, null);
    assert.equal(created.body.syncedDeviceCount, 0);
    assert.equal((await s.call("DELETE", `${dep}/${created.body.id}`)).status, 204);
  });

  it("reads the tenant-wide settings at deviceManagement/settings and writes them through deviceManagement", async () => {
    const got = await s.call("GET", "/beta/deviceManagement/settings");
    assert.equal(got.status, 200);
    assert.match(got.body["@odata.context"], /\$metadata#deviceManagement\/settings$/);
    assert.equal(got.body.secureByDefault, true);
    assert.equal(got.body.deviceComplianceCheckinThresholdDays, 14);
    const patched = await s.call("PATCH", "/beta/deviceManagement", { settings: { secureByDefault: false } });
    assert.equal(patched.status, 200);
    assert.equal(patched.body.settings.secureByDefault, false);
    assert.equal(patched.body.settings.deviceComplianceCheckinThresholdDays, 14, "the values not named are kept");
    assert.equal((await s.call("GET", "/beta/deviceManagement/settings")).body.secureByDefault, false);
    const other = await s.call("PATCH", "/beta/deviceManagement", { intuneAccountId: "x" });
    assert.equal(other.status, 400);
    assert.match(other.body.error.message, /only 'settings' can be changed/);
  });

  it("still answers a path below deviceManagement that no collection serves as unknown", async () => {
    const unknown = await s.call("GET", "/beta/deviceManagement/noSuchCollection");
    assert.equal(unknown.status, 404);
  });
});
