/**
 * compile — a pipeline's YAML turned into the stages, jobs and steps the runner executes, as the
 * service compiles it before a run starts: parameters checked, template expressions expanded, names
 * and dependencies checked, conditions parsed, tasks found in the catalog. Whatever this runner
 * does not implement (templates, extends, resources, containers, matrices, script steps, …) stops
 * the run with the construct's name and line, so nothing in a pipeline is silently left out.
 */
import { ExpressionError, parseExpression, type Value } from "./expressions";
import { catalogKey, type TaskCatalog, type TaskDefinition } from "./task-catalog";
import {
  CompileErrors,
  expandTemplate,
  readYaml,
  resolveParameters,
  scalarText,
  type CompileIssue,
  type ParameterValue,
  type TreeEntry,
  type TreeMap,
  type TreeNode,
} from "./template";

export interface VariableDef {
  name: string;
  /** May hold macros `$(x)` and a runtime expression `$[ … ]`, resolved when the job starts. */
  value: string;
  readonly: boolean;
  line: number;
}

export interface Located {
  text: string;
  line: number;
}

interface StepBase {
  name: string;
  displayName: string;
  condition: Located;
  continueOnError: boolean;
  enabled: boolean;
  line: number;
}
export interface CheckoutStep extends StepBase {
  kind: "checkout";
  persistCredentials: boolean;
  fetchDepth?: number;
  clean?: boolean;
}
export interface DownloadStep extends StepBase {
  kind: "download";
  /** undefined: every artifact of the run. */
  artifact?: string;
}
export interface TaskStep extends StepBase {
  kind: "task";
  task: TaskDefinition;
  inputs: Record<string, string>;
  env: Record<string, string>;
}
export type StepDef = CheckoutStep | DownloadStep | TaskStep;

export interface JobDef {
  kind: "job" | "deployment";
  name: string;
  displayName: string;
  dependsOn: string[];
  condition: Located;
  variables: VariableDef[];
  environment?: Located;
  steps: StepDef[];
  line: number;
}

export interface StageDef {
  name: string;
  displayName: string;
  dependsOn: string[];
  condition: Located;
  variables: VariableDef[];
  jobs: JobDef[];
  line: number;
}

export interface CompiledPipeline {
  parameters: Record<string, ParameterValue>;
  variables: VariableDef[];
  lockBehavior: "sequential" | "runLatest";
  stages: StageDef[];
}

export interface CompileOptions {
  yaml: string;
  templateParameters?: Record<string, string | number | boolean>;
  /** Variables known at compile time (queue-time and predefined ones such as Build.SourceBranch). */
  variables?: Record<string, string>;
  tasks: TaskCatalog;
}

const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/;

class Compiler {
  readonly issues: CompileIssue[] = [];

  constructor(private readonly tasks: TaskCatalog) {}

  unsupported(line: number, construct: string, detail = ""): void {
    this.issues.push({ line, message: `${construct} is not supported by this runner${detail ? ` (${detail})` : ""}` });
  }

  error(line: number, message: string): void {
    this.issues.push({ line, message });
  }

  /** Reports every key outside `allowed` as unsupported (or unknown), naming where it appears. */
  keys(map: TreeMap, where: string, allowed: string[]): void {
    for (const entry of map.entries)
      if (!allowed.includes(entry.key)) this.unsupported(entry.line, `'${entry.key}' in ${where}`);
  }

  text(entry: TreeEntry | undefined, what: string): string | undefined {
    if (!entry) return undefined;
    const value = scalarText(entry.value);
    if (value === undefined) this.error(entry.line, `${what} must be a single value`);
    return value;
  }

  bool(entry: TreeEntry | undefined, what: string, fallback: boolean): boolean {
    const value = this.text(entry, what)?.trim().toLowerCase();
    if (value === undefined || value === "") return fallback;
    if (value === "true" || value === "false") return value === "true";
    this.error(entry!.line, `${what} is '${value}', which is not true or false`);
    return fallback;
  }

  condition(entry: TreeEntry | undefined, line: number): Located {
    const text = this.text(entry, "condition")?.trim() || "succeeded()";
    const at = entry?.line ?? line;
    try {
      parseExpression(text);
    } catch (e) {
      if (e instanceof ExpressionError) this.error(at, `The condition is not valid: ${e.message}`);
      else throw e;
    }
    return { text, line: at };
  }

  names(entry: TreeEntry | undefined): string[] | undefined {
    if (!entry) return undefined;
    if (entry.value.kind === "seq") return entry.value.items.map((i) => scalarText(i) ?? "").filter(Boolean);
    const one = scalarText(entry.value);
    return one ? [one] : [];
  }

  pool(entry: TreeEntry | undefined): void {
    if (!entry) return;
    if (entry.value.kind !== "map") {
      this.unsupported(
        entry.line,
        `'pool: ${scalarText(entry.value) ?? "…"}'`,
        "only a hosted pool given as pool.vmImage",
      );
      return;
    }
    this.keys(entry.value, "pool", ["vmImage"]);
  }

  variables(entry: TreeEntry | undefined): VariableDef[] {
    if (!entry) return [];
    const out: VariableDef[] = [];
    const check = (name: string, line: number, value: string) => {
      const runtime = /^\s*\$\[([\s\S]*)\]\s*$/.exec(value);
      if (runtime) {
        try {
          parseExpression(runtime[1]);
        } catch (e) {
          if (e instanceof ExpressionError)
            this.error(line, `The runtime expression of variable '${name}' is not valid: ${e.message}`);
          else throw e;
        }
      }
    };
    if (entry.value.kind === "map") {
      for (const v of entry.value.entries) {
        const value = this.text(v, `The variable '${v.key}'`) ?? "";
        check(v.key, v.line, value);
        out.push({ name: v.key, value, readonly: false, line: v.line });
      }
    } else if (entry.value.kind === "seq") {
      for (const item of entry.value.items) {
        if (item.kind !== "map") {
          this.error(item.line, "A variable must be {name, value}");
          continue;
        }
        const first = item.entries[0];
        if (first && (first.key === "group" || first.key === "template")) {
          this.unsupported(first.line, `'variables: - ${first.key}'`);
          continue;
        }
        this.keys(item, "a variable", ["name", "value", "readonly"]);
        const field = (k: string) => item.entries.find((e) => e.key === k);
        const name = this.text(field("name"), "A variable's name");
        if (!name) {
          this.error(item.line, "A variable needs a name");
          continue;
        }
        const value = this.text(field("value"), `The variable '${name}'`) ?? "";
        check(name, item.line, value);
        out.push({ name, value, readonly: this.bool(field("readonly"), "readonly", false), line: item.line });
      }
    } else {
      this.error(entry.line, "variables must be a mapping or a list of {name, value}");
    }
    return out;
  }

  steps(node: TreeNode | undefined, line: number, where: string): StepDef[] {
    if (!node || node.kind !== "seq") {
      this.error(node?.line ?? line, `${where} needs a list of steps`);
      return [];
    }
    const steps: StepDef[] = [];
    const used = new Set<string>();
    const uniqueName = (base: string) => {
      let name = base;
      for (let n = 1; used.has(name.toLowerCase()); n++) name = `${base}${n}`;
      used.add(name.toLowerCase());
      return name;
    };
    for (const item of node.items) {
      if (item.kind !== "map" || item.entries.length === 0) {
        this.error(item.line, "A step must be a mapping such as {task: …} or {checkout: self}");
        continue;
      }
      const type = item.entries[0].key;
      const field = (k: string) => item.entries.find((e) => e.key === k);
      const common = ["displayName", "name", "condition", "continueOnError", "enabled"];
      const explicitName = this.text(field("name"), "A step's name");
      if (explicitName !== undefined && !identifier.test(explicitName))
        this.error(
          field("name")!.line,
          `The step name '${explicitName}' must start with a letter or '_' and hold only letters, digits and '_'`,
        );
      if (explicitName && used.has(explicitName.toLowerCase()))
        this.error(field("name")!.line, `The step name '${explicitName}' appears more than once in the job`);
      const base = (fallbackName: string, fallbackDisplay: string) => ({
        name: explicitName ? (used.add(explicitName.toLowerCase()), explicitName) : uniqueName(fallbackName),
        displayName: this.text(field("displayName"), "displayName") ?? fallbackDisplay,
        condition: this.condition(field("condition"), item.line),
        continueOnError: this.bool(field("continueOnError"), "continueOnError", false),
        enabled: this.bool(field("enabled"), "enabled", true),
        line: item.line,
      });
      if (type === "checkout") {
        this.keys(item, "a checkout step", ["checkout", "persistCredentials", "fetchDepth", "clean", ...common]);
        const repo = this.text(field("checkout"), "checkout");
        if (repo !== "self" && repo !== "none") {
          this.unsupported(item.line, `'checkout: ${repo}'`, "only self and none");
          continue;
        }
        const depth = this.text(field("fetchDepth"), "fetchDepth");
        if (depth !== undefined && !/^\d+$/.test(depth.trim()))
          this.error(field("fetchDepth")!.line, `fetchDepth '${depth}' is not a whole number`);
        const clean = field("clean") ? this.bool(field("clean"), "clean", false) : undefined;
        if (repo === "none") {
          steps.push({ kind: "checkout", ...base("checkout_none", "none"), persistCredentials: false, enabled: false });
          continue;
        }
        steps.push({
          kind: "checkout",
          ...base("checkout", "Checkout self"),
          persistCredentials: this.bool(field("persistCredentials"), "persistCredentials", false),
          fetchDepth: depth === undefined ? undefined : Number(depth),
          clean,
        });
      } else if (type === "download") {
        this.keys(item, "a download step", ["download", "artifact", ...common]);
        const source = this.text(field("download"), "download");
        if (source !== "current" && source !== "none") {
          this.unsupported(item.line, `'download: ${source}'`, "only current and none");
          continue;
        }
        const artifact = this.text(field("artifact"), "artifact");
        steps.push({
          kind: "download",
          ...base("download", `Download artifact - ${source}${artifact ? ` - ${artifact}` : ""}`),
          artifact,
          ...(source === "none" ? { enabled: false } : {}),
        });
      } else if (type === "task") {
        this.keys(item, "a task step", ["task", "inputs", "env", ...common]);
        const ref = this.text(field("task"), "task") ?? "";
        const match = /^([A-Za-z0-9\-_.]+)@(\d+)$/.exec(ref.trim());
        if (!match) {
          this.error(item.line, `The task reference '${ref}' must be <name>@<major version>, e.g. TenantSyncPlan@0`);
          continue;
        }
        const task = this.tasks.get(catalogKey(match[1], Number(match[2])));
        if (!task) {
          this.error(
            item.line,
            `A task is missing. The pipeline references a task called '${match[1]}' (version ${match[2]}), which this agent does not have. Build the tasks (npm run build) or correct the name.`,
          );
          continue;
        }
        const mapping = (k: string): Record<string, string> => {
          const e = field(k);
          if (!e) return {};
          if (e.value.kind !== "map") {
            this.error(e.line, `${k} must be a mapping`);
            return {};
          }
          return Object.fromEntries(e.value.entries.map((i) => [i.key, this.text(i, `${k}.${i.key}`) ?? ""]));
        };
        steps.push({
          kind: "task",
          ...base(task.name, task.friendlyName),
          task,
          inputs: mapping("inputs"),
          env: mapping("env"),
        });
      } else {
        this.unsupported(item.entries[0].line, `The step type '${type}'`, "only checkout, download and task steps");
      }
    }
    return steps;
  }

  job(map: TreeMap): JobDef | undefined {
    const field = (k: string) => map.entries.find((e) => e.key === k);
    const kind = field("deployment") ? "deployment" : field("job") ? "job" : undefined;
    if (!kind) {
      const first = map.entries[0];
      if (first?.key === "template") this.unsupported(first.line, "'template' (job templates)");
      else this.error(map.line, "A job must start with 'job:' or 'deployment:'");
      return undefined;
    }
    const common = ["displayName", "dependsOn", "condition", "variables", "pool"];
    const name = this.text(field(kind), kind) ?? "";
    if (!identifier.test(name))
      this.error(
        map.line,
        `The job name '${name}' must start with a letter or '_' and hold only letters, digits and '_'`,
      );
    let steps: StepDef[];
    let environment: Located | undefined;
    if (kind === "job") {
      this.keys(map, `the job '${name}'`, ["job", "steps", ...common]);
      steps = this.steps(field("steps")?.value, map.line, `The job '${name}'`);
    } else {
      this.keys(map, `the deployment job '${name}'`, ["deployment", "environment", "strategy", ...common]);
      const env = field("environment");
      if (!env) this.error(map.line, `The deployment job '${name}' needs an environment`);
      else if (env.value.kind === "map") {
        this.keys(env.value, "environment", ["name"]);
        const envName = this.text(
          env.value.entries.find((e) => e.key === "name"),
          "environment.name",
        );
        if (envName) environment = { text: envName, line: env.line };
      } else environment = { text: this.text(env, "environment") ?? "", line: env.line };
      steps = [];
      const strategy = field("strategy");
      if (!strategy || strategy.value.kind !== "map")
        this.error(map.line, `The deployment job '${name}' needs strategy.runOnce.deploy.steps`);
      else {
        this.keys(strategy.value, "strategy", ["runOnce"]);
        const runOnce = strategy.value.entries.find((e) => e.key === "runOnce");
        if (runOnce?.value.kind === "map") {
          this.keys(runOnce.value, "strategy.runOnce", ["deploy"]);
          const deploy = runOnce.value.entries.find((e) => e.key === "deploy");
          if (deploy?.value.kind === "map") {
            this.keys(deploy.value, "strategy.runOnce.deploy", ["steps"]);
            steps = this.steps(
              deploy.value.entries.find((e) => e.key === "steps")?.value,
              deploy.line,
              `The deployment job '${name}'`,
            );
          } else this.error(runOnce.line, "strategy.runOnce needs deploy.steps");
        }
      }
    }
    this.pool(field("pool"));
    return {
      kind,
      name,
      displayName: this.text(field("displayName"), "displayName") ?? name,
      dependsOn: this.names(field("dependsOn")) ?? [],
      condition: this.condition(field("condition"), map.line),
      variables: this.variables(field("variables")),
      environment,
      steps,
      line: map.line,
    };
  }

  jobs(node: TreeNode | undefined, line: number, where: string): JobDef[] {
    if (!node || node.kind !== "seq") {
      this.error(node?.line ?? line, `${where} needs a list of jobs`);
      return [];
    }
    const jobs = node.items.flatMap((item) => {
      if (item.kind !== "map") {
        this.error(item.line, "A job must be a mapping");
        return [];
      }
      return this.job(item) ?? [];
    });
    this.dependencies(jobs, "job", where);
    return jobs;
  }

  /** Names unique, every dependsOn names a sibling, no cycle. */
  dependencies(items: { name: string; dependsOn: string[]; line: number }[], what: string, where: string): void {
    const names = new Map<string, string>();
    for (const item of items) {
      if (names.has(item.name.toLowerCase()))
        this.error(item.line, `The ${what} name '${item.name}' appears more than once in ${where}`);
      names.set(item.name.toLowerCase(), item.name);
    }
    for (const item of items) {
      item.dependsOn = item.dependsOn.map((d) => {
        const known = names.get(d.toLowerCase());
        if (!known) this.error(item.line, `The ${what} '${item.name}' depends on the unknown ${what} '${d}'`);
        return known ?? d;
      });
    }
    const visiting = new Set<string>();
    const done = new Set<string>();
    const byName = new Map(items.map((i) => [i.name, i]));
    const visit = (item: { name: string; dependsOn: string[]; line: number }): void => {
      if (done.has(item.name)) return;
      if (visiting.has(item.name)) {
        this.error(item.line, `The ${what} '${item.name}' depends on itself through dependsOn (a cycle)`);
        return;
      }
      visiting.add(item.name);
      for (const d of item.dependsOn) if (byName.has(d)) visit(byName.get(d)!);
      visiting.delete(item.name);
      done.add(item.name);
    };
    items.forEach(visit);
  }

  stages(node: TreeNode | undefined, line: number): StageDef[] {
    if (!node || node.kind !== "seq") {
      this.error(node?.line ?? line, "stages needs a list of stages");
      return [];
    }
    const stages: StageDef[] = [];
    for (const item of node.items) {
      if (item.kind !== "map") {
        this.error(item.line, "A stage must be a mapping");
        continue;
      }
      const field = (k: string) => item.entries.find((e) => e.key === k);
      if (!field("stage")) {
        if (item.entries[0]?.key === "template") this.unsupported(item.entries[0].line, "'template' (stage templates)");
        else this.error(item.line, "A stage must start with 'stage:'");
        continue;
      }
      this.keys(item, `the stage '${scalarText(field("stage")!.value)}'`, [
        "stage",
        "displayName",
        "dependsOn",
        "condition",
        "variables",
        "jobs",
        "pool",
      ]);
      const name = this.text(field("stage"), "stage") ?? "";
      if (!identifier.test(name))
        this.error(
          item.line,
          `The stage name '${name}' must start with a letter or '_' and hold only letters, digits and '_'`,
        );
      this.pool(field("pool"));
      const previous = stages.at(-1);
      stages.push({
        name,
        displayName: this.text(field("displayName"), "displayName") ?? name,
        dependsOn: this.names(field("dependsOn")) ?? (previous ? [previous.name] : []),
        condition: this.condition(field("condition"), item.line),
        variables: this.variables(field("variables")),
        jobs: this.jobs(field("jobs")?.value, item.line, `the stage '${name}'`),
        line: item.line,
      });
    }
    this.dependencies(stages, "stage", "the pipeline");
    return stages;
  }
}

const rootKeys = [
  "parameters",
  "variables",
  "trigger",
  "pr",
  "schedules",
  "lockBehavior",
  "pool",
  "stages",
  "jobs",
  "steps",
];

/** Compiles the YAML for one run; throws CompileErrors listing every problem with its line. */
export function compilePipeline(options: CompileOptions): CompiledPipeline {
  const tree = readYaml(options.yaml);
  if (tree.kind !== "map") throw new CompileErrors([{ line: tree.line, message: "A pipeline must be a YAML mapping" }]);
  const field = (k: string) => tree.entries.find((e) => e.key === k);
  const parameters = resolveParameters(field("parameters")?.value, options.templateParameters ?? {});
  const compiler = new Compiler(options.tasks);
  const templateVariables: Record<string, Value> = { ...(options.variables ?? {}) };
  const scope = { parameters: parameters as Record<string, Value>, variables: templateVariables };

  // Root variables first: template expressions further down may read them.
  const variablesEntry = field("variables");
  const expandedVariables = variablesEntry
    ? { ...variablesEntry, value: expandTemplate(variablesEntry.value, scope, compiler.issues) }
    : undefined;
  const variables = compiler.variables(expandedVariables);
  for (const v of variables) if (!v.value.includes("$[")) templateVariables[v.name] = v.value;

  const rest: TreeMap = {
    ...tree,
    entries: tree.entries.filter((e) => e.key !== "parameters" && e.key !== "variables"),
  };
  const expanded = expandTemplate(rest, scope, compiler.issues) as TreeMap;
  for (const entry of expanded.entries) {
    if (rootKeys.includes(entry.key)) continue;
    compiler.unsupported(
      entry.line,
      `'${entry.key}'`,
      entry.key === "extends" || entry.key === "resources" ? "" : "at the pipeline's root",
    );
  }
  const get = (k: string) => expanded.entries.find((e) => e.key === k);
  compiler.pool(get("pool"));
  const lockBehavior = compiler.text(get("lockBehavior"), "lockBehavior") ?? "runLatest";
  if (lockBehavior !== "sequential" && lockBehavior !== "runLatest")
    compiler.error(get("lockBehavior")!.line, `lockBehavior '${lockBehavior}' is not sequential or runLatest`);

  let stages: StageDef[];
  const shapes = ["stages", "jobs", "steps"].filter((k) => get(k));
  if (shapes.length > 1)
    compiler.error(get(shapes[1])!.line, `A pipeline has one of stages, jobs or steps, not ${shapes.join(" and ")}`);
  if (get("stages")) stages = compiler.stages(get("stages")!.value, get("stages")!.line);
  else if (get("jobs") || get("steps")) {
    // The service's implicit stage (and job) around a pipeline of jobs (or of steps).
    const jobsEntry = get("jobs");
    const jobs = jobsEntry
      ? compiler.jobs(jobsEntry.value, jobsEntry.line, "the pipeline")
      : [
          {
            kind: "job" as const,
            name: "Job",
            displayName: "Job",
            dependsOn: [],
            condition: { text: "succeeded()", line: get("steps")!.line },
            variables: [],
            steps: compiler.steps(get("steps")!.value, get("steps")!.line, "The pipeline"),
            line: get("steps")!.line,
          },
        ];
    stages = [
      {
        name: "__default",
        displayName: "__default",
        dependsOn: [],
        condition: { text: "succeeded()", line: 1 },
        variables: [],
        jobs,
        line: 1,
      },
    ];
  } else {
    compiler.error(tree.line, "The pipeline has no stages, jobs or steps");
    stages = [];
  }
  if (compiler.issues.length) throw new CompileErrors(compiler.issues.sort((a, b) => a.line - b.line));
  return { parameters, variables, lockBehavior: lockBehavior as "sequential" | "runLatest", stages };
}
