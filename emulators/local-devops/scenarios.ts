/**
 * scenarios — what the local organisation holds when it starts:
 * - empty: the organisation, its project and one demo tenant in Graph; no pipelines.
 * - demo: a few tenants, each imported by a first real run and idle; one of them has a change
 *   committed to its repository since, and its run waits at the approval with the plan to read.
 * - statuses: one tenant in each of the nine statuses, each reached by real runs: never run, idle,
 *   starting (a run waiting for an agent), in progress (a backup whose Graph calls are held),
 *   pending approval, pending authentication (a device code nobody entered), pending admin consent
 *   (the app lacks the script permissions), partially successful (one resource type keeps failing),
 *   new error (the app does not trust the organisation, so sign-in fails). Deterministic: the same
 *   tenants, ids and outcomes every time.
 * - --tenants N: N more tenants whose history is recorded directly in the store (runs with their
 *   facts and tags, as the tasks publish them), because running thousands of syncs would take hours.
 */
import { runGit } from "../azdo/git-process";
import type { Build } from "../azdo/state/builds";
import { applyPropertyPatch } from "../azdo/state/properties";
import { addTags } from "../azdo/state/tags";
import { zeroId } from "../azdo/state/git";
import { factsPatch, runFact, runTag, type RunFacts } from "../../src/core/status/run-facts";
import type { LocalDevOps, TenantPipeline } from "./organization";

export const scenarioNames = ["empty", "demo", "statuses"] as const;
export type ScenarioName = (typeof scenarioNames)[number];

export interface ScenarioReport {
  scenario: ScenarioName;
  /** Tenant → what the scenario left it doing. */
  tenants: Record<string, string>;
  seconds: number;
}

const scriptPermissions = ["DeviceManagementScripts.Read.All", "DeviceManagementScripts.ReadWrite.All"];

/** Sets the organisation up as the scenario says and waits until it stands still. */
export async function runScenario(
  devops: LocalDevOps,
  scenario: ScenarioName,
  o: { tenants?: number; log?: (line: string) => void } = {},
): Promise<ScenarioReport> {
  const started = Date.now();
  const log = o.log ?? (() => undefined);
  const tenants: Record<string, string> = {};
  if (scenario === "empty") {
    await devops.graphControl("POST", "/tenants", { seed: "demo", name: "Contoso" });
    tenants.contoso = "a Graph tenant only: no pipeline";
  } else if (scenario === "demo") {
    const names = ["contoso", "fabrikam", "northwind"];
    for (const name of names) await devops.addTenant(name);
    await Promise.all(names.map((name) => firstRun(devops, name, log)));
    for (const name of names) tenants[name] = "idle";
    await commitChange(devops, devops.tenant("northwind"));
    const waiting = devops.queueRun("northwind");
    await untilPendingApproval(devops, waiting);
    tenants.northwind = "pending approval: a change committed to its repository, planned and waiting for you";
  } else {
    Object.assign(tenants, await statuses(devops, log));
  }
  if (o.tenants) Object.assign(tenants, recordFleet(devops, o.tenants));
  return { scenario, tenants, seconds: (Date.now() - started) / 1000 };
}

async function statuses(devops: LocalDevOps, log: (line: string) => void): Promise<Record<string, string>> {
  const add = (name: string, options?: Parameters<LocalDevOps["addTenant"]>[1]) => devops.addTenant(name, options);
  const idle = await add("idle");
  await add("never-run");
  const starting = await add("starting");
  const running = await add("running");
  const approval = await add("approval");
  const consent = await add("consent", { withoutPermissions: scriptPermissions });
  const partial = await add("partial");
  await add("failed", { federated: false });
  // The longest device-code timeout (an hour): the tenant stays waiting while people (and browser tests) look at it.
  await add("device-code", { deviceCode: { timeoutSeconds: 3600 } });

  // Runs that end by themselves, two at a time.
  await devops.graphControl("POST", "/faults", {
    tenantId: partial.tenantId,
    pathContains: "/deviceManagement/deviceHealthScripts",
    count: 1_000_000,
    action: {
      kind: "status",
      status: 400,
      code: "BadRequest",
      message: "The remediation scripts could not be listed.",
    },
  });
  await Promise.all([idle, starting, running, approval, consent, partial].map((t) => firstRun(devops, t.name, log)));
  await devops.agent.whenDone(devops.queueRun("failed").id);

  // Runs that stay where they are.
  await commitChange(devops, approval);
  await untilPendingApproval(devops, devops.queueRun(approval.name));
  devops.agent.hold(starting.definition.id);
  devops.queueRun(starting.name);
  await devops.graphControl("POST", "/faults", {
    tenantId: running.tenantId,
    count: 1,
    action: { kind: "hold" },
  });
  const held = devops.queueRun(running.name);
  await until(
    () => `running's backup to reach Graph (run ${held.id} is ${held.status}${held.result ? `, ${held.result}` : ""})`,
    async () => ((await devops.graphControl("GET", "/faults")) as { holding: number }).holding > 0,
  );
  const device = devops.queueRun("device-code");
  await until("device-code's run to show its code", () => device.properties.has(runFact.deviceCode.toLowerCase()));
  return {
    "never-run": "not run",
    idle: "idle",
    starting: "starting: its run waits for an agent (the agent holds the pipeline's runs)",
    running: "in progress: its backup waits on a held Graph request",
    approval: "pending approval",
    "device-code": "pending authentication: a device code nobody has entered",
    consent: "pending admin consent: the app lacks DeviceManagementScripts.*",
    partial: "partially successful: remediation scripts could not be read",
    failed: "new error: the app does not trust the organisation's OIDC issuer",
  };
}

/** Runs the tenant's pipeline once (the first run imports the tenant) and waits for it to end. */
async function firstRun(devops: LocalDevOps, name: string, log: (line: string) => void): Promise<Build> {
  const build = devops.queueRun(name);
  await devops.agent.whenDone(build.id);
  log(`${name}: run ${build.id} ${build.result}`);
  return build;
}

/**
 * Commits a change to one compliance policy's description on main, as a person editing the
 * repository would; the next run plans it and waits at the approval.
 */
export async function commitChange(devops: LocalDevOps, tenant: TenantPipeline): Promise<string> {
  const repository = tenant.repository;
  const files = (await runGit(["ls-tree", "-r", "--name-only", "main"], { cwd: repository.dir })).stdout
    .toString("utf8")
    .split("\n")
    .filter((f) => /^intune\.compliancePolicy\/.*\.json$/.test(f));
  if (!files[0]) throw new Error(`The repository ${repository.name} holds no compliance policy to change.`);
  const head = (await devops.store.git.resolveCommit(repository, "refs/heads/main")) ?? zeroId;
  const item = await devops.store.git.item(repository, head, files[0]);
  const file = JSON.parse(item!.content!.toString("utf8")) as { object?: Record<string, unknown> };
  if (!file.object) throw new Error(`${files[0]} in ${repository.name} holds no object.`);
  const policy = file.object;
  policy.description = `${String(policy.description ?? "")} (reviewed by the security team)`.trim();
  await devops.store.git.push(
    repository,
    "refs/heads/main",
    head,
    [
      {
        comment: "Compliance: note the security review in the description",
        changes: [
          { changeType: "edit", path: `/${files[0]}`, content: Buffer.from(JSON.stringify(file, null, 2) + "\n") },
        ],
      },
    ],
    { name: devops.user.displayName, email: devops.user.uniqueName },
    devops.azdo.clock.now(),
  );
  return files[0];
}

/**
 * N tenants with recorded history: a pipeline each (no repository behind it) and its latest
 * completed run with the facts and tags the tasks publish, spread over idle, partially successful,
 * pending consent and failed. Deterministic by index.
 */
function recordFleet(devops: LocalDevOps, n: number): Record<string, string> {
  const { store, project } = devops;
  const now = devops.azdo.clock.now();
  const kinds = ["idle", "idle", "idle", "idle", "idle", "idle", "partial", "consent", "failed", "idle"] as const;
  const report: Record<string, string> = {};
  for (let i = 1; i <= n; i++) {
    const name = `fleet-${String(i).padStart(4, "0")}`;
    const definition = store.builds.createDefinition(
      project,
      { name: `tenant-sync-${name}`, path: "\\TenantSync" },
      now,
    );
    if (!definition) continue;
    const kind = kinds[i % kinds.length];
    const build = store.builds.add(
      definition,
      {
        status: "completed",
        result: kind === "failed" ? "failed" : kind === "idle" ? "succeeded" : "partiallySucceeded",
        templateParameters: { tenant: name },
        reason: "schedule",
      },
      now - (n - i) * 1000,
    );
    const facts: RunFacts = {
      tenant: name,
      step: kind === "failed" ? "authenticate" : "plan",
      backup: {
        objects: 40 + (i % 17),
        changed: i % 3 === 0,
        partial: kind === "partial",
        failedTypes: kind === "partial" ? ["intune.remediationScript"] : [],
        requests: 45,
        throttled: 0,
      },
      ...(kind === "consent" && {
        missingPermissions: {
          permissions: scriptPermissions,
          consentUrl: `https://login.microsoftonline.com/common/adminconsent?client_id=${definition.id}`,
          skippedTypes: ["intune.powerShellScript", "intune.remediationScript", "intune.shellScript"],
        },
      }),
      ...(kind === "failed" && {
        error: {
          code: "auth.failed",
          message: "The service connection's federated credential was not accepted by the tenant.",
          hint: "Check the app's federated credential: issuer and subject must match the service connection.",
          step: "authenticate",
        },
      }),
    };
    applyPropertyPatch(build.properties, factsPatch(facts));
    addTags(build, [
      runTag.product,
      runTag.tenant(name),
      ...(kind === "partial" ? [runTag.partial] : []),
      ...(kind === "consent" ? [runTag.pendingConsent] : []),
    ]);
    report[name] = `recorded: ${kind}`;
  }
  return report;
}

/** Waits until the run stops at its Deploy stage's approval. */
function untilPendingApproval(devops: LocalDevOps, build: Build): Promise<void> {
  return until(`run ${build.id} to wait at the approval`, () =>
    devops.store.approvals.list.some((a) => a.buildId === build.id && a.status === "pending"),
  );
}

/** Polls a condition the organisation reaches by itself (runs moving on), with a clear timeout. */
async function until(
  what: string | (() => string),
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 120_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline)
      throw new Error(`The scenario waited ${timeoutMs / 1000} s for ${typeof what === "string" ? what : what()}.`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
