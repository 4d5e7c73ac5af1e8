/**
 * timeline — a build's timeline as the orchestration keeps it: records for stages, phases, jobs,
 * tasks and checkpoints, each change stamping the timeline's next change id on the record, so a
 * reader can ask for "what changed after change N". The local agent adds and updates records;
 * nothing here speaks HTTP.
 */
import { randomUUID } from "node:crypto";
import type { Clock } from "../../../src/core/clock";
import type { Build } from "./builds";

export type TimelineRecordType =
  | "Stage"
  | "Phase"
  | "Job"
  | "Task"
  | "Checkpoint"
  | "Checkpoint.Approval"
  | "Checkpoint.Authorization"
  | "Checkpoint.ExtendsCheck";
export type TimelineRecordState = "pending" | "inProgress" | "completed";
export type TaskResult = "succeeded" | "succeededWithIssues" | "failed" | "canceled" | "skipped" | "abandoned";

export interface TimelineIssue {
  type: "error" | "warning";
  category?: string;
  message: string;
  data?: Record<string, string>;
}

export interface TimelineRecord {
  id: string;
  parentId: string | null;
  type: TimelineRecordType;
  name: string;
  identifier: string | null;
  refName: string | null;
  order: number;
  state: TimelineRecordState;
  result: TaskResult | null;
  startTime: string | null;
  finishTime: string | null;
  percentComplete: number | null;
  currentOperation: string | null;
  errorCount: number;
  warningCount: number;
  issues: TimelineIssue[];
  /** The id of the build log (../logs) holding this record's output. */
  logId: number | null;
  attempt: number;
  task: { id: string; name: string; version: string } | null;
  workerName: string | null;
  changeId: number;
  lastModified: string;
}

/** What a caller may set when adding or updating a record (the rest is kept or derived). */
export type RecordFields = Partial<Omit<TimelineRecord, "id" | "changeId" | "lastModified">>;

export interface Timeline {
  /** The build's timeline id: its orchestration plan id, as Azure Pipelines names the plan's main timeline. */
  id: string;
  changeId: number;
  lastChangedOn: string;
  records: TimelineRecord[];
}

export class TimelineState {
  private readonly timelines = new Map<number, Timeline>();

  constructor(private readonly clock: Clock) {}

  /** The build's timeline (empty until the agent adds records). */
  of(build: Build): Timeline {
    let timeline = this.timelines.get(build.id);
    if (!timeline) {
      timeline = { id: build.planId, changeId: 0, lastChangedOn: this.iso(), records: [] };
      this.timelines.set(build.id, timeline);
    }
    return timeline;
  }

  /** Adds a record (id: a new GUID unless given); its changeId is the timeline's next. */
  addRecord(
    build: Build,
    fields: RecordFields & { type: TimelineRecordType; name: string; id?: string },
  ): TimelineRecord {
    const timeline = this.of(build);
    const id = fields.id ?? randomUUID();
    if (timeline.records.some((r) => r.id.toLowerCase() === id.toLowerCase()))
      throw new Error(`Timeline record ${id} already exists in build ${build.id}.`);
    const siblings = timeline.records.filter((r) => r.parentId === (fields.parentId ?? null));
    const record: TimelineRecord = {
      parentId: null,
      identifier: null,
      refName: null,
      order: siblings.length + 1,
      state: "pending",
      result: null,
      startTime: null,
      finishTime: null,
      percentComplete: null,
      currentOperation: null,
      errorCount: 0,
      warningCount: 0,
      issues: [],
      logId: null,
      attempt: 1,
      task: null,
      workerName: null,
      ...fields,
      id,
      changeId: 0,
      lastModified: "",
    };
    record.issues = [...(fields.issues ?? [])];
    if (fields.errorCount === undefined) record.errorCount = record.issues.filter((i) => i.type === "error").length;
    if (fields.warningCount === undefined)
      record.warningCount = record.issues.filter((i) => i.type === "warning").length;
    timeline.records.push(record);
    this.stamp(timeline, record);
    return record;
  }

  /**
   * Changes a record; issues given here are appended, and the error and warning counts follow
   * them unless given. Completing a record stamps its finish time, starting it its start time.
   */
  updateRecord(build: Build, recordId: string, change: RecordFields): TimelineRecord {
    const timeline = this.of(build);
    const record = this.find(build, recordId);
    if (!record) throw new Error(`Timeline record ${recordId} does not exist in build ${build.id}.`);
    const { issues, ...rest } = change;
    Object.assign(record, rest);
    if (issues?.length) {
      record.issues.push(...issues);
      if (change.errorCount === undefined) record.errorCount += issues.filter((i) => i.type === "error").length;
      if (change.warningCount === undefined) record.warningCount += issues.filter((i) => i.type === "warning").length;
    }
    if (change.state === "inProgress" && !record.startTime) record.startTime = this.iso();
    if (change.state === "completed" && !change.finishTime) record.finishTime = this.iso();
    this.stamp(timeline, record);
    return record;
  }

  find(build: Build, recordId: string): TimelineRecord | undefined {
    return this.of(build).records.find((r) => r.id.toLowerCase() === recordId.toLowerCase());
  }

  /** Records changed after changeId (all without one), in the order they were added. */
  recordsSince(build: Build, changeId?: number): TimelineRecord[] {
    return this.of(build).records.filter((r) => changeId === undefined || r.changeId > changeId);
  }

  private stamp(timeline: Timeline, record: TimelineRecord): void {
    timeline.changeId += 1;
    timeline.lastChangedOn = this.iso();
    record.changeId = timeline.changeId;
    record.lastModified = timeline.lastChangedOn;
  }

  private iso(): string {
    return new Date(this.clock.now()).toISOString();
  }
}
