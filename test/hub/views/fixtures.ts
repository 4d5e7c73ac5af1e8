/**
 * fixtures — one realistic overview row and tenant detail per status, as the data layer builds them
 * from the statuses scenario (pipelines in the Tenant Sync folder, runs of the tenant's pipeline),
 * plus a paused one. The time of the tests is `now`; every other time is relative to it.
 */
import type { OverviewRow, RunSummary, TenantDetail, Overview } from "../../../hub/data/model";
import { tenantStatusLabels, type TenantStatus, type TenantStatusKind } from "../../../src/core/status/derive";

export const now = Date.parse("2024-05-01T09:30:00Z");
export const ago = (minutes: number) => new Date(now - minutes * 60_000).toISOString();
const collection = "https://devops.example.test/contoso-org/";

let nextDefinition = 10;

export function run(id: number, extra: Partial<RunSummary> = {}): RunSummary {
  return {
    id,
    buildNumber: `20240501.${id}`,
    status: "completed",
    result: "succeeded",
    queueTime: ago(30),
    startTime: ago(29),
    finishTime: ago(25),
    requestedFor: "Alice Admin",
    reason: "schedule",
    webUrl: `${collection}Infra/_build/results?buildId=${id}`,
    ...extra,
  };
}

function row(tenant: string, kind: TenantStatusKind, s: Partial<TenantStatus>, latestRun?: RunSummary): OverviewRow {
  const id = nextDefinition++;
  const definition = { id, name: `Sync ${tenant}`, path: "\\Tenant Sync" };
  const queueStatus = s.queueStatus ?? "enabled";
  return {
    tenant,
    definition: { ...definition, queueStatus },
    latestRun,
    status: {
      status: kind,
      label: tenantStatusLabels[kind],
      paused: queueStatus !== "enabled",
      queueStatus,
      definition,
      detail: {},
      nextAction: { kind: "wait", text: "…" },
      needsTimeline: false,
      ...(latestRun ? { run: { id: latestRun.id, buildNumber: latestRun.buildNumber } } : {}),
      ...s,
    },
  };
}

export const rows = {
  notRun: row("fabrikam", "notRun", {
    nextAction: { kind: "runSync", text: "Run the pipeline to take the first backup and plan." },
  }),
  idle: row(
    "contoso",
    "idle",
    {
      since: ago(25),
      duration: 4 * 60_000 + 12_000,
      lastSuccess: { id: 101, buildNumber: "20240501.101", finishTime: ago(25) },
      planCounts: { add: 0, change: 0, delete: 0 },
      planSummary: "No changes.",
      nextAction: { kind: "runSync", text: "Up to date. Run a sync to check the tenant now." },
    },
    run(101),
  ),
  starting: row(
    "northwind",
    "starting",
    {
      since: ago(2),
      duration: 120_000,
      nextAction: { kind: "wait", text: "The run is queued and waits for an agent." },
    },
    run(102, {
      status: "notStarted",
      result: undefined,
      startTime: undefined,
      finishTime: undefined,
      queueTime: ago(2),
    }),
  ),
  inProgress: row(
    "adatum",
    "inProgress",
    {
      since: ago(3),
      duration: 185_000,
      step: "backup",
      lastSuccess: { id: 90, finishTime: ago(60 * 26) },
      nextAction: { kind: "wait", text: "The run is backing up the tenant." },
    },
    run(103, { status: "inProgress", result: undefined, finishTime: undefined, startTime: ago(3) }),
  ),
  newError: row(
    "tailspin",
    "newError",
    {
      since: ago(12),
      duration: 95_000,
      step: "backup",
      lastSuccess: { id: 80, finishTime: ago(60 * 24 * 3) },
      detail: {
        error: {
          code: "graph.failed",
          message: "Reading conditional access policies failed: 403 Forbidden (Authorization_RequestDenied).",
          object: "conditionalAccessPolicy/Require MFA for admins",
          step: "backup",
          jobRecordId: "11111111-aaaa-4bbb-8ccc-000000000001",
          taskRecordId: "22222222-aaaa-4bbb-8ccc-000000000002",
        },
      },
      nextAction: { kind: "fixError", text: "Grant Policy.Read.All to the app, then run the sync again." },
    },
    run(104, { result: "failed", finishTime: ago(12) }),
  ),
  pendingAuthentication: row(
    "wingtip",
    "pendingAuthentication",
    {
      since: ago(1),
      duration: 70_000,
      step: "authenticate",
      detail: {
        deviceCode: {
          userCode: "K7QF-2XPM",
          verificationUri: "https://microsoft.com/devicelogin",
          expiresAt: new Date(now + 4 * 60_000 + 10_000).toISOString(),
          expired: false,
        },
      },
      nextAction: { kind: "enterCode", text: "Sign in at https://microsoft.com/devicelogin with the code K7QF-2XPM." },
    },
    run(105, { status: "inProgress", result: undefined, finishTime: undefined, startTime: ago(1) }),
  ),
  pendingApproval: row(
    "litware",
    "pendingApproval",
    {
      since: ago(40),
      duration: 41 * 60_000,
      step: "approval",
      lastSuccess: { id: 70, finishTime: ago(60 * 24) },
      planCounts: { add: 2, change: 1, delete: 1 },
      planSummary: "2 to add, 1 to change, 1 to delete.",
      detail: {
        approval: {
          id: "b1c2d3e4-0000-4000-8000-000000000001",
          runId: 106,
          approvers: ["Bea Approver", "Carl Approver"],
          minRequired: 1,
          createdOn: ago(40),
          instructions: "Check the deletes before approving.",
        },
      },
      nextAction: {
        kind: "approve",
        text: "Review the plan (2 to add, 1 to change, 1 to delete.) and approve or reject it.",
      },
    },
    run(106, { status: "inProgress", result: undefined, finishTime: undefined, startTime: ago(41) }),
  ),
  partiallySuccessful: row(
    "proseware",
    "partiallySuccessful",
    {
      since: ago(90),
      duration: 6 * 60_000,
      lastSuccess: { id: 60, finishTime: ago(60 * 48) },
      planCounts: { add: 1, change: 3, delete: 0 },
      detail: { partial: { failedTypes: ["deviceConfiguration"], deployFailed: 1, planBlocked: false } },
      nextAction: { kind: "reviewRun", text: "Could not back up deviceConfiguration: see the run's report." },
    },
    run(107, { result: "partiallySucceeded", finishTime: ago(90) }),
  ),
  pendingAdminConsent: row(
    "relecloud",
    "pendingAdminConsent",
    {
      since: ago(200),
      duration: 3 * 60_000,
      lastSuccess: { id: 50, finishTime: ago(200) },
      detail: {
        consent: {
          permissions: ["DeviceManagementConfiguration.Read.All", "Policy.Read.All"],
          consentUrl: "https://login.microsoftonline.com/relecloud.onmicrosoft.com/adminconsent?client_id=app-1",
          skippedTypes: ["deviceConfiguration", "conditionalAccessPolicy"],
        },
      },
      nextAction: { kind: "grantConsent", text: "Grant admin consent, then run the sync again." },
    },
    run(108, { result: "succeeded", finishTime: ago(200) }),
  ),
  /** Idle, but its pipeline is paused. */
  paused: row(
    "woodgrove",
    "idle",
    {
      queueStatus: "paused",
      since: ago(60 * 30),
      duration: 5 * 60_000,
      lastSuccess: { id: 40, finishTime: ago(60 * 30) },
      nextAction: { kind: "resume", text: "Up to date. The pipeline is paused: resume it to sync again." },
    },
    run(109, { finishTime: ago(60 * 30) }),
  ),
} satisfies Record<string, OverviewRow>;

export const allRows: OverviewRow[] = Object.values(rows);

export const overview = (list: OverviewRow[] = allRows, isActive = true): Overview => ({
  rows: list,
  tiles: { running: 0, waiting: 0, issues: 0, failed: 0, neverRun: 0, paused: 0 },
  refreshedAt: new Date(now - 5_000).toISOString(),
  isActive,
  calls: 3,
});

const steps = (failedAt?: string): TenantDetail["steps"] =>
  (["Authenticate", "Backup", "Import drift", "Plan", "Approval", "Deploy", "Settle"] as const).map((name, i) => ({
    name,
    state: failedAt === name ? "failed" : failedAt && i > 1 ? "notStarted" : "done",
    duration: 20_000 + i * 1000,
    jobRecordId: `job-${i}`,
    taskRecordId: `task-${i}`,
    issues: failedAt === name ? [{ type: "error" as const, message: `${name} failed.` }] : [],
  }));

export function detailOf(r: OverviewRow, extra: Partial<TenantDetail> = {}): TenantDetail {
  return {
    tenant: r.tenant,
    run: r.latestRun,
    steps: steps(r.status.status === "newError" ? "Backup" : undefined),
    history: [
      { run: run(r.latestRun?.id ?? 99, { result: "failed" }), changes: 0 },
      { run: run(98), changes: 4 },
      { run: run(97, { result: "partiallySucceeded" }), changes: 2 },
    ],
    canApprove: false,
    approvers: [],
    downloads: { logsZip: undefined, artifacts: [{ name: "backup" }, { name: "plan" }] },
    ...extra,
  };
}

export const approvalPlan: NonNullable<TenantDetail["plan"]> = {
  digest: "sha256:9f2c4e7a1b3d5f60718293a4b5c6d7e8f90123456789abcdef0123456789abcd",
  counts: { add: 2, change: 1, delete: 1 },
  countsByType: {
    group: { add: 2, change: 0, delete: 0 },
    conditionalAccessPolicy: { add: 0, change: 1, delete: 1 },
  },
  changes: [
    {
      action: "add",
      type: "group",
      name: "Helpdesk Tier 2",
      fields: [{ pointer: "/displayName", after: "Helpdesk Tier 2" }],
    },
    { action: "add", type: "group", name: "Auditors", fields: [] },
    {
      action: "change",
      type: "conditionalAccessPolicy",
      name: "Require MFA for admins",
      fields: [
        { pointer: "/state", before: "enabledForReportingButNotEnforced", after: "enabled" },
        { pointer: "/grantControls/clientSecret", secret: true },
      ],
    },
    { action: "delete", type: "conditionalAccessPolicy", name: "Legacy block", fields: [] },
  ],
  gates: [{ gate: "deletes", confirmed: true, reason: "1 object is deleted." }],
  blocked: false,
};
