/**
 * The pipeline template (templates/azure-pipelines.yml): valid Azure Pipelines YAML by the published
 * schema — with this extension's tasks added from their task.json, as an organisation that installed
 * the extension serves it, so every task input the template sets is one the task declares — and the
 * shape DESIGN §2 asks for: Backup → Plan → Deploy, the plan travelling as an artifact, Deploy a
 * deployment job on tenant-sync-<tenant> that runs only when the plan is deployable with the run's
 * confirmations, which Plan and Deploy both get.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv, { type ErrorObject } from "ajv";
import { parse } from "yaml";
import {
  packageVersion,
  readJson,
  readTaskJson,
  root,
  taskFolders,
  type TaskInput,
  type TaskJson,
} from "../packaging/extension-files";

type Json = Record<string, unknown>;
type Step = Json & { task?: string; name?: string; inputs?: Record<string, string> };

const templatePath = join(root, "templates/azure-pipelines.yml");
const schemaPath = join(root, "spec/azure-pipelines-yaml/service-schema.json");

/** A value that is wholly an expression or a macro, which only the pipeline resolves. */
const expressionPattern = "^(\\$\\{\\{.*\\}\\}|\\$\\(.*\\)|\\$\\[.*\\])$";

function inputSchema(input: TaskInput): Json {
  const options = Object.keys(input.options ?? {});
  const multiSelect = input.properties?.MultiSelectFlatList === "True" || input.properties?.EditableOptions === "True";
  if (input.type === "boolean")
    return { type: "string", anyOf: [{ pattern: "^(true|false)$" }, { pattern: expressionPattern }] };
  if ((input.type === "pickList" || input.type === "radio") && options.length && !multiSelect) {
    return { type: "string", anyOf: [{ enum: options }, { pattern: expressionPattern }] };
  }
  return { type: "string" };
}

/** What the schema an organisation serves says about a task, built from its task.json. */
function taskEntry(task: TaskJson, major: number): Json {
  const properties: Json = {};
  for (const input of task.inputs ?? []) {
    for (const name of [input.name, ...(input.aliases ?? [])]) properties[name] = inputSchema(input);
  }
  const required = (task.inputs ?? [])
    .filter((i) => i.required && !i.defaultValue && !i.visibleRule)
    .map((i) => i.name);
  return {
    properties: {
      task: { pattern: `^${task.name}@${major}$` },
      inputs: { type: "object", properties, additionalProperties: false, required },
    },
    required: ["task"],
  };
}

function schemaWithTasks(tasks: TaskJson[], major: number): Json {
  const schema = readJson<{ definitions: { task: { properties: { task: { anyOf: Json[] } }; anyOf: Json[] } } }>(
    schemaPath,
  );
  for (const task of tasks) {
    schema.definitions.task.properties.task.anyOf.push({ enum: [`${task.name}@${major}`] });
    schema.definitions.task.anyOf.push(taskEntry(task, major));
  }
  return schema as unknown as Json;
}

/** The errors nearest the fault: anyOf reports every branch, the deepest paths say what is wrong. */
function describeErrors(errors: ErrorObject[]): string {
  const depth = Math.max(...errors.map((e) => e.instancePath.split("/").length));
  return errors
    .filter((e) => e.instancePath.split("/").length === depth)
    .slice(0, 8)
    .map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`)
    .join("\n");
}

function stepsOf(job: Json): Step[] {
  const strategy = job.strategy as { runOnce?: { deploy?: { steps?: Step[] } } } | undefined;
  return (job.steps as Step[] | undefined) ?? strategy?.runOnce?.deploy?.steps ?? [];
}

describe("pipeline template (templates/azure-pipelines.yml)", function () {
  this.timeout(60_000);
  // The failsafe schema reads every scalar as a string, as Azure Pipelines does.
  const template = parse(readFileSync(templatePath, "utf8"), { schema: "failsafe" }) as Json;
  const stages = template.stages as (Json & { stage: string; jobs: Json[] })[];
  const stage = (name: string) => {
    const found = stages.find((s) => s.stage === name);
    assert.ok(found, `no stage ${name}`);
    return found;
  };
  const tasks = taskFolders().map(readTaskJson);
  const major = packageVersion().Major;
  const taskRef = (name: string) => `${name}@${major}`;
  const taskStep = (job: Json, name: string) => {
    const step = stepsOf(job).find((s) => s.task === taskRef(name));
    assert.ok(step, `no ${taskRef(name)} step`);
    return step;
  };

  let validate: ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };
  before(() => {
    // The schema's patterns are JavaScript regular expressions without the u flag.
    validate = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false }).compile(schemaWithTasks(tasks, major));
  });

  it("is valid against the Azure Pipelines YAML schema, with the extension's tasks as their task.json declares them", () => {
    assert.equal(tasks.length, 3, "expected the backup, plan and deploy tasks under tasks/");
    assert.ok(validate(template), describeErrors(validate.errors ?? []));
  });

  it("would be invalid with a task input its task does not declare, or a misspelt key", () => {
    const withInput = structuredClone(template) as typeof template;
    const deploy = stepsOf((withInput.stages as { jobs: Json[] }[])[2].jobs[0]).find(
      (s) => s.task === taskRef("TenantSyncDeploy"),
    );
    (deploy?.inputs as Record<string, string>).confirm = "deletes";
    assert.equal(validate(withInput), false, "an undeclared input passed the schema");
    const withKey = structuredClone(template) as typeof template;
    (withKey.stages as Json[])[1].dependOn = "Backup";
    assert.equal(validate(withKey), false, "a misspelt stage key passed the schema");
  });

  it("refers to each task at the major version the build stamps from package.json", () => {
    const used = stages
      .flatMap((s) => s.jobs.flatMap(stepsOf))
      .map((s) => s.task)
      .filter(Boolean);
    assert.deepEqual(used.sort(), tasks.map((t) => taskRef(t.name)).sort());
  });

  it("takes the tenant, mode, confirmations and conflict policy as parameters", () => {
    const parameters = template.parameters as { name: string; type: string; values?: string[]; default?: string }[];
    const byName = new Map(parameters.map((p) => [p.name, p]));
    assert.equal(byName.get("tenant")?.type, "string");
    assert.deepEqual(byName.get("mode")?.values, ["sync", "backupOnly", "revert"]);
    assert.equal(byName.get("mode")?.default, "sync");
    for (const name of ["confirmDeletes", "confirmMassChanges", "confirmSecrets"]) {
      assert.deepEqual(
        [byName.get(name)?.type, byName.get(name)?.default],
        ["boolean", "false"],
        `${name}: a boolean, off unless a run confirms`,
      );
    }
    const conflictPolicy = tasks
      .find((t) => t.name === "TenantSyncPlan")
      ?.inputs?.find((i) => i.name === "conflictPolicy");
    assert.deepEqual(
      byName.get("conflictPolicy")?.values,
      Object.keys(conflictPolicy?.options ?? {}),
      "the plan task's conflict policies",
    );
  });

  it("runs daily on a schedule, even without commits, and by hand; never on push", () => {
    const [schedule] = template.schedules as { cron: string; always: string }[];
    assert.match(schedule.cron, /^\d+ \d+ \* \* \*$/);
    assert.equal(schedule.always, "true");
    assert.equal(template.trigger, "none");
    assert.equal(template.pr, "none");
  });

  it("runs the stages Backup → Plan → Deploy, each after the one before", () => {
    assert.deepEqual(
      stages.map((s) => s.stage),
      ["Backup", "Plan", "Deploy"],
    );
    assert.equal(stage("Plan").dependsOn, "Backup");
    assert.equal(stage("Deploy").dependsOn, "Plan");
  });

  it("checks the repository out with persisted credentials wherever a task pushes", () => {
    for (const s of stages) {
      for (const job of s.jobs) {
        const checkout = stepsOf(job).find((step) => step.checkout === "self");
        assert.equal(checkout?.persistCredentials, "true", `${s.stage}: checkout: self with persistCredentials: true`);
      }
    }
  });

  it("deploys from a deployment job on the environment tenant-sync-<tenant>", () => {
    const jobs = stage("Deploy").jobs;
    assert.equal(jobs.length, 1);
    assert.ok(jobs[0].deployment, "Deploy's job is a deployment job (it gets the environment's approval and lock)");
    assert.equal(jobs[0].environment, "tenant-sync-${{ parameters.tenant }}");
  });

  it("deploys (and asks for approval) only when the plan is deployable, reading the plan task's deployable output", () => {
    const [planJob] = stage("Plan").jobs;
    const planStep = taskStep(planJob, "TenantSyncPlan");
    const plan = tasks.find((t) => t.name === "TenantSyncPlan");
    assert.ok(
      plan?.outputVariables?.some((v) => v.name === "deployable"),
      "the plan task declares the output deployable",
    );
    const output = `dependencies.Plan.outputs['${String(planJob.job)}.${String(planStep.name)}.deployable']`;
    const condition = String(stage("Deploy").condition);
    assert.ok(condition.includes(`eq(${output}, 'true')`), `Deploy's condition reads ${output}: ${condition}`);
    assert.ok(!condition.includes("hasChanges"), "not hasChanges: a blocked or unconfirmed plan has changes too");
    assert.match(condition, /^and\(succeeded\(\), /);
  });

  it("backs up only in backupOnly mode, reverts in the Plan stage in revert mode, and deploys only in sync mode", () => {
    assert.equal(stage("Plan").condition, "and(succeeded(), ne('${{ parameters.mode }}', 'backupOnly'))");
    const operation = taskStep(stage("Plan").jobs[0], "TenantSyncPlan").inputs?.operation;
    assert.equal(operation, "${{ iif(eq(parameters.mode, 'revert'), 'revert', 'plan') }}");
    assert.ok(String(stage("Deploy").condition).includes("eq('${{ parameters.mode }}', 'sync')"));
  });

  it("deploys exactly the plan artifact the Plan stage published", () => {
    const planInputs = taskStep(stage("Plan").jobs[0], "TenantSyncPlan").inputs ?? {};
    const deployJob = stage("Deploy").jobs[0];
    const steps = stepsOf(deployJob);
    const download = steps.find((s) => s.download === "current");
    assert.equal(download?.artifact, planInputs.artifactName, "Deploy downloads the artifact the plan task published");
    const deploy = taskStep(deployJob, "TenantSyncDeploy");
    assert.ok(steps.indexOf(download as Step) < steps.indexOf(deploy), "download before deploy");
    assert.equal(
      deploy.inputs?.planPath,
      `$(Pipeline.Workspace)/${planInputs.artifactName}`,
      "the deploy task reads the downloaded plan",
    );
  });

  it("passes the same confirmations to the plan and deploy tasks and signs every task in with the tenant's service connection", () => {
    const deploy = taskStep(stage("Deploy").jobs[0], "TenantSyncDeploy");
    const plan = taskStep(stage("Plan").jobs[0], "TenantSyncPlan");
    for (const [parameter, value] of [
      ["confirmDeletes", "deletes"],
      ["confirmMassChanges", "mass"],
      ["confirmSecrets", "secrets"],
    ]) {
      assert.ok(
        deploy.inputs?.confirmations?.includes(`iif(parameters.${parameter}, '${value}', '')`),
        `${parameter} → ${value}`,
      );
    }
    assert.equal(
      plan.inputs?.confirmations,
      deploy.inputs?.confirmations,
      "Plan judges deployable with exactly the confirmations Deploy gives",
    );
    for (const s of stages) {
      for (const step of s.jobs.flatMap(stepsOf).filter((st) => st.task)) {
        assert.equal(
          step.inputs?.serviceConnection,
          "tenant-sync-${{ parameters.tenant }}",
          `${s.stage}: ${step.task}`,
        );
        assert.equal(step.inputs?.tenant, "${{ parameters.tenant }}", `${s.stage}: ${step.task}`);
      }
    }
  });
});
