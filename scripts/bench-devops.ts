/**
 * bench-devops — `npm run bench:devops`: times Tenant Sync in the local Azure DevOps organisation
 * (the Azure DevOps emulator with its local agent, which runs each task as its own node process,
 * and the Graph emulator), and splits each run's time between our three tasks and the rest.
 *
 * 1. The demo, end to end: a tenant is set up, its first run imports the tenant, a person pushes a
 *    commit (a group's description) over the emulator's smart HTTP with their token, and the next run
 *    backs up, plans, waits at the environment's approval, is approved through the REST PATCH, and
 *    deploys. Per stage and per run, from the timeline records' start and finish times.
 * 2. Per run: the time in our tasks (the TenantSyncBackup/Plan/Deploy Task records, each a process
 *    the agent starts) against the agent's and emulator's part: checkout and artifact download
 *    steps, and the rest (picking the run up, compiling the YAML, records, job set-up, REST). The
 *    approval wait is a person's time, so it is left out of both. Beside them, how long the
 *    emulators' process was busy: the emulators answer the tasks' requests inside the tasks' time.
 * 3. Seeding: N tenants set up, then each one's first run queued at once on an agent with two
 *    parallel jobs; wall time from the first queued to the last finished, and per run.
 * Usage: npm run bench:devops [-- --tenants 9]
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { runScenario } from "../emulators/local-devops/scenarios";
import { startLocalDevOps, type LocalDevOps } from "../emulators/local-devops/organization";
import type { Build } from "../emulators/azdo/state/builds";
import type { TimelineRecord } from "../emulators/azdo/state/timeline";
import { gitOk } from "../test/helpers/azdo-git";

const { values } = parseArgs({ options: { tenants: { type: "string", default: "9" } } });
const tenants = Number(values.tenants);
if (!Number.isInteger(tenants) || tenants < 1) {
  console.error(`--tenants must be a whole number of tenants, 1 or more (got ${values.tenants}).`);
  process.exit(2);
}
const parallelJobs = 2;
const ourTasks = new Set(["TenantSyncBackup", "TenantSyncPlan", "TenantSyncDeploy"]);

/** Where a run's time went, in ms; `other` is what is left of `run` once the rest is taken out. */
interface Split {
  run: number;
  approval: number;
  tasks: number;
  steps: number;
  other: number;
}

const at = (iso: string | null | undefined) => (iso ? Date.parse(iso) : Number.NaN);
const span = (r: TimelineRecord) => (r.startTime && r.finishTime ? at(r.finishTime) - at(r.startTime) : 0);
const seconds = (ms: number) => (ms / 1000).toFixed(2);
const share = (part: number, whole: number) => `${((100 * part) / whole).toFixed(0)} %`;

/** Splits the time between `from` and `to` over the given records (those of a run, or of one stage). */
function split(records: TimelineRecord[], from: number, to: number): Split {
  const sum = (keep: (r: TimelineRecord) => boolean) => records.filter(keep).reduce((a, r) => a + span(r), 0);
  const approval = sum((r) => r.type === "Checkpoint.Approval");
  const tasks = sum((r) => r.type === "Task" && !!r.task && ourTasks.has(r.task.name));
  // The agent's own steps (checkout, download) carry no task reference.
  const steps = sum((r) => r.type === "Task" && !r.task);
  const run = to - from;
  return { run, approval, tasks, steps, other: run - approval - tasks - steps };
}

/** The records below a record (itself included). */
function subtree(records: TimelineRecord[], root: TimelineRecord): TimelineRecord[] {
  const ids = new Set([root.id]);
  for (let grew = true; grew;) {
    grew = false;
    for (const r of records)
      if (r.parentId && ids.has(r.parentId) && !ids.has(r.id)) {
        ids.add(r.id);
        grew = true;
      }
  }
  return records.filter((r) => ids.has(r.id));
}

interface RunTimes {
  build: Build;
  /** Queued until the first record started: waiting for a free agent, reading and compiling the YAML. */
  queued: number;
  /** From the first record's start to the last one's finish. */
  whole: Split;
  stages: { name: string; result: string | null; split: Split }[];
}

function runTimes(devops: LocalDevOps, build: Build): RunTimes {
  const records = devops.store.timelines.of(build).records;
  const starts = records.map((r) => at(r.startTime)).filter((t) => !Number.isNaN(t));
  const finishes = records.map((r) => at(r.finishTime)).filter((t) => !Number.isNaN(t));
  const first = Math.min(...starts);
  const stages = records
    .filter((r) => r.type === "Stage")
    .sort((a, b) => a.order - b.order)
    .map((s) => ({
      name: s.name,
      result: s.result,
      // A skipped stage never starts: it takes no time.
      split: split(subtree(records, s), at(s.startTime ?? s.finishTime), at(s.finishTime)),
    }));
  return {
    build,
    queued: first - at(build.queueTime),
    whole: split(records, first, Math.max(...finishes)),
    stages,
  };
}

/**
 * Queues a tenant's run and waits for it to end. When it waits at an approval, the approver finds
 * it and approves it through the REST API, as the run's page does; the bench looks every 100 ms
 * (quicker than any person) at the run's timeline, so its own requests do not load the emulator.
 */
async function runToEnd(devops: LocalDevOps, tenant: string): Promise<RunTimes> {
  const build = devops.queueRun(tenant);
  let ended = false;
  const done = devops.agent.whenDone(build.id).then(() => void (ended = true));
  while (!ended) {
    const waiting = devops.store.timelines
      .of(build)
      .records.some((r) => r.type === "Checkpoint.Approval" && r.state === "inProgress");
    if (waiting) {
      const pending = await pendingApprovals(devops, build.id);
      if (pending.length) await approve(devops, pending);
    }
    await Promise.race([done, new Promise((resolve) => setTimeout(resolve, 100))]);
  }
  if (build.result !== "succeeded")
    throw new Error(`The run ${build.buildNumber} of ${tenant} ended ${build.result}: see its logs in the store.`);
  return runTimes(devops, build);
}

function approvalsUrl(devops: LocalDevOps, query = ""): string {
  const info = devops.readyInfo();
  return `${info.collectionUrl}${info.project}/_apis/pipelines/approvals?api-version=7.2-preview.1${query}`;
}

async function rest(devops: LocalDevOps, method: string, url: string, body?: unknown): Promise<unknown> {
  const res = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${devops.user.token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${url} answered ${res.status}: ${text}`);
  return JSON.parse(text);
}

async function pendingApprovals(devops: LocalDevOps, buildId: number): Promise<string[]> {
  const list = (await rest(devops, "GET", approvalsUrl(devops, "&state=pending"))) as {
    value: { id: string; pipeline: { owner: { id: number } } }[];
  };
  return list.value.filter((a) => a.pipeline.owner.id === buildId).map((a) => a.id);
}

async function approve(devops: LocalDevOps, ids: string[]): Promise<void> {
  const updates = ids.map((approvalId) => ({ approvalId, status: "approved", comment: "Plan reviewed." }));
  await rest(devops, "PATCH", approvalsUrl(devops), updates);
}

/** A person's change: clone with their token, edit a group's description, commit, push to main. */
async function pushChange(devops: LocalDevOps, tenant: string, work: string): Promise<void> {
  const info = devops.readyInfo();
  const url = `${info.collectionUrl}${info.project}/_git/${devops.tenant(tenant).repository.name}`;
  const auth = { basic: info.token };
  const dir = join(work, tenant);
  await gitOk(info.caCertPath, work, ["clone", "-q", url, dir], auth);
  const file = join(dir, "entra.group", "Pilot users.json");
  const group = JSON.parse(readFileSync(file, "utf8")) as { object: { description: string } };
  group.object.description = "Pilot users (changed by bench:devops)";
  writeFileSync(file, `${JSON.stringify(group, null, 2)}\n`);
  await gitOk(info.caCertPath, dir, ["commit", "-q", "-am", "Describe the pilot group"]);
  await gitOk(info.caCertPath, dir, ["push", "-q", "origin", "HEAD:main"], auth);
}

/** What a run's tasks said they did (their output variables). */
function whatItDid(devops: LocalDevOps, build: Build): string {
  const outcome = devops.agent.outcome(build.id);
  const stages = outcome && !(outcome instanceof Error) ? outcome.stages : {};
  const plan = stages.Plan?.jobs.makePlan?.outputs ?? {};
  const deployed = stages.Deploy?.jobs.deployPlan?.outputs ?? {};
  return (
    `planned ${plan["plan.toAdd"]} to add, ${plan["plan.toChange"]} to change, ${plan["plan.toDelete"]} to delete; ` +
    `deployed ${deployed["deployPlan.deploy.applied"]} applied, ${deployed["deployPlan.deploy.failed"]} failed`
  );
}

/** The fixed cost of one task process, the best of five. */
function nodeStartMs(): number {
  const runs = Array.from({ length: 5 }, () => {
    const started = performance.now();
    spawnSync(process.execPath, ["-e", "0"]);
    return performance.now() - started;
  });
  return Math.min(...runs);
}

/** Wall time of a step measured here (not in the timeline). */
async function timed<T>(f: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const value = await f();
  return [value, performance.now() - started];
}

/**
 * How long this process's event loop was busy during f: the emulators, the agent and the runner
 * all live here, so this is their work, including answering our tasks' requests (Azure DevOps
 * REST, git smart HTTP, Graph) — time that the task records count as the tasks'.
 */
async function busy<T>(f: () => Promise<T>): Promise<[T, number]> {
  const before = performance.eventLoopUtilization();
  const value = await f();
  return [value, performance.eventLoopUtilization(before).active];
}

function splitColumns(s: Split) {
  return {
    "wall s": seconds(s.run),
    "approval wait s": seconds(s.approval),
    "our tasks s": seconds(s.tasks),
    "checkout/download s": seconds(s.steps),
    "other agent s": seconds(s.other),
  };
}

function runRows(label: string, t: RunTimes) {
  return [
    { step: `${label}: queued → started`, "wall s": seconds(t.queued) },
    ...t.stages.map((s) => ({
      step: `${label}: ${s.name}${s.result === "skipped" ? " (skipped)" : ""}`,
      ...splitColumns(s.split),
    })),
    { step: `${label}: whole run`, ...splitColumns(t.whole) },
  ];
}

function shareRow(label: string, t: RunTimes, busyMs: number) {
  const run = t.queued + t.whole.run - t.whole.approval;
  const overhead = run - t.whole.tasks;
  return {
    run: label,
    "run s (no approval)": seconds(run),
    "our tasks s": seconds(t.whole.tasks),
    "agent + emulator s": seconds(overhead),
    "our tasks": share(t.whole.tasks, run),
    "agent + emulator": share(overhead, run),
    "emulators busy s": seconds(busyMs),
  };
}

async function demo(work: string): Promise<void> {
  const started = performance.now();
  const [devops, startMs] = await timed(() =>
    startLocalDevOps({ caDir: process.env.TENANT_SYNC_CA_DIR, parallelJobs }),
  );
  try {
    const [, setupMs] = await timed(() => devops.addTenant("contoso"));
    const [first, firstBusyMs] = await busy(() => runToEnd(devops, "contoso"));
    const [, pushMs] = await timed(() => pushChange(devops, "contoso", work));
    const [second, secondBusyMs] = await busy(() => runToEnd(devops, "contoso"));
    const totalMs = performance.now() - started;
    console.log("\nbench:devops — the demo: one tenant, first run (import), a pushed change, a sync with approval");
    console.table([
      { step: "emulators started", "wall s": seconds(startMs) },
      { step: "tenant set up", "wall s": seconds(setupMs) },
      ...runRows("first run", first),
      { step: "change cloned, committed, pushed", "wall s": seconds(pushMs) },
      ...runRows("sync run", second),
      { step: "total", "wall s": seconds(totalMs) },
    ]);
    console.log(`The sync run: ${whatItDid(devops, second.build)}.`);
    console.log(
      `A node process that does nothing starts and ends in ${seconds(nodeStartMs())} s (part of each task's time).`,
    );
    console.log("Our tasks against the agent's and emulator's part (queue pick-up included, approval wait left out):");
    console.table([shareRow("first run", first, firstBusyMs), shareRow("sync run", second, secondBusyMs)]);
    console.log(
      "emulators busy: the event loop of the emulators' process (Azure DevOps, Graph, agent, runner) was busy " +
        "this long in the run, mostly answering our tasks' requests, which the task records count as the tasks'.",
    );
  } finally {
    await devops.stop();
  }
}

async function seeding(): Promise<void> {
  const devops = await startLocalDevOps({ caDir: process.env.TENANT_SYNC_CA_DIR, parallelJobs });
  try {
    const names = Array.from({ length: tenants }, (_, i) => `tenant${i + 1}`);
    const [, setupMs] = await timed(async () => {
      for (const name of names) await devops.addTenant(name);
    });
    const [[runs, busyMs], runsMs] = await timed(() =>
      busy(() => Promise.all(names.map((name) => runToEnd(devops, name)))),
    );
    console.log(`\nbench:devops — seeding: ${tenants} tenants, each a first run, ${parallelJobs} parallel jobs`);
    console.table(
      runs.map((t, i) => ({
        tenant: names[i],
        "waited for agent s": seconds(t.queued),
        "run s": seconds(t.whole.run),
        "our tasks s": seconds(t.whole.tasks),
        "checkout/download s": seconds(t.whole.steps),
        "other agent s": seconds(t.whole.other),
      })),
    );
    const running = runs.reduce((a, t) => a + t.whole.run, 0);
    console.table([
      {
        "tenants set up s": seconds(setupMs),
        "all runs s": seconds(runsMs),
        "per tenant s": seconds(runsMs / tenants),
        "mean run s": seconds(running / tenants),
        [`runs ÷ ${parallelJobs} s`]: seconds(running / parallelJobs),
        "emulators busy s": seconds(busyMs),
      },
    ]);
  } finally {
    await devops.stop();
  }
}

/** The statuses scenario as `tenant-sync emulate devops --scenario statuses` seeds it (nine tenants, eleven runs). */
async function statusesScenario(): Promise<void> {
  const devops = await startLocalDevOps({ caDir: process.env.TENANT_SYNC_CA_DIR, parallelJobs });
  try {
    const [[report, busyMs], wallMs] = await timed(() => busy(() => runScenario(devops, "statuses")));
    console.log(`\nbench:devops — the statuses scenario, ${parallelJobs} parallel jobs`);
    console.table([
      {
        tenants: Object.keys(report.tenants).length,
        runs: devops.store.builds.list.length,
        "ready s": seconds(wallMs),
        "emulators busy s": seconds(busyMs),
      },
    ]);
  } finally {
    await devops.stop();
  }
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), "tenant-sync-bench-devops-"));
  try {
    await demo(work);
    await seeding();
    await statusesScenario();
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
