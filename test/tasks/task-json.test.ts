/**
 * Every tasks/<name>/task.json: valid against the task.json schema (tfx only warns), in step with the
 * inputs task-inputs.ts reads, and restricted to setting exactly its output variables. The schema is
 * the copy in spec/task-json/ (CI has only the repository).
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv from "ajv-draft-04";
import { taskInputNames, type TaskName } from "../../src/pipeline/task-inputs";

const root = join(__dirname, "..", "..");
const readJson = (path: string) => JSON.parse(readFileSync(path, "utf8").replace(/^\uFEFF/, ""));

interface TaskJson {
  id: string;
  name: string;
  friendlyName: string;
  version: { Major: number; Minor: number; Patch: number };
  instanceNameFormat: string;
  groups?: { name: string }[];
  inputs: {
    name: string;
    label: string;
    type: string;
    groupName?: string;
    visibleRule?: string;
    helpMarkDown?: string;
    options?: Record<string, string>;
  }[];
  outputVariables?: { name: string }[];
  execution: Record<string, { target: string }>;
  restrictions?: { commands?: { mode?: string }; settableVariables?: { allowed?: string[] } };
}

const taskNames = readdirSync(join(root, "tasks"), { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();
const tasks = new Map<string, TaskJson>(
  taskNames.map((name) => [name, readJson(join(root, "tasks", name, "task.json")) as TaskJson]),
);

describe("task.json", () => {
  it("exists for exactly the backup, plan and deploy tasks", () => {
    assert.deepEqual(taskNames, ["backup", "deploy", "plan"]);
  });

  it("has unique ids and names, and the package's version", () => {
    const version = (readJson(join(root, "package.json")) as { version: string }).version;
    const all = [...tasks.values()];
    assert.equal(new Set(all.map((t) => t.id.toLowerCase())).size, all.length);
    assert.equal(new Set(all.map((t) => t.name)).size, all.length);
    for (const t of all) assert.equal(`${t.version.Major}.${t.version.Minor}.${t.version.Patch}`, version, t.name);
  });

  for (const [name, task] of tasks) {
    describe(`tasks/${name}`, () => {
      it("is valid against the task.json schema", () => {
        // The schema's pattern "^connectedService\\:.+$" escapes ":", which only non-Unicode regular expressions allow.
        const validate = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false }).compile(
          readJson(join(root, "spec", "task-json", "tasks.schema.json")),
        );
        assert.ok(validate(task), JSON.stringify(validate.errors, null, 2));
        assert.ok(task.friendlyName.length <= 40, `friendlyName "${task.friendlyName}" is longer than 40 characters`);
      });

      it("runs index.js on the Node 20 handler, and on Node 24 where agents have it", () => {
        assert.deepEqual(task.execution, { Node20_1: { target: "index.js" }, Node24: { target: "index.js" } });
      });

      it("declares exactly the inputs task-inputs.ts reads", () => {
        assert.deepEqual(task.inputs.map((i) => i.name).sort(), [...taskInputNames[name as TaskName]].sort());
      });

      it("documents every input and refers only to declared groups and inputs", () => {
        const inputs = new Set(task.inputs.map((i) => i.name));
        const groups = new Set((task.groups ?? []).map((g) => g.name));
        for (const input of task.inputs) {
          assert.ok(input.label && input.helpMarkDown, `${input.name} has a label and help`);
          if (input.groupName) assert.ok(groups.has(input.groupName), `${input.name}: group ${input.groupName}`);
          for (const [, ref] of (input.visibleRule ?? "").matchAll(
            /([A-Za-z][A-Za-z0-9]*)\s*(?:=|!=|NotEndsWith|EndsWith|Contains)/g,
          ))
            assert.ok(inputs.has(ref), `${input.name}: visibleRule names ${ref}`);
        }
        for (const [, ref] of task.instanceNameFormat.matchAll(/\$\(([^)]+)\)/g))
          assert.ok(inputs.has(ref), `instanceNameFormat names ${ref}`);
      });

      it("may set only its output variables", () => {
        const outputs = (task.outputVariables ?? []).map((o) => o.name);
        assert.ok(outputs.length > 0);
        assert.deepEqual(task.restrictions?.settableVariables?.allowed, outputs);
        // "restricted" would also block task.uploadsummary, artifact.upload and build.addbuildtag (the
        // agent allows only logdetail, logissue, complete, setprogress, setsecret, setvariable, debug,
        // settaskvariable and prependpath), and the tasks need the first two. Tenant text is neutralised
        // by safeText() instead; see the task tests' injection case.
        assert.equal(task.restrictions?.commands?.mode, "any");
      });
    });
  }
});
