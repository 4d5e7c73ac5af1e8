/**
 * audit-log — what the emulator writes into a tenant's audit log: one record per change, made
 * through the control API "as in the portal" (a person) or through Graph by an app, timestamped by
 * the emulator clock. Intune objects go to Intune's audit events, everything else to Entra's
 * directory audit, as the two services log them. Also the two logs' resource models (mounts).
 */
import { createHash, randomUUID } from "node:crypto";
import type { Mount, Principal } from "./context";
import type { GraphResponse } from "./errors";
import { handWrittenModel, type ResourceModel, type ServiceFamily } from "./service-model";
import type { AuditInitiator, AuditRecord, StoredObject, Tenant, TenantUser } from "./tenant-store";

function auditModel(key: string, path: string, rootType: string, family: ServiceFamily): ResourceModel {
  // Both logs honour $top up to 1000 and serve larger values at 1000.
  return {
    ...handWrittenModel({ key, path, rootType, family, nameProp: "id" }),
    list: { maxPageSize: 1000, overMax: "cap" },
  };
}

/** The two logs are read-only collections with their own routes (routes/audit.ts). */
export const directoryAuditModel = auditModel(
  "directoryAudit",
  "/auditLogs/directoryAudits",
  "microsoft.graph.directoryAudit",
  "directory",
);
export const auditEventModel = auditModel(
  "auditEvent",
  "/deviceManagement/auditEvents",
  "microsoft.graph.auditEvent",
  "intune",
);
const auditKeys = new Set([directoryAuditModel.key, auditEventModel.key]);

/** A stable id for a person named only by sign-in name (the control API's actor), so their entries agree. */
function userIdFor(userPrincipalName: string): string {
  const h = createHash("sha256").update(userPrincipalName.toLowerCase()).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * The person a control-API change is made by: the body's `@emulator.actor` ({userPrincipalName,
 * displayName}), matched to the tenant's users by sign-in name; without one, the tenant's first user
 * (its admin), as a portal change always has someone signed in. Undefined when `actor` is malformed.
 */
export function portalActor(tenant: Tenant, actor: unknown): TenantUser | undefined {
  if (actor === undefined)
    return (
      tenant.state.users[0] ?? {
        id: userIdFor("admin"),
        userPrincipalName: `admin@${tenant.state.domain}`,
        displayName: "Tenant Admin",
      }
    );
  if (!actor || typeof actor !== "object") return undefined;
  const a = actor as Record<string, unknown>;
  if (typeof a.userPrincipalName !== "string" || !a.userPrincipalName.includes("@")) return undefined;
  const upn = a.userPrincipalName;
  const known = tenant.state.users.find((u) => u.userPrincipalName.toLowerCase() === upn.toLowerCase());
  const displayName = typeof a.displayName === "string" ? a.displayName : (known?.displayName ?? upn);
  return { id: known?.id ?? userIdFor(upn), userPrincipalName: known?.userPrincipalName ?? upn, displayName };
}

/** The app calling Graph, as the logs name it. */
export function appInitiator(tenant: Tenant, caller: Principal): AuditInitiator {
  const app = tenant.app(caller.appId);
  return {
    app: {
      appId: caller.appId,
      displayName: app?.displayName ?? caller.appId,
      servicePrincipalId: app?.servicePrincipal?.id,
    },
  };
}

const text = (v: unknown): string | null => (v === undefined ? null : JSON.stringify(v));

function modifiedProperties(before: StoredObject["props"] | undefined, after: StoredObject["props"] | undefined) {
  if (!after) return [];
  return Object.keys(after)
    .filter((k) => !k.startsWith("@odata.") && JSON.stringify(before?.[k]) !== JSON.stringify(after[k]))
    .map((k) => ({ displayName: k, oldValue: text(before?.[k]), newValue: text(after[k]) }));
}

export interface AuditedChange {
  model: ResourceModel;
  operation: AuditRecord["operation"];
  objectId: string;
  before?: StoredObject;
  after?: StoredObject;
  initiatedBy: AuditInitiator;
  now: number;
}

/** Records one change in the log of the object's service. */
export function recordChange(tenant: Tenant, change: AuditedChange): void {
  const { model } = change;
  const object = change.after ?? change.before;
  const name = object?.props[model.nameProp] ?? object?.props.displayName;
  const odataType = object?.props["@odata.type"];
  tenant.recordAudit({
    id: randomUUID(),
    log: model.family === "intune" ? "intune" : "directory",
    activityDateTime: new Date(change.now).toISOString(),
    operation: change.operation,
    resourceKey: model.key,
    targetType: typeof odataType === "string" ? odataType.replace(/^#/, "") : model.rootType,
    targetId: change.objectId,
    targetName: typeof name === "string" ? name : null,
    modifiedProperties:
      change.operation === "Delete" ? [] : modifiedProperties(change.before?.props, change.after?.props),
    initiatedBy: change.initiatedBy,
    correlationId: randomUUID(),
  });
}

function copy(o: StoredObject | undefined): StoredObject | undefined {
  return o ? (JSON.parse(JSON.stringify(o)) as StoredObject) : undefined;
}

/** A Graph write about to run, noted before so the record can name what changed. */
export interface PendingWrite {
  mount: Mount;
  method: string;
  /** Undefined for a create (the id comes with the answer). */
  objectId?: string;
  /** True when the write goes to a part of the object (assignments, settings, an action). */
  isPart: boolean;
  before?: StoredObject;
}

function stored(tenant: Tenant, mount: Mount, id: string | undefined): StoredObject | undefined {
  if (mount.model.kind === "singleton") return tenant.singleton(mount.storeKey) ?? tenant.list(mount.storeKey)[0];
  return id === undefined ? undefined : tenant.get(mount.storeKey, id);
}

/** What a Graph write will change, or undefined for reads and the logs themselves. */
export function pendingWrite(tenant: Tenant, mount: Mount, method: string, path: string): PendingWrite | undefined {
  if (method === "GET" || auditKeys.has(mount.model.key)) return undefined;
  const rest = path.slice(mount.prefix.length).split("/").filter(Boolean);
  const objectId =
    mount.model.kind === "singleton" ? undefined : rest[0]?.replace(/^\('?|'?\)$/g, "").replace(/^'|'$/g, "");
  const pending: PendingWrite = { mount, method, objectId, isPart: rest.length > (objectId ? 1 : 0) };
  pending.before = copy(stored(tenant, mount, objectId));
  return pending;
}

/** After a successful write: records it with the app as initiator. */
export function recordGraphWrite(
  tenant: Tenant,
  pending: PendingWrite,
  response: GraphResponse,
  caller: Principal,
  now: number,
): void {
  if (response.status >= 300) return;
  const body = response.body as Record<string, unknown> | undefined;
  const isCreate = pending.method === "POST" && !pending.objectId && pending.mount.model.kind !== "singleton";
  const objectId = pending.objectId ?? (isCreate && typeof body?.id === "string" ? body.id : pending.before?.id);
  if (!objectId) return;
  const after = stored(tenant, pending.mount, objectId);
  const operation =
    pending.method === "DELETE" && !pending.isPart
      ? "Delete"
      : isCreate
        ? "Create"
        : pending.isPart && pending.method === "POST"
          ? "Action"
          : "Update";
  recordChange(tenant, {
    model: pending.mount.model,
    operation,
    objectId,
    before: pending.before,
    after: operation === "Delete" ? undefined : after,
    initiatedBy: appInitiator(tenant, caller),
    now,
  });
}
