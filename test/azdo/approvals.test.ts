/**
 * approvals — approvals the runner creates, decided over REST like the service: only an assigned
 * approver may decide, the run learns the decision through `decided`, and a pending approval times
 * out when the emulator's clock passes its timeout.
 */
import assert from "node:assert/strict";
import { startTestAzdoEmulator, type TestAzdoEmulator } from "../helpers/azdo-emulator";

describe("azdo emulator: approvals", function () {
  let t: TestAzdoEmulator;
  let approver: { accessToken: string; id: string; uniqueName: string };
  let stranger: string;
  const path = () => `${t.info.projectId}/_apis/pipelines/approvals`;

  before(async () => {
    t = await startTestAzdoEmulator();
    approver = (await t.control("POST", "/tokens", { name: "Ada Approver", expiresInSeconds: 30 * 86400 })).body;
    stranger = (await t.control("POST", "/tokens", { name: "Sam Stranger", expiresInSeconds: 30 * 86400 })).body
      .accessToken;
  });

  after(async () => {
    await t?.emulator.stop();
  });

  function pending(timeoutMinutes = 60, approvers?: { id: string; displayName: string; uniqueName: string }[]) {
    const created = t.emulator.store.builds.add(
      t.emulator.store.builds.findDefinition(t.emulator.defaultProject, "tenant-sync") ??
        t.emulator.store.builds.addDefinition(t.emulator.defaultProject, "tenant-sync", "\\", t.emulator.now()),
      {},
      t.emulator.now(),
    );
    const approval = t.emulator.store.approvals.create(
      {
        build: created,
        approvers: approvers ?? [{ id: approver.id, displayName: "Ada Approver", uniqueName: approver.uniqueName }],
        minRequiredApprovers: 1,
        instructions: "Check the plan",
        timeoutMinutes,
      },
      t.emulator.now(),
    );
    return { build: created, approval, decided: t.emulator.store.approvals.decided(approval.id) };
  }

  it("lists pending approvals with steps and the pipeline block (owner = the run)", async () => {
    const { build, approval } = pending();
    const res = await t.rest("GET", `${path()}?state=pending&$expand=steps&api-version=7.1-preview.1`, {
      token: approver.accessToken,
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const listed = res.body.value.find((a: { id: string }) => a.id === approval.id);
    assert.equal(listed.status, "pending");
    assert.equal(listed.instructions, "Check the plan");
    assert.equal(listed.pipeline.owner.id, build.id);
    assert.equal(listed.pipeline.owner.name, build.buildNumber);
    assert.equal(listed.pipeline.name, "tenant-sync");
    assert.equal(listed.steps[0].assignedApprover.id, approver.id);
    const ga = await t.rest("GET", `${path()}?api-version=7.1`, { token: approver.accessToken });
    assert.equal(ga.status, 400, "preview-only");
    assert.equal(ga.body.typeKey, "VssInvalidPreviewVersionException");
  });

  it("refuses a caller who is not an assigned approver and leaves the approval pending", async () => {
    const { approval } = pending();
    const res = await t.rest("PATCH", `${path()}?api-version=7.1-preview.1`, {
      token: stranger,
      body: [{ approvalId: approval.id, status: "approved", comment: "me too" }],
    });
    assert.equal(res.status, 500);
    assert.equal(res.body.typeKey, "ApprovalUnauthorizedException");
    assert.match(res.body.message, /is not permitted to complete approval/);
    assert.equal(t.emulator.store.approvals.find(approval.id)!.status, "pending");
  });

  it("records the approver's decision and tells the run", async () => {
    const { approval, decided } = pending();
    const res = await t.rest("PATCH", `${path()}?api-version=7.1-preview.1`, {
      token: approver.accessToken,
      body: [{ approvalId: approval.id, status: "rejected", comment: "not today" }],
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const [updated] = res.body.value;
    assert.equal(updated.status, "rejected");
    assert.equal(updated.steps[0].actualApprover.id, approver.id);
    assert.equal(updated.steps[0].comment, "not today");
    assert.equal(await decided, "rejected");
    const again = await t.rest("PATCH", `${path()}?api-version=7.1-preview.1`, {
      token: approver.accessToken,
      body: [{ approvalId: approval.id, status: "approved" }],
    });
    assert.equal(again.status, 409);
    const one = await t.rest("GET", `${path()}/${approval.id}?$expand=steps&api-version=7.1-preview.1`, {
      token: approver.accessToken,
    });
    assert.equal(one.body.status, "rejected");
  });

  it("lets a member of an approver group decide for it, and says so in the caller's permissions; others may not", async () => {
    const group = (
      await t.control("POST", "/groups", { name: "Tenant Sync approvers", scope: "TenantSync", members: [approver.id] })
    ).body as { id: string; uniqueName: string; displayName: string };
    assert.equal(group.uniqueName, "[TenantSync]\\Tenant Sync approvers");
    const unknown = await t.control("POST", "/groups", { name: "Ghosts", members: ["nobody@example.com"] });
    assert.equal(unknown.status, 400);
    assert.match(unknown.body.message, /No identity nobody@example\.com/);

    const { approval, decided } = pending(60, [group]);
    const read = (token: string) =>
      t.rest("GET", `${path()}/${approval.id}?$expand=steps,permissions&api-version=7.1-preview.1`, { token });
    assert.equal((await read(approver.accessToken)).body.permissions, "view, update");
    assert.equal((await read(stranger)).body.permissions, "view");
    const refused = await t.rest("PATCH", `${path()}?api-version=7.1-preview.1`, {
      token: stranger,
      body: [{ approvalId: approval.id, status: "approved" }],
    });
    assert.equal(refused.body.typeKey, "ApprovalUnauthorizedException");
    const res = await t.rest("PATCH", `${path()}?api-version=7.1-preview.1`, {
      token: approver.accessToken,
      body: [{ approvalId: approval.id, status: "approved", comment: "for the group" }],
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.value[0].steps[0].assignedApprover.id, group.id);
    assert.equal(res.body.value[0].steps[0].actualApprover.id, approver.id);
    assert.equal(await decided, "approved");
  });

  it("finds people and groups through the identities API, by sign-in name, display name or group name", async () => {
    const search = (filter: string, value: string) =>
      t.rest(
        "GET",
        `_apis/identities?searchFilter=${filter}&filterValue=${encodeURIComponent(value)}&queryMembership=None&api-version=7.1`,
        { token: approver.accessToken },
      );
    const byMail = await search("General", approver.uniqueName);
    assert.equal(byMail.status, 200, JSON.stringify(byMail.body));
    assert.deepEqual(
      byMail.body.value.map((i: { id: string; properties: { Account: { $value: string } } }) => [
        i.id,
        i.properties.Account.$value,
      ]),
      [[approver.id, approver.uniqueName]],
    );
    const byName = await search("DisplayName", "Ada Approver");
    assert.equal(byName.body.value[0].id, approver.id);
    const group = await search("General", "Tenant Sync approvers");
    assert.equal(group.body.count, 1);
    assert.equal(group.body.value[0].isContainer, true);
    assert.equal(group.body.value[0].properties.SchemaClassName.$value, "Group");
    assert.equal((await search("General", "nobody@example.com")).body.count, 0);
    const bad = await search("Everything", "x");
    assert.equal(bad.status, 400);
    assert.match(bad.body.message, /searchFilter: use one of General, AccountName, DisplayName, MailAddress/);
  });

  it("times out a pending approval when the emulator's clock passes its timeout", async () => {
    const { approval, decided } = pending(30);
    t.emulator.clock.advance(29 * 60_000);
    assert.equal(t.emulator.store.approvals.find(approval.id)!.status, "pending");
    t.emulator.clock.advance(60_000);
    assert.equal(await decided, "timedOut");
    const res = await t.rest("GET", `${path()}?state=timedOut&api-version=7.1-preview.1`, {
      token: approver.accessToken,
    });
    assert.ok(res.body.value.some((a: { id: string }) => a.id === approval.id));
  });
});
