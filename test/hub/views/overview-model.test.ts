/**
 * overview-model.test — the overview's rules as tables over one tenant per status: tile groups and
 * counts, filtering by tile (and clearing it), search and status, sorting by each column in both
 * directions, and the selection kept across a refresh.
 */
import assert from "node:assert/strict";
import type { TileGroup } from "../../../hub/data/model";
import {
  approvable,
  countTiles,
  filterRows,
  groupsOf,
  keepSelection,
  noFilter,
  sortRows,
  statusIcon,
  toggleSort,
  toggleTile,
  type SortColumn,
} from "../../../hub/views/overview-model";
import { tenantStatusKinds } from "../../../src/core/status/derive";
import { allRows, rows } from "./fixtures";

const names = (list: { tenant: string }[]) => list.map((r) => r.tenant);

describe("hub views: overview model", () => {
  const groups: [keyof typeof rows, TileGroup[]][] = [
    ["notRun", ["neverRun"]],
    ["idle", []],
    ["starting", ["running"]],
    ["inProgress", ["running"]],
    ["newError", ["failed"]],
    ["pendingAuthentication", ["waiting"]],
    ["pendingApproval", ["waiting"]],
    ["partiallySuccessful", ["issues"]],
    ["pendingAdminConsent", ["waiting"]],
    ["paused", ["paused"]],
  ];
  for (const [fixture, expected] of groups)
    it(`${fixture} counts in ${expected.join(", ") || "no group"}`, () =>
      assert.deepEqual(groupsOf(rows[fixture]), expected));

  it("counts a paused tenant in its status's group and in Paused", () => {
    const pausedError = {
      ...rows.newError,
      status: { ...rows.newError.status, paused: true, queueStatus: "paused" as const },
    };
    assert.deepEqual(groupsOf(pausedError), ["failed", "paused"]);
  });

  it("counts tiles from the rows", () => {
    assert.deepEqual(countTiles(allRows), { running: 2, waiting: 3, issues: 1, failed: 1, neverRun: 1, paused: 1 });
  });

  it("a tile filters the table to its tenants and the same tile again clears it", () => {
    const waiting = toggleTile(noFilter, "waiting");
    assert.deepEqual(names(filterRows(allRows, waiting)), ["wingtip", "litware", "relecloud"]);
    assert.equal(filterRows(allRows, waiting).length, countTiles(allRows).waiting);
    const other = toggleTile(waiting, "running");
    assert.deepEqual(names(filterRows(allRows, other)), ["northwind", "adatum"]);
    const cleared = toggleTile(other, "running");
    assert.equal(cleared.tile, undefined);
    assert.equal(filterRows(allRows, cleared).length, allRows.length);
  });

  it("searches tenant names in any case, and combines with the status filter", () => {
    assert.deepEqual(names(filterRows(allRows, { ...noFilter, search: " WIN " })), ["northwind", "wingtip"]);
    assert.deepEqual(names(filterRows(allRows, { search: "win", statuses: ["starting"] })), ["northwind"]);
    assert.deepEqual(names(filterRows(allRows, { search: "", statuses: ["idle"] })), ["contoso", "woodgrove"]);
    assert.deepEqual(filterRows(allRows, { search: "nobody", statuses: [] }), []);
  });

  const sorted: [SortColumn, string[]][] = [
    [
      "tenant",
      [
        "adatum",
        "contoso",
        "fabrikam",
        "litware",
        "northwind",
        "proseware",
        "relecloud",
        "tailspin",
        "wingtip",
        "woodgrove",
      ],
    ],
    [
      "status",
      [
        "tailspin",
        "litware",
        "wingtip",
        "relecloud",
        "proseware",
        "adatum",
        "northwind",
        "fabrikam",
        "contoso",
        "woodgrove",
      ],
    ],
    [
      "since",
      [
        "woodgrove",
        "relecloud",
        "proseware",
        "litware",
        "contoso",
        "tailspin",
        "adatum",
        "northwind",
        "wingtip",
        "fabrikam",
      ],
    ],
    [
      "plan",
      [
        "contoso",
        "litware",
        "proseware",
        "adatum",
        "fabrikam",
        "northwind",
        "relecloud",
        "tailspin",
        "wingtip",
        "woodgrove",
      ],
    ],
    [
      "duration",
      [
        "wingtip",
        "tailspin",
        "northwind",
        "relecloud",
        "adatum",
        "contoso",
        "woodgrove",
        "proseware",
        "litware",
        "fabrikam",
      ],
    ],
  ];
  /** Tenants without a value for the column, and how many share the largest value (ties by name). */
  const missingValue: Record<string, string[]> = {
    tenant: [],
    status: [],
    since: ["fabrikam"],
    plan: ["adatum", "fabrikam", "northwind", "relecloud", "tailspin", "wingtip", "woodgrove"],
    duration: ["fabrikam"],
  };
  const tiesAtEnd: Record<string, number> = { tenant: 0, status: 1, since: 0, plan: 1, duration: 0 };
  for (const [column, expected] of sorted) {
    it(`sorts by ${column} ascending, values missing last`, () =>
      assert.deepEqual(names(sortRows(allRows, { column, descending: false })), expected));
    it(`sorts by ${column} descending, values missing still last`, () => {
      const got = names(sortRows(allRows, { column, descending: true }));
      const missing = expected.filter((t) => missingValue[column].includes(t));
      const withValue = expected.filter((t) => !missing.includes(t));
      // Ties stay in name order, so compare the groups of equal keys, not a plain reverse.
      assert.deepEqual(got.slice(withValue.length), missing);
      assert.deepEqual([...got.slice(0, withValue.length)].sort(), [...withValue].sort());
      assert.equal(got[0], withValue[withValue.length - 1 - tiesAtEnd[column]]);
    });
  }

  it("sorts by last success newest last, never-synced tenants at the end either way", () => {
    const asc = names(sortRows(allRows, { column: "lastSuccess", descending: false }));
    const desc = names(sortRows(allRows, { column: "lastSuccess", descending: true }));
    assert.deepEqual(asc.slice(-3).sort(), ["fabrikam", "northwind", "wingtip"]);
    assert.deepEqual(desc.slice(-3).sort(), ["fabrikam", "northwind", "wingtip"]);
    assert.equal(asc[0], "tailspin");
    assert.equal(desc[0], "contoso");
  });

  it("toggles sort direction on the same column and starts ascending on another", () => {
    assert.deepEqual(toggleSort({ column: "tenant", descending: false }, "tenant"), {
      column: "tenant",
      descending: true,
    });
    assert.deepEqual(toggleSort({ column: "tenant", descending: true }, "since"), {
      column: "since",
      descending: false,
    });
  });

  it("keeps the selection of tenants still listed after a refresh", () => {
    const kept = keepSelection(new Set(["litware", "gone", "wingtip"]), allRows);
    assert.deepEqual([...kept].sort(), ["litware", "wingtip"]);
  });

  it("bulk approval acts only on the selected tenants waiting for approval", () => {
    const other = { ...rows.pendingApproval, tenant: "litware-eu" };
    assert.deepEqual(approvable(new Set(["litware", "wingtip", "litware-eu"]), [...allRows, other]), [
      "litware",
      "litware-eu",
    ]);
  });

  it("gives every status an icon and a text label (never colour alone)", () => {
    for (const kind of tenantStatusKinds) assert.ok(statusIcon[kind], kind);
    for (const r of allRows) assert.ok(r.status.label.length > 3);
  });
});
