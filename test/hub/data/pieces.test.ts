/**
 * The hub data layer's pure pieces, without a service: the zip reader on archives made by another
 * implementation (stored and deflated entries), plan.json → the plan view (secrets never carried,
 * gates and their confirmations), the step mapping of a run that failed at sign-in, and the messages
 * of REST failures.
 */
import "./self";
import assert from "node:assert/strict";
import AdmZip from "adm-zip";
import { failureMessage } from "../../../hub/data/errors";
import { planViewOf } from "../../../hub/data/plan-view";
import { stepsOf } from "../../../hub/data/steps";
import { readZip, readZipText } from "../../../hub/data/zip";

describe("hub data: zip reader", () => {
  it("reads stored and deflated entries, skipping folders", async () => {
    const zip = new AdmZip();
    const big = "plan ".repeat(2000);
    zip.addFile("art/", Buffer.alloc(0));
    zip.addFile("art/plan.json", Buffer.from(big));
    zip.addFile("art/tiny.txt", Buffer.from("é"));
    zip.getEntry("art/tiny.txt")!.header.method = 0;
    const bytes = zip.toBuffer();
    assert.deepEqual(
      readZip(bytes).map((e) => e.name),
      ["art/plan.json", "art/tiny.txt"],
    );
    assert.equal(await readZipText(bytes, "/plan.json"), big);
    assert.equal(await readZipText(bytes, "/tiny.txt"), "é");
    assert.equal(await readZipText(bytes, "/missing.json"), undefined);
  });

  it("refuses what is not a zip, saying to download again", () => {
    assert.throws(() => readZip(Buffer.from("<html>sign in</html>")), /not a readable zip file.*download it again/);
  });
});

describe("hub data: plan view", () => {
  const plan = {
    formatVersion: 1,
    digest: "sha256:ab",
    changes: [
      {
        address: 'entra.group["Admins"]',
        type: "entra.group",
        name: "Admins",
        action: "update",
        fields: [{ path: "/description", before: "a", after: "b" }],
      },
      {
        address: 'intune.script["Boot"]',
        type: "intune.script",
        name: "Boot",
        action: "update",
        fields: [
          { path: "/settings/key", before: { $secret: "/settings/key" }, after: { $secret: "/x", sha256: "c" } },
        ],
      },
      { address: 'entra.group["Old"]', type: "entra.group", name: "Old", action: "delete", fields: [] },
    ],
    findings: [
      { kind: "delete", confirm: "deletes", addresses: ['entra.group["Old"]'], message: "Deletes entra.group Old." },
      { kind: "secret", confirm: "secrets", addresses: ['intune.script["Boot"]'], message: "Secret changes." },
    ],
  };

  it("shows fields before → after by pointer, never a secret's values, and the gates' confirmations", () => {
    const view = planViewOf(JSON.stringify(plan), { templateParameters: { confirmDeletes: "true" } });
    assert.deepEqual(view.counts, { add: 0, change: 2, delete: 1 });
    assert.deepEqual(view.countsByType["entra.group"], { add: 0, change: 1, delete: 1 });
    assert.deepEqual(view.changes[0].fields, [{ pointer: "/description", before: "a", after: "b" }]);
    assert.deepEqual(view.changes[1].fields, [{ pointer: "/settings/key", secret: true }]);
    assert.ok(!JSON.stringify(view).includes('sha256":"c'));
    assert.deepEqual(
      view.gates.map((g) => [g.gate, g.confirmed]),
      [
        ["deletes", true],
        ["secrets", false],
      ],
    );
    assert.equal(view.blocked, false);
  });

  it("counts a write left to a person as neither a gate nor a block, and any other unconfirmable finding as a block", () => {
    const refused = {
      kind: "refusedWrite",
      addresses: ['intune.vppToken["Oslo"]'],
      message: "Not deployed.",
      refused: { action: "create", why: "Uploaded from Apple's file.", instead: "Upload it.", fields: [] },
    };
    const withRefused = planViewOf(JSON.stringify({ ...plan, findings: [...plan.findings, refused] }), {});
    assert.equal(withRefused.blocked, false);
    assert.equal(withRefused.gates.length, 2);
    const missing = { kind: "missingReference", addresses: ['entra.group["Admins"]'], message: "Refers to nothing." };
    assert.equal(planViewOf(JSON.stringify({ ...plan, findings: [missing] }), {}).blocked, true);
  });

  it("refuses another format, saying what to do", () => {
    assert.throws(() => planViewOf(JSON.stringify({ ...plan, formatVersion: 2 })), /format 2.*update the Tenant Sync/);
  });
});

describe("hub data: steps", () => {
  it("fails Authenticate (with the task's error) and skips what follows when sign-in failed", () => {
    const timeline = [
      { id: "s1", type: "Stage", identifier: "Backup", state: 2, result: 2 },
      { id: "j1", parentId: "s1", type: "Job", state: 2, result: 2 },
      {
        id: "t1",
        parentId: "j1",
        type: "Task",
        identifier: "backup",
        state: 2,
        result: 2,
        issues: [{ type: 1, message: "Could not sign in." }],
      },
      { id: "s2", type: "Stage", identifier: "Plan", state: 2, result: 4 },
      { id: "s3", type: "Stage", identifier: "Deploy", state: 2, result: 4 },
    ];
    const steps = stepsOf(
      timeline,
      { error: { code: "auth.failed", message: "x", step: "authenticate" }, step: "authenticate" },
      true,
    );
    assert.deepEqual(
      steps.map((s) => s.state),
      ["failed", "skipped", "skipped", "skipped", "skipped", "skipped", "skipped"],
    );
    assert.deepEqual(steps[0].issues, [{ type: "error", message: "Could not sign in." }]);
    assert.equal(steps[0].jobRecordId, "j1");
    assert.equal(steps[0].taskRecordId, "t1");
  });
});

describe("hub data: failure messages", () => {
  const failure = (status: number, typeKey: string, message: string) =>
    Object.assign(new Error(message), { name: "TFS.WebApi.Exception", status, serverError: { typeKey, message } });

  it("says what failed, for which tenant, and what to do", () => {
    assert.equal(
      failureMessage(failure(409, "ApprovalAlreadyCompletedException", "Approval is already in completed state."), {
        action: "Rejecting",
        tenant: "contoso",
      }),
      "Rejecting contoso failed: the approval was already decided (by someone else, or it timed out): refresh to see the outcome.",
    );
    assert.equal(
      failureMessage(failure(401, "", "TF400813: not authorized"), { action: "Pausing the pipeline of", tenant: "a" }),
      "Pausing the pipeline of a failed: your sign-in to Azure DevOps was refused or expired: reload the page and try again.",
    );
    assert.match(
      failureMessage(Object.assign(new Error("x"), { name: "NetworkException" }), {
        action: "Reading the tenants' status",
      }),
      /could not be reached: check the connection/,
    );
  });
});
