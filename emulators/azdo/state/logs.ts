/**
 * logs — a build's logs as the agent uploads them: numbered from 1 per build, lines appended while
 * the job runs (whatever the agent sends: masking secrets is the agent's job). Nothing here speaks HTTP.
 */
import type { Clock } from "../../../src/core/clock";
import type { Build } from "./builds";

export interface BuildLog {
  id: number;
  lines: string[];
  createdOn: string;
  lastChangedOn: string;
}

export class LogState {
  private readonly logs = new Map<number, BuildLog[]>();

  constructor(private readonly clock: Clock) {}

  /** The build's logs, by id. */
  list(build: Build): BuildLog[] {
    return this.logs.get(build.id) ?? [];
  }

  find(build: Build, logId: number | string): BuildLog | undefined {
    return this.list(build).find((l) => String(l.id) === String(logId));
  }

  /** A new, empty log of the build; link it to a timeline record with the record's logId. */
  createLog(build: Build, lines: string[] = []): BuildLog {
    const at = new Date(this.clock.now()).toISOString();
    const list = this.logs.get(build.id) ?? [];
    const log: BuildLog = { id: list.length + 1, lines: [], createdOn: at, lastChangedOn: at };
    list.push(log);
    this.logs.set(build.id, list);
    if (lines.length > 0) this.appendLines(build, log.id, lines);
    return log;
  }

  /** Appends lines (a line with newlines becomes several) and stamps the log's change time. */
  appendLines(build: Build, logId: number, lines: string[]): BuildLog {
    const log = this.find(build, logId);
    if (!log) throw new Error(`Log ${logId} does not exist in build ${build.id}.`);
    log.lines.push(...lines.flatMap((l) => l.split(/\r?\n/)));
    log.lastChangedOn = new Date(this.clock.now()).toISOString();
    return log;
  }
}
