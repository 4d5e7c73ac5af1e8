/**
 * pipeline order — the three bundled tasks (dist/tasks/<task>/index.js) run as the Azure Pipelines
 * agent runs them: each in its own `node` process, in the template's order Backup → Plan → Deploy,
 * given only what the agent gives a task: INPUT_<NAME> for
 * every input of its task.json (defaults applied, macros expanded), the AzureRM service connection with
 * workload identity federation as endpoint variables, the job's variables and token, and a fresh
 * checkout of the run's commit with persisted credentials. Sign-in goes through the job's OIDC token
 * (Azure DevOps emulator) traded at the Graph emulator, which finds the issuer's keys over HTTPS; the
 * facts the tasks publish are read back as the hub reads them, from the builds list.
 */
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseFacts, runFact, type RunFacts } from "../../src/core/status/run-facts";
import {
  type EmulatedBuild,
  type EmulatedServiceConnection,
  startTestAzdoEmulator,
  type TestAzdoEmulator,
} from "../helpers/azdo-emulator";
import { checkoutWithOrigin, git, originBranch, type RemoteCheckout } from "../helpers/git-remote";
import { startTestEmulator, type TestEmulator } from "../helpers/graph-emulator";
import { describeRun, parseTaskOutput, type TaskRun } from "../helpers/mock-task-runner";

const root = join(__dirname, "..", "..");
type TaskName = "backup" | "plan" | "deploy";
const tasks: readonly TaskName[] = ["backup", "plan", "deploy"];
const bundle = (task: TaskName) => join(root, "dist", "tasks", task, "index.js");

const tenant = "contoso";
const policyFile = join("intune.compliancePolicy", "Windows - Compliance baseline.json");
const policyName = "Windows - Compliance baseline";

/** An agent variable's environment name: "." and space → "_", upper case. */
const envName = (name: string) => name.replace(/[. ]/g, "_").toUpperCase();

interface TaskJsonInput {
  name: string;
  defaultValue?: string;
}

/** One job of a run on a fresh agent: its folders and its checkout of the run's commit. */
interface Job {
  workspace: string;
  sources: string;
  staging: string;
  temp: string;
  variables: Record<string, string>;
}

interface RunContext {
  build: EmulatedBuild;
  /** The commit the run checks out in every job (Build.SourceVersion, fixed when the run is queued). */
  sourceVersion: string;
}

interface TaskProcess extends TaskRun {
  exitCode: number | null;
  ms: number;
}

describe("pipeline order: the bundled tasks Backup → Plan → Deploy, as the agent runs them", function () {
  this.timeout(120_000);

  let azdo: TestAzdoEmulator;
  let graph: TestEmulator;
  let connection: EmulatedServiceConnection;
  let repo: RemoteCheckout;
  let agentRoot: string;
  let jobCount = 0;
  const runs: { label: string; run: TaskProcess }[] = [];

  before(async function () {
    if (tasks.some((t) => !existsSync(bundle(t)))) {
      this.timeout(300_000);
      execFileSync(process.platform === "win32" ? "npm.cmd" : "npm", ["run", "build"], {
        cwd: root,
        stdio: "pipe",
        timeout: 280_000,
      });
    }
    [azdo, graph] = await Promise.all([
      startTestAzdoEmulator({ organization: "org", project: "project" }),
      startTestEmulator({ throttle: { mode: "off" } }),
    ]);
    const { tenantId, clientId } = graph.info;
    connection = await azdo.addServiceConnection({ name: `tenant-sync-${tenant}`, tenantId, clientId });
    const federated = await graph.control("PATCH", `/tenants/${tenantId}/apps/${clientId}`, {
      federatedCredentials: [
        { issuer: connection.issuer, subject: connection.subject, audiences: [connection.audience] },
      ],
    });
    assert.equal(federated.status, 200, JSON.stringify(federated.body));
    repo = checkoutWithOrigin();
    agentRoot = mkdtempSync(join(tmpdir(), "tenant-sync-agent-"));
  });

  after(async () => {
    await Promise.all([azdo?.emulator.stop(), graph?.emulator.stop()]);
    for (const dir of [agentRoot, repo?.root]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Queues a run: a new build (with its own job token) of the current head of origin's main. */
  async function queueRun(): Promise<RunContext> {
    const build = await azdo.createBuild({ definition: `tenant-sync-${tenant}`, tenant });
    return { build, sourceVersion: git(repo.origin, "rev-parse", "refs/heads/main").trim() };
  }

  /** A job on a fresh agent: its workspace, and `checkout: self` with persistCredentials and fetchDepth 0. */
  function startJob(run: RunContext, stage: string): Job {
    jobCount += 1;
    const work = join(agentRoot, `job${jobCount}-${stage}`, "_work");
    const workspace = join(work, "1");
    const [sources, staging, binaries, temp, tools] = [
      join(workspace, "s"),
      join(workspace, "a"),
      join(workspace, "b"),
      join(work, "_temp"),
      join(work, "_tool"),
    ];
    for (const dir of [staging, binaries, temp, tools]) mkdirSync(dir, { recursive: true });
    // What the agent's checkout does: init, remote, the job token as an extra header (persistCredentials), fetch all, detached HEAD.
    execFileSync("git", ["init", "-q", sources]);
    git(sources, "remote", "add", "origin", repo.origin);
    git(sources, "config", "http.extraheader", `AUTHORIZATION: bearer ${run.build.accessToken}`);
    git(sources, "fetch", "-q", "--force", "--tags", "--prune", "--no-recurse-submodules", "origin");
    git(sources, "checkout", "-q", "--force", run.sourceVersion);
    const variables: Record<string, string> = {
      "Build.SourcesDirectory": sources,
      "Build.Repository.LocalPath": sources,
      "System.DefaultWorkingDirectory": sources,
      "Build.ArtifactStagingDirectory": staging,
      "Build.StagingDirectory": staging,
      "Build.BinariesDirectory": binaries,
      "Pipeline.Workspace": workspace,
      "Agent.BuildDirectory": workspace,
      "Agent.WorkFolder": work,
      "Agent.TempDirectory": temp,
      "Agent.ToolsDirectory": tools,
      "Build.SourceBranch": "refs/heads/main",
      "Build.SourceBranchName": "main",
      "Build.SourceVersion": run.sourceVersion,
      "Build.Repository.Provider": "TfsGit",
      "System.StageName": stage,
      "Agent.OS": "Linux",
      TF_BUILD: "True",
    };
    return { workspace, sources, staging, temp, variables };
  }

  /**
   * The environment the agent gives one task: the job's variables, every input of the task's task.json
   * (the step's value, else the default; macros expanded, as the agent does), the service connection's
   * endpoint variables, and the trust of the emulators' CA. Nothing else of the test process.
   */
  function agentEnvironment(
    task: TaskName,
    run: RunContext,
    job: Job,
    stepInputs: Record<string, string>,
  ): Record<string, string> {
    const taskJson = JSON.parse(readFileSync(join(root, "dist", "tasks", task, "task.json"), "utf8")) as {
      inputs: TaskJsonInput[];
    };
    const expand = (value: string) =>
      value.replace(/\$\(([^)]+)\)/g, (macro, name: string) => {
        const found = Object.entries(job.variables).find(([k]) => k.toLowerCase() === name.toLowerCase());
        return found ? found[1] : macro;
      });
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? "",
      HOME: join(job.workspace, ".."),
      LANG: "C.UTF-8",
      ...(process.env.NODE_EXTRA_CA_CERTS ? { NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS } : {}),
      ...run.build.agentVariables,
      SYSTEM_HOSTTYPE: "build",
    };
    for (const [name, value] of Object.entries(job.variables)) env[envName(name)] = value;
    for (const input of taskJson.inputs)
      env[`INPUT_${envName(input.name)}`] = expand(stepInputs[input.name] ?? input.defaultValue ?? "");
    for (const name of Object.keys(stepInputs))
      assert.ok(
        taskJson.inputs.some((i) => i.name === name),
        `the ${task} task declares the input "${name}"`,
      );
    const { id } = connection;
    const parameters = {
      tenantid: graph.info.tenantId,
      serviceprincipalid: graph.info.clientId,
      workloadIdentityFederationIssuer: connection.issuer,
      workloadIdentityFederationSubject: connection.subject,
    };
    Object.assign(env, {
      [`ENDPOINT_URL_${id}`]: "https://management.azure.com/",
      [`ENDPOINT_AUTH_${id}`]: JSON.stringify({ parameters, scheme: "WorkloadIdentityFederation" }),
      [`ENDPOINT_AUTH_SCHEME_${id}`]: "WorkloadIdentityFederation",
      [`ENDPOINT_AUTH_PARAMETER_${id}_TENANTID`]: parameters.tenantid,
      [`ENDPOINT_AUTH_PARAMETER_${id}_SERVICEPRINCIPALID`]: parameters.serviceprincipalid,
      [`ENDPOINT_AUTH_PARAMETER_${id}_WORKLOADIDENTITYFEDERATIONISSUER`]: parameters.workloadIdentityFederationIssuer,
      [`ENDPOINT_AUTH_PARAMETER_${id}_WORKLOADIDENTITYFEDERATIONSUBJECT`]: parameters.workloadIdentityFederationSubject,
      [`ENDPOINT_DATA_${id}_ENVIRONMENT`]: "AzureCloud",
      [`ENDPOINT_DATA_${id}_SCOPELEVEL`]: "Subscription",
      [`ENDPOINT_DATA_${id}_CREATIONMODE`]: "Manual",
    });
    return env;
  }

  /** Runs a bundled task in its own node process (asynchronously: the emulators in this process keep answering). */
  async function runTask(
    label: string,
    task: TaskName,
    run: RunContext,
    job: Job,
    stepInputs: Record<string, string>,
    expect: "Succeeded" | "Failed" = "Succeeded",
  ): Promise<TaskProcess> {
    const started = Date.now();
    const child = spawn(process.execPath, [bundle(task)], {
      cwd: job.sources,
      env: agentEnvironment(task, run, job, stepInputs),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    const exitCode = await new Promise<number | null>((resolve, reject) => {
      child.once("error", reject);
      child.once("close", (code) => resolve(code));
    }).finally(() => clearTimeout(timer));
    const result: TaskProcess = { ...parseTaskOutput(stdout, stderr), exitCode, ms: Date.now() - started };
    runs.push({ label, run: result });
    if (expect === "Failed") {
      assert.equal(result.result, "Failed", `${label}: ${describeRun(result)}`);
      return result;
    }
    assert.equal(result.result, "Succeeded", `${label}: ${describeRun(result)}`);
    assert.ok(stdout.includes("##vso[task.complete result=Succeeded;"), `${label}: task.complete result=Succeeded`);
    assert.ok(!stdout.includes("result=Failed"), `${label}: no Failed result`);
    assert.equal(exitCode, 0, `${label} exits 0\n${describeRun(result)}`);
    return result;
  }

  /** Every run's facts and tags as the hub reads them: one builds list call with the properties. */
  async function readFacts(definitionId: number): Promise<Map<number, { facts: RunFacts; tags: string[] }>> {
    const token = await azdo.userToken();
    const res = await azdo.rest(
      "GET",
      `${azdo.info.projectId}/_apis/build/builds?definitions=${definitionId}&queryOrder=queueTimeDescending&properties=${Object.values(runFact).join(",")}&api-version=7.1`,
      { token },
    );
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return new Map(
      (res.body.value as { id: number; properties: Record<string, unknown>; tags: string[] }[]).map((b) => [
        b.id,
        { facts: parseFacts(b.properties), tags: [...b.tags].sort() },
      ]),
    );
  }

  const policyIn = async () =>
    (
      (await graph.control("GET", `/tenants/${graph.info.tenantId}/objects/deviceCompliancePolicy`)).body as Record<
        string,
        unknown
      >[]
    ).find((p) => p.displayName === policyName)!;

  it("syncs an empty repository, then deploys a compliance setting changed in the repository", async () => {
    const started = Date.now();
    const emulatorInputs = { authorityHost: graph.info.authorityHost, graphUrl: graph.info.graphUrl };
    const common = {
      tenant,
      serviceConnection: connection.id,
      repositoryPath: "$(Build.SourcesDirectory)",
      ...emulatorInputs,
    };
    const planInputs = {
      ...common,
      operation: "plan",
      conflictPolicy: "config",
      artifactName: "tenant-sync-plan",
      confirmations: "",
    };

    // Run 1: the repository (a README only) takes the tenant in; nothing to deploy.
    const run1 = await queueRun();
    await runTask("run 1 backup", "backup", run1, startJob(run1, "Backup"), common);
    const plan1Job = startJob(run1, "Plan");
    const plan1 = await runTask("run 1 plan", "plan", run1, plan1Job, planInputs);
    assert.equal(plan1.outputs.hasChanges, "false", describeRun(plan1));
    assert.equal(plan1.outputs.deployable, "false", "nothing to deploy: Deploy is skipped");
    assert.equal(plan1.outputs.toChange, "0");
    assert.ok(originBranch(repo.origin, "tenant-sync/backup"), "run 1 pushed the backup branch");
    assert.ok(originBranch(repo.origin, "tenant-sync/base"), "run 1 pushed the base branch");
    const tookIn = JSON.parse(git(repo.origin, "show", `refs/heads/main:${policyFile.replace(/\\/g, "/")}`)) as {
      object: Record<string, unknown>;
    };
    assert.equal(typeof tookIn.object.passwordMinimumLength, "number", "main holds the tenant's compliance policy");
    await azdo.control("PATCH", `/builds/${run1.build.id}`, { status: "completed", result: "succeeded" });

    // Someone changes a setting in the repository and pushes it.
    git(repo.work, "pull", "-q", "--ff-only", "origin", "main");
    const file = join(repo.work, policyFile);
    const doc = JSON.parse(readFileSync(file, "utf8")) as { object: { passwordMinimumLength: number } };
    const before = (await policyIn()).passwordMinimumLength as number;
    assert.equal(doc.object.passwordMinimumLength, before, "the repository agrees with the tenant");
    const wanted = before + 2;
    doc.object.passwordMinimumLength = wanted;
    writeFileSync(file, `${JSON.stringify(doc, null, 2)}\n`);
    // …and adds a named location; the deploy creates it, and settle records its tenant id in main.
    const location = {
      type: "entra.namedLocation",
      id: "",
      object: {
        "@odata.type": "#microsoft.graph.ipNamedLocation",
        displayName: "Branch office",
        isTrusted: true,
        ipRanges: [{ "@odata.type": "#microsoft.graph.iPv4CidrRange", cidrAddress: "198.51.100.0/24" }],
      },
    };
    writeFileSync(
      join(repo.work, "entra.namedLocation", "Branch office.json"),
      `${JSON.stringify(location, null, 2)}\n`,
    );
    git(repo.work, "add", "-A");
    git(repo.work, "commit", "-q", "-m", "Longer passwords on Windows; a branch office location");
    git(repo.work, "push", "-q", "origin", "main");
    // Meanwhile someone changes an update ring in the portal: the Plan stage imports it and pushes main,
    // so the Deploy job's checkout (the queued commit) is behind main when settle commits the new id.
    const ring = (
      (await graph.control("GET", `/tenants/${graph.info.tenantId}/objects/deviceConfiguration`)).body as {
        id: string;
        displayName: string;
      }[]
    ).find((o) => o.displayName === "Update ring - Broad");
    assert.ok(ring);
    await graph.control("PATCH", `/tenants/${graph.info.tenantId}/objects/deviceConfiguration/${ring.id}`, {
      qualityUpdatesDeferralPeriodInDays: 9,
    });

    // Run 2: a new build (new job token) of that commit.
    const run2 = await queueRun();
    assert.notEqual(run2.build.accessToken, run1.build.accessToken);
    await runTask("run 2 backup", "backup", run2, startJob(run2, "Backup"), common);
    const plan2Job = startJob(run2, "Plan");
    const plan2 = await runTask("run 2 plan", "plan", run2, plan2Job, planInputs);
    assert.equal(plan2.outputs.hasChanges, "true", describeRun(plan2));
    assert.equal(plan2.outputs.deployable, "true", "no finding: Deploy asks for approval");
    assert.deepEqual(
      {
        toAdd: plan2.outputs.toAdd,
        toChange: plan2.outputs.toChange,
        toDelete: plan2.outputs.toDelete,
        conflicts: plan2.outputs.conflicts,
      },
      { toAdd: "1", toChange: "1", toDelete: "0", conflicts: "0" },
    );
    assert.ok(
      plan2.stdout
        .split(/\r?\n/)
        .some((l) => /^##vso\[task\.setvariable variable=hasChanges;isOutput=true;[^\]]*\]true$/.test(l)),
      "the hasChanges output is printed as the agent reads it",
    );
    const planArtifact = join(plan2Job.variables["Build.ArtifactStagingDirectory"], "tenant-sync-plan");
    assert.deepEqual(
      plan2.commandsNamed("artifact.upload").map((c) => [c.properties.artifactname, c.message]),
      [["tenant-sync-plan", planArtifact]],
    );
    assert.ok(
      existsSync(join(planArtifact, "plan.json")) && existsSync(join(planArtifact, "plan.md")),
      "the artifact folder holds plan.json and plan.md",
    );
    const plan = JSON.parse(readFileSync(join(planArtifact, "plan.json"), "utf8")) as {
      changes: { action: string; address: string; after?: { object: Record<string, unknown> } }[];
      digest: string;
    };
    assert.equal(
      (await readFacts(run2.build.definition.id)).get(run2.build.id)?.facts.planDigest,
      plan.digest,
      "the Plan stage recorded the artifact's digest on the run",
    );
    assert.deepEqual(
      plan.changes.map((c) => `${c.action} ${c.address}`),
      ['create entra.namedLocation["Branch office"]', `update intune.compliancePolicy["${policyName}"]`],
    );
    // The summary section is titled by its file's name, so it is "Tenant Sync plan.md" beside the artifact, holding plan.md.
    const summaries = plan2.commandsNamed("task.uploadsummary").map((c) => c.message);
    assert.equal(summaries.length, 1, summaries.join(", "));
    assert.match(summaries[0], /plan\.md$/);
    assert.equal(
      readFileSync(summaries[0], "utf8"),
      readFileSync(join(planArtifact, "plan.md"), "utf8"),
      "the summary is the plan's Markdown",
    );
    assert.match(readFileSync(join(planArtifact, "plan.md"), "utf8"), /1 to add, 1 to change, 0 to delete/);

    // An artifact that is not the plan the Plan stage made — run 1's, or this one edited with its
    // digest made again — is refused before anything signs in.
    const policyBefore = await policyIn();
    const edited = structuredClone(plan);
    edited.changes[1].after!.object.passwordMinimumLength = wanted + 10;
    const { digest: _recorded, ...content } = edited;
    const sorted = (v: unknown): unknown =>
      Array.isArray(v)
        ? v.map(sorted)
        : v && typeof v === "object"
          ? Object.fromEntries(
              Object.keys(v)
                .sort()
                .map((k) => [k, sorted((v as Record<string, unknown>)[k])]),
            )
          : v;
    edited.digest = `sha256:${createHash("sha256")
      .update(JSON.stringify(sorted(content)))
      .digest("hex")}`;
    const swaps: [string, string][] = [
      [
        "run 1's plan",
        readFileSync(
          join(plan1Job.variables["Build.ArtifactStagingDirectory"], "tenant-sync-plan", "plan.json"),
          "utf8",
        ),
      ],
      ["an edited plan", JSON.stringify(edited)],
    ];
    for (const [what, text] of swaps) {
      const swapJob = startJob(run2, "Deploy");
      mkdirSync(join(swapJob.workspace, "tenant-sync-plan"));
      writeFileSync(join(swapJob.workspace, "tenant-sync-plan", "plan.json"), text);
      const refused = await runTask(
        `run 2 deploy of ${what}`,
        "deploy",
        run2,
        swapJob,
        { ...common, planPath: "$(Pipeline.Workspace)/tenant-sync-plan", confirmations: "" },
        "Failed",
      );
      assert.match(
        refused.resultMessage ?? "",
        /is not the plan this run's Plan stage made/,
        `${what}: ${describeRun(refused)}`,
      );
      assert.ok(!refused.stdout.includes("Signing in"), `${what}: nothing signed in`);
    }
    assert.deepEqual(await policyIn(), policyBefore, "the refused artifacts changed nothing");

    // Deploy, in its own job: `download: current` puts the artifact under Pipeline.Workspace.
    const deployJob = startJob(run2, "Deploy");
    cpSync(planArtifact, join(deployJob.workspace, "tenant-sync-plan"), { recursive: true });
    const deployed = await runTask("run 2 deploy", "deploy", run2, deployJob, {
      ...common,
      planPath: "$(Pipeline.Workspace)/tenant-sync-plan",
      confirmations: "",
    });
    assert.deepEqual(
      { status: deployed.outputs.status, applied: deployed.outputs.applied, failed: deployed.outputs.failed },
      { status: "succeeded", applied: "2", failed: "0" },
    );
    const mainLog = git(repo.origin, "log", "--format=%s", "refs/heads/main");
    assert.match(
      mainLog,
      /^Record the tenant ids of 1 object the deploy created\nImport 1 change made in tenant/,
      "settle's commit went on top of the drift the Plan stage pushed",
    );
    const created = JSON.parse(git(repo.origin, "show", "refs/heads/main:entra.namedLocation/Branch office.json")) as {
      id: string;
    };
    const inTenant = (
      (await graph.control("GET", `/tenants/${graph.info.tenantId}/objects/namedLocation`)).body as {
        id: string;
        displayName: string;
      }[]
    ).find((o) => o.displayName === "Branch office");
    assert.equal(created.id, inTenant?.id);

    // The tenant has the new value; origin has the Tenant Sync branches, base moved to the repository's value.
    assert.equal((await policyIn()).passwordMinimumLength, wanted);
    assert.ok(originBranch(repo.origin, "tenant-sync/backup"));
    const base = originBranch(repo.origin, "tenant-sync/base");
    assert.ok(base);
    const baseDoc = JSON.parse(
      git(repo.origin, "show", `refs/heads/tenant-sync/base:${policyFile.replace(/\\/g, "/")}`),
    ) as { object: { passwordMinimumLength: number } };
    assert.equal(baseDoc.object.passwordMinimumLength, wanted, "base moved forward to the deployed value");

    // The facts for the hub, read back from the builds list.
    const facts = await readFacts(run2.build.definition.id);
    const first = facts.get(run1.build.id)!;
    assert.equal(first.facts.tenant, tenant);
    assert.equal(first.facts.step, "plan");
    assert.equal(first.facts.plan?.hasChanges, false);
    assert.equal(first.facts.error, undefined);
    assert.deepEqual(first.tags, ["tenant-sync", `tenant:${tenant}`]);
    const second = facts.get(run2.build.id)!;
    assert.equal(second.facts.step, "settle", JSON.stringify(second.facts));
    const { toAdd, toChange, toDelete, conflicts, hasChanges, blocked } = second.facts.plan ?? {};
    assert.deepEqual(
      { toAdd, toChange, toDelete, conflicts, hasChanges, blocked },
      { toAdd: 1, toChange: 1, toDelete: 0, conflicts: 0, hasChanges: true, blocked: false },
    );
    assert.deepEqual(second.facts.deploy, { status: "succeeded", applied: 2, failed: 0, skipped: 0 });
    assert.equal(second.facts.error, undefined);
    assert.deepEqual(second.tags, ["tenant-sync", "tenant-sync:has-changes", `tenant:${tenant}`]);

    // No secret in the log: the job tokens only in the command that registers them with the agent's masker.
    const secrets = [graph.info.clientSecret, run1.build.accessToken, run2.build.accessToken];
    for (const { label, run } of runs) {
      for (const line of `${run.stdout}\n${run.stderr}`.split(/\r?\n/)) {
        for (const secret of secrets) {
          if (line.includes(secret))
            assert.equal(line, `##vso[task.setsecret]${secret}`, `${label} prints a secret outside task.setsecret`);
        }
        if (!line.startsWith("##vso[task.setsecret]"))
          assert.doesNotMatch(line, /eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/, `${label} prints a token`);
      }
    }
    assert.ok(
      !runs.some(({ run }) => run.stdout.includes(graph.info.clientSecret)),
      "the app's client secret never reaches a task",
    );
    assert.ok(
      Date.now() - started < 60_000,
      `the tasks took ${runs.map(({ label, run }) => `${label} ${run.ms} ms`).join(", ")}`,
    );
  });
});
