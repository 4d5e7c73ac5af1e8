/**
 * detail-model.test — per status, which actions a tenant's detail offers and whether each is enabled
 * (only an assigned approver approves; an expired code cannot be copied; a paused pipeline offers
 * Resume), the job link, the hints, and the run detail's step marks and history bars.
 */
import assert from "node:assert/strict";
import { approversText, detailActions, hintFor, jobLink } from "../../../hub/views/detail-model";
import { historyBars, stepDuration, stepMarks } from "../../../hub/views/steps-model";
import type { StepState } from "../../../hub/data/model";
import { detailOf, rows, run } from "./fixtures";

const shape = (list: ReturnType<typeof detailActions>) => list.map((a) => `${a.id}${a.enabled ? "" : "(off)"}`);

describe("hub views: detail model", () => {
  const expected: [keyof typeof rows, boolean, string[]][] = [
    ["notRun", false, ["runNow", "pause"]],
    ["idle", false, ["runNow", "pause"]],
    ["starting", false, ["runNow", "pause"]],
    ["inProgress", false, ["runNow", "pause"]],
    [
      "newError",
      false,
      ["copyError", "viewJob", "downloadLogs", "downloadArtifact", "downloadArtifact", "runNow", "pause"],
    ],
    ["pendingAuthentication", false, ["copyCode", "openVerification", "runNow", "pause"]],
    ["pendingApproval", false, ["approve(off)", "reject(off)", "rejectAndRevert(off)", "runNow", "pause"]],
    ["pendingApproval", true, ["approve", "reject", "rejectAndRevert", "runNow", "pause"]],
    [
      "partiallySuccessful",
      false,
      ["viewJob", "downloadLogs", "downloadArtifact", "downloadArtifact", "runNow", "pause"],
    ],
    ["pendingAdminConsent", false, ["grantConsent", "runNow", "pause"]],
    ["paused", false, ["runNow(off)", "resume"]],
  ];
  for (const [fixture, canApprove, actions] of expected)
    it(`${fixture}${canApprove ? " (approver)" : ""} offers ${actions.join(", ")}`, () =>
      assert.deepEqual(shape(detailActions(rows[fixture], detailOf(rows[fixture], { canApprove }))), actions));

  it("says who may approve to someone who may not", () => {
    const detail = detailOf(rows.pendingApproval, { approvers: ["Bea Approver"] });
    const approve = detailActions(rows.pendingApproval, detail).find((a) => a.id === "approve")!;
    assert.equal(approve.reason, "Bea Approver may approve.");
    const fromStatus = detailActions(rows.pendingApproval, detailOf(rows.pendingApproval)).find(
      (a) => a.id === "reject",
    )!;
    assert.equal(fromStatus.reason, "Bea Approver and Carl Approver may approve.");
    assert.equal(approversText(["A", "B", "C"]), "A, B and C may approve.");
  });

  it("links View job to the failing job and task of the run's log", () => {
    const view = detailActions(rows.newError, detailOf(rows.newError)).find((a) => a.id === "viewJob")!;
    assert.equal(
      view.href,
      "https://devops.example.test/contoso-org/Infra/_build/results?buildId=104&view=logs&j=11111111-aaaa-4bbb-8ccc-000000000001&t=22222222-aaaa-4bbb-8ccc-000000000002",
    );
    assert.equal(
      jobLink("https://x.test/o/p/_build/results?buildId=5"),
      "https://x.test/o/p/_build/results?buildId=5&view=logs",
    );
  });

  it("falls back to the failing step's job when the error fact has no record ids", () => {
    const r = { ...rows.newError, status: { ...rows.newError.status, detail: { error: { code: "x", message: "m" } } } };
    const view = detailActions(r, detailOf(r)).find((a) => a.id === "viewJob")!;
    assert.match(view.href!, /&j=job-1&t=task-1$/);
  });

  it("disables the code's actions once it expired", () => {
    const code = { ...rows.pendingAuthentication.status.detail.deviceCode!, expired: true };
    const r = {
      ...rows.pendingAuthentication,
      status: { ...rows.pendingAuthentication.status, detail: { deviceCode: code } },
    };
    const list = detailActions(r, undefined);
    assert.deepEqual(shape(list).slice(0, 2), ["copyCode(off)", "openVerification(off)"]);
    assert.match(list[0].reason!, /expired/);
  });

  const hints: [string, string, RegExp][] = [
    ["auth.failed", "AADSTS7000222: The provided client secret keys are expired.", /renew it/],
    ["graph.failed", "403 Forbidden", /grant the permission/],
    ["graph.throttled", "Service unavailable after 5 retries", /run the sync again later/i],
    ["deploy.failed", "Something else", /open the job's log/i],
  ];
  for (const [code, message, hint] of hints)
    it(`hints ${code}: ${message}`, () => assert.match(hintFor({ code, message }), hint));
  it("keeps the hint the run published", () =>
    assert.equal(hintFor({ code: "x", message: "y", hint: "Do z." }), "Do z."));

  it("marks every step state with an icon and a word", () => {
    const states: StepState[] = ["done", "failed", "running", "waiting", "skipped", "notStarted"];
    assert.deepEqual(
      states.map((s) => stepMarks[s].text),
      ["Done", "Failed", "Running", "Waiting", "Skipped", "Not started"],
    );
    assert.equal(new Set(states.map((s) => stepMarks[s].icon)).size, states.length);
    assert.equal(
      stepDuration({
        name: "Plan",
        state: "done",
        startTime: "2024-05-01T09:00:00Z",
        finishTime: "2024-05-01T09:01:05Z",
        issues: [],
      }),
      "1 min 05 s",
    );
    assert.equal(stepDuration({ name: "Plan", state: "running", startTime: "2024-05-01T09:00:00Z", issues: [] }), "");
  });

  it("draws history bars oldest first, height by changes, outcome in the label", () => {
    const bars = historyBars(
      [
        { run: run(3, { status: "inProgress", result: undefined }), changes: 0 },
        { run: run(2, { result: "failed" }), changes: 5 },
        { run: run(1), changes: 10 },
      ],
      { width: 100, height: 50, gap: 5 },
    );
    assert.deepEqual(
      bars.map((b) => [b.runId, b.x, b.height, b.y, b.outcome]),
      [
        [1, 0, 50, 0, "succeeded"],
        [2, 35, 25, 25, "failed"],
        [3, 70, 2, 48, "running"],
      ],
    );
    assert.equal(bars[1].label, "Run 20240501.2: Failed, 5 changes");
    assert.deepEqual(historyBars([], { width: 10, height: 10 }), []);
  });
});
