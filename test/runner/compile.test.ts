/**
 * Compiling pipelines for the local runner: the real template (templates/azure-pipelines.yml) in
 * each mode, its boolean confirmations as the plan and deploy tasks read them, the parameter checks
 * the service makes, template insertions, and every construct the runner does not implement
 * refused with its name and line.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { compilePipeline, type TaskStep } from "../../emulators/azdo/runner/compile";
import { readTaskFolder, type TaskCatalog, catalogKey } from "../../emulators/azdo/runner/task-catalog";
import { CompileErrors } from "../../emulators/azdo/runner/template";
import { parseDeployInputs, parsePlanInputs } from "../../src/pipeline/task-inputs";

const root = join(__dirname, "..", "..");
const template = readFileSync(join(root, "templates/azure-pipelines.yml"), "utf8");

/** The source task.json files stand in for the bundles: compiling reads only task.json. */
function sourceTasks(): TaskCatalog {
  const catalog: TaskCatalog = new Map();
  for (const name of ["backup", "plan", "deploy"]) {
    const dir = join(root, "tasks", name);
    const json = JSON.parse(readFileSync(join(dir, "task.json"), "utf8")) as { execution: Record<string, unknown> };
    assert.ok(json.execution, `tasks/${name}/task.json has an execution handler`);
    const task = readTaskFolder(dir);
    catalog.set(catalogKey(task.name, task.version.Major), task);
  }
  const fake = readTaskFolder(join(__dirname, "fixtures/fake-task"));
  catalog.set(catalogKey(fake.name, fake.version.Major), fake);
  return catalog;
}
const tasks = sourceTasks();

function compileTemplate(parameters: Record<string, string | boolean>) {
  return compilePipeline({ yaml: template, templateParameters: parameters, tasks });
}

function taskStep(pipeline: ReturnType<typeof compileTemplate>, stage: string): TaskStep {
  const step = pipeline.stages.find((s) => s.name === stage)!.jobs[0].steps.find((s) => s.kind === "task");
  return step as TaskStep;
}

function compileErrors(yaml: string, parameters: Record<string, string | boolean> = {}): string[] {
  try {
    compilePipeline({ yaml, templateParameters: parameters, tasks });
  } catch (e) {
    if (e instanceof CompileErrors) return e.issues.map((i) => `${i.line}: ${i.message}`);
    throw e;
  }
  assert.fail("the pipeline compiled");
}

describe("runner compile: the real template", () => {
  it("has Backup → Plan → Deploy with the Deploy stage a deployment on the tenant's environment", () => {
    const p = compileTemplate({ tenant: "fabrikam" });
    assert.deepEqual(
      p.stages.map((s) => [s.name, s.dependsOn]),
      [
        ["Backup", []],
        ["Plan", ["Backup"]],
        ["Deploy", ["Plan"]],
      ],
    );
    const deploy = p.stages[2].jobs[0];
    assert.equal(deploy.kind, "deployment");
    assert.equal(deploy.environment?.text, "tenant-sync-fabrikam");
    assert.deepEqual(
      deploy.steps.map((s) => s.kind),
      ["checkout", "download", "task"],
    );
    assert.equal(p.lockBehavior, "runLatest");
    const backup = taskStep(p, "Backup");
    assert.equal(backup.name, "backup");
    assert.equal(backup.displayName, "Back up tenant fabrikam");
    assert.deepEqual(backup.inputs, {
      tenant: "fabrikam",
      serviceConnection: "tenant-sync-fabrikam",
      repositoryPath: "$(Build.SourcesDirectory)",
    });
    const checkout = p.stages[0].jobs[0].steps[0];
    assert.ok(checkout.kind === "checkout" && checkout.persistCredentials && checkout.fetchDepth === 0);
  });

  const modes: [string, string, string, string][] = [
    ["sync", "plan", "and(succeeded(), ne('sync', 'backupOnly'))", "eq('sync', 'sync')"],
    ["backupOnly", "plan", "and(succeeded(), ne('backupOnly', 'backupOnly'))", "eq('backupOnly', 'sync')"],
    ["revert", "revert", "and(succeeded(), ne('revert', 'backupOnly'))", "eq('revert', 'sync')"],
  ];
  for (const [mode, operation, planCondition, deployPart] of modes) {
    it(`mode ${mode}: operation ${operation}, the stage conditions carry the mode`, () => {
      const p = compileTemplate({ mode });
      assert.equal(taskStep(p, "Plan").inputs.operation, operation);
      assert.equal(p.stages[1].condition.text, planCondition);
      assert.ok(p.stages[2].condition.text.includes(deployPart), p.stages[2].condition.text);
      assert.ok(p.stages[2].condition.text.includes("dependencies.Plan.outputs['makePlan.plan.deployable']"));
    });
  }

  const confirmations: [Record<string, boolean>, string[]][] = [
    [{}, []],
    [{ confirmDeletes: true }, ["deletes"]],
    [{ confirmMassChanges: true, confirmSecrets: true }, ["mass", "secrets"]],
    [{ confirmDeletes: true, confirmMassChanges: true, confirmSecrets: true }, ["deletes", "mass", "secrets"]],
  ];
  for (const [given, expected] of confirmations) {
    it(`confirmations ${JSON.stringify(given)} reach plan and deploy as ${JSON.stringify(expected)}`, () => {
      const p = compileTemplate(given);
      for (const [stage, parse] of [
        ["Plan", parsePlanInputs],
        ["Deploy", parseDeployInputs],
      ] as const) {
        const inputs: Record<string, string> = {
          ...taskStep(p, stage).inputs,
          artifactFolder: "/tmp/a",
          artifactName: "tenant-sync-plan",
          serviceConnection: "00000000-0000-0000-0000-000000000001",
        };
        const parsed = parse((name) => inputs[name]);
        assert.deepEqual(parsed.confirmations, expected, stage);
      }
    });
  }

  it("renders a boolean parameter queued as the string 'True' like a boolean", () => {
    const p = compileTemplate({ confirmDeletes: "True" });
    assert.match(taskStep(p, "Plan").inputs.confirmations, /^deletes\n/);
  });

  const badParameters: [Record<string, string | boolean>, RegExp][] = [
    [{ mode: "everything" }, /The 'mode' parameter value 'everything' is not a valid value\./],
    [{ conflictPolicy: "mine" }, /The 'conflictPolicy' parameter value 'mine' is not a valid value\./],
    [{ confirmDeletes: "yes" }, /The 'confirmDeletes' parameter is not a valid Boolean\./],
    [{ tenantt: "x" }, /Unexpected parameter 'tenantt'/],
  ];
  for (const [given, message] of badParameters) {
    it(`refuses the parameters ${JSON.stringify(given)}`, () => {
      const errors = compileErrors(template, given);
      assert.ok(
        errors.some((e) => message.test(e)),
        errors.join("\n"),
      );
    });
  }
});

describe("runner compile: template expressions", () => {
  it("inserts with if/elseif/else in mappings and sequences, and repeats with each", () => {
    const yaml = `
parameters:
  - name: flavour
    default: b
  - name: n
    type: number
    default: 2
variables:
  greeting: hello-\${{ parameters.flavour }}
stages:
  - stage: S
    jobs:
      - job: J
        steps:
          - \${{ if eq(parameters.flavour, 'a') }}:
              - task: FakeTask@1
                name: isA
          - \${{ elseif eq(parameters.flavour, 'B') }}:
              - task: FakeTask@1
                name: isB
          - \${{ else }}:
              - task: FakeTask@1
                name: other
          - \${{ each word in split_me }}:
              - task: FakeTask@1
          - task: FakeTask@1
            name: last
            inputs:
              \${{ if gt(parameters.n, 1) }}:
                lines: many \${{ variables.greeting }}
              \${{ else }}:
                lines: one
`.replace("split_me", "parameters.words");
    // each over a missing value repeats nothing; the rest is the point
    const p = compilePipeline({ yaml, tasks });
    const steps = p.stages[0].jobs[0].steps as TaskStep[];
    assert.deepEqual(
      steps.map((s) => s.name),
      ["isB", "last"],
    );
    assert.deepEqual(steps[1].inputs, { lines: "many hello-b" });
  });

  it("repeats a step for each item of an object parameter's keys", () => {
    const yaml = `
steps:
  - \${{ each v in variables }}:
      - task: FakeTask@1
        name: t_\${{ v.key }}
        inputs:
          lines: \${{ v.value }}
`;
    const p = compilePipeline({ yaml, tasks, variables: { one: "1", two: "2" } });
    const steps = p.stages[0].jobs[0].steps as TaskStep[];
    assert.deepEqual(
      steps.map((s) => [s.name, s.inputs.lines]),
      [
        ["t_one", "1"],
        ["t_two", "2"],
      ],
    );
  });
});

describe("runner compile: what the runner does not implement is refused with its line", () => {
  const cases: [string, string, RegExp][] = [
    ["extends", "extends:\n  template: t.yml\n", /^1: 'extends' is not supported/],
    ["resources", "resources:\n  repositories: []\nsteps:\n  - task: FakeTask@1\n", /^1: 'resources' is not supported/],
    ["a step template", "steps:\n  - template: steps.yml\n", /^2: The step type 'template' is not supported/],
    [
      "a script step",
      "steps:\n  - task: FakeTask@1\n  - script: echo hi\n",
      /^3: The step type 'script' is not supported/,
    ],
    ["a bash step", "steps:\n  - bash: echo hi\n", /^2: The step type 'bash' is not supported/],
    [
      "a container job",
      "jobs:\n  - job: J\n    container: ubuntu\n    steps:\n      - task: FakeTask@1\n",
      /^3: 'container' in the job 'J' is not supported/,
    ],
    [
      "a matrix",
      "jobs:\n  - job: J\n    strategy:\n      matrix: {}\n    steps:\n      - task: FakeTask@1\n",
      /^3: 'strategy' in the job 'J' is not supported/,
    ],
    [
      "a rolling deployment",
      "jobs:\n  - deployment: D\n    environment: e\n    strategy:\n      rolling:\n        deploy:\n          steps: []\n",
      /^5: 'rolling' in strategy is not supported/,
    ],
    ["a self-hosted pool", "pool: Default\nsteps:\n  - task: FakeTask@1\n", /^1: 'pool: Default' is not supported/],
    ["a pool demand", "pool:\n  name: x\nsteps:\n  - task: FakeTask@1\n", /^2: 'name' in pool is not supported/],
    [
      "a task we do not ship",
      "steps:\n  - task: PowerShell@2\n",
      /^2: A task is missing\. The pipeline references a task called 'PowerShell'/,
    ],
    [
      "another repository's checkout",
      "steps:\n  - checkout: git://p/r\n",
      /^2: 'checkout: git:\/\/p\/r' is not supported/,
    ],
    [
      "a variable group",
      "variables:\n  - group: secrets\nsteps:\n  - task: FakeTask@1\n",
      /^2: 'variables: - group' is not supported/,
    ],
    [
      "an object parameter",
      "parameters:\n  - name: o\n    type: object\n    default: {}\nsteps:\n  - task: FakeTask@1\n",
      /^3: The parameter 'o' has type 'object'/,
    ],
    ["a bad condition", "steps:\n  - task: FakeTask@1\n    condition: eq(1\n", /^3: The condition is not valid/],
    [
      "an insert directive",
      "steps:\n  - task: FakeTask@1\n    inputs:\n      ${{ insert }}: {}\n",
      /^4: The template directive '\$\{\{ insert \}\}' is not supported/,
    ],
    [
      "an unknown dependency",
      "stages:\n  - stage: A\n    dependsOn: B\n    jobs:\n      - job: J\n        steps:\n          - task: FakeTask@1\n",
      /^2: The stage 'A' depends on the unknown stage 'B'/,
    ],
    ["an alias", "x: &a 1\ny: *a\nsteps:\n  - task: FakeTask@1\n", /anchors and aliases are not supported/],
    [
      "a timeout",
      "steps:\n  - task: FakeTask@1\n    timeoutInMinutes: 5\n",
      /^3: 'timeoutInMinutes' in a task step is not supported/,
    ],
  ];
  for (const [what, yaml, message] of cases) {
    it(what, () => {
      const errors = compileErrors(yaml);
      assert.ok(
        errors.some((e) => message.test(e)),
        errors.join("\n"),
      );
    });
  }
});
