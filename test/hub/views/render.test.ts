/**
 * render.test — the views rendered to markup in Node (azure-devops-ui loads with its CSS stubbed, see
 * browser-globals): every status shows its text beside its icon, tiles show the counts and filter,
 * search and sort order the rows, and each status's detail shows its content and actions with the
 * right ones enabled. Clicks and focus are the browser tests' part.
 */
import assert from "node:assert/strict";
import * as React from "react";
import type { HubActions, OverviewRow, TenantDetail } from "../../../hub/data/model";
import { render, withBrowserGlobals } from "./browser-globals";
import { allRows, approvalPlan, detailOf, now, overview, rows } from "./fixtures";

const views = withBrowserGlobals(() => ({
  ...(require("../../../hub/views/app") as typeof import("../../../hub/views/app")),
  ...(require("../../../hub/views/overview") as typeof import("../../../hub/views/overview")),
  ...(require("../../../hub/views/tenant-detail") as typeof import("../../../hub/views/tenant-detail")),
  ...(require("../../../hub/views/run-steps") as typeof import("../../../hub/views/run-steps")),
  ...(require("../../../hub/views/status-badge") as typeof import("../../../hub/views/status-badge")),
  ...(require("../../../hub/views/act") as typeof import("../../../hub/views/act")),
}));

const unused = () => Promise.reject(new Error("not called in markup tests"));
const actions: HubActions = {
  refresh: unused,
  loadDetail: unused,
  approve: unused,
  reject: unused,
  rejectAndRevert: unused,
  runNow: unused,
  pause: unused,
  resume: unused,
  downloadLogs: unused,
  downloadArtifact: unused,
  copy: unused,
};

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, " ")
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");

/** The buttons of the markup: their text and whether they are disabled. */
function buttons(html: string): Map<string, boolean> {
  const found = new Map<string, boolean>();
  for (const m of html.matchAll(/<(?:button|a)\b([^>]*)>(.*?)<\/(?:button|a)>/g)) {
    const label = text(m[2]).trim();
    if (label) found.set(label, /\bdisabled=""|aria-disabled="true"|class="[^"]*\bdisabled\b/.test(m[1]));
  }
  return found;
}

const overviewHtml = (extra: Partial<import("../../../hub/views/overview").OverviewProps> = {}) =>
  render(
    React.createElement(views.Overview, { overview: overview(), now, actions, onOpen: () => undefined, ...extra }),
  );

const tenantsIn = (html: string) =>
  allRows.map((r) => r.tenant).filter((t) => html.includes(`Open ${t}&#x27;s detail`));
const tenantOrder = (html: string) => [...html.matchAll(/aria-label="Open ([\w-]+)&#x27;s detail"/g)].map((m) => m[1]);

const detailHtml = (row: OverviewRow, detail?: TenantDetail) =>
  render(React.createElement(views.TenantDetailView, { row, detail, now, actions }));

describe("hub views: rendering", () => {
  it("shows every status as text next to an icon hidden from screen readers", () => {
    for (const row of allRows) {
      const html = render(React.createElement(views.StatusBadge, { status: row.status }));
      assert.ok(text(html).includes(row.status.label), row.tenant);
      assert.match(html, /<span aria-hidden="true"[^>]*><svg/);
    }
    assert.match(text(render(React.createElement(views.StatusBadge, { status: rows.paused.status }))), /Idle Paused/);
  });

  it("lists every tenant with its status text, times, plan counts and duration", () => {
    const html = overviewHtml();
    assert.deepEqual(
      tenantsIn(html),
      allRows.map((r) => r.tenant),
    );
    const t = text(html);
    for (const row of allRows) assert.ok(t.includes(row.status.label), row.status.label);
    assert.match(html, /<time dateTime="[^"]+" title="2024-05-01 09:05:00 UTC">25 min ago<\/time>/);
    assert.match(html, /aria-label="2 to add, 1 to change, 1 to delete"[^>]*>\+2 ~1 −1</);
    assert.ok(t.includes("4 min 12 s"));
    assert.ok(t.includes("Last refreshed at 09:29:55 UTC"));
  });

  it("puts every row in the page up to 250 tenants, and past that the rows near the view with the count", () => {
    const fleet = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ ...rows.idle, tenant: `tenant-${String(i).padStart(4, "0")}` }));
    const listed = (html: string) => [...html.matchAll(/aria-label="Open tenant-\d+&#x27;s detail"/g)].length;
    const all = fleet(views.renderAllRowsUpTo);
    assert.equal(listed(overviewHtml({ overview: overview(all) })), all.length);
    const many = overviewHtml({ overview: overview(fleet(views.renderAllRowsUpTo + 350)) });
    assert.ok(listed(many) < views.renderAllRowsUpTo, `${listed(many)} rows rendered`);
    assert.match(
      many,
      new RegExp(`aria-rowcount="${views.renderAllRowsUpTo + 350 + 1}"`),
      "the header row and every tenant",
    );
  });

  it("shows the tile counts, pressed when filtering", () => {
    const html = overviewHtml({ initial: { filter: { tile: "waiting", search: "", statuses: [] } } });
    const b = buttons(html);
    for (const tile of ["2 Running", "3 Waiting for someone", "1 With issues", "1 Failed", "1 Never run", "1 Paused"])
      assert.ok(b.has(tile), tile);
    assert.match(html, /aria-label="Waiting for someone: 3 tenants, filtering the table" aria-pressed="true"/);
    assert.deepEqual(tenantsIn(html).sort(), ["litware", "relecloud", "wingtip"]);
  });

  it("filters by search and status, and says so when nothing matches", () => {
    assert.deepEqual(tenantsIn(overviewHtml({ initial: { filter: { search: "wood", statuses: [] } } })), ["woodgrove"]);
    assert.deepEqual(tenantsIn(overviewHtml({ initial: { filter: { search: "", statuses: ["newError"] } } })), [
      "tailspin",
    ]);
    const none = overviewHtml({ initial: { filter: { search: "zzz", statuses: [] } } });
    assert.ok(text(none).includes("No tenant matches the filter."));
    assert.ok(buttons(none).has("Clear filter"));
  });

  it("orders rows by the sorted column and marks the header", () => {
    const html = overviewHtml({ initial: { sort: { column: "tenant", descending: true } } });
    assert.deepEqual(tenantOrder(html), [...allRows.map((r) => r.tenant)].sort().reverse());
    assert.match(html, /aria-sort="descending"/);
  });

  it("offers bulk approve / reject for the selected tenants waiting for approval", () => {
    const none = buttons(overviewHtml({ initial: { selected: ["contoso"] } }));
    assert.equal(none.get("Approve 0"), true);
    const html = overviewHtml({ initial: { selected: ["litware", "contoso"] } });
    const b = buttons(html);
    assert.equal(b.get("Approve 1"), false);
    assert.equal(b.get("Reject 1"), false);
    assert.equal(b.get("Reject and revert 1"), false);
    assert.ok(text(html).includes("2 selected, 1 waiting for approval"));
    assert.match(
      html,
      /aria-checked="true"[^>]*aria-label="Select litware"|aria-label="Select litware"[^>]*aria-checked="true"/,
    );
  });

  it("shows an empty page as zero data", () => {
    assert.ok(text(overviewHtml({ overview: overview([]) })).includes("No tenants yet"));
  });

  it("New error: the error, its object, the hint, Copy error, View job at the task, downloads", () => {
    const html = detailHtml(rows.newError, detailOf(rows.newError));
    const t = text(html);
    assert.ok(t.includes("Reading conditional access policies failed: 403 Forbidden"));
    assert.ok(t.includes("Object: conditionalAccessPolicy/Require MFA for admins"));
    assert.match(t, /What to do: The app lacks a permission/);
    const b = buttons(html);
    for (const label of ["Copy error", "Download logs", "Download backup", "Download plan", "Run sync now", "Pause"])
      assert.equal(b.get(label), false, label);
    assert.match(
      html,
      /href="[^"]*buildId=104&amp;view=logs&amp;j=11111111-[^"]*&amp;t=22222222-[^"]*"[^>]*>.*?View job/,
    );
  });

  it("Pending authentication: the code, Copy code, the link, the countdown from `now`", () => {
    const html = detailHtml(rows.pendingAuthentication, detailOf(rows.pendingAuthentication));
    const t = text(html);
    assert.ok(t.includes("K7QF-2XPM"));
    assert.ok(t.includes("Expires in 4:10"));
    assert.match(html, /href="https:\/\/microsoft.com\/devicelogin"/);
    assert.equal(buttons(html).get("Copy code"), false);
    const later = render(
      React.createElement(views.TenantDetailView, {
        row: rows.pendingAuthentication,
        now: now + 5 * 60_000,
        actions,
      }),
    );
    assert.ok(text(later).includes("The code has expired."));
  });

  it("Pending approval: the plan field by field, gates, comment; buttons only for an approver", () => {
    const detail = detailOf(rows.pendingApproval, { plan: approvalPlan, approvers: ["Bea Approver"] });
    const html = detailHtml(rows.pendingApproval, detail);
    const t = text(html);
    assert.ok(t.includes("Plan: +2 ~1 −1 (2 to add, 1 to change, 1 to delete)"));
    assert.match(t, /conditionalAccessPolicy 0 1 1/);
    assert.match(html, /<code>\/state<\/code>: <del>enabledForReportingButNotEnforced<\/del> → <ins>enabled<\/ins>/);
    assert.ok(t.includes("/grantControls/clientSecret : secret value changed (not shown)"));
    assert.ok(t.includes("Confirmed: deletes — 1 object is deleted."));
    assert.ok(t.includes("Check the deletes before approving."));
    const b = buttons(html);
    for (const label of ["Approve", "Reject", "Reject and revert"]) assert.equal(b.get(label), true, label);
    assert.ok(t.includes("Bea Approver may approve."));
    const approver = buttons(detailHtml(rows.pendingApproval, { ...detail, canApprove: true }));
    for (const label of ["Approve", "Reject", "Reject and revert"]) assert.equal(approver.get(label), false, label);
  });

  it("Pending admin consent: missing permissions, types held back, the consent link", () => {
    const html = detailHtml(rows.pendingAdminConsent, detailOf(rows.pendingAdminConsent));
    const t = text(html);
    assert.ok(t.includes("DeviceManagementConfiguration.Read.All"));
    assert.ok(t.includes("Held back until consent is granted: deviceConfiguration, conditionalAccessPolicy."));
    assert.match(
      html,
      /href="https:\/\/login.microsoftonline.com\/relecloud.onmicrosoft.com\/adminconsent\?client_id=app-1"/,
    );
  });

  it("Partially successful: what failed, per type and step", () => {
    const detail = detailOf(rows.partiallySuccessful);
    detail.steps[5] = {
      ...detail.steps[5],
      issues: [{ type: "error", message: "Group “Sales” could not be updated: 409." }],
    };
    const t = text(detailHtml(rows.partiallySuccessful, detail));
    assert.ok(t.includes("Could not back up: deviceConfiguration."));
    assert.ok(t.includes("1 change could not be deployed."));
    assert.ok(t.includes("Error in Deploy: Group “Sales” could not be updated: 409."));
  });

  it("every tenant: Run sync now with the template's parameters, and Pause or Resume", () => {
    for (const row of allRows) {
      const html = detailHtml(row, detailOf(row));
      const t = text(html);
      for (const field of ["Mode", "Conflicts", "Confirm deletes", "Confirm mass changes", "Confirm secrets"])
        assert.ok(t.includes(field), `${row.tenant}: ${field}`);
      assert.ok(buttons(html).has(row.status.paused ? "Resume" : "Pause"), row.tenant);
    }
    const paused = detailHtml(rows.paused, detailOf(rows.paused));
    assert.equal(buttons(paused).get("Run sync now"), true);
    assert.ok(text(paused).includes("The pipeline is paused: resume it first."));
  });

  it("run detail: each step's mark in words with its duration, and the history as labelled bars", () => {
    const detail = detailOf(rows.newError);
    const t = text(render(React.createElement(views.RunSteps, { steps: detail.steps, run: detail.run })));
    assert.match(t, /Authenticate Done 20 s/);
    assert.match(t, /Backup Failed 21 s/);
    assert.match(t, /Error: Backup failed\./);
    assert.match(t, /Settle Not started/);
    const chart = render(React.createElement(views.HistoryChart, { history: detail.history }));
    assert.match(
      chart,
      /Run 20240501.97: Partially succeeded, 2 changes; Run 20240501.98: Succeeded, 4 changes; Run 20240501.104: Failed, 0 changes/,
    );
    assert.deepEqual(
      [...chart.matchAll(/data-outcome="(\w+)"/g)].map((m) => m[1]),
      ["partiallySucceeded", "succeeded", "failed"],
    );
  });

  it("the page: overview, the open tenant's detail, messages of failed actions", () => {
    const html = render(
      React.createElement(views.HubApp, {
        overview: overview(),
        loadDetail: unused,
        actions,
        now: () => now,
        initialTenant: "litware",
        initialDetail: detailOf(rows.pendingApproval, { plan: approvalPlan, canApprove: true }),
        initialMessages: ["Approve (litware): The approval was already decided by Bea Approver."],
      }),
    );
    const t = text(html);
    assert.ok(t.includes("Tenant Sync"));
    assert.ok(t.includes("The approval was already decided by Bea Approver."));
    assert.match(html, /aria-labelledby="detail-title-litware"/);
    assert.equal(buttons(html).get("Approve"), false);
  });

  it("a button whose action is in flight is disabled and says so", () => {
    const html = render(
      React.createElement(
        views.ActContext.Provider,
        { value: { busy: new Set(["pause:contoso"]), run: () => undefined } },
        React.createElement(views.TenantDetailView, { row: rows.idle, detail: detailOf(rows.idle), now, actions }),
      ),
    );
    assert.equal(buttons(html).get("Pause…"), true);
  });
});
