/**
 * steps-model — the run detail's marks and history chart as data: each step state's icon and words,
 * and the bars of recent runs (height by number of changes, outcome by colour *and* by a fill
 * pattern and a text label, so the chart reads without colour). Pure: tested as tables.
 */
import type { StatusType } from "azure-devops-ui/Status";
import type { HistoryPoint, RunStepView, StepState } from "../data/model";
import { formatDuration } from "./format";

export const stepMarks: Record<StepState, { text: string; icon: StatusType }> = {
  done: { text: "Done", icon: "Success" },
  failed: { text: "Failed", icon: "Failed" },
  running: { text: "Running", icon: "Running" },
  waiting: { text: "Waiting", icon: "Waiting" },
  skipped: { text: "Skipped", icon: "Skipped" },
  notStarted: { text: "Not started", icon: "Queued" },
};

/** A step's duration as shown: its own, else from its times; running steps have none yet. */
export function stepDuration(step: RunStepView): string {
  if (step.duration !== undefined) return formatDuration(step.duration);
  if (step.startTime && step.finishTime)
    return formatDuration(Date.parse(step.finishTime) - Date.parse(step.startTime));
  return "";
}

export type Outcome = "succeeded" | "partiallySucceeded" | "failed" | "canceled" | "running";

export const outcomeLabels: Record<Outcome, string> = {
  succeeded: "Succeeded",
  partiallySucceeded: "Partially succeeded",
  failed: "Failed",
  canceled: "Canceled",
  running: "Running",
};

/** The host's own status colours (CSS variables, so light and dark both work). */
export const outcomeColours: Record<Outcome, string> = {
  succeeded: "var(--status-success-foreground, rgba(var(--palette-primary, 0, 120, 212), 1))",
  partiallySucceeded: "var(--status-warning-foreground, #c87d0a)",
  failed: "var(--status-error-foreground, #cd4a45)",
  canceled: "var(--text-secondary-color, rgba(0, 0, 0, 0.55))",
  running: "var(--communication-foreground, #0078d4)",
};

/** A letter drawn under each bar: the outcome without colour. */
export const outcomeMarks: Record<Outcome, string> = {
  succeeded: "✓",
  partiallySucceeded: "!",
  failed: "✗",
  canceled: "–",
  running: "…",
};

export const outcomeOf = (point: HistoryPoint): Outcome =>
  point.run.status !== "completed" ? "running" : (point.run.result ?? "canceled");

export interface Bar {
  runId: number;
  x: number;
  y: number;
  width: number;
  height: number;
  outcome: Outcome;
  /** Read by screen readers and shown as the bar's tooltip. */
  label: string;
}

/**
 * Bars oldest to newest (the history comes newest first), heights scaled to the run with the most
 * changes; a run with none keeps a bar 2px high so it still shows.
 */
export function historyBars(history: HistoryPoint[], size: { width: number; height: number; gap?: number }): Bar[] {
  const points = [...history].reverse();
  if (points.length === 0) return [];
  const gap = size.gap ?? 4;
  const width = Math.max(2, (size.width - gap * (points.length - 1)) / points.length);
  const most = Math.max(1, ...points.map((p) => p.changes));
  return points.map((point, i) => {
    const height = Math.max(2, Math.round((point.changes / most) * size.height));
    const outcome = outcomeOf(point);
    return {
      runId: point.run.id,
      x: i * (width + gap),
      y: size.height - height,
      width,
      height,
      outcome,
      label: `Run ${point.run.buildNumber}: ${outcomeLabels[outcome]}, ${point.changes} change${point.changes === 1 ? "" : "s"}`,
    };
  });
}
