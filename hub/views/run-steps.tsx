/**
 * run-steps — the run detail: the seven steps of a sync run with a mark for each (icon and word),
 * its duration and its issues, each step linking to its place in the log; and a small chart of recent
 * runs, bars as tall as the run's changes, their outcome told by colour, by fill pattern and by a
 * mark under the bar, with the whole chart readable as a list by screen readers.
 */
import * as React from "react";
import { Link } from "azure-devops-ui/Link";
import type { HistoryPoint, RunStepView, RunSummary } from "../data/model";
import { jobLink } from "./detail-model";
import { StatusIcon } from "./status-badge";
import { historyBars, outcomeColours, outcomeMarks, type Outcome, stepDuration, stepMarks } from "./steps-model";

export function RunSteps(props: { steps: RunStepView[]; run?: RunSummary }) {
  if (props.steps.length === 0) return <p>The run has no steps yet.</p>;
  return (
    <ol className="tenant-sync-steps flex-column rhythm-vertical-8" aria-label="Steps of the run">
      {props.steps.map((step) => {
        const mark = stepMarks[step.state];
        const duration = stepDuration(step);
        return (
          <li key={step.name} className="flex-column" data-state={step.state}>
            <span className="flex-row flex-center rhythm-horizontal-8">
              <StatusIcon icon={mark.icon} />
              <span className="font-weight-semibold">{step.name}</span>
              <span>{mark.text}</span>
              {duration && <span className="secondary-text">{duration}</span>}
              {props.run && step.jobRecordId && (
                <Link href={jobLink(props.run.webUrl, step.jobRecordId, step.taskRecordId)} target="_blank">
                  Log<span className="visually-hidden"> of {step.name}</span>
                </Link>
              )}
            </span>
            {step.issues.length > 0 && (
              <ul>
                {step.issues.map((issue, i) => (
                  <li key={i}>
                    {issue.type === "error" ? "Error" : "Warning"}: {issue.message}
                  </li>
                ))}
              </ul>
            )}
          </li>
        );
      })}
    </ol>
  );
}

const patterns: Record<Outcome, React.ReactNode> = {
  succeeded: null,
  partiallySucceeded: <path d="M0 6 L6 0" strokeWidth="2" />,
  failed: <path d="M0 0 L6 6 M6 0 L0 6" strokeWidth="1.5" />,
  canceled: <path d="M0 3 H6" strokeWidth="2" />,
  running: <circle cx="3" cy="3" r="1.2" />,
};

/** Pattern ids must be unique on the page: one number per chart. */
let charts = 0;

export function HistoryChart(props: { history: HistoryPoint[]; width?: number; height?: number }) {
  const width = props.width ?? 320;
  const height = props.height ?? 64;
  const uid = React.useMemo(() => `history-${++charts}`, []);
  const bars = historyBars(props.history, { width, height });
  if (bars.length === 0) return <p>No runs yet.</p>;
  return (
    <figure className="tenant-sync-history">
      <svg width={width} height={height + 16} role="img" aria-labelledby={`${uid}-title`} focusable="false">
        <title id={`${uid}-title`}>Recent runs, oldest first: {bars.map((b) => b.label).join("; ")}</title>
        <defs>
          {(Object.keys(patterns) as Outcome[]).map((o) => (
            <pattern key={o} id={`${uid}-${o}`} width="6" height="6" patternUnits="userSpaceOnUse">
              <rect width="6" height="6" fill={outcomeColours[o]} />
              <g stroke="var(--background-color, #fff)" fill="var(--background-color, #fff)" opacity="0.6">
                {patterns[o]}
              </g>
            </pattern>
          ))}
        </defs>
        {bars.map((b) => (
          <g key={b.runId} data-outcome={b.outcome}>
            <rect x={b.x} y={b.y} width={b.width} height={b.height} fill={`url(#${uid}-${b.outcome})`}>
              <title>{b.label}</title>
            </rect>
            <text
              x={b.x + b.width / 2}
              y={height + 12}
              textAnchor="middle"
              fontSize="10"
              fill="var(--text-secondary-color, currentColor)"
              aria-hidden="true"
            >
              {outcomeMarks[b.outcome]}
            </text>
          </g>
        ))}
      </svg>
      <figcaption className="secondary-text body-s">
        Height: changes per run. ✓ succeeded, ! partially, ✗ failed, – canceled, … running.
      </figcaption>
    </figure>
  );
}
