/**
 * steps — a run's timeline as the seven steps the hub shows. The pipeline has three stages, each
 * with one Tenant Sync task (identifiers backup, plan, deploy), and the approval is a
 * Checkpoint.Approval record under the Deploy stage. The mapping:
 * - Authenticate and Backup are the Backup task: Authenticate until the task moves past its sign-in
 *   (the run's TenantSync.Step fact says which), Backup after. A device code shown makes
 *   Authenticate "waiting" (for a person).
 * - Import drift and Plan are the Plan task, split the same way (step importDrift, then plan).
 * - Approval is the Checkpoint.Approval record: in progress → waiting, succeeded → done,
 *   failed (rejected) → failed, canceled or timed out → skipped.
 * - Deploy and Settle are the Deploy task (steps deploy, then settle).
 * A step whose record is skipped, or that never started in a finished run, is skipped. A failed task
 * fails the step its error fact names (else the later of its two); the steps after it in the same
 * task are skipped. Times are the records': both sub-steps of a task share them, as the timeline has
 * no finer marks. The sign-ins of the Plan and Deploy tasks belong to their own steps.
 */
import type { TimelineRecordView } from "../../src/core/status/derive";
import type { RunFacts, RunStep } from "../../src/core/status/run-facts";
import type { RunStepView, StepName, StepState } from "./model";
import { iso as isoOf } from "./wire";

const recordStates = ["pending", "inProgress", "completed"] as const;
const taskResults = ["succeeded", "succeededWithIssues", "failed", "canceled", "skipped", "abandoned"] as const;
type RecordState = (typeof recordStates)[number];
type TaskResult = (typeof taskResults)[number];

function enumName<T extends string>(value: unknown, names: readonly T[]): T | undefined {
  if (typeof value === "number") return names[value];
  if (typeof value !== "string") return undefined;
  return names.find((n) => n.toLowerCase() === value.toLowerCase());
}

interface Rec {
  view: TimelineRecordView;
  type: string;
  key: string;
  state?: RecordState;
  result?: TaskResult;
}

const taskPairs: { task: string; stage: string; steps: [StepName, StepName]; facts: [RunStep, RunStep] }[] = [
  { task: "backup", stage: "backup", steps: ["Authenticate", "Backup"], facts: ["authenticate", "backup"] },
  { task: "plan", stage: "plan", steps: ["Import drift", "Plan"], facts: ["importDrift", "plan"] },
  { task: "deploy", stage: "deploy", steps: ["Deploy", "Settle"], facts: ["deploy", "settle"] },
];

function issuesOf(view: TimelineRecordView | undefined): RunStepView["issues"] {
  return (view?.issues ?? [])
    .map((i) => ({ type: enumName(i.type, ["", "error", "warning"] as const), message: i.message ?? "" }))
    .filter((i): i is { type: "error" | "warning"; message: string } => i.type === "error" || i.type === "warning");
}

/** The seven steps of a run from its timeline and facts; `finished` says whether the run ended. */
export function stepsOf(timeline: TimelineRecordView[], facts: RunFacts, finished: boolean): RunStepView[] {
  const records: Rec[] = timeline.map((view) => ({
    view,
    type: view.type.toLowerCase(),
    key: (view.identifier ?? view.name ?? "").toLowerCase(),
    state: enumName(view.state, recordStates),
    result: enumName(view.result ?? undefined, taskResults),
  }));
  const byId = new Map(records.map((r) => [r.view.id, r]));
  const stageOf = (r: Rec | undefined): Rec | undefined => {
    for (let p = r; p; p = p.view.parentId ? byId.get(p.view.parentId) : undefined) if (p.type === "stage") return p;
    return undefined;
  };
  const jobOf = (r: Rec): Rec | undefined => {
    for (let p = byId.get(r.view.parentId ?? ""); p; p = byId.get(p.view.parentId ?? ""))
      if (p.type === "job") return p;
    return undefined;
  };
  const steps: RunStepView[] = [];
  for (const pair of taskPairs) {
    const stage = records.find((r) => r.type === "stage" && r.key === pair.stage);
    const task = records.find((r) => r.type === "task" && r.key === pair.task && stageOf(r) === stage);
    const job = task ? jobOf(task) : undefined;
    const states = pairStates(task, stage, facts, pair.facts, finished);
    pair.steps.forEach((name, i) => {
      steps.push({
        name,
        state: states[i],
        ...times(task, states[i]),
        ...(job ? { jobRecordId: job.view.id } : {}),
        ...(task ? { taskRecordId: task.view.id } : {}),
        issues: states[i] === "failed" || (i === 1 && states[i] === "done") ? issuesOf(task?.view) : [],
      });
    });
    if (pair.task === "plan") steps.push(approvalStep(records, stageOf, finished));
  }
  return steps;
}

function times(task: Rec | undefined, state: StepState): Pick<RunStepView, "startTime" | "finishTime" | "duration"> {
  if (!task || state === "notStarted" || state === "skipped") return {};
  const startTime = isoOf(task.view.startTime);
  const finishTime = state === "running" || state === "waiting" ? undefined : isoOf(task.view.finishTime);
  return {
    ...(startTime ? { startTime } : {}),
    ...(finishTime ? { finishTime } : {}),
    ...(startTime && finishTime ? { duration: Date.parse(finishTime) - Date.parse(startTime) } : {}),
  };
}

/** The states of a task's two steps. */
function pairStates(
  task: Rec | undefined,
  stage: Rec | undefined,
  facts: RunFacts,
  [first, second]: [RunStep, RunStep],
  finished: boolean,
): [StepState, StepState] {
  const never: StepState = finished ? "skipped" : "notStarted";
  if (!task)
    return stage?.result === "skipped" || stage?.result === "canceled" ? ["skipped", "skipped"] : [never, never];
  if (task.result === "skipped" || task.result === "canceled" || task.result === "abandoned")
    return ["skipped", "skipped"];
  if (task.state === "completed") {
    if (task.result !== "failed") return ["done", "done"];
    return facts.error?.step === first ? ["failed", "skipped"] : ["done", "failed"];
  }
  if (task.state === "inProgress") {
    if (facts.step === second) return ["done", "running"];
    if (facts.step === first || facts.step === undefined || facts.step === "authenticate")
      return [facts.deviceCode && first === "authenticate" ? "waiting" : "running", "notStarted"];
    return ["done", "running"];
  }
  return [never, never];
}

function approvalStep(
  records: Rec[],
  stageOf: (r: Rec | undefined) => Rec | undefined,
  finished: boolean,
): RunStepView {
  const deploy = records.find((r) => r.type === "stage" && r.key === "deploy");
  const record = records.find((r) => r.type === "checkpoint.approval" && stageOf(r) === deploy);
  const base = { name: "Approval" as const, issues: [] };
  if (!record) {
    const skipped = finished || deploy?.result === "skipped" || deploy?.result === "canceled";
    return { ...base, state: skipped ? "skipped" : "notStarted" };
  }
  const state: StepState =
    record.state !== "completed"
      ? record.state === "inProgress"
        ? "waiting"
        : "notStarted"
      : record.result === "succeeded" || record.result === "succeededWithIssues"
        ? "done"
        : record.result === "failed"
          ? "failed"
          : "skipped";
  const startTime = isoOf(record.view.startTime);
  const finishTime = record.state === "completed" ? isoOf(record.view.finishTime) : undefined;
  return {
    ...base,
    state,
    ...(startTime ? { startTime } : {}),
    ...(finishTime ? { finishTime } : {}),
    ...(startTime && finishTime ? { duration: Date.parse(finishTime) - Date.parse(startTime) } : {}),
    taskRecordId: record.view.id,
    issues: state === "failed" ? issuesOf(record.view) : [],
  };
}
