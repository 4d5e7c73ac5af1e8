/**
 * Tests of deriveTenantStatus over recorded REST payloads (test/testdata/runs/*.json): each file holds
 * what the hub's overview reads for one tenant — the definitions list with latest builds, the builds
 * list with the tasks' properties and tags, the approvals list — and, for some, the run's timeline.
 * Each row names the status and the details that matter for it.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  deriveTenantStatus,
  type TenantStatus,
  type TenantStatusInput,
  tenantStatusKinds,
  tenantStatusLabels,
  type TimelineRecordView,
} from "./derive";

const runsDir = join(__dirname, "..", "..", "..", "test", "testdata", "runs");

interface Recorded {
  now: string;
  definitions: {
    value: ({ latestBuild?: unknown; latestCompletedBuild?: unknown } & TenantStatusInput["definition"])[];
  };
  builds: { value: TenantStatusInput["runs"] };
  approvals: { value: TenantStatusInput["approvals"] };
  timeline?: { records: TimelineRecordView[] };
}

const recorded = (file: string): Recorded =>
  JSON.parse(readFileSync(join(runsDir, `${file}.json`), "utf8")) as Recorded;

/** The input as the hub composes it: the builds list first (it has the properties), then the definition's latest builds. */
function inputOf(file: string): TenantStatusInput {
  const data = recorded(file);
  const def = data.definitions.value[0]!;
  const latest = [def.latestBuild, def.latestCompletedBuild].filter(Boolean) as TenantStatusInput["runs"];
  return {
    definition: { id: def.id, name: def.name, path: def.path, queueStatus: def.queueStatus },
    runs: [...data.builds.value, ...latest],
    approvals: data.approvals.value,
    ...(data.timeline ? { timeline: data.timeline.records } : {}),
    now: Date.parse(data.now),
  };
}

const recordId = (file: string, name: string) => recorded(file).timeline!.records.find((r) => r.name === name)!.id;
const jobOf = (file: string, task: string) =>
  recorded(file).timeline!.records.find((r) => r.id === recordId(file, task))!.parentId!;

const withoutTimeline = ({ timeline: _, ...input }: TenantStatusInput): TenantStatusInput => input;
const withoutPropertyBags = (input: TenantStatusInput): TenantStatusInput => ({
  ...input,
  runs: input.runs.map((r) => ({ ...r, properties: {} })),
});
const withQueueStatus =
  (queueStatus: string) =>
  (input: TenantStatusInput): TenantStatusInput => ({ ...input, definition: { ...input.definition, queueStatus } });
/** Dates as the REST clients hand them over: Date objects instead of text. */
function withDates<T>(value: T): T {
  if (typeof value === "string" && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(value)) return new Date(value) as T;
  if (Array.isArray(value)) return value.map(withDates) as T;
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withDates(v)])) as T;
  return value;
}

type Want = { [K in keyof TenantStatus]?: unknown } & { details?: (keyof TenantStatus["detail"])[] };

/** The part of `actual` that `want` names: objects compared key by key, everything else as a whole. */
function projection(actual: unknown, want: unknown): unknown {
  if (!want || typeof want !== "object" || Array.isArray(want) || !actual || typeof actual !== "object") return actual;
  return Object.fromEntries(
    Object.keys(want).map((k) => [
      k,
      projection((actual as Record<string, unknown>)[k], (want as Record<string, unknown>)[k]),
    ]),
  );
}

const consent = {
  permissions: ["DeviceManagementConfiguration.Read.All", "Policy.Read.All"],
  consentUrl:
    "https://login.microsoftonline.com/2f7c1a3e-8b4d-4c6e-9a0f-1e3d5b7c9a2f/adminconsent?client_id=8e1f3a5c-7b9d-4e2f-a4c6-0b2d4f6a8c1e",
  skippedTypes: ["intune.compliancePolicy", "entra.conditionalAccessPolicy"],
};
const run318 = { id: 318, buildNumber: "20241203.1" };
const yesterday = { id: 311, buildNumber: "20241202.1", finishTime: "2024-12-02T03:09:41.000Z" };
const gateId = "2d6b1f0e-8a3c-4e5d-9f7a-1b2c3d4e5f60";
const planCounts = { add: 2, change: 1, delete: 0 };

const cases: Record<string, { file: string; change?: (input: TenantStatusInput) => TenantStatusInput; want: Want }> = {
  "a pipeline that never ran is Not run": {
    file: "never-run",
    want: {
      status: "notRun",
      label: "Not run",
      run: undefined,
      since: undefined,
      details: [],
      nextAction: { kind: "runSync" },
    },
  },
  "a succeeded sync is Idle since it finished, with its plan's counts": {
    file: "idle",
    want: {
      status: "idle",
      run: run318,
      since: "2024-12-03T03:31:12.000Z",
      duration: 31 * 60_000 + 4_000,
      lastSuccess: { ...run318, finishTime: "2024-12-03T03:31:12.000Z" },
      planCounts,
      paused: false,
      details: [],
      nextAction: { kind: "runSync" },
    },
  },
  "a queued run is Starting since its queue time, the last success known from the latest completed build": {
    file: "starting-queued",
    want: {
      status: "starting",
      run: run318,
      since: "2024-12-03T03:00:03.511Z",
      duration: 146_489,
      lastSuccess: yesterday,
      nextAction: { kind: "wait" },
    },
  },
  "an inProgress run whose job waits for an agent is Starting": {
    file: "starting-no-task",
    want: { status: "starting", since: "2024-12-03T03:00:03.511Z", details: [] },
  },
  "an inProgress run no Tenant Sync task marked is Starting without the timeline too": {
    file: "starting-no-task",
    change: withoutTimeline,
    want: { status: "starting", lastSuccess: yesterday },
  },
  "a running backup is In progress at the step its fact names": {
    file: "in-progress",
    want: {
      status: "inProgress",
      step: "backup",
      since: "2024-12-03T03:00:05.000Z",
      duration: 235_000,
      details: [],
      nextAction: { kind: "wait" },
    },
  },
  "without its properties a running run takes its step from the timeline's running stage": {
    file: "in-progress",
    change: withoutPropertyBags,
    want: { status: "inProgress", step: "backup" },
  },
  "a device code being waited for is Pending authentication since it was shown": {
    file: "pending-authentication",
    want: {
      status: "pendingAuthentication",
      step: "authenticate",
      since: "2024-12-03T03:00:34.000Z",
      detail: {
        deviceCode: {
          userCode: "HZ4K9Q2LW",
          verificationUri: "https://microsoft.com/devicelogin",
          expiresAt: "2024-12-03T03:15:34.000Z",
          expired: false,
        },
      },
      details: ["deviceCode"],
      nextAction: { kind: "enterCode" },
    },
  },
  "an expired device code on a running task stays Pending authentication, marked expired": {
    file: "pending-authentication-expired",
    want: {
      status: "pendingAuthentication",
      since: "2024-12-03T03:00:31.000Z",
      detail: { deviceCode: { expired: true } },
      nextAction: { kind: "wait" },
    },
  },
  "a sign-in that timed out and failed the run is New error": {
    file: "device-code-timeout-failed",
    want: {
      status: "newError",
      since: "2024-12-03T03:15:52.000Z",
      step: "authenticate",
      detail: { error: { code: "auth.deviceCodeTimeout", step: "authenticate", jobRecordId: undefined } },
      details: ["error"],
      nextAction: {
        kind: "fixError",
        text: "Run the pipeline again and sign in at https://microsoft.com/devicelogin within 15 minutes, or use a service connection with workload identity federation.",
      },
      needsTimeline: true,
    },
  },
  "a failed run left with its device code (numbers and /Date()/ on the wire) is New error with the expired code": {
    file: "device-code-left-failed",
    want: {
      status: "newError",
      since: "2024-12-03T04:00:09.000Z",
      detail: { error: { code: "auth.deviceCodeTimeout", step: "authenticate" }, deviceCode: { expired: true } },
      details: ["deviceCode", "error"],
    },
  },
  "a plan waiting at the gate is Pending approval since the approval was created": {
    file: "pending-approval",
    want: {
      status: "pendingApproval",
      run: run318,
      since: "2024-12-03T03:09:07.420Z",
      planCounts,
      planSummary: "2 to add, 1 to change, 0 to delete.",
      detail: {
        approval: {
          id: gateId,
          runId: 318,
          instructions: "Read the plan in the run's summary (Tenant Sync plan) before approving.",
          approvers: ["Megan Bowen", "Alex Wilber"],
          minRequired: 1,
          createdOn: "2024-12-03T03:09:07.420Z",
        },
      },
      details: ["approval"],
      nextAction: { kind: "approve" },
      queuedBehind: undefined,
    },
  },
  "dates as Date objects give the same times": {
    file: "pending-approval",
    change: withDates,
    want: {
      status: "pendingApproval",
      since: "2024-12-03T03:09:07.420Z",
      duration: 5 * 3600_000 + 29 * 60_000 + 55_000,
    },
  },
  "without the approvals list the timeline's waiting approval check still says Pending approval": {
    file: "pending-approval",
    change: (input) => ({ ...input, approvals: [] }),
    want: {
      status: "pendingApproval",
      since: "2024-12-03T03:09:07.000Z",
      detail: { approval: { id: gateId, runId: 318, approvers: [] } },
    },
  },
  "a paused pipeline still shows the approval it waits for": {
    file: "pending-approval",
    change: withQueueStatus("paused"),
    want: { status: "pendingApproval", paused: true, nextAction: { kind: "approve" } },
  },
  "an older run at the gate, known only from its approval, is Pending approval with the newer run queued behind": {
    file: "approval-queued-behind",
    want: {
      status: "pendingApproval",
      run: run318,
      since: "2024-12-03T03:09:07.420Z",
      queuedBehind: { id: 325, buildNumber: "20241204.1", status: "inProgress" },
      detail: { approval: { id: gateId, runId: 318, approvers: ["Megan Bowen"] } },
      lastSuccess: yesterday,
      nextAction: { kind: "approve" },
    },
  },
  "an older run at the gate given with its facts carries its plan's counts": {
    file: "approval-queued-behind",
    change: (input) => ({
      ...input,
      runs: [input.runs[0]!, ...inputOf("pending-approval").runs, ...input.runs.slice(1)],
    }),
    want: {
      status: "pendingApproval",
      run: run318,
      planCounts,
      queuedBehind: { id: 325, buildNumber: "20241204.1", status: "inProgress" },
    },
  },
  "a rejected plan is Idle, not an error, inferred from facts that end at a plan with changes": {
    file: "rejected",
    want: {
      status: "idle",
      since: "2024-12-03T10:12:44.000Z",
      planCounts,
      detail: { rejected: { evidence: "facts" } },
      details: ["rejected"],
      lastSuccess: undefined,
      nextAction: { kind: "runSync" },
      needsTimeline: true,
    },
  },
  "a rejected approval names who rejected it and why": {
    file: "rejected-with-approval",
    want: {
      status: "idle",
      detail: {
        rejected: {
          by: "Megan Bowen",
          comment: "Not before the change window on Friday.",
          at: "2024-12-03T10:12:40.118Z",
          evidence: "approval",
        },
      },
      details: ["rejected"],
      needsTimeline: false,
    },
  },
  "with only pending approvals, the timeline's failed approval check shows the rejection": {
    file: "rejected-with-approval",
    change: (input) => ({ ...input, approvals: [] }),
    want: { status: "idle", detail: { rejected: { at: "2024-12-03T10:12:41.000Z", evidence: "timeline" } } },
  },
  "a failed deploy is New error from its error fact, with the timeline's job and task": {
    file: "new-error",
    want: {
      status: "newError",
      since: "2024-12-03T10:14:02.000Z",
      step: "deploy",
      detail: {
        error: {
          code: "plan.stale",
          object: 'intune.compliancePolicy["Windows baseline"]',
          step: "deploy",
          hint: "Run the pipeline again to make a new plan from the tenant as it is now.",
          taskRecordId: recordId("new-error", "Deploy the plan to tenant contoso"),
          jobRecordId: jobOf("new-error", "Deploy the plan to tenant contoso"),
        },
      },
      details: ["error"],
      nextAction: { kind: "fixError" },
      needsTimeline: false,
    },
  },
  "a failed deploy without the timeline is New error asking for it": {
    file: "new-error",
    change: withoutTimeline,
    want: {
      status: "newError",
      detail: { error: { code: "plan.stale", taskRecordId: undefined } },
      needsTimeline: true,
    },
  },
  "without property bags a failure's text comes from the failed task's error issue (numbers on the wire)": {
    file: "failed-timeline-only",
    want: {
      status: "newError",
      detail: {
        error: {
          code: "pipeline.failed",
          message: "Could not push the backup-history branch: the build service may not contribute to tenant-contoso.",
          step: "backup",
          taskRecordId: recordId("failed-timeline-only", "Back up tenant contoso"),
          jobRecordId: jobOf("failed-timeline-only", "Back up tenant contoso"),
        },
      },
      details: ["error"],
    },
  },
  "a failure nothing explains is still New error": {
    file: "failed-timeline-only",
    change: withoutTimeline,
    want: { status: "newError", detail: { error: { code: "pipeline.failed", step: undefined } }, needsTimeline: true },
  },
  "types that could not be backed up make the run Partially successful": {
    file: "partially-successful",
    want: {
      status: "partiallySuccessful",
      since: "2024-12-03T03:09:30.000Z",
      detail: {
        partial: {
          failedTypes: ["intune.deviceConfiguration", "intune.assignmentFilter"],
          deployFailed: 0,
          planBlocked: false,
        },
      },
      details: ["partial"],
      lastSuccess: yesterday,
      nextAction: { kind: "reviewRun" },
    },
  },
  "changes the deploy could not apply make the run Partially successful": {
    file: "partial-deploy",
    want: {
      status: "partiallySuccessful",
      planCounts: { add: 6, change: 0, delete: 0 },
      detail: { partial: { failedTypes: [], deployFailed: 2, planBlocked: false } },
    },
  },
  "a partial run that lacks permissions is Pending admin consent, its partial detail kept": {
    file: "partial-with-consent",
    want: {
      status: "pendingAdminConsent",
      detail: { consent, partial: { failedTypes: ["intune.assignmentFilter"], deployFailed: 0, planBlocked: false } },
      details: ["consent", "partial"],
      nextAction: { kind: "grantConsent" },
    },
  },
  "without property bags the tags alone say Pending admin consent": {
    file: "partial-with-consent",
    change: withoutPropertyBags,
    want: { status: "pendingAdminConsent", details: ["partial"], nextAction: { kind: "grantConsent" } },
  },
  "a run Graph refused for lack of consent is Pending admin consent, the error kept": {
    file: "consent-failed",
    want: {
      status: "pendingAdminConsent",
      detail: { consent, error: { code: "auth.consentRequired", step: "backup" } },
      details: ["consent", "error"],
      nextAction: { kind: "grantConsent" },
    },
  },
  "a cancelled run is not an error: the status is the previous run's": {
    file: "canceled",
    want: {
      status: "idle",
      run: { id: 311, buildNumber: "20241202.1" },
      since: "2024-12-02T03:09:41.000Z",
      lastRunCanceled: { ...run318, finishTime: "2024-12-03T03:01:02.000Z" },
      lastSuccess: yesterday,
    },
  },
  "a cancelled run with none before it is Not run": {
    file: "canceled",
    change: (input) => ({ ...input, runs: input.runs.slice(0, 1) }),
    want: {
      status: "notRun",
      run: undefined,
      lastRunCanceled: { ...run318, finishTime: "2024-12-03T03:01:02.000Z" },
      nextAction: { kind: "runSync" },
    },
  },
  "a paused pipeline keeps its status and asks to be resumed": {
    file: "paused",
    want: { status: "idle", paused: true, queueStatus: "paused", nextAction: { kind: "resume" } },
  },
  "a disabled pipeline asks to be enabled": {
    file: "paused",
    change: withQueueStatus("disabled"),
    want: { status: "idle", paused: true, queueStatus: "disabled", nextAction: { kind: "resume" } },
  },
  "a run queued on a paused pipeline (queueStatus 1) is Starting and needs the pipeline resumed": {
    file: "paused-queued",
    want: {
      status: "starting",
      paused: true,
      queueStatus: "paused",
      since: "2024-12-03T09:12:40.004Z",
      nextAction: { kind: "resume" },
    },
  },
};

describe("deriveTenantStatus", () => {
  const seen = new Map<string, TenantStatus>();
  for (const [name, c] of Object.entries(cases)) {
    it(name, () => {
      const input = inputOf(c.file);
      const status = deriveTenantStatus(c.change ? c.change(input) : input);
      seen.set(name, status);
      const { details, ...want } = c.want;
      assert.deepEqual(projection(status, want), want);
      if (details) assert.deepEqual(Object.keys(status.detail).sort(), [...details].sort());
      assert.equal(status.label, tenantStatusLabels[status.status]);
    });
  }

  it("covers every status in the table above, each with a next action", () => {
    const statuses = new Set(Object.keys(cases).map((name) => seen.get(name)?.status));
    assert.deepEqual(
      [...tenantStatusKinds].filter((k) => !statuses.has(k)),
      [],
    );
    for (const [name, status] of seen) assert.ok(status.nextAction.kind && status.nextAction.text.trim(), name);
  });

  it("uses every recorded run file", () => {
    const files = readdirSync(runsDir).filter((f) => f.endsWith(".json"));
    const used = new Set(Object.values(cases).map((c) => `${c.file}.json`));
    assert.deepEqual(
      files.filter((f) => !used.has(f)),
      [],
    );
  });

  it("gives every status its own label", () => {
    const labels = tenantStatusKinds.map((k) => tenantStatusLabels[k]);
    assert.equal(new Set(labels).size, tenantStatusKinds.length);
    assert.ok(labels.every((l) => l.trim().length > 0));
  });

  it("reads a run given twice from the copy with its facts (the definition's latest build has none)", () => {
    const input = inputOf("idle");
    assert.equal(input.runs.length, 3);
    const reversed = deriveTenantStatus({ ...input, runs: [...input.runs].reverse() });
    assert.deepEqual(reversed, deriveTenantStatus(input));
    assert.deepEqual(reversed.planCounts, planCounts);
  });
});
