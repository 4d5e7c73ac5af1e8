/**
 * overview-model — the overview's rules without React: which tile groups a tenant counts in, the
 * icon each status shows (always next to its text), filtering by tile, search and status, sorting by
 * column, and keeping a selection across refreshes. The view renders what these return, so the tile
 * counts and the rows a tile shows can never disagree.
 */
import type { StatusType } from "azure-devops-ui/Status";
import type { OverviewRow, TileGroup } from "../data/model";
import { tenantStatusKinds, tenantStatusLabels, type TenantStatusKind } from "../../src/core/status/derive";

export const tileGroups: { group: TileGroup; label: string }[] = [
  { group: "running", label: "Running" },
  { group: "waiting", label: "Waiting for someone" },
  { group: "issues", label: "With issues" },
  { group: "failed", label: "Failed" },
  { group: "neverRun", label: "Never run" },
  { group: "paused", label: "Paused" },
];

const groupOfStatus: Partial<Record<TenantStatusKind, TileGroup>> = {
  starting: "running",
  inProgress: "running",
  pendingAuthentication: "waiting",
  pendingApproval: "waiting",
  pendingAdminConsent: "waiting",
  partiallySuccessful: "issues",
  newError: "failed",
  notRun: "neverRun",
};

/** A tenant counts in its status's group (Idle has none) and, when its pipeline is paused or disabled, in Paused too. */
export function groupsOf(row: OverviewRow): TileGroup[] {
  const group = groupOfStatus[row.status.status];
  return [...(group ? [group] : []), ...(row.status.paused ? ["paused" as const] : [])];
}

export function countTiles(rows: OverviewRow[]): Record<TileGroup, number> {
  const counts = Object.fromEntries(tileGroups.map((t) => [t.group, 0])) as Record<TileGroup, number>;
  for (const row of rows) for (const group of groupsOf(row)) counts[group]++;
  return counts;
}

/** The icon beside each status's text; the text is what carries the meaning. */
export const statusIcon: Record<TenantStatusKind, StatusType> = {
  notRun: "Skipped",
  idle: "Success",
  starting: "Queued",
  inProgress: "Running",
  newError: "Failed",
  pendingAuthentication: "Waiting",
  pendingApproval: "Waiting",
  partiallySuccessful: "Warning",
  pendingAdminConsent: "Warning",
};

export const statusOptions = tenantStatusKinds.map((kind) => ({ kind, label: tenantStatusLabels[kind] }));

/** The status as read aloud and in titles: "Pending approval (paused)". */
export const statusText = (row: OverviewRow) =>
  `${row.status.label}${row.status.paused ? ` (${row.status.queueStatus})` : ""}`;

export interface OverviewFilter {
  tile?: TileGroup;
  /** Part of a tenant's name, any case. */
  search: string;
  /** Empty: every status. */
  statuses: TenantStatusKind[];
}

export const noFilter: OverviewFilter = { search: "", statuses: [] };

/** Clicking a tile filters by it; clicking the same tile again clears it. */
export const toggleTile = (filter: OverviewFilter, group: TileGroup): OverviewFilter => ({
  ...filter,
  tile: filter.tile === group ? undefined : group,
});

export function filterRows(rows: OverviewRow[], filter: OverviewFilter): OverviewRow[] {
  const search = filter.search.trim().toLowerCase();
  return rows.filter(
    (row) =>
      (!filter.tile || groupsOf(row).includes(filter.tile)) &&
      (!search || row.tenant.toLowerCase().includes(search)) &&
      (filter.statuses.length === 0 || filter.statuses.includes(row.status.status)),
  );
}

export type SortColumn = "tenant" | "status" | "since" | "lastSuccess" | "plan" | "duration";
export interface OverviewSort {
  column: SortColumn;
  descending: boolean;
}

/** Statuses sort by urgency: what needs someone first, what is fine last. */
const statusRank: Record<TenantStatusKind, number> = {
  newError: 0,
  pendingApproval: 1,
  pendingAuthentication: 2,
  pendingAdminConsent: 3,
  partiallySuccessful: 4,
  inProgress: 5,
  starting: 6,
  notRun: 7,
  idle: 8,
};

const timeOf = (iso: string | undefined) => (iso ? Date.parse(iso) : NaN);
const planSize = (row: OverviewRow) =>
  row.status.planCounts ? row.status.planCounts.add + row.status.planCounts.change + row.status.planCounts.delete : NaN;

const sortKeys: Record<SortColumn, (row: OverviewRow) => number | string> = {
  tenant: (row) => row.tenant.toLowerCase(),
  status: (row) => statusRank[row.status.status],
  since: (row) => timeOf(row.status.since),
  lastSuccess: (row) => timeOf(row.status.lastSuccess?.finishTime),
  plan: planSize,
  duration: (row) => row.status.duration ?? NaN,
};

/** Sorted copy; rows without a value go last whichever the direction, ties by tenant name. */
export function sortRows(rows: OverviewRow[], sort: OverviewSort): OverviewRow[] {
  const key = sortKeys[sort.column];
  const missing = (v: number | string) => typeof v === "number" && Number.isNaN(v);
  return [...rows].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    if (missing(ka) !== missing(kb)) return missing(ka) ? 1 : -1;
    const order = missing(ka) ? 0 : ka < kb ? -1 : ka > kb ? 1 : 0;
    return (sort.descending ? -order : order) || a.tenant.localeCompare(b.tenant);
  });
}

/** Clicking a sorted column flips its direction; another column starts ascending. */
export const toggleSort = (sort: OverviewSort, column: SortColumn): OverviewSort =>
  sort.column === column ? { column, descending: !sort.descending } : { column, descending: false };

/** After a refresh, the selection keeps the tenants that are still listed. */
export const keepSelection = (selected: ReadonlySet<string>, rows: OverviewRow[]): Set<string> =>
  new Set(rows.filter((row) => selected.has(row.tenant)).map((row) => row.tenant));

/** The selected tenants that wait for an approval: what the bulk Approve / Reject act on. */
export const approvable = (selected: ReadonlySet<string>, rows: OverviewRow[]): string[] =>
  rows.filter((row) => selected.has(row.tenant) && row.status.status === "pendingApproval").map((row) => row.tenant);
