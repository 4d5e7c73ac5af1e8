/**
 * logger — where the engine reports progress and findings; the command line and the pipeline tasks
 * each provide one. safeText() neutralises tenant-supplied text so it cannot form an Azure
 * Pipelines logging command (##vso[…] or ##[…]) in a log.
 */
export interface Logger {
  info(message: string): void;
  warn(message: string, object?: string): void;
  error(message: string, object?: string): void;
  debug(message: string): void;
  /** Progress of a long step: done of total units. */
  progress?(step: string, done: number, total: number): void;
}

export const silentLogger: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined };

/**
 * The agent scans every output line for "##vso[" and "##[" anywhere in it. A zero-width joiner
 * between the two hashes keeps the text readable and breaks the command.
 */
export function safeText(text: string): string {
  return text.replace(/#(?=#(?:vso)?\[)/gi, "#\u200d").replace(/[\r\n]+/g, " ");
}
