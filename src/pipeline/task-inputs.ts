/**
 * task-inputs — the one place task inputs are read: a typed value per task, parsed from a getInput
 * function (the agent's, or a table in tests). Every bad value stops the task with a SyncError
 * ("config.invalid") that names the input as task.json and YAML spell it, and says what is allowed.
 * The names each task reads are declared in `taskInputNames`; a test holds them equal to task.json.
 */
import {
  closest,
  type Confirmation,
  type ConflictPolicy,
  resourceTypeIds,
  type ResourceTypeId,
  SyncError,
} from "../core/index";

export type TaskName = "backup" | "plan" | "deploy";

/** Reads one input; undefined or "" when not set. */
export type GetInput = (name: string) => string | undefined;

export type Authentication = "serviceConnection" | "clientSecret" | "deviceCode";

export interface ConnectionInputs {
  authentication: Authentication;
  /** The AzureRM service connection's endpoint id (authentication = serviceConnection). */
  serviceConnection?: string;
  tenantId?: string;
  clientId?: string;
  clientSecret?: string;
  /** Identity platform; undefined = the public cloud. */
  authorityHost?: string;
  graphUrl: string;
  deviceCodeTimeoutMs: number;
}

export interface GitInputs {
  /** Fetch the Tenant Sync branches before and push them (and the repository's own commits) after. */
  pushChanges: boolean;
  gitRemote: string;
  /** The branch the repository's commits (imported drift, recorded ids) are pushed to; undefined = the checked-out branch. */
  repositoryBranch?: string;
}

export interface CommonInputs {
  /** The tenant's name in this organisation: tags runs and names the hub's row. */
  tenant: string;
  connection: ConnectionInputs;
  include?: ResourceTypeId[];
  exclude?: ResourceTypeId[];
  git: GitInputs;
  /** Where reports (and the plan) are written before they are uploaded as a pipeline artifact. */
  artifactFolder: string;
  artifactName: string;
}

export interface BackupInputs extends CommonInputs {
  repositoryPath: string;
}

export interface PlanInputs extends CommonInputs {
  /** "plan" makes the plan; "revert" is the approver's Reject and revert: pending repository changes go back to the tenant's state. */
  operation: "plan" | "revert";
  repositoryPath: string;
  /** undefined: tenant-sync.json decides (else "stop"). */
  conflictPolicy?: ConflictPolicy;
  /** Share 0–1; undefined: tenant-sync.json decides (else 5%). */
  massChangeThreshold?: number;
  /** The confirmations the Deploy stage will give: the plan is deployable only if it needs no others. */
  confirmations: Confirmation[];
}

export interface DeployInputs extends CommonInputs {
  /** plan.json, or the downloaded artifact folder holding it. */
  planPath: string;
  confirmations: Confirmation[];
  /** With a repository, deploy settles afterwards (backs up, moves base forward). */
  repositoryPath?: string;
}

const connectionNames = [
  "authentication",
  "serviceConnection",
  "tenantId",
  "clientId",
  "clientSecret",
  "authorityHost",
  "graphUrl",
  "deviceCodeTimeout",
] as const;
const commonNames = [
  "tenant",
  ...connectionNames,
  "includeTypes",
  "excludeTypes",
  "pushChanges",
  "gitRemote",
  "repositoryBranch",
  "artifactFolder",
  "artifactName",
] as const;

/** The inputs each task reads: exactly those its task.json declares. */
export const taskInputNames: Record<TaskName, readonly string[]> = {
  backup: [...commonNames, "repositoryPath"],
  plan: [...commonNames, "operation", "repositoryPath", "conflictPolicy", "massChangeThreshold", "confirmations"],
  deploy: [...commonNames, "planPath", "confirmations", "repositoryPath"],
};

function invalid(name: string, problem: string, hint?: string): SyncError {
  return new SyncError("config.invalid", `The input "${name}" ${problem}.`, {
    hint: hint ?? `Correct "${name}" in the pipeline (the task's inputs) and run again.`,
  });
}

const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const domain = /^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

/** Typed readers over getInput for one task; reading an undeclared name is a programming error. */
class InputReader {
  constructor(
    private readonly task: TaskName,
    private readonly getInput: GetInput,
  ) {}

  raw(name: string): string | undefined {
    if (!taskInputNames[this.task].includes(name))
      throw new Error(`task-inputs: the ${this.task} task reads "${name}", which taskInputNames does not declare`);
    const value = this.getInput(name)?.trim();
    return value ? value : undefined;
  }

  required(name: string, what: string): string {
    const value = this.raw(name);
    if (value === undefined) throw invalid(name, `is required: ${what}`);
    return value;
  }

  choice<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const match = allowed.find((a) => a.toLowerCase() === value.toLowerCase());
    if (!match) throw invalid(name, `is "${value}", which is not one of ${allowed.map((a) => `"${a}"`).join(", ")}`);
    return match;
  }

  boolean(name: string, fallback: boolean): boolean {
    const value = this.raw(name)?.toLowerCase();
    if (value === undefined) return fallback;
    if (value === "true") return true;
    if (value === "false") return false;
    throw invalid(name, `is "${value}", which is not true or false`);
  }

  integer(name: string, fallback: number, range: { min: number; max: number }): number {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < range.min || n > range.max)
      throw invalid(name, `is "${value}", which is not a whole number from ${range.min} to ${range.max}`);
    return n;
  }

  httpsUrl(name: string): string | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw invalid(name, `is "${value}", which is not a URL`);
    }
    if (url.protocol !== "https:")
      throw invalid(name, `is "${value}": it must be an https:// URL (sign-in and Graph refuse plain http)`);
    return value.replace(/\/+$/, "");
  }

  list(name: string): string[] {
    return (this.raw(name) ?? "")
      .split(/[,;\n]/)
      .map((s) => s.trim())
      .filter(Boolean);
  }

  typeList(name: string): ResourceTypeId[] | undefined {
    const items = this.list(name);
    if (items.length === 0) return undefined;
    for (const item of items) {
      if (!(resourceTypeIds as readonly string[]).includes(item)) {
        const near = closest(item, resourceTypeIds);
        throw invalid(
          name,
          `names "${item}", which is not a resource type${near ? ` (did you mean "${near}"?)` : ""}`,
          "List resource type ids separated by commas or new lines; 'tenant-sync types' lists them all.",
        );
      }
    }
    return items as ResourceTypeId[];
  }
}

function parseTenant(r: InputReader): string {
  const tenant = r.required(
    "tenant",
    "the name of the tenant this pipeline syncs (it tags the run and names the tenant in the Tenant Sync hub)",
  );
  if (tenant.length > 100 || /[,;]/.test(tenant) || [...tenant].some((c) => c.charCodeAt(0) < 32))
    throw invalid(
      "tenant",
      `is "${tenant.slice(0, 40)}…": use at most 100 characters, without commas, semicolons or control characters`,
    );
  return tenant;
}

function parseTenantId(r: InputReader, how: string): string {
  const value = r.required("tenantId", `the directory (tenant) id or a verified domain, for ${how}`);
  if (!guid.test(value) && !domain.test(value))
    throw invalid(
      "tenantId",
      `is "${value}", which is neither a tenant id (GUID) nor a domain like contoso.onmicrosoft.com`,
    );
  return value;
}

function parseClientId(r: InputReader, how: string): string {
  const value = r.required("clientId", `the app registration's Application (client) ID, for ${how}`);
  if (!guid.test(value)) throw invalid("clientId", `is "${value}", which is not an Application (client) ID (a GUID)`);
  return value;
}

function parseConnection(r: InputReader): ConnectionInputs {
  const authentication = r.choice<Authentication>(
    "authentication",
    ["serviceConnection", "clientSecret", "deviceCode"],
    "serviceConnection",
  );
  const common = {
    authentication,
    authorityHost: r.httpsUrl("authorityHost"),
    graphUrl: r.httpsUrl("graphUrl") ?? "https://graph.microsoft.com",
    deviceCodeTimeoutMs: r.integer("deviceCodeTimeout", 180, { min: 10, max: 3600 }) * 1000,
  };
  switch (authentication) {
    case "serviceConnection":
      return {
        ...common,
        serviceConnection: r.required(
          "serviceConnection",
          'the Azure Resource Manager service connection to sign in with (or set "authentication" to clientSecret or deviceCode)',
        ),
      };
    case "clientSecret": {
      const how = "signing in with a client secret";
      return {
        ...common,
        tenantId: parseTenantId(r, how),
        clientId: parseClientId(r, how),
        clientSecret: r.required(
          "clientSecret",
          "the app's client secret; pass it from a secret variable, e.g. $(TenantSyncClientSecret)",
        ),
      };
    }
    case "deviceCode": {
      const how = "device-code sign-in";
      return { ...common, tenantId: parseTenantId(r, how), clientId: parseClientId(r, how) };
    }
  }
}

function parseGit(r: InputReader): GitInputs {
  const pushChanges = r.boolean("pushChanges", true);
  const gitRemote = r.raw("gitRemote") ?? "origin";
  if (!/^[A-Za-z0-9._\-/]+$/.test(gitRemote) || gitRemote.startsWith("-"))
    throw invalid("gitRemote", `is "${gitRemote}", which is not a git remote name`);
  const ref = r.raw("repositoryBranch");
  if (ref?.startsWith("refs/") && !ref.startsWith("refs/heads/")) {
    throw invalid(
      "repositoryBranch",
      `is "${ref}", which is not a branch: the run's commits can only be pushed to a branch`,
      'Run the sync on a branch (not a pull request), or set "pushChanges" to false.',
    );
  }
  const branch = ref?.replace(/^refs\/heads\//, "");
  if (
    branch !== undefined &&
    (!/^[A-Za-z0-9._\-/]+$/.test(branch) || branch.startsWith("-") || branch.includes(".."))
  ) {
    throw invalid("repositoryBranch", `is "${branch}", which is not a branch name (refs/heads/main or main)`);
  }
  return { pushChanges, gitRemote, repositoryBranch: branch };
}

function parseCommon(r: InputReader, artifactWhat: string): CommonInputs {
  const tenant = parseTenant(r);
  const connection = parseConnection(r);
  const include = r.typeList("includeTypes");
  const exclude = r.typeList("excludeTypes");
  const artifactName = r.required("artifactName", `the name of the pipeline artifact that carries ${artifactWhat}`);
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(artifactName))
    throw invalid("artifactName", `is "${artifactName}": use letters, digits, ".", "_" and "-"`);
  return {
    tenant,
    connection,
    include,
    exclude,
    git: parseGit(r),
    artifactFolder: r.required("artifactFolder", `the folder ${artifactWhat} is written to before it is uploaded`),
    artifactName,
  };
}

export function parseBackupInputs(getInput: GetInput): BackupInputs {
  const r = new InputReader("backup", getInput);
  const common = parseCommon(r, "the backup report");
  return {
    ...common,
    repositoryPath: r.required(
      "repositoryPath",
      "the git repository (working copy) holding the tenant's configuration",
    ),
  };
}

function parseThreshold(r: InputReader): number | undefined {
  const value = r.raw("massChangeThreshold");
  if (value === undefined) return undefined;
  const n = Number(value.replace(/\s*%$/, ""));
  if (!/^\d+(\.\d+)?\s*%?$/.test(value) || n > 100)
    throw invalid("massChangeThreshold", `is "${value}", which is not a percentage from 0 to 100 (e.g. 5 or 5%)`);
  return n / 100;
}

export function parsePlanInputs(getInput: GetInput): PlanInputs {
  const r = new InputReader("plan", getInput);
  const common = parseCommon(r, "the plan (plan.json, plan.md)");
  const policy = r.choice("conflictPolicy", ["config", "stop", "repo-wins", "tenant-wins"] as const, "config");
  return {
    ...common,
    operation: r.choice("operation", ["plan", "revert"] as const, "plan"),
    repositoryPath: r.required("repositoryPath", "the git repository (working copy) holding the desired configuration"),
    conflictPolicy: policy === "config" ? undefined : policy,
    massChangeThreshold: parseThreshold(r),
    confirmations: parseConfirmations(r),
  };
}

const confirmationValues: readonly Confirmation[] = ["deletes", "mass", "secrets"];

function parseConfirmations(r: InputReader): Confirmation[] {
  const items = r
    .list("confirmations")
    .map((s) => s.toLowerCase())
    .filter((s) => s !== "none");
  for (const item of items) {
    if (!(confirmationValues as readonly string[]).includes(item))
      throw invalid("confirmations", `names "${item}", which is not one of "deletes", "mass", "secrets"`);
  }
  return [...new Set(items)] as Confirmation[];
}

export function parseDeployInputs(getInput: GetInput): DeployInputs {
  const r = new InputReader("deploy", getInput);
  const common = parseCommon(r, "the deploy report");
  return {
    ...common,
    planPath: r.required(
      "planPath",
      "the plan.json the plan task published (or the downloaded artifact folder holding it)",
    ),
    confirmations: parseConfirmations(r),
    repositoryPath: r.raw("repositoryPath"),
  };
}

export const inputParsers = { backup: parseBackupInputs, plan: parsePlanInputs, deploy: parseDeployInputs } as const;
