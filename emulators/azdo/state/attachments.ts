/**
 * attachments — files a task attaches to its timeline record (task.addattachment, task.uploadsummary),
 * by type and name. Nothing here speaks HTTP.
 */
import type { Clock } from "../../../src/core/clock";
import type { Build } from "./builds";

export interface BuildAttachment {
  timelineId: string;
  recordId: string;
  type: string;
  name: string;
  bytes: Buffer;
  createdOn: string;
}

export class AttachmentState {
  private readonly attachments = new Map<number, BuildAttachment[]>();

  constructor(private readonly clock: Clock) {}

  /** Adds (or replaces) the record's attachment of that type and name. */
  addAttachment(
    build: Build,
    timelineId: string,
    recordId: string,
    type: string,
    name: string,
    bytes: Buffer | string,
  ): BuildAttachment {
    const attachment: BuildAttachment = {
      timelineId,
      recordId,
      type,
      name,
      bytes: Buffer.from(bytes),
      createdOn: new Date(this.clock.now()).toISOString(),
    };
    const others = this.list(build).filter((a) => !sameAttachment(a, attachment));
    this.attachments.set(build.id, [...others, attachment]);
    return attachment;
  }

  list(build: Build, type?: string): BuildAttachment[] {
    const all = this.attachments.get(build.id) ?? [];
    return type === undefined ? all : all.filter((a) => a.type.toLowerCase() === type.toLowerCase());
  }

  find(
    build: Build,
    key: Pick<BuildAttachment, "timelineId" | "recordId" | "type" | "name">,
  ): BuildAttachment | undefined {
    return this.list(build).find((a) => sameAttachment(a, key));
  }
}

function sameAttachment(
  a: Pick<BuildAttachment, "timelineId" | "recordId" | "type" | "name">,
  b: Pick<BuildAttachment, "timelineId" | "recordId" | "type" | "name">,
): boolean {
  return (["timelineId", "recordId", "type", "name"] as const).every((k) => a[k].toLowerCase() === b[k].toLowerCase());
}
