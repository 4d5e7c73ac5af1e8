/**
 * mounts — where each collection lives: every resource model at its own path, the per-platform
 * app protection collections (writes go there, reads come from managedAppPolicies), and the Intune
 * collections that share a model with another (role assignments, the group policy catalogue),
 * administrative units at the root too, app registrations and service principals, the two
 * audit logs, Microsoft's intent templates, and deviceManagement itself (its own path only: the
 * tenant-wide settings' write).
 */
import { auditEventModel, directoryAuditModel } from "./audit-log";
import type { Mount } from "./context";
import {
  applicationModel,
  appProtectionWriteCollections,
  intentTemplateModel,
  resourceModel,
  resourceModels,
  servicePrincipalModel,
} from "./service-model";

export const mounts: Mount[] = [
  ...resourceModels.map((model) => ({ prefix: model.path, model, storeKey: model.key, isGeneric: true })),
  ...Object.entries(appProtectionWriteCollections).map(([collection, type]) => ({
    prefix: `/deviceAppManagement/${collection}`,
    model: resourceModel("managedAppProtection"),
    storeKey: "managedAppProtection",
    odataType: type,
    isGeneric: true,
  })),
  {
    prefix: "/deviceManagement/roleAssignments",
    model: resourceModel("intuneRoleDefinition"),
    storeKey: "roleAssignments",
    isGeneric: false,
  },
  {
    prefix: "/deviceManagement/groupPolicyDefinitions",
    model: resourceModel("groupPolicyConfiguration"),
    storeKey: "groupPolicyDefinitions",
    isGeneric: false,
  },
  // Administrative units answer at /administrativeUnits as well as /directory/administrativeUnits.
  {
    prefix: "/administrativeUnits",
    model: resourceModel("administrativeUnit"),
    storeKey: "administrativeUnit",
    isGeneric: true,
  },
  // App registrations and service principals have their own routes over the tenant's apps.
  ...[applicationModel, servicePrincipalModel].map((model) => ({
    prefix: model.path,
    model,
    storeKey: model.key,
    isGeneric: false,
  })),
  // The audit logs have their own read-only routes over the tenant's audit records.
  ...[directoryAuditModel, auditEventModel].map((model) => ({
    prefix: model.path,
    model,
    storeKey: model.key,
    isGeneric: false,
  })),
  // Microsoft's intent templates: read-only, with their own routes (list, get, settings, createInstance).
  { prefix: intentTemplateModel.path, model: intentTemplateModel, storeKey: intentTemplateModel.key, isGeneric: false },
  // deviceManagement itself: its tenant-wide settings are written by a PATCH of it.
  {
    prefix: "/deviceManagement",
    model: resourceModel("deviceManagementSettings"),
    storeKey: "deviceManagementSettings",
    isGeneric: false,
    exactOnly: true,
  },
].sort((a, b) => b.prefix.length - a.prefix.length);

/** The mount at exactly this path. */
export function mountAt(prefix: string): Mount {
  const m = mounts.find((x) => x.prefix === prefix);
  if (!m) throw new Error(`no Graph mount at "${prefix}"`);
  return m;
}

/**
 * The mount whose path starts this request path (without regard to case), longest first; an OData
 * key in parentheses ("/applications(appId='…')") belongs to the collection before it.
 */
export function mountFor(path: string): Mount | undefined {
  const lower = path.toLowerCase();
  return mounts.find((m) => {
    const prefix = m.prefix.toLowerCase();
    if (m.exactOnly) return lower === prefix;
    return lower === prefix || lower.startsWith(`${prefix}/`) || lower.startsWith(`${prefix}(`);
  });
}
