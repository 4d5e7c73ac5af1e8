/**
 * overview — the hub's first screen: tiles counting tenants per group (a click filters the table, a
 * second click clears it), a search box and a status filter, the table of tenants with sortable
 * columns and checkboxes, and the bulk Approve / Reject for the selected tenants that wait for one.
 * Filter, sort and selection live here and are keyed by tenant name, so a refresh that brings new
 * rows keeps them (and the scroll position: nothing is unmounted while it loads).
 */
import * as React from "react";
import { Button } from "azure-devops-ui/Button";
import { Card } from "azure-devops-ui/Card";
import { Checkbox } from "azure-devops-ui/Checkbox";
import { Dropdown } from "azure-devops-ui/Dropdown";
import { Link } from "azure-devops-ui/Link";
import { ColumnSorting, SimpleTableCell, SortOrder, Table, type ITableColumn } from "azure-devops-ui/Table";
import { TextField } from "azure-devops-ui/TextField";
import { ZeroData } from "azure-devops-ui/ZeroData";
import { DropdownSelection } from "azure-devops-ui/Utilities/DropdownSelection";
import { ArrayItemProvider } from "azure-devops-ui/Utilities/Provider";
import type { IListBoxItem } from "azure-devops-ui/ListBox";
import type { HubActions, Overview as OverviewData, OverviewRow } from "../data/model";
import type { TenantStatusKind } from "../../src/core/status/derive";
import { ActionButton } from "./act";
import { countsLabel, countsText, exactTime, formatDuration, relativeTime } from "./format";
import {
  approvable,
  countTiles,
  filterRows,
  keepSelection,
  noFilter,
  type OverviewFilter,
  type OverviewSort,
  type SortColumn,
  sortRows,
  statusOptions,
  tileGroups,
  toggleTile,
} from "./overview-model";
import { StatusBadge } from "./status-badge";

export interface OverviewProps {
  overview: OverviewData;
  /** Epoch ms, for relative times. */
  now: number;
  actions: Pick<HubActions, "refresh" | "approve" | "reject" | "rejectAndRevert">;
  /** Opens a tenant's detail. */
  onOpen(tenant: string): void;
  /** The tenant whose detail is open (its row is marked). */
  openTenant?: string;
  /** Starting state (tests, links): the filter, the sort, the selected tenants. */
  initial?: { filter?: OverviewFilter; sort?: OverviewSort; selected?: string[] };
}

const allStatuses = "all";

export function Overview(props: OverviewProps) {
  const { overview, now } = props;
  const [filter, setFilter] = React.useState<OverviewFilter>(props.initial?.filter ?? noFilter);
  const [sort, setSort] = React.useState<OverviewSort>(props.initial?.sort ?? { column: "status", descending: false });
  const [selected, setSelected] = React.useState<ReadonlySet<string>>(() => new Set(props.initial?.selected ?? []));
  const [comment, setComment] = React.useState("");

  // A refresh may drop tenants; the selection keeps the rest.
  React.useEffect(() => setSelected((s) => keepSelection(s, overview.rows)), [overview.rows]);

  const tiles = React.useMemo(() => countTiles(overview.rows), [overview.rows]);
  const visible = React.useMemo(() => sortRows(filterRows(overview.rows, filter), sort), [overview.rows, filter, sort]);
  const pending = approvable(selected, overview.rows);

  const toggle = (tenant: string, on: boolean) =>
    setSelected((s) => {
      const next = new Set(s);
      if (on) next.add(tenant);
      else next.delete(tenant);
      return next;
    });

  const bulk = (key: "approve" | "reject" | "rejectAndRevert", verb: string) => (
    <ActionButton
      actionKey={`${key}:selected`}
      text={`${verb} ${pending.length}`}
      label={`${verb} ${pending.join(", ")}`}
      primary={key === "approve"}
      danger={key !== "approve"}
      disabled={pending.length === 0}
      reason="Select tenants that wait for approval."
      onClick={async () => {
        await props.actions[key](pending, comment);
        setSelected(new Set());
        setComment("");
      }}
    />
  );

  return (
    <div className="tenant-sync-overview flex-column rhythm-vertical-16">
      <div
        role="group"
        aria-label="Tenants by group"
        className="tenant-sync-tiles flex-row flex-wrap rhythm-horizontal-8"
      >
        {tileGroups.map(({ group, label }) => (
          <Button
            key={group}
            className="tenant-sync-tile"
            text={`${tiles[group]} ${label}`}
            ariaLabel={`${label}: ${tiles[group]} tenant${tiles[group] === 1 ? "" : "s"}${filter.tile === group ? ", filtering the table" : ""}`}
            ariaPressed={filter.tile === group}
            primary={filter.tile === group}
            onClick={() => setFilter((f) => toggleTile(f, group))}
          />
        ))}
      </div>

      <div className="tenant-sync-filters flex-row flex-wrap flex-center rhythm-horizontal-16">
        <TextField
          ariaLabel="Search tenants by name"
          placeholder="Search tenants"
          prefixIconProps={{ iconName: "Search" }}
          value={filter.search}
          onChange={(_e, value) => setFilter((f) => ({ ...f, search: value }))}
        />
        <StatusFilter
          value={filter.statuses[0]}
          onChange={(kind) => setFilter((f) => ({ ...f, statuses: kind ? [kind] : [] }))}
        />
        <span className="secondary-text" title={exactTime(overview.refreshedAt)} aria-live="polite">
          Last refreshed at {exactTime(overview.refreshedAt).slice(11)}
        </span>
        <ActionButton
          actionKey="refresh"
          text="Refresh"
          iconProps={{ iconName: "Refresh" }}
          onClick={() => props.actions.refresh()}
        />
      </div>

      {selected.size > 0 && (
        <div
          role="group"
          aria-label="Act on the selected tenants"
          className="tenant-sync-bulk flex-row flex-wrap flex-center rhythm-horizontal-8"
        >
          <span>
            {selected.size} selected, {pending.length} waiting for approval
          </span>
          <TextField
            ariaLabel="Comment for the selected tenants' approval"
            placeholder="Comment"
            value={comment}
            onChange={(_e, value) => setComment(value)}
          />
          {bulk("approve", "Approve")}
          {bulk("reject", "Reject")}
          {bulk("rejectAndRevert", "Reject and revert")}
          <Button text="Clear selection" subtle onClick={() => setSelected(new Set())} />
        </div>
      )}

      <Card className="flex-grow bolt-table-card" contentProps={{ contentPadding: false }}>
        {overview.rows.length === 0 ? (
          <ZeroData
            imageAltText=""
            iconProps={{ iconName: "Sync" }}
            primaryText="No tenants yet"
            secondaryText="Tenant Sync pipelines (in the Tenant Sync folder) show here once they exist."
          />
        ) : visible.length === 0 ? (
          <div className="flex-column flex-center rhythm-vertical-8 padding-16">
            <span>No tenant matches the filter.</span>
            <Button text="Clear filter" onClick={() => setFilter(noFilter)} />
          </div>
        ) : (
          <TenantTable
            rows={visible}
            now={now}
            sort={sort}
            onSort={(column, descending) => setSort({ column, descending })}
            selected={selected}
            onToggle={toggle}
            onToggleAll={(on) => setSelected(on ? new Set([...selected, ...visible.map((r) => r.tenant)]) : new Set())}
            onOpen={props.onOpen}
            openTenant={props.openTenant}
          />
        )}
      </Card>
    </div>
  );
}

function StatusFilter(props: { value?: TenantStatusKind; onChange(kind?: TenantStatusKind): void }) {
  const items: IListBoxItem[] = [
    { id: allStatuses, text: "All statuses" },
    ...statusOptions.map((o) => ({ id: o.kind, text: o.label })),
  ];
  const selection = React.useMemo(() => new DropdownSelection(), []);
  const index = Math.max(
    0,
    items.findIndex((i) => i.id === (props.value ?? allStatuses)),
  );
  if (!selection.selected(index)) selection.select(index);
  return (
    <Dropdown
      ariaLabel="Filter by status"
      items={items}
      selection={selection}
      onSelect={(_e, item) => props.onChange(item.id === allStatuses ? undefined : (item.id as TenantStatusKind))}
    />
  );
}

interface TenantTableProps {
  rows: OverviewRow[];
  now: number;
  sort: OverviewSort;
  onSort(column: SortColumn, descending: boolean): void;
  selected: ReadonlySet<string>;
  onToggle(tenant: string, on: boolean): void;
  onToggleAll(on: boolean): void;
  onOpen(tenant: string): void;
  openTenant?: string;
}

function TimeCell(props: { iso?: string; now: number }) {
  return props.iso ? (
    <time dateTime={props.iso} title={exactTime(props.iso)}>
      {relativeTime(props.iso, props.now)}
    </time>
  ) : (
    <span className="secondary-text">never</span>
  );
}

const columnsOf = (
  p: TenantTableProps,
): {
  column?: SortColumn;
  def: Omit<ITableColumn<OverviewRow>, "renderCell">;
  cell(row: OverviewRow): React.ReactNode;
}[] => [
  {
    def: { id: "select", width: 48, ariaLabel: "Select" },
    cell: (row) => (
      <Checkbox
        ariaLabel={`Select ${row.tenant}`}
        checked={p.selected.has(row.tenant)}
        onChange={(_e, on) => p.onToggle(row.tenant, on)}
      />
    ),
  },
  {
    column: "tenant",
    def: { id: "tenant", name: "Tenant", width: -20 },
    cell: (row) => (
      <Link
        className="tenant-sync-open"
        ariaLabel={`Open ${row.tenant}'s detail`}
        aria-current={p.openTenant === row.tenant ? "true" : undefined}
        onClick={() => p.onOpen(row.tenant)}
      >
        {row.tenant}
      </Link>
    ),
  },
  {
    column: "status",
    def: { id: "status", name: "Status", width: -24 },
    cell: (row) => <StatusBadge status={row.status} />,
  },
  {
    column: "since",
    def: { id: "since", name: "Since", width: -12 },
    cell: (row) => <TimeCell iso={row.status.since} now={p.now} />,
  },
  {
    column: "lastSuccess",
    def: { id: "lastSuccess", name: "Last successful sync", width: -16 },
    cell: (row) => <TimeCell iso={row.status.lastSuccess?.finishTime} now={p.now} />,
  },
  {
    column: "plan",
    def: { id: "plan", name: "Last plan", width: -14 },
    cell: (row) =>
      row.status.planCounts ? (
        <span aria-label={countsLabel(row.status.planCounts)} title={row.status.planSummary}>
          {countsText(row.status.planCounts)}
        </span>
      ) : (
        <span className="secondary-text">no plan</span>
      ),
  },
  {
    column: "duration",
    def: { id: "duration", name: "Duration", width: -10 },
    cell: (row) => formatDuration(row.status.duration),
  },
];

/** The most rows the table renders all at once; larger lists are virtualised. */
export const renderAllRowsUpTo = 250;

function TenantTable(props: TenantTableProps) {
  const latest = React.useRef(props);
  latest.current = props;
  const defs = columnsOf(props);
  const columns: ITableColumn<OverviewRow>[] = defs.map((d) => ({
    ...d.def,
    ...(d.column
      ? {
          sortProps: {
            sortOrder:
              props.sort.column === d.column
                ? props.sort.descending
                  ? SortOrder.descending
                  : SortOrder.ascending
                : undefined,
            ariaLabelAscending: "Sorted ascending",
            ariaLabelDescending: "Sorted descending",
          },
        }
      : {}),
    ...(d.def.id === "select"
      ? {
          renderHeaderCell: (columnIndex: number) => (
            <th key={columnIndex} className="bolt-table-header-cell col-header-0" aria-colindex={columnIndex + 1}>
              <div className="bolt-table-header-cell-content flex-row">
                <Checkbox
                  ariaLabel="Select all listed tenants"
                  checked={props.rows.length > 0 && props.rows.every((r) => props.selected.has(r.tenant))}
                  onChange={(_e, on) => latest.current.onToggleAll(on)}
                />
              </div>
            </th>
          ),
        }
      : {}),
    renderCell: (_rowIndex, columnIndex, tableColumn, row) => (
      <SimpleTableCell key={`${columnIndex}`} columnIndex={columnIndex} tableColumn={tableColumn}>
        {d.cell(row)}
      </SimpleTableCell>
    ),
  }));
  // One behaviour for the table's life; it reads the current props when a header is clicked.
  const sorting = React.useMemo(
    () =>
      new ColumnSorting<OverviewRow>((columnIndex, order) => {
        const column = columnsOf(latest.current)[columnIndex]?.column;
        if (column) latest.current.onSort(column, order === SortOrder.descending);
      }),
    [],
  );
  const provider = React.useMemo(() => new ArrayItemProvider(props.rows), [props.rows]);
  return (
    <Table<OverviewRow>
      ariaLabel="Tenants"
      className="tenant-sync-table"
      columns={columns}
      behaviors={[sorting]}
      itemProvider={provider}
      onActivate={(_e, row) => latest.current.onOpen(row.data.tenant)}
      containerClassName="h-scroll-auto"
      // Up to a few hundred rows, every row is in the page (find in page, screen readers' row lists);
      // past that the table renders the rows near the view, and the arrow keys still reach every one.
      virtualize={props.rows.length > renderAllRowsUpTo}
    />
  );
}
