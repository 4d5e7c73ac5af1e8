/**
 * runcontent — what the pipelines routes read of a run's logs and artifacts. The data belongs to
 * the build area's state; this is the small view onto it that the lead binds in the store
 * (`store.runContent`). Without a binding a run has no logs and no artifacts.
 */
import type { Build } from "./builds";

export interface RunLog {
  id: number;
  lineCount: number;
  createdOn: string;
  lastChangedOn: string;
}

export interface RunArtifact {
  name: string;
  /** Path inside the artifact ("tenant/plan.json") → content. */
  files: Map<string, Buffer>;
}

export interface RunContent {
  logs(build: Build): RunLog[];
  logText(build: Build, logId: number): string | undefined;
  artifact(build: Build, name: string): RunArtifact | undefined;
}

export const noRunContent: RunContent = {
  logs: () => [],
  logText: () => undefined,
  artifact: () => undefined,
};
