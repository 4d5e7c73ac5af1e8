/**
 * logger — where the engine reports progress and findings; the command line and the pipeline tasks
 * each provide one. safeText() (safe-text.ts) neutralises tenant-supplied text so it cannot form an
 * Azure Pipelines logging command (##vso[…] or ##[…]) or a terminal escape in a log.
 */
export interface Logger {
  info(message: string): void;
  warn(message: string, object?: string): void;
  error(message: string, object?: string): void;
  debug(message: string): void;
  /** Progress of a long step: done of total units. */
  progress?(step: string, done: number, total: number): void;
}

export const silentLogger: Logger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  debug: () => undefined,
};

export { safeJson, safeOutput, safeText } from "./safe-text";
