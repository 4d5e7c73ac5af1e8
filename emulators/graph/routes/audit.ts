/**
 * audit — the two audit logs a tenant's changes show up in: Entra's directory audit
 * (/auditLogs/directoryAudits) and Intune's audit events (/deviceManagement/auditEvents), newest
 * first, with $top and @odata.nextLink paging and each service's own subset of $filter. Read-only;
 * the records come from audit-log.ts. Each log checks its own permissions (they are not in the
 * permission data the other routes use).
 */
import { contextUrl, json } from "../answers";
import { pageSizeOf } from "../collection";
import { auditEventModel, directoryAuditModel } from "../audit-log";
import type { GraphRoute, Mount, RequestContext } from "../context";
import { badRequest, fail, forbidden, type GraphResponse, intuneMessage, notFound } from "../errors";
import { mountAt } from "../mounts";
import { decodeSkipToken, nextLinkFor, pageOf, parseTop } from "../odata";
import { grantedBy } from "../permissions";
import type { AuditRecord } from "../tenant-store";
import type { Area } from "./area";
import { route } from "./common";
import { type AuditFilter, parseAuditFilter, matchesAuditFilter } from "./audit-filter";

type Json = Record<string, unknown>;

/** The portal app Intune names as the application of a change made by a person in the admin center. */
const intunePortalApp = {
  id: "5926fc8e-304e-4f59-8bed-58ca97cc39a4",
  displayName: "Microsoft Intune portal extension",
};

function typeName(record: AuditRecord): string {
  const bare = record.targetType.replace(/^microsoft\.graph\./, "");
  return bare.charAt(0).toUpperCase() + bare.slice(1);
}

const directoryCategories: Record<string, string> = {
  group: "GroupManagement",
  administrativeUnit: "AdministrativeUnit",
  directoryRoleDefinition: "RoleManagement",
  application: "ApplicationManagement",
  servicePrincipal: "ApplicationManagement",
};

const directoryVerbs: Record<AuditRecord["operation"], string> = {
  Create: "Add",
  Update: "Update",
  Delete: "Delete",
  Action: "Update",
};

function words(type: string): string {
  return type.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
}

export function renderDirectoryAudit(r: AuditRecord): Json {
  const user = r.initiatedBy.user;
  const app = r.initiatedBy.app;
  const isPolicy = !directoryCategories[r.resourceKey];
  return {
    id: `Directory_${r.id}`,
    category: directoryCategories[r.resourceKey] ?? "Policy",
    correlationId: r.correlationId,
    result: "success",
    resultReason: "",
    activityDisplayName: `${directoryVerbs[r.operation]} ${words(typeName(r))}`,
    activityDateTime: r.activityDateTime,
    loggedByService: r.resourceKey === "conditionalAccessPolicy" ? "Conditional Access" : "Core Directory",
    operationType: r.operation === "Create" ? "Add" : r.operation === "Action" ? "Update" : r.operation,
    initiatedBy: {
      user: user
        ? { id: user.id, displayName: user.displayName, userPrincipalName: user.userPrincipalName, ipAddress: null }
        : null,
      app: app
        ? {
            appId: app.appId,
            displayName: app.displayName,
            servicePrincipalId: app.servicePrincipalId ?? null,
            servicePrincipalName: null,
          }
        : null,
    },
    targetResources: [
      {
        id: r.targetId,
        displayName: r.targetName,
        type: isPolicy ? "Policy" : typeName(r),
        userPrincipalName: null,
        groupType: null,
        modifiedProperties: r.modifiedProperties,
      },
    ],
    additionalDetails: [],
  };
}

const intuneOperations: Record<AuditRecord["operation"], string> = {
  Create: "Create",
  Update: "Patch",
  Delete: "Delete",
  Action: "Action",
};

export function renderAuditEvent(r: AuditRecord): Json {
  const user = r.initiatedBy.user;
  const app = r.initiatedBy.app;
  const type = typeName(r);
  const activity = `${intuneOperations[r.operation]} ${type}`;
  return {
    "@odata.type": "#microsoft.graph.auditEvent",
    id: r.id,
    displayName: activity,
    componentName: r.resourceKey.charAt(0).toUpperCase() + r.resourceKey.slice(1),
    actor: {
      type: user ? "ItPro" : "Application",
      auditActorType: user ? "ItPro" : "Application",
      userPermissions: ["*"],
      applicationId: app?.appId ?? intunePortalApp.id,
      applicationDisplayName: app?.displayName ?? intunePortalApp.displayName,
      userPrincipalName: user?.userPrincipalName ?? null,
      servicePrincipalName: app ? app.displayName : null,
      ipAddress: null,
      userId: user?.id ?? null,
    },
    activity,
    activityDateTime: r.activityDateTime,
    activityType: activity,
    activityOperationType: intuneOperations[r.operation],
    activityResult: "Success",
    correlationId: r.correlationId,
    resources: [
      {
        displayName: r.targetName,
        modifiedProperties: r.modifiedProperties,
        type,
        auditResourceType: type,
        resourceId: r.targetId,
      },
    ],
    category: r.resourceKey === "deviceCompliancePolicy" ? "Compliance" : "DeviceConfiguration",
  };
}

interface AuditLogSpec {
  log: AuditRecord["log"];
  fragment: string;
  render: (r: AuditRecord) => Json;
  /** All of these are needed (a ReadWrite permission stands for its Read). */
  permissions: string[];
  /** Per property path (lambda members as "collection/member"): the operators the service filters with. */
  filterable: Record<string, string[]>;
  unsupported: (ctx: RequestContext, what: string) => never;
}

const directoryLog: AuditLogSpec = {
  log: "directory",
  fragment: "auditLogs/directoryAudits",
  render: renderDirectoryAudit,
  // The reference page (List directoryAudits) names both, for delegated and application access.
  permissions: ["AuditLog.Read.All", "Directory.Read.All"],
  filterable: {
    activityDateTime: ["eq", "ge", "le"],
    activityDisplayName: ["eq"],
    category: ["eq"],
    correlationId: ["eq"],
    id: ["eq"],
    loggedByService: ["eq"],
    result: ["eq"],
    "initiatedBy/user/id": ["eq"],
    "initiatedBy/user/displayName": ["eq"],
    "initiatedBy/user/userPrincipalName": ["eq"],
    "initiatedBy/app/appId": ["eq"],
    "initiatedBy/app/displayName": ["eq"],
    "targetResources/id": ["eq"],
    "targetResources/displayName": ["eq"],
  },
  unsupported: (ctx, what) =>
    fail(
      400,
      "Request_UnsupportedQuery",
      `Unsupported or invalid query filter clause specified for property '${what}' of resource 'DirectoryAudit'.`,
      ctx.now,
    ),
};

const intuneLog: AuditLogSpec = {
  log: "intune",
  fragment: "deviceManagement/auditEvents",
  render: renderAuditEvent,
  permissions: ["DeviceManagementApps.Read.All"],
  filterable: {
    activityDateTime: ["eq", "ge", "gt", "le", "lt"],
    category: ["eq"],
    componentName: ["eq"],
    activityType: ["eq"],
    activityOperationType: ["eq"],
    "actor/userPrincipalName": ["eq"],
    "resources/resourceId": ["eq"],
  },
  unsupported: (ctx, what) =>
    fail(400, "BadRequest", intuneMessage(`Invalid filter clause: filtering on '${what}' is not supported.`), ctx.now),
};

function checkPermissions(ctx: RequestContext, spec: AuditLogSpec, mount: Mount): void {
  const granted = ctx.caller.granted;
  if (spec.permissions.every((p) => grantedBy(granted, p))) return;
  const hasIntune = [...granted].some((p) => p.startsWith("DeviceManagement"));
  forbidden(mount.model.family, spec.permissions, hasIntune, ctx.now);
}

function filterOf(ctx: RequestContext, spec: AuditLogSpec): AuditFilter | undefined {
  const text = ctx.query.get("$filter");
  if (!text) return undefined;
  const parsed = parseAuditFilter(text);
  if ("error" in parsed)
    return spec.log === "intune"
      ? fail(400, "BadRequest", intuneMessage(`Invalid filter clause: ${parsed.error}`), ctx.now)
      : badRequest(`Invalid filter clause: ${parsed.error}`, ctx.now, "directory");
  for (const c of parsed.comparisons) {
    if (!spec.filterable[c.path]?.includes(c.op)) spec.unsupported(ctx, c.path);
  }
  return parsed.filter;
}

function list(ctx: RequestContext, spec: AuditLogSpec, mount: Mount): GraphResponse {
  checkPermissions(ctx, spec, mount);
  const filter = filterOf(ctx, spec);
  const top = parseTop(ctx.query.get("$top"), ctx.now);
  const token = ctx.query.get("$skiptoken");
  // Newest first by the time logged (the clock may have been moved back), the later record first on a tie.
  const rendered = ctx.tenant
    .auditLog(spec.log)
    .map((r, i) => ({ r, i, at: Date.parse(r.activityDateTime) }))
    .sort((a, b) => b.at - a.at || b.i - a.i)
    .map((x) => spec.render(x.r));
  const matching = filter ? rendered.filter((r) => matchesAuditFilter(r, filter)) : rendered;
  const page = pageOf(
    matching,
    top,
    token ? decodeSkipToken(token, ctx.now) : undefined,
    pageSizeOf(ctx, mount.model, top),
  );
  const body: Json = { "@odata.context": contextUrl(ctx, spec.fragment), value: page.items };
  if (page.next) body["@odata.nextLink"] = nextLinkFor(ctx.url, page.next);
  return json(body);
}

function one(ctx: RequestContext, spec: AuditLogSpec, mount: Mount): GraphResponse {
  checkPermissions(ctx, spec, mount);
  const found = ctx.tenant
    .auditLog(spec.log)
    .map(spec.render)
    .find((r) => r.id === ctx.params.id);
  if (!found) return notFound(ctx.params.id, ctx.now, mount.model.family);
  return json({ "@odata.context": contextUrl(ctx, `${spec.fragment}/$entity`), ...found });
}

function logRoutes(mount: Mount, spec: AuditLogSpec): GraphRoute[] {
  return [
    route(mount, "GET", "", (ctx) => list(ctx, spec, mount)),
    route(mount, "GET", "/{id}", (ctx) => one(ctx, spec, mount)),
  ];
}

export const audit: Area = {
  hooks: {},
  children: {},
  routes: [
    ...logRoutes(mountAt(directoryAuditModel.path), directoryLog),
    ...logRoutes(mountAt(auditEventModel.path), intuneLog),
  ],
};
