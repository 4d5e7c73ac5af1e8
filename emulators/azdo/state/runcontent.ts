/**
 * runcontent — what the pipelines routes read of a run's logs and artifacts. The data belongs to
 * the build area's state; this is the small view onto it (`store.runContent`), which a test may replace.
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
