/**
 * statuses-scenario — what the local Azure DevOps's `statuses` scenario leaves each tenant in: the
 * one expectation the hub's, the command line's and the emulator's tests hold the scenario to.
 */
import type { TenantStatusKind } from "../../src/core/status/derive";

export const statusesScenario: Readonly<Record<string, TenantStatusKind>> = {
  "never-run": "notRun",
  idle: "idle",
  starting: "starting",
  running: "inProgress",
  failed: "newError",
  "device-code": "pendingAuthentication",
  approval: "pendingApproval",
  partial: "partiallySuccessful",
  consent: "pendingAdminConsent",
};
