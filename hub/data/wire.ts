/**
 * wire — the REST clients' forms turned into the hub model's: enums come as numbers
 * (enumsAsNumbers) or names, dates as Date objects (msDateFormat) or ISO text.
 */
import type { Build } from "azure-devops-extension-api/Build";
import type { RunSummary } from "./model";
import { type HubDataOptions, runWebUrl } from "./rest";

const buildStatuses: Record<number, RunSummary["status"]> = {
  1: "inProgress",
  2: "completed",
  4: "cancelling",
  8: "postponed",
  32: "notStarted",
};
const buildResults: Record<number, NonNullable<RunSummary["result"]>> = {
  2: "succeeded",
  4: "partiallySucceeded",
  8: "failed",
  32: "canceled",
};
const reasons: Record<number, string> = {
  1: "manual",
  2: "individualCI",
  4: "batchedCI",
  8: "schedule",
  16: "scheduleForced",
  32: "userCreated",
  64: "validateShelveset",
  128: "checkInShelveset",
  256: "pullRequest",
  512: "buildCompletion",
  1024: "resourceTrigger",
  2048: "triggered",
};
const queueStatuses = ["enabled", "paused", "disabled"] as const;

function named<T extends string>(value: unknown, byNumber: Record<number, T>): T | undefined {
  if (typeof value === "number") return byNumber[value];
  if (typeof value === "string" && value) return (value.charAt(0).toLowerCase() + value.slice(1)) as T;
  return undefined;
}

export function iso(value: unknown): string | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  if (typeof value === "string" && value) {
    const ms = /^\/Date\((-?\d+)\)\/$/.exec(value);
    const date = new Date(ms ? Number(ms[1]) : value);
    return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
  }
  return undefined;
}

export function queueStatusOf(value: unknown): (typeof queueStatuses)[number] {
  if (typeof value === "number") return queueStatuses[value] ?? "enabled";
  const name = typeof value === "string" ? value.toLowerCase() : "";
  return (queueStatuses as readonly string[]).includes(name) ? (name as (typeof queueStatuses)[number]) : "enabled";
}

export function runSummaryOf(build: Build, o: HubDataOptions): RunSummary {
  const result = named(build.result, buildResults);
  const reason = named(build.reason, reasons);
  const requestedFor = build.requestedFor?.displayName;
  const summary: RunSummary = {
    id: build.id,
    buildNumber: build.buildNumber,
    status: named(build.status, buildStatuses) ?? "notStarted",
    webUrl: runWebUrl(o, build.id),
  };
  if (result && (result as string) !== "none") summary.result = result;
  for (const [key, value] of [
    ["queueTime", iso(build.queueTime)],
    ["startTime", iso(build.startTime)],
    ["finishTime", iso(build.finishTime)],
    ["requestedFor", requestedFor],
    ["reason", reason],
  ] as const)
    if (value) summary[key] = value;
  return summary;
}
