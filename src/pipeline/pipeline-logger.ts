/**
 * pipeline-logger — the engine's Logger in an Azure Pipelines log: info as plain lines, debug through
 * task.debug, warnings and errors as issues on the run (naming the object they concern), long steps as
 * progress on the task's record, sections as collapsible groups. Every line passes through safeText():
 * the agent takes "##vso[" anywhere in a line (and "##[" at its start) as a command, and tenant text
 * (display names, Graph messages) must never become one.
 */
import * as tl from "azure-pipelines-task-lib/task";
import { type Logger, safeText } from "../core/index";
import { withObject } from "./reports";

export interface PipelineLogger extends Logger {
  /** A collapsible section ("##[group]") around `work`. */
  section<T>(title: string, work: () => Promise<T>): Promise<T>;
  /** The task's progress bar and current operation (percent 0–100). */
  setProgress(percent: number, operation: string): void;
  /** Warnings and errors reported so far (the run ends "with issues" if there were any warnings). */
  readonly counts: { warnings: number; errors: number };
}

/** Where plain lines go; the agent reads the task's stdout. */
export type LineWriter = (line: string) => void;

const writeStdout: LineWriter = (line) => {
  process.stdout.write(`${line}\n`);
};

export function createPipelineLogger(write: LineWriter = writeStdout): PipelineLogger {
  const counts = { warnings: 0, errors: 0 };
  const lastProgress = new Map<string, number>();
  const setProgress = (percent: number, operation: string) =>
    tl.setProgress(Math.max(0, Math.min(100, Math.round(percent))), safeText(operation));
  return {
    counts,
    info: (message) => write(safeText(message)),
    debug: (message) => tl.debug(safeText(message)),
    warn: (message, object) => {
      counts.warnings += 1;
      tl.logIssue(tl.IssueType.Warning, safeText(withObject(message, object)));
    },
    error: (message, object) => {
      counts.errors += 1;
      tl.logIssue(tl.IssueType.Error, safeText(withObject(message, object)));
    },
    progress: (step, done, total) => {
      const percent = total > 0 ? Math.floor((done / total) * 100) : 100;
      // One command per whole percent at most: a deploy of thousands of changes stays readable.
      if (lastProgress.get(step) === percent) return;
      lastProgress.set(step, percent);
      setProgress(percent, `${step}: ${done} of ${total}`);
    },
    setProgress,
    async section(title, work) {
      write(`##[group]${safeText(title)}`);
      try {
        return await work();
      } finally {
        write("##[endgroup]");
      }
    },
  };
}
