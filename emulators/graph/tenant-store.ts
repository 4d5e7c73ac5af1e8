/**
 * tenant-store — the emulator's tenants: app registrations with their consented permissions,
 * licences, and the configuration objects of every resource type. Several tenants live in one
 * store; state can be saved to and loaded from a folder so a demo survives a restart. Each tenant
 * also keeps its audit log: one record per change, served as Entra directoryAudits or Intune auditEvents.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface FederatedCredential {
  /** Set when the credential was added through Graph (federatedIdentityCredentials); the control API may leave them out. */
  id?: string;
  name?: string;
  description?: string | null;
  issuer: string;
  subject: string;
  audiences: string[];
  /** Public keys of the issuer; when absent they are fetched from the issuer's OpenID metadata. */
  jwks?: { keys: Record<string, unknown>[] };
}

export interface AppRegistration {
  clientId: string;
  displayName: string;
  secrets: string[];
  /** PEM certificates whose keys may sign client assertions. */
  certificates: string[];
  federatedCredentials: FederatedCredential[];
  /** Public client flows (device code) allowed. */
  isPublicClient: boolean;
  /** Application permissions admin-consented in this tenant (go into `roles`). */
  roles: string[];
  /** Delegated permissions consented (go into `scp`). */
  scopes: string[];
  /** The application object's id (Graph `id`); given on first Graph use to apps the control API made. */
  objectId?: string;
  createdDateTime?: string;
  signInAudience?: string;
  /** Permissions the app asks for (Graph `requiredResourceAccess`): requesting is not consenting, `roles` stays as it is. */
  requiredResourceAccess?: RequiredResourceAccess[];
  /** Client ids of the apps that created it through Graph: with Application.ReadWrite.OwnedBy they manage only these. */
  owners?: string[];
  /** Its service principal (enterprise application) in this tenant, once created. */
  servicePrincipal?: { id: string; createdDateTime: string };
  /**
   * The registration's other configuration as Graph shows it (web, spa, publicClient, api, appRoles,
   * optionalClaims, tags, notes, …): properties the token endpoint does not read.
   */
  settings?: Record<string, unknown>;
}

/** A registration with no credentials, permissions or consent yet, as Graph creates one. */
export function blankApp(clientId: string, displayName: string, owners: string[]): AppRegistration {
  return {
    clientId,
    displayName,
    secrets: [],
    certificates: [],
    federatedCredentials: [],
    isPublicClient: false,
    roles: [],
    scopes: [],
    owners,
  };
}

export interface RequiredResourceAccess {
  resourceAppId: string;
  resourceAccess: { id: string; type: "Role" | "Scope" }[];
}

export interface StoredObject {
  id: string;
  props: Record<string, unknown>;
  /** Contained navigation collections: assignments, settings, scheduledActionsForRule, … */
  nav: Record<string, StoredObject[]>;
}

export interface TenantUser {
  id: string;
  userPrincipalName: string;
  displayName: string;
}

/** Who made a change: a person (portal, delegated) or an app (app-only Graph call). */
export interface AuditInitiator {
  user?: TenantUser;
  app?: { appId: string; displayName: string; servicePrincipalId?: string };
}

/** One change as the service logs it; routes/audit.ts renders it in each log's own shape. */
export interface AuditRecord {
  id: string;
  /** Which log holds it: Entra's directory audit or Intune's audit events. */
  log: "directory" | "intune";
  activityDateTime: string;
  operation: "Create" | "Update" | "Delete" | "Action";
  /** The resource key of the object changed (deviceCompliancePolicy, group, …). */
  resourceKey: string;
  /** The object's @odata.type or root type, without "#". */
  targetType: string;
  targetId: string;
  targetName: string | null;
  modifiedProperties: { displayName: string; oldValue: string | null; newValue: string | null }[];
  initiatedBy: AuditInitiator;
  correlationId: string;
}

export interface TenantState {
  id: string;
  name: string;
  domain: string;
  licences: { intune: boolean };
  /** Entra throttling size class: S (<50 users), M (50–500), L (>500). */
  size: "S" | "M" | "L";
  apps: AppRegistration[];
  users: TenantUser[];
  /** Objects per resource key, in creation order. */
  collections: Record<string, StoredObject[]>;
  singletons: Record<string, StoredObject>;
  nextScopeTagId: number;
  /** The audit log, oldest first (absent in state saved before the emulator kept one). */
  audit?: AuditRecord[];
}

/** Deterministic random numbers for seeds (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function uuidFrom(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
  hex[12] = "4";
  hex[16] = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  const s = hex.join("");
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

export function newSecret(): string {
  return randomBytes(24).toString("base64url");
}

export class Tenant {
  private readonly byId = new Map<string, Map<string, StoredObject>>();

  constructor(readonly state: TenantState) {
    for (const [key, list] of Object.entries(state.collections)) {
      this.byId.set(key, new Map(list.map((o) => [o.id, o])));
    }
  }

  get id(): string {
    return this.state.id;
  }

  collection(key: string): Map<string, StoredObject> {
    let map = this.byId.get(key);
    if (!map) {
      map = new Map();
      this.byId.set(key, map);
    }
    return map;
  }

  list(key: string): StoredObject[] {
    return [...this.collection(key).values()];
  }

  get(key: string, id: string): StoredObject | undefined {
    return this.collection(key).get(id);
  }

  put(key: string, object: StoredObject): void {
    this.collection(key).set(object.id, object);
  }

  remove(key: string, id: string): boolean {
    return this.collection(key).delete(id);
  }

  singleton(key: string): StoredObject | undefined {
    return this.state.singletons[key];
  }

  newId(key: string): string {
    if (key === "roleScopeTag") return String(this.state.nextScopeTagId++);
    return randomUUID();
  }

  recordAudit(record: AuditRecord): void {
    (this.state.audit ??= []).push(record);
  }

  /** The records of one log, oldest first. */
  auditLog(log: AuditRecord["log"]): AuditRecord[] {
    return (this.state.audit ?? []).filter((r) => r.log === log);
  }

  app(clientId: string): AppRegistration | undefined {
    return this.state.apps.find((a) => a.clientId === clientId);
  }

  toJSON(): TenantState {
    const collections: Record<string, StoredObject[]> = {};
    for (const [key, map] of this.byId) collections[key] = [...map.values()];
    return { ...this.state, collections };
  }

  objectCount(): number {
    let n = 0;
    for (const map of this.byId.values()) n += map.size;
    return n + Object.keys(this.state.singletons).length;
  }
}

export class TenantStore {
  private readonly tenants = new Map<string, Tenant>();

  all(): Tenant[] {
    return [...this.tenants.values()];
  }

  add(state: TenantState): Tenant {
    const tenant = new Tenant(state);
    this.tenants.set(state.id, tenant);
    return tenant;
  }

  remove(id: string): boolean {
    return this.tenants.delete(id);
  }

  clear(): void {
    this.tenants.clear();
  }

  /** By tenant id or by domain (login.microsoftonline.com accepts both). */
  find(idOrDomain: string): Tenant | undefined {
    const wanted = idOrDomain.toLowerCase();
    return (
      this.tenants.get(idOrDomain) ??
      this.all().find((t) => t.id.toLowerCase() === wanted || t.state.domain.toLowerCase() === wanted)
    );
  }

  save(dir: string): void {
    mkdirSync(dir, { recursive: true });
    const file = join(dir, "state.json");
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify({ formatVersion: 1, tenants: this.all().map((t) => t.toJSON()) }));
    renameSync(temp, file);
  }

  /** Loads a saved state; false when the folder holds none. */
  load(dir: string): boolean {
    const file = join(dir, "state.json");
    if (!existsSync(file)) return false;
    const saved = JSON.parse(readFileSync(file, "utf8")) as { formatVersion: number; tenants: TenantState[] };
    if (saved.formatVersion !== 1)
      throw new Error(`${file}: unknown state format ${saved.formatVersion}; delete the folder to start over`);
    this.clear();
    saved.tenants.forEach((t) => this.add(t));
    return true;
  }
}
