/**
 * core — the engine's public surface: what the shells (the pipeline tasks; later the command line)
 * may use. Everything here is re-exported from the module that owns it; nothing here knows of Azure
 * Pipelines. A shell that needs more of the engine adds it here rather than reaching past this file.
 */
export { backup, type BackupOptions, type BackupResult } from "./sync/backup";
export {
  planStep,
  settleAfterDeploy,
  type PlanStepOptions,
  type PlanStepResult,
  type SyncConnection,
} from "./sync/sync";
export { deploy, refuseUnconfirmed, type DeployOptions, type DeployResult, type Outcome } from "./sync/deploy";
export { rejectAndRevert, revertToBackup } from "./sync/revert";
export { planDigest, readPlanFile, writePlanFile } from "./sync/plan-file";
export { isEmptyPlan, renderMarkdown, renderText, summaryLine } from "./sync/render-plan";
export { describeImport } from "./sync/import-drift";
export { baseBranch } from "./sync/base";
export { acquireLock, acquireRepositoryLock, planLockPath, type HeldLock, type LockOptions } from "./sync/repo-lock";
export type { ConflictPolicy, Import } from "./sync/make-plan";
export {
  isBlocking,
  unconfirmedFindings,
  type Action,
  type Change,
  type Confirmation,
  type Conflict,
  type GateFinding,
  type Plan,
} from "./sync/plan";

export {
  createCredential,
  publicAuthorityHost,
  type CredentialSettings,
  type DeviceCodePrompt,
} from "./graph/credentials";
export { GraphClient, type GraphClientSettings } from "./graph/graph-client";

export {
  describeError,
  GraphError,
  isGraphError,
  isSyncError,
  redact,
  SyncError,
  type ErrorDetail,
  type SyncErrorCode,
} from "./errors";
export { safeJson, safeOutput, safeText, silentLogger, type Logger } from "./logger";
export { gitStatus } from "./snapshot/git";
export {
  closest,
  configFileName,
  defaultConfig,
  enabledTypeIds,
  parseSyncConfig,
  readSyncConfig,
  type SyncConfig,
} from "./sync-config";
export { resourceTypeIds } from "./resources/registry";
export type { ResourceTypeId } from "./resources/resource-type";

export {
  factsPatch,
  parseFacts,
  runFact,
  runTag,
  type BackupFact,
  type ConsentFact,
  type DeployFact,
  type DeviceCodeFact,
  type ErrorFact,
  type PlanFact,
  type RunFactName,
  type RunFacts,
  type RunStep,
} from "./status/run-facts";
export {
  deriveTenantStatus,
  tenantStatusKinds,
  tenantStatusLabels,
  type NextActionKind,
  type TenantStatus,
  type TenantStatusInput,
  type TenantStatusKind,
} from "./status/derive";
