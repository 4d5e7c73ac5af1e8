/**
 * Runs of small pipelines on the local runner with a fake task (a Node script that prints logging
 * commands) through the in-memory host: the timeline, output variables reaching a later stage's
 * condition, the task's environment, secrets masked, artifacts between stages, approvals (a
 * rejection skips the rest), cancellation killing the running task, and YAML errors.
 */
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runPipeline, type BuildInfo } from "../../emulators/azdo/runner/run";
import { catalogKey, readTaskFolder, type TaskCatalog } from "../../emulators/azdo/runner/task-catalog";
import { MemoryHost, type MemoryHostOptions } from "./memory-host";

const fake = readTaskFolder(join(__dirname, "fixtures/fake-task"));
const tasks: TaskCatalog = new Map([[catalogKey(fake.name, fake.version.Major), fake]]);

const build: BuildInfo = {
  buildId: 42,
  buildNumber: "20240101.1",
  definitionId: 7,
  definitionName: "tenant-sync-contoso",
  planId: "11111111-2222-3333-4444-555555555555",
  collectionUri: "https://127.0.0.1:1/org/",
  project: "project",
  projectId: "99999999-8888-7777-6666-555555555555",
  repository: { id: "r1", name: "config", uri: "https://127.0.0.1:1/org/project/_git/config" },
  sourceBranch: "refs/heads/main",
  sourceVersion: "abc123",
  reason: "Manual",
  requestedFor: "Tester",
};

const connection = {
  id: "c0ffee00-0000-4000-8000-000000000001",
  name: "tenant-sync-contoso",
  url: "https://management.azure.com/",
  scheme: "WorkloadIdentityFederation",
  parameters: {
    tenantid: "t-1",
    serviceprincipalid: "app-1",
    workloadIdentityFederationSubject: "sc://org/project/tenant-sync-contoso",
  },
  data: { environment: "AzureCloud" },
};

async function run(
  yaml: string,
  options: MemoryHostOptions = {},
  extra: Partial<Parameters<typeof runPipeline>[0]> = {},
) {
  const host = new MemoryHost({ connections: [connection], ...options });
  const outcome = await runPipeline(
    { yaml, build, tasks, workDirectory: mkdtempSync(join(tmpdir(), "runner-")), killGraceMs: 2000, ...extra },
    host,
  );
  return { host, outcome };
}

const twoStages = (deployCondition: string) => `
parameters:
  - name: go
    type: boolean
    default: true
stages:
  - stage: Plan
    jobs:
      - job: makePlan
        steps:
          - task: FakeTask@1
            name: plan
            inputs:
              lines: |
                ##vso[task.setvariable variable=deployable;isOutput=true]\${{ parameters.go }}
                ##vso[task.setvariable variable=hidden;issecret=true]hush-hush
                uses hush-hush here
                ##vso[task.logissue type=warning;code=W1]careful
                ##vso[build.addbuildtag]tenant:contoso
                ##vso[artifact.upload containerfolder=plan;artifactname=plan]$(Build.ArtifactStagingDirectory)/out
                ##vso[task.uploadsummary]$(Build.ArtifactStagingDirectory)/out/note.md
                ##vso[task.setprogress value=40;]working
                ##vso[foo.bar]what
  - stage: Deploy
    condition: ${deployCondition}
    jobs:
      - deployment: deployPlan
        environment: tenant-sync-contoso
        strategy:
          runOnce:
            deploy:
              steps:
                - task: FakeTask@1
                  name: deploy
                  inputs:
                    connection: tenant-sync-contoso
                    echoEnv: INPUT_CONNECTION,ENDPOINT_AUTH_SCHEME_${connection.id},ENDPOINT_AUTH_PARAMETER_${connection.id}_TENANTID,SYSTEM_HOSTTYPE,BUILD_BUILDID,SYSTEM_STAGENAME,AGENT_JOBSTATUS,QUEUED,SECRET_QUEUED,ENDPOINT_AUTH_PARAMETER_SYSTEMVSSCONNECTION_ACCESSTOKEN,SYSTEM_OIDCREQUESTURI,VSTS_SECRET_VARIABLES,INPUT_WHERE,ENVIRONMENT_NAME
`;
const deployable = "and(succeeded(), eq(dependencies.Plan.outputs['makePlan.plan.deployable'], 'True'))";

/** Stage A (job a with the given steps, indented for a steps list) then stage B with one task. */
const stagesAB = (stepsOfA: string) => `
stages:
  - stage: A
    jobs:
      - job: a
        steps:
${stepsOfA}
  - stage: B
    jobs:
      - job: b
        steps:
          - task: FakeTask@1
`;

describe("runner: a run of a fake pipeline", () => {
  it("passes an output variable to a later stage's condition, records the timeline, masks secrets", async () => {
    const { host, outcome } = await run(
      twoStages(deployable),
      {},
      { variables: { queued: { value: "q-secret-value", isSecret: true } } },
    );
    // A warning alone leaves the task succeeded, as on the agent.
    assert.equal(outcome.result, "succeeded", JSON.stringify(outcome.stages));
    assert.deepEqual([host.status, host.result], ["completed", "succeeded"]);
    assert.equal(host.record("Stage", "Deploy").result, "succeeded");
    assert.equal(host.record("Stage", "Plan").result, "succeeded");
    const plan = host.record("Task", "plan");
    assert.equal(plan.warningCount, 1);
    assert.equal(plan.percentComplete, 40);
    assert.equal(plan.currentOperation, "working");
    assert.deepEqual(plan.issues?.[0], {
      type: "warning",
      category: "General",
      message: "careful",
      data: { code: "W1" },
    });
    const planLog = host.logOf(plan);
    assert.ok(planLog.includes("uses *** here"), planLog.join("\n"));
    assert.ok(planLog.some((l) => l.startsWith("##[warning]Unable to process command '##vso[foo.bar]what'")));
    assert.ok(!planLog.some((l) => l.includes("##vso[task.setvariable")), "commands are not logged");
    assert.deepEqual(host.tags, ["tenant:contoso"]);
    assert.deepEqual([...host.artifacts.get("plan")!.keys()], ["note.md"]);
    assert.deepEqual(
      host.attachments.map((a) => [a.recordId, a.type, a.name]),
      [[plan.id, "DistributedTask.Core.Summary", "note.md"]],
    );

    const deployLog = host.logOf(host.record("Task", "deploy"));
    const env = Object.fromEntries(
      deployLog
        .filter((l) => /^[A-Za-z_0-9-]+=/.test(l))
        .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
    );
    assert.equal(env.INPUT_CONNECTION, connection.id);
    assert.equal(env[`ENDPOINT_AUTH_SCHEME_${connection.id}`], "WorkloadIdentityFederation");
    assert.equal(env[`ENDPOINT_AUTH_PARAMETER_${connection.id}_TENANTID`], "t-1");
    assert.equal(env.SYSTEM_HOSTTYPE, "build");
    assert.equal(env.BUILD_BUILDID, "42");
    assert.equal(env.SYSTEM_STAGENAME, "Deploy");
    assert.equal(env.AGENT_JOBSTATUS, "Succeeded");
    assert.equal(env.ENVIRONMENT_NAME, "tenant-sync-contoso");
    assert.equal(env.QUEUED, "<unset>", "a secret variable is not in the environment by its name");
    assert.equal(env.SECRET_QUEUED, "***", "a secret variable is passed as SECRET_ (masked in the log)");
    assert.equal(env.ENDPOINT_AUTH_PARAMETER_SYSTEMVSSCONNECTION_ACCESSTOKEN, "***", "the job token is masked");
    assert.match(env.SYSTEM_OIDCREQUESTURI, /\/oidctoken$/);
    assert.ok(JSON.parse(env.VSTS_SECRET_VARIABLES).includes("System.AccessToken"));
    assert.match(env.INPUT_WHERE, /\/\d+\/a\/out$/, "the task.json default is applied and its macro expanded");
    assert.ok(
      !host.allLogText().includes("hush-hush") &&
        !host.allLogText().includes("q-secret-value") &&
        !host.allLogText().includes("job-token-"),
    );

    // Timeline shape: Stage → Phase → Job → Task; the deployment stage without checks has no Checkpoint.
    const deployJob = host.record("Job", "Deploy.deployPlan.__default");
    const phase = host.records.get(deployJob.parentId!)!;
    assert.equal(phase.type, "Phase");
    assert.equal(host.records.get(phase.parentId!)!.identifier, "Deploy");
    assert.deepEqual(
      host
        .byType("Task")
        .filter((t) => t.parentId === deployJob.id)
        .map((t) => [t.name, t.result]),
      [
        ["Download artifact - current", "succeeded"],
        ["Fake task", "succeeded"],
      ],
    );
    assert.equal(host.byType("Checkpoint").length, 0);
  });

  it("skips the later stage when the output variable says so", async () => {
    const { host, outcome } = await run(twoStages(deployable), {}, { templateParameters: { go: false } });
    assert.equal(outcome.result, "succeeded");
    assert.equal(host.record("Stage", "Deploy").result, "skipped");
    assert.equal(host.record("Job", "Deploy.deployPlan.__default").result, "skipped");
    assert.equal(host.byType("Task").filter((t) => t.identifier === "deploy").length, 0);
  });

  it("asks for approval after the lock; a rejection fails the stage and the run, and skips the rest", async () => {
    const yaml = `${twoStages("succeeded()")}
  - stage: After
    jobs:
      - job: after
        steps:
          - task: FakeTask@1
`;
    const { host, outcome } = await run(yaml, {
      environments: { "tenant-sync-contoso": { exclusiveLock: true, approval: { approvers: ["alice"] } } },
      approve: () => "rejected",
    });
    assert.equal(outcome.result, "failed");
    assert.equal(host.result, "failed");
    const stage = host.record("Stage", "Deploy");
    assert.equal(stage.result, "failed");
    const [checkpoint] = host.byType("Checkpoint");
    assert.equal(checkpoint.parentId, stage.id);
    const [approval] = host.byType("Checkpoint.Approval");
    assert.deepEqual([approval.parentId, approval.state, approval.result], [checkpoint.id, "completed", "failed"]);
    assert.equal(host.approvals[0].approvalId, approval.id);
    assert.deepEqual(host.locks, ["acquire tenant-sync-contoso", "release tenant-sync-contoso"]);
    assert.equal(host.record("Job", "Deploy.deployPlan.__default").result, "skipped");
    assert.equal(host.record("Stage", "After").result, "skipped");
  });

  it("runs the deployment after an approval", async () => {
    const { host } = await run(twoStages(deployable), {
      environments: { "tenant-sync-contoso": { exclusiveLock: false, approval: { approvers: ["alice"] } } },
      approve: () => "approved",
    });
    assert.equal(host.byType("Checkpoint.Approval")[0].result, "succeeded");
    assert.equal(host.record("Task", "deploy").result, "succeeded");
  });

  it("fails a task that exits non-zero, skips the next step and stage", async () => {
    const yaml = stagesAB(`          - checkout: none
          - task: FakeTask@1
            name: first
            inputs:
              exitCode: 3
          - task: FakeTask@1
            name: second
          - task: FakeTask@1
            name: cleanup
            condition: always()
            inputs:
              echoEnv: AGENT_JOBSTATUS`);
    const { host, outcome } = await run(yaml);
    assert.equal(outcome.result, "failed");
    const first = host.record("Task", "first");
    assert.equal(first.result, "failed");
    assert.match(first.issues![0].message, /^Exit code 3 returned from process/);
    assert.equal(host.record("Task", "second").result, "skipped");
    assert.ok(host.logOf(host.record("Task", "cleanup")).includes("AGENT_JOBSTATUS=Failed"));
    assert.equal(host.record("Stage", "B").result, "skipped");
    assert.equal(host.checkouts.length, 0, "checkout: none");
  });

  it("takes task.complete's result over the exit code, and continueOnError turns failure into issues", async () => {
    const yaml = `
steps:
  - task: FakeTask@1
    name: failing
    continueOnError: true
    inputs:
      lines: "##vso[task.complete result=Failed;]nope"
  - task: FakeTask@1
    name: next
    inputs:
      lines: "##vso[build.updatebuildnumber]v-2"
      echoEnv: BUILD_BUILDNUMBER
`;
    const { host, outcome } = await run(yaml);
    assert.equal(host.record("Task", "failing").result, "succeededWithIssues");
    assert.equal(outcome.result, "partiallySucceeded");
    assert.equal(host.buildNumber, "v-2");
    assert.equal(host.checkouts.length, 1, "a job without a checkout step checks out self");
  });

  it("cancels: the running task gets SIGTERM, the rest is canceled or skipped", async () => {
    const yaml = stagesAB(`          - task: FakeTask@1
            name: long
            inputs:
              hang: true
          - task: FakeTask@1
            name: after`);
    const { host, outcome } = await run(yaml, { onLog: (line, h) => line === "waiting" && h.cancel() });
    assert.equal(outcome.result, "canceled");
    assert.equal(host.result, "canceled");
    const long = host.record("Task", "long");
    assert.equal(long.result, "canceled");
    assert.ok(host.logOf(long).includes("got SIGTERM"));
    assert.equal(host.record("Task", "after").result, "skipped");
    assert.equal(host.record("Stage", "A").result, "canceled");
    assert.equal(host.record("Stage", "B").result, "skipped");
  });

  it("fails before any stage on a YAML error or an unknown service connection, naming the line", async () => {
    const bad = await run("steps:\n  - script: echo\n");
    assert.equal(bad.outcome.result, "failed");
    assert.equal(bad.host.records.size, 0);
    assert.match(
      bad.host.buildIssues[0].message,
      /^\/azure-pipelines\.yml \(Line: 2\): The step type 'script' is not supported/,
    );
    const unknown = await run("steps:\n  - task: FakeTask@1\n    inputs:\n      connection: nope\n");
    assert.match(
      unknown.host.buildIssues[0].message,
      /\(Line: 2\): Job Job: Step FakeTask input connection references service connection nope which could not be found/,
    );
    const param = await run("steps:\n  - task: FakeTask@1\n", {}, { templateParameters: { x: "1" } });
    assert.match(param.host.buildIssues[0].message, /Unexpected parameter 'x'/);
  });

  it("passes outputs between jobs with dependencies and stageDependencies, and runtime variables", async () => {
    const yaml = `
stages:
  - stage: A
    jobs:
      - job: j1
        steps:
          - task: FakeTask@1
            name: s
            inputs:
              lines: "##vso[task.setvariable variable=v;isOutput=true]from-j1"
      - job: j2
        dependsOn: j1
        condition: eq(dependencies.j1.outputs['s.v'], 'from-j1')
        variables:
          got: $[ dependencies.j1.outputs['s.v'] ]
        steps:
          - task: FakeTask@1
            name: show
            inputs:
              echoEnv: GOT
  - stage: B
    jobs:
      - job: k
        condition: eq(stageDependencies.A.j1.outputs['s.v'], 'from-j1')
        steps:
          - task: FakeTask@1
            name: showB
            inputs:
              lines: B saw $(System.StageName)
`;
    const { host, outcome } = await run(yaml);
    assert.equal(outcome.result, "succeeded");
    assert.ok(host.logOf(host.record("Task", "show")).includes("GOT=from-j1"));
    assert.ok(host.logOf(host.record("Task", "showB")).includes("B saw B"));
    assert.deepEqual(outcome.stages.A.jobs.j1.outputs, { "s.v": "from-j1" });
  });
});
