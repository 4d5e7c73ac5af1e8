/**
 * act — how a view starts an action and shows it going: a context the page provides with the keys of
 * actions in flight and a runner that reports a rejection as a message, and the button that uses it
 * (disabled with "…" while its action runs, its reason for being disabled written beside it).
 */
import * as React from "react";
import { Button } from "azure-devops-ui/Button";
import type { IIconProps } from "azure-devops-ui/Icon";

export interface Act {
  /** Keys of the actions in flight ("approve:contoso"). */
  busy: ReadonlySet<string>;
  /** Runs `work` under `key`; a rejection becomes a message on the page headed by `label`. */
  run(key: string, label: string, work: () => Promise<unknown>): void;
}

/** Without a page around it (a test rendering one view), actions run and nothing shows as busy. */
export const ActContext = React.createContext<Act>({
  busy: new Set(),
  run: (_key, _label, work) => void work().catch(() => undefined),
});

export interface ActionButtonProps {
  actionKey: string;
  text: string;
  /** Heading of the message when it fails ("Approve contoso"). */
  label?: string;
  onClick: () => Promise<unknown>;
  disabled?: boolean;
  /** Why it is disabled, written next to it (not only in a tooltip). */
  reason?: string;
  primary?: boolean;
  danger?: boolean;
  iconProps?: IIconProps;
}

export function ActionButton(props: ActionButtonProps) {
  const act = React.useContext(ActContext);
  const busy = act.busy.has(props.actionKey);
  const reasonId = props.reason && props.disabled ? `reason-${props.actionKey.replace(/[^\w-]/g, "_")}` : undefined;
  return (
    <span className="tenant-sync-action flex-row flex-center rhythm-horizontal-8">
      <Button
        text={busy ? `${props.text}…` : props.text}
        disabled={props.disabled || busy}
        primary={props.primary}
        danger={props.danger}
        iconProps={props.iconProps}
        ariaDescribedBy={reasonId}
        onClick={() => act.run(props.actionKey, props.label ?? props.text, props.onClick)}
      />
      {reasonId && (
        <span id={reasonId} className="secondary-text body-s">
          {props.reason}
        </span>
      )}
    </span>
  );
}
