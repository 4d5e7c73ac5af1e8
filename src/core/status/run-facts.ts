/**
 * run-facts — the contract between the pipeline tasks and the hub: the build properties and tags a
 * run publishes while it goes (DESIGN §3), defined once. Tasks write them through the Azure DevOps
 * REST API with the job's token; the hub reads all tenants' latest runs with their properties in one
 * call. Values are JSON strings. No I/O, no node:* (this module ships in the hub bundle).
 */

/** Build property names. */
export const runFact = {
  /** The tenant the pipeline syncs (its template parameter). */
  tenant: "TenantSync.Tenant",
  /** The step running or last reached: see RunStep. */
  step: "TenantSync.Step",
  /** While waiting for a device-code sign-in: DeviceCodeFact. Removed (null) once signed in. */
  deviceCode: "TenantSync.DeviceCode",
  /** Permissions the enabled resource types need and the app lacks: ConsentFact. */
  missingPermissions: "TenantSync.MissingPermissions",
  /** The backup's result: BackupFact. */
  backup: "TenantSync.Backup",
  /** The plan's counts and findings: PlanFact. */
  plan: "TenantSync.Plan",
  /**
   * The digest ("sha256:<hex>") of the plan.json this run's Plan stage published, as a plain string.
   * Deploy refuses an artifact whose digest differs: what the approver read is what is applied.
   */
  planDigest: "TenantSync.PlanDigest",
  /** The deploy's outcome: DeployFact. */
  deploy: "TenantSync.Deploy",
  /** What stopped the run: ErrorFact. */
  error: "TenantSync.Error",
} as const;

export type RunFactName = (typeof runFact)[keyof typeof runFact];

export type RunStep = "authenticate" | "backup" | "importDrift" | "plan" | "approval" | "deploy" | "settle";

export interface DeviceCodeFact {
  userCode: string;
  verificationUri: string;
  expiresAt: string;
  message: string;
  /** When the code was shown (ISO); the hub's "waiting since". Optional: older tasks do not send it. */
  shownAt?: string;
}
export interface ConsentFact {
  permissions: string[];
  consentUrl: string;
  skippedTypes: string[];
}
export interface BackupFact {
  objects: number;
  changed: boolean;
  partial: boolean;
  failedTypes: string[];
  commit?: string;
  requests: number;
  throttled: number;
}
export interface PlanFact {
  summary: string;
  toAdd: number;
  toChange: number;
  toDelete: number;
  conflicts: number;
  hasChanges: boolean;
  needsConfirmation: string[];
  blocked: boolean;
  imported: number;
}
export interface DeployFact {
  status: "succeeded" | "partiallySucceeded" | "failed";
  applied: number;
  failed: number;
  skipped: number;
}
export interface ErrorFact {
  code: string;
  message: string;
  hint?: string;
  object?: string;
  step: RunStep;
}

export interface RunFacts {
  tenant?: string;
  step?: RunStep;
  deviceCode?: DeviceCodeFact | null;
  missingPermissions?: ConsentFact | null;
  backup?: BackupFact;
  plan?: PlanFact;
  planDigest?: string;
  deploy?: DeployFact;
  error?: ErrorFact | null;
}

/** Build tags: every Tenant Sync run carries the first two, so runs can be filtered by tenant. */
export const runTag = {
  product: "tenant-sync",
  tenant: (name: string) => `tenant:${name}`,
  pendingConsent: "tenant-sync:pending-consent",
  partial: "tenant-sync:partial",
  hasChanges: "tenant-sync:has-changes",
} as const;

const keyOf: Record<keyof RunFacts, RunFactName> = {
  tenant: runFact.tenant,
  step: runFact.step,
  deviceCode: runFact.deviceCode,
  missingPermissions: runFact.missingPermissions,
  backup: runFact.backup,
  plan: runFact.plan,
  planDigest: runFact.planDigest,
  deploy: runFact.deploy,
  error: runFact.error,
};

/** The JSON-patch document that publishes `facts` (null removes a property). */
export function factsPatch(facts: RunFacts): { op: "add" | "remove"; path: string; value?: string }[] {
  return (Object.keys(facts) as (keyof RunFacts)[])
    .filter((k) => facts[k] !== undefined)
    .map((k) => {
      const value = facts[k];
      return value === null
        ? { op: "remove" as const, path: `/${keyOf[k]}` }
        : {
            op: "add" as const,
            path: `/${keyOf[k]}`,
            value: typeof value === "string" ? value : JSON.stringify(value),
          };
    });
}

/** Reads facts back from a build's `properties` (as the builds list returns them: {Key: {$value}} or plain). */
export function parseFacts(properties: Record<string, unknown> | undefined): RunFacts {
  const facts: RunFacts = {};
  if (!properties) return facts;
  const raw = (name: RunFactName): string | undefined => {
    const v = properties[name];
    if (typeof v === "string") return v;
    if (v && typeof v === "object" && "$value" in v) return String((v as { $value: unknown }).$value);
    return undefined;
  };
  const json = <T>(name: RunFactName): T | undefined => {
    const v = raw(name);
    if (v === undefined) return undefined;
    try {
      return JSON.parse(v) as T;
    } catch {
      return undefined;
    }
  };
  facts.tenant = raw(runFact.tenant);
  facts.step = raw(runFact.step) as RunStep | undefined;
  facts.deviceCode = json<DeviceCodeFact>(runFact.deviceCode);
  facts.missingPermissions = json<ConsentFact>(runFact.missingPermissions);
  facts.backup = json<BackupFact>(runFact.backup);
  facts.plan = json<PlanFact>(runFact.plan);
  facts.planDigest = raw(runFact.planDigest);
  facts.deploy = json<DeployFact>(runFact.deploy);
  facts.error = json<ErrorFact>(runFact.error);
  for (const k of Object.keys(facts) as (keyof RunFacts)[]) if (facts[k] === undefined) delete facts[k];
  return facts;
}
