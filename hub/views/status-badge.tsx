/**
 * status-badge — a tenant's status as the hub shows it everywhere: the status icon and its name in
 * text (the icon is decoration; colour never carries the meaning alone), plus "Paused" or "Disabled"
 * beside it when the pipeline's queue is not enabled.
 */
import * as React from "react";
import { Pill, PillSize } from "azure-devops-ui/Pill";
import { Status, Statuses, StatusSize } from "azure-devops-ui/Status";
import type { StatusType } from "azure-devops-ui/Status";
import type { TenantStatus } from "../../src/core/status/derive";
import { statusIcon } from "./overview-model";

/** An icon of the Status set, hidden from screen readers: the text next to it says the same. */
export function StatusIcon(props: { icon: StatusType; size?: StatusSize }) {
  return (
    <span aria-hidden="true" className="flex-noshrink flex-row">
      <Status {...Statuses[props.icon]} size={props.size ?? StatusSize.m} animated={false} />
    </span>
  );
}

export function StatusBadge(props: { status: TenantStatus }) {
  const { status } = props;
  return (
    <span className="tenant-sync-status flex-row flex-center rhythm-horizontal-8" data-status={status.status}>
      <StatusIcon icon={statusIcon[status.status]} />
      <span className="tenant-sync-status-text">{status.label}</span>
      {status.paused && (
        <Pill size={PillSize.compact}>{status.queueStatus === "disabled" ? "Disabled" : "Paused"}</Pill>
      )}
    </span>
  );
}
