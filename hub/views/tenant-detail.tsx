/**
 * tenant-detail — what a tenant needs from a person, by status: the error with its object, hint and
 * the log links; the sign-in code with a live countdown; the plan to approve field by field with the
 * approve / reject buttons (enabled only for an assigned approver); the missing permissions and the
 * consent link; what failed in a partial run; and for every tenant Run sync now (with the template's
 * parameters) and Pause / Resume. Actions come from detail-model's list, so what shows is what is tested.
 */
import * as React from "react";
import { Button } from "azure-devops-ui/Button";
import { Card } from "azure-devops-ui/Card";
import { Dropdown } from "azure-devops-ui/Dropdown";
import { Link } from "azure-devops-ui/Link";
import { TextField } from "azure-devops-ui/TextField";
import { Toggle } from "azure-devops-ui/Toggle";
import { DropdownSelection } from "azure-devops-ui/Utilities/DropdownSelection";
import type { HubActions, OverviewRow, PlanView, RunParameters, TenantDetail } from "../data/model";
import { ActionButton } from "./act";
import { type DetailAction, detailActions, errorOf, hintFor } from "./detail-model";
import { countdown, countsLabel, countsText, exactTime, fieldValue, plural } from "./format";
import { HistoryChart, RunSteps } from "./run-steps";
import { StatusBadge } from "./status-badge";

export interface TenantDetailProps {
  row: OverviewRow;
  /** Undefined while it loads. */
  detail?: TenantDetail;
  /** Epoch ms: the countdown and relative times. */
  now: number;
  actions: HubActions;
  onClose?(): void;
}

export function TenantDetailView(props: TenantDetailProps) {
  const { row, detail } = props;
  const list = detailActions(row, detail);
  const status = row.status;
  // The detail's status was derived again with the run's timeline and approval: it knows who rejected and why.
  const rejected = (detail?.status ?? status).detail.rejected;
  const titleId = `detail-title-${row.tenant.replace(/[^\w-]/g, "_")}`;
  return (
    <section className="tenant-sync-detail flex-column rhythm-vertical-16" aria-labelledby={titleId}>
      <div className="flex-row flex-center rhythm-horizontal-16">
        <h2 id={titleId} className="title-m flex-grow">
          {row.tenant}
        </h2>
        <StatusBadge status={status} />
        {props.onClose && <Button text="Close" subtle iconProps={{ iconName: "Cancel" }} onClick={props.onClose} />}
      </div>
      <p className="tenant-sync-next">{status.nextAction.text}</p>
      {status.queuedBehind && (
        <p>
          Run {status.queuedBehind.buildNumber ?? status.queuedBehind.id} is queued behind this one and starts once it
          is decided.
        </p>
      )}
      {rejected && (
        <p>
          The last plan was rejected{rejected.by ? ` by ${rejected.by}` : ""}
          {rejected.comment ? `: “${rejected.comment}”` : "."}
        </p>
      )}
      <StatusSection {...props} actions={props.actions} list={list} />
      <Card titleProps={{ text: "This tenant", ariaLevel: 3 }}>
        <div className="flex-column rhythm-vertical-16 flex-grow">
          <RunNowForm row={row} actions={props.actions} action={list.find((a) => a.id === "runNow")!} />
          <PauseResume row={row} actions={props.actions} list={list} />
        </div>
      </Card>
      {!detail ? (
        <p aria-live="polite">Loading the run's steps…</p>
      ) : (
        <>
          <Card titleProps={{ text: "Run steps", ariaLevel: 3 }}>
            <RunSteps steps={detail.steps} run={detail.run} />
          </Card>
          <Card titleProps={{ text: "Recent runs", ariaLevel: 3 }}>
            <HistoryChart history={detail.history} />
          </Card>
        </>
      )}
    </section>
  );
}

/** Renders one action of the list: a link when it has an address, else a button calling `onClick`. */
function ActionView(props: { tenant: string; action: DetailAction; onClick?: () => Promise<unknown> }) {
  const { action } = props;
  if (action.href && action.enabled)
    return <Button text={action.label} href={action.href} target="_blank" rel="noopener noreferrer" subtle={false} />;
  return (
    <ActionButton
      actionKey={`${action.id}${action.artifact ? `-${action.artifact}` : ""}:${props.tenant}`}
      text={action.label}
      label={`${action.label} (${props.tenant})`}
      disabled={!action.enabled || !props.onClick}
      reason={action.reason}
      onClick={props.onClick ?? (async () => undefined)}
      primary={action.id === "approve"}
      danger={action.id === "reject" || action.id === "rejectAndRevert"}
    />
  );
}

function StatusSection(props: TenantDetailProps & { list: DetailAction[] }) {
  const { row, detail, actions, list } = props;
  const status = row.status;
  const tenant = row.tenant;
  const runId = (detail?.run ?? row.latestRun)?.id;
  const [comment, setComment] = React.useState("");
  const handlers: Partial<Record<DetailAction["id"], (a: DetailAction) => () => Promise<unknown>>> = {
    copyError: () => () => {
      const e = errorOf(row, detail);
      return actions.copy(e ? [e.message, e.object && `Object: ${e.object}`, e.code].filter(Boolean).join("\n") : "");
    },
    copyCode: () => () => actions.copy(status.detail.deviceCode?.userCode ?? ""),
    approve: () => () => actions.approve([tenant], comment),
    reject: () => () => actions.reject([tenant], comment),
    rejectAndRevert: () => () => actions.rejectAndRevert([tenant], comment),
    ...(runId !== undefined
      ? {
          downloadLogs: () => () => actions.downloadLogs(tenant, runId),
          downloadArtifact: (a: DetailAction) => () => actions.downloadArtifact(tenant, runId, a.artifact!),
        }
      : {}),
  };
  const shown = list.filter((a) => a.id !== "runNow" && a.id !== "pause" && a.id !== "resume");
  const buttons = (ids?: DetailAction["id"][]) => (
    <div className="flex-row flex-wrap rhythm-horizontal-8">
      {shown
        .filter((a) => !ids || ids.includes(a.id))
        .map((a) => (
          <ActionView key={`${a.id}-${a.artifact ?? ""}`} tenant={tenant} action={a} onClick={handlers[a.id]?.(a)} />
        ))}
    </div>
  );

  switch (status.status) {
    case "newError": {
      const error = errorOf(row, detail);
      return (
        <Card titleProps={{ text: "What went wrong", ariaLevel: 3 }}>
          <div className="flex-column rhythm-vertical-8 flex-grow">
            {error ? (
              <>
                <p className="tenant-sync-error-text" role="alert">
                  {error.message}
                </p>
                {error.object && (
                  <p>
                    Object: <code>{error.object}</code>
                  </p>
                )}
                <p className="tenant-sync-hint">
                  <strong>What to do: </strong>
                  {hintFor(error)}
                </p>
              </>
            ) : (
              <p>The run failed without publishing an error; its log says why.</p>
            )}
            {buttons()}
          </div>
        </Card>
      );
    }
    case "pendingAuthentication": {
      const code = status.detail.deviceCode;
      const left = code && countdown(code.expiresAt, props.now);
      return (
        <Card titleProps={{ text: "Sign in to the tenant", ariaLevel: 3 }}>
          <div className="flex-column rhythm-vertical-8 flex-grow">
            {code ? (
              <>
                <p>
                  Open{" "}
                  <Link href={code.verificationUri} target="_blank" rel="noopener noreferrer">
                    {code.verificationUri}
                  </Link>{" "}
                  and enter the code:
                </p>
                <p className="title-m tenant-sync-user-code" aria-label={`Code ${code.userCode.split("").join(" ")}`}>
                  <code>{code.userCode}</code>
                </p>
                <p className="tenant-sync-countdown" title={`Expires ${exactTime(code.expiresAt)}`}>
                  {left ? `Expires in ${left}` : "The code has expired."}
                </p>
              </>
            ) : (
              <p>The run waits for a sign-in but has not published its code yet.</p>
            )}
            {buttons()}
          </div>
        </Card>
      );
    }
    case "pendingApproval": {
      const may = detail?.canApprove ?? false;
      return (
        <Card titleProps={{ text: "Plan waiting for approval", ariaLevel: 3 }}>
          <div className="flex-column rhythm-vertical-16 flex-grow">
            {status.detail.approval?.instructions && <p>{status.detail.approval.instructions}</p>}
            {detail?.plan ? (
              <PlanSection plan={detail.plan} />
            ) : (
              <p>{detail ? "The run published no plan artifact." : "Loading the plan…"}</p>
            )}
            <TextField
              label="Comment"
              ariaLabel={`Comment on the approval of ${tenant}`}
              multiline
              rows={2}
              disabled={!may}
              value={comment}
              onChange={(_e, value) => setComment(value)}
            />
            {buttons(["approve", "reject", "rejectAndRevert"])}
          </div>
        </Card>
      );
    }
    case "pendingAdminConsent": {
      const consent = status.detail.consent;
      return (
        <Card titleProps={{ text: "Admin consent needed", ariaLevel: 3 }}>
          <div className="flex-column rhythm-vertical-8 flex-grow">
            {consent ? (
              <>
                <p>The app lacks these permissions:</p>
                <ul aria-label="Missing permissions">
                  {consent.permissions.map((p) => (
                    <li key={p}>
                      <code>{p}</code>
                    </li>
                  ))}
                </ul>
                <p>
                  Held back until consent is granted:{" "}
                  {consent.skippedTypes.length ? consent.skippedTypes.join(", ") : "no resource type"}.
                </p>
              </>
            ) : (
              <p>The run's report lists the permissions it lacks.</p>
            )}
            {buttons()}
          </div>
        </Card>
      );
    }
    case "partiallySuccessful": {
      const partial = status.detail.partial;
      const issues = (detail?.steps ?? []).flatMap((s) => s.issues.map((i) => ({ ...i, step: s.name })));
      return (
        <Card titleProps={{ text: "What did not go through", ariaLevel: 3 }}>
          <div className="flex-column rhythm-vertical-8 flex-grow">
            {partial && partial.failedTypes.length > 0 && <p>Could not back up: {partial.failedTypes.join(", ")}.</p>}
            {partial && partial.deployFailed > 0 && (
              <p>{plural(partial.deployFailed, "change")} could not be deployed.</p>
            )}
            {partial?.planBlocked && <p>The plan was blocked by a gate and was not deployed.</p>}
            {issues.length > 0 && (
              <ul aria-label="Issues per step">
                {issues.map((i, n) => (
                  <li key={n}>
                    {i.type === "error" ? "Error" : "Warning"} in {i.step}: {i.message}
                  </li>
                ))}
              </ul>
            )}
            {buttons()}
          </div>
        </Card>
      );
    }
    default:
      return null;
  }
}

/** The plan as an approver reads it: counts per type, gates, then every change field by field. */
export function PlanSection(props: { plan: PlanView }) {
  const { plan } = props;
  const types = Object.entries(plan.countsByType).sort(([a], [b]) => a.localeCompare(b));
  return (
    <div className="tenant-sync-plan flex-column rhythm-vertical-8">
      <p aria-label={`Plan: ${countsLabel(plan.counts)}`}>
        Plan: {countsText(plan.counts)} ({countsLabel(plan.counts)})
        {plan.digest && <span className="secondary-text"> · {plan.digest.slice(0, 19)}</span>}
      </p>
      <table className="tenant-sync-plan-types">
        <caption className="text-left">Changes per type</caption>
        <thead>
          <tr>
            <th scope="col">Type</th>
            <th scope="col">Add</th>
            <th scope="col">Change</th>
            <th scope="col">Delete</th>
          </tr>
        </thead>
        <tbody>
          {types.map(([type, c]) => (
            <tr key={type}>
              <th scope="row">{type}</th>
              <td>{c.add}</td>
              <td>{c.change}</td>
              <td>{c.delete}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {plan.gates.length > 0 && (
        <ul aria-label="Gates">
          {plan.gates.map((g) => (
            <li key={g.gate}>
              {g.confirmed ? "Confirmed" : "Needs confirmation"}: {g.gate} — {g.reason}
            </li>
          ))}
        </ul>
      )}
      {plan.blocked && <p role="alert">The plan is blocked: run the sync again with the confirmations it needs.</p>}
      <ul className="tenant-sync-changes" aria-label="Changes">
        {plan.changes.map((change) => (
          <li key={`${change.type}/${change.name}`}>
            <strong>
              {{ add: "Add", change: "Change", delete: "Delete" }[change.action]} {change.type} “{change.name}”
            </strong>
            {change.fields.length > 0 && (
              <ul>
                {change.fields.map((f) => (
                  <li key={f.pointer}>
                    <code>{f.pointer}</code>:{" "}
                    {f.secret ? (
                      "secret value changed (not shown)"
                    ) : (
                      <>
                        <del>{fieldValue(f.before)}</del> → <ins>{fieldValue(f.after)}</ins>
                      </>
                    )}
                  </li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

const modes: { id: RunParameters["mode"]; text: string }[] = [
  { id: "sync", text: "Sync (backup, plan, deploy)" },
  { id: "backupOnly", text: "Backup only" },
  { id: "revert", text: "Revert the tenant to the repository" },
];
const policies: { id: RunParameters["conflictPolicy"]; text: string }[] = [
  { id: "config", text: "As configured" },
  { id: "stop", text: "Stop on conflict" },
  { id: "repo-wins", text: "Repository wins" },
  { id: "tenant-wins", text: "Tenant wins" },
];

export const defaultRunParameters: RunParameters = {
  mode: "sync",
  confirmDeletes: false,
  confirmMassChanges: false,
  confirmSecrets: false,
  conflictPolicy: "config",
};

function Choice<T extends string>(props: {
  label: string;
  items: { id: T; text: string }[];
  value: T;
  onChange(v: T): void;
}) {
  const selection = React.useMemo(() => new DropdownSelection(), []);
  const index = props.items.findIndex((i) => i.id === props.value);
  if (!selection.selected(index)) selection.select(index);
  return (
    <label className="flex-column rhythm-vertical-4">
      <span>{props.label}</span>
      <Dropdown
        ariaLabel={props.label}
        items={props.items}
        selection={selection}
        onSelect={(_e, item) => props.onChange(item.id as T)}
      />
    </label>
  );
}

function RunNowForm(props: { row: OverviewRow; actions: HubActions; action: DetailAction }) {
  const [p, setP] = React.useState<RunParameters>(defaultRunParameters);
  const set = (patch: Partial<RunParameters>) => setP((old) => ({ ...old, ...patch }));
  return (
    <form
      className="tenant-sync-run-now flex-column rhythm-vertical-8"
      aria-label={`Run a sync of ${props.row.tenant}`}
      onSubmit={(e) => e.preventDefault()}
    >
      <div className="flex-row flex-wrap rhythm-horizontal-16">
        <Choice label="Mode" items={modes} value={p.mode} onChange={(mode) => set({ mode })} />
        <Choice
          label="Conflicts"
          items={policies}
          value={p.conflictPolicy}
          onChange={(conflictPolicy) => set({ conflictPolicy })}
        />
      </div>
      <div className="flex-row flex-wrap rhythm-horizontal-16">
        <Toggle text="Confirm deletes" checked={p.confirmDeletes} onChange={(_e, v) => set({ confirmDeletes: v })} />
        <Toggle
          text="Confirm mass changes"
          checked={p.confirmMassChanges}
          onChange={(_e, v) => set({ confirmMassChanges: v })}
        />
        <Toggle text="Confirm secrets" checked={p.confirmSecrets} onChange={(_e, v) => set({ confirmSecrets: v })} />
      </div>
      <ActionButton
        actionKey={`runNow:${props.row.tenant}`}
        text={props.action.label}
        label={`Run a sync of ${props.row.tenant}`}
        primary
        disabled={!props.action.enabled}
        reason={props.action.reason}
        onClick={() => props.actions.runNow(props.row.tenant, p)}
      />
    </form>
  );
}

function PauseResume(props: { row: OverviewRow; actions: HubActions; list: DetailAction[] }) {
  const action = props.list.find((a) => a.id === "pause" || a.id === "resume")!;
  const tenant = props.row.tenant;
  return (
    <div className="flex-row flex-center rhythm-horizontal-8">
      <span>
        Pipeline {props.row.definition.name}: {props.row.status.queueStatus}.
      </span>
      <ActionButton
        actionKey={`${action.id}:${tenant}`}
        text={action.label}
        label={`${action.label} ${tenant}'s pipeline`}
        onClick={() => (action.id === "pause" ? props.actions.pause(tenant) : props.actions.resume(tenant))}
      />
    </div>
  );
}
