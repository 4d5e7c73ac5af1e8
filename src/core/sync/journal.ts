/**
 * journal — what a deploy has done, appended as JSON lines next to the plan (`<plan>.journal`) and
 * flushed to disk line by line: a change was started, its object was created (with the new id), it
 * failed, it is done. A deploy run again after a crash or kill reads it to apply only what is left
 * and to finish, never repeat, a create. Lines of another plan are ignored; a torn last line too.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, writeSync } from "node:fs";
import type { Clock } from "../clock";
import { fingerprintOf } from "../snapshot/fingerprint";
import type { JsonValue } from "../snapshot/pointer";
import type { Change, Plan } from "./plan";

export type JournalEvent = "started" | "created" | "failed" | "done";

export interface JournalLine {
  plan: string;
  change: number;
  address: string;
  event: JournalEvent;
  /** The object's id: the new one for a create. */
  id?: string;
  message?: string;
  at: string;
}

/** What the journal says about one change of the plan. */
export interface JournalEntry {
  started: boolean;
  done: boolean;
  /** Id of the object a create made, once known. */
  createdId?: string;
}

/** Identifies a plan: its content, so an edited or new plan never reuses another's journal lines. */
export function planIdentity(plan: Plan): string {
  return fingerprintOf({
    tenantId: plan.tenantId,
    createdAt: plan.createdAt,
    changes: plan.changes,
  } as unknown as JsonValue);
}

/** Folds journal lines of `planId` into one entry per change index. Pure. */
export function readEntries(lines: JournalLine[], plan: Plan, planId: string): Map<number, JournalEntry> {
  const entries = new Map<number, JournalEntry>();
  for (const line of lines) {
    if (line.plan !== planId || plan.changes[line.change]?.address !== line.address) continue;
    const entry = entries.get(line.change) ?? { started: false, done: false };
    if (line.event === "started") entry.started = true;
    if (line.event === "created" && line.id) entry.createdId = line.id;
    if (line.event === "done") {
      entry.done = true;
      if (line.id && plan.changes[line.change].action === "create") entry.createdId = line.id;
    }
    entries.set(line.change, entry);
  }
  return entries;
}

function parseLines(text: string): JournalLine[] {
  const lines: JournalLine[] = [];
  for (const raw of text.split("\n")) {
    if (!raw.trim()) continue;
    try {
      const line = JSON.parse(raw) as JournalLine;
      if (typeof line.plan === "string" && typeof line.change === "number" && typeof line.event === "string")
        lines.push(line);
    } catch {
      // A line torn by a kill mid-write: what it would have said is redone.
    }
  }
  return lines;
}

export class Journal {
  private constructor(
    readonly path: string,
    private readonly plan: Plan,
    private readonly planId: string,
    private readonly entries: Map<number, JournalEntry>,
    private readonly clock: Clock,
  ) {}

  /** Opens the journal at `path` (created on the first line) with what earlier runs of `plan` recorded. */
  static open(path: string, plan: Plan, clock: Clock): Journal {
    const planId = planIdentity(plan);
    const text = existsSync(path) ? readFileSync(path, "utf8") : "";
    const journal = new Journal(path, plan, planId, readEntries(parseLines(text), plan, planId), clock);
    // A line torn by a kill must not swallow the next one.
    if (text && !text.endsWith("\n")) journal.write("\n");
    return journal;
  }

  entry(index: number): JournalEntry | undefined {
    return this.entries.get(index);
  }

  /** Indexes of changes an earlier run started or finished. */
  touched(): Set<number> {
    return new Set([...this.entries].filter(([, e]) => e.started || e.done).map(([i]) => i));
  }

  started(index: number): void {
    this.append(index, "started");
  }

  created(index: number, id: string): void {
    this.append(index, "created", { id });
  }

  failed(index: number, message: string): void {
    this.append(index, "failed", { message });
  }

  done(index: number, id?: string): void {
    this.append(index, "done", id ? { id } : {});
  }

  private append(index: number, event: JournalEvent, extra: { id?: string; message?: string } = {}): void {
    const change: Change = this.plan.changes[index];
    const line: JournalLine = {
      plan: this.planId,
      change: index,
      address: change.address,
      event,
      ...extra,
      at: new Date(this.clock.now()).toISOString(),
    };
    const entry = this.entries.get(index) ?? { started: false, done: false };
    if (event === "started") entry.started = true;
    if (event === "created" && extra.id) entry.createdId = extra.id;
    if (event === "done") entry.done = true;
    this.entries.set(index, entry);
    this.write(`${JSON.stringify(line)}\n`);
  }

  /** One write and an fsync per line: a line on disk is a step that happened. */
  private write(text: string): void {
    const fd = openSync(this.path, "a");
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
}
