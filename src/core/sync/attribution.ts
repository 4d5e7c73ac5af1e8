/**
 * attribution — who changed the objects a drift import brings into the repository, read from the
 * tenant's audit logs: Entra's directory audit for directory objects and policies, Intune's audit
 * events for Intune objects. A few list calls per sync (filtered by time, and for the directory
 * audit by the objects' ids), never one per object. The logs need their own read permissions; an
 * app without them still imports, and is told which permission to grant.
 */
import { gitStatus } from "../snapshot/git";
import type { GraphClient, Json } from "../graph/graph-client";
import { isGraphError } from "../errors";
import { safeText } from "../safe-text";
import type { Import } from "./make-plan";

/** Who last changed an object, and when (ISO time), as the audit log names them. */
export interface Attribution {
  name: string;
  /** Sign-in name of a person; absent for an app. */
  email?: string;
  appId?: string;
  at: string;
}

/** Permissions each audit log needs (optional: backup and deploy work without them). */
export const auditPermissions = {
  directory: ["AuditLog.Read.All", "Directory.Read.All"],
  intune: ["DeviceManagementApps.Read.All"],
} as const;

type Log = keyof typeof auditPermissions;
const logNames: Record<Log, string> = {
  directory: "Entra audit log (auditLogs/directoryAudits)",
  intune: "Intune audit log (deviceManagement/auditEvents)",
};

export interface AttributionResult {
  byAddress: Map<string, Attribution>;
  /** Addresses of imported tenant changes no audit entry names. */
  unattributed: string[];
  warnings: string[];
}

/** The imports that are changes made in the tenant (not reverts or recorded ids). */
export function tenantChanges(imports: Import[]): Import[] {
  return imports.filter((i) => i.reason === "drift" || i.reason === "tenantWins");
}

const logOf = (i: Import): Log => (i.type.startsWith("intune.") ? "intune" : "directory");
const idOf = (i: Import): string => i.tenant?.id || i.repo?.id || "";
const quoted = (id: string) => `'${id.replace(/'/g, "''")}'`;
/** Keeps a name from the tenant usable in a commit header: one line, no angle brackets. */
const clean = (text: string) =>
  safeText(text)
    .replace(/[<>\r\n]+/g, " ")
    .trim();

/** When a commit was made (ISO), the time from which the audit logs are read. */
export async function commitTime(repoDir: string, commit: string | undefined): Promise<string | undefined> {
  if (!commit) return undefined;
  const r = await gitStatus(["log", "-1", "--format=%cI", commit], { cwd: repoDir }, [128]);
  const text = r.stdout.trim();
  return r.code === 0 && text ? new Date(text).toISOString() : undefined;
}

interface Hit {
  targetIds: string[];
  attribution: Attribution;
}

function directoryHit(entry: Json, names: Map<string, string>): Hit | undefined {
  const by = (entry.initiatedBy ?? {}) as { user?: Json | null; app?: Json | null };
  const at = String(entry.activityDateTime ?? "");
  const targetIds = ((entry.targetResources as Json[] | undefined) ?? []).map((t) => String(t.id ?? ""));
  if (by.user && typeof by.user.userPrincipalName === "string") {
    const email = by.user.userPrincipalName;
    const name = typeof by.user.displayName === "string" && by.user.displayName ? by.user.displayName : email;
    names.set(email.toLowerCase(), name);
    return { targetIds, attribution: { name: clean(name), email: clean(email), at } };
  }
  if (by.app) {
    const appId = String(by.app.appId ?? "");
    return { targetIds, attribution: { name: clean(String(by.app.displayName ?? appId)), appId, at } };
  }
  return undefined;
}

function intuneHit(entry: Json): Hit | undefined {
  const actor = (entry.actor ?? {}) as Json;
  const at = String(entry.activityDateTime ?? "");
  const targetIds = ((entry.resources as Json[] | undefined) ?? []).map((r) => String(r.resourceId ?? ""));
  if (typeof actor.userPrincipalName === "string" && actor.userPrincipalName) {
    const email = clean(actor.userPrincipalName);
    return { targetIds, attribution: { name: email, email, at } };
  }
  if (typeof actor.applicationId === "string") {
    const name = String(actor.applicationDisplayName ?? actor.applicationId);
    return { targetIds, attribution: { name: clean(name), appId: actor.applicationId, at } };
  }
  return undefined;
}

/** The list calls for one log: the directory audit filtered by up to 15 ids each, Intune's by time only. */
function queries(log: Log, ids: string[], since: string): string[] {
  const time = `activityDateTime ge ${since}`;
  if (log === "intune") return [`/deviceManagement/auditEvents?$filter=${encodeURIComponent(time)}`];
  const out: string[] = [];
  for (let i = 0; i < ids.length; i += 15) {
    const targets = ids
      .slice(i, i + 15)
      .map((id) => `targetResources/any(t: t/id eq ${quoted(id)})`)
      .join(" or ");
    out.push(`/auditLogs/directoryAudits?$filter=${encodeURIComponent(`${time} and (${targets})`)}`);
  }
  return out;
}

function refusal(log: Log, e: unknown, count: number): string {
  const what = `${count} imported change${count === 1 ? "" : "s"}`;
  if (isGraphError(e) && e.status === 403)
    return `Cannot tell who made ${what}: reading the ${logNames[log]} was refused (403). Grant the app ${auditPermissions[log].join(" and ")} (admin consent) to record who changed what; the import is committed without Changed-By for them.`;
  return `Cannot tell who made ${what}: reading the ${logNames[log]} failed (${safeText((e as Error).message)}); the import is committed without Changed-By for them.`;
}

/**
 * Who last changed each imported tenant change since `since` (the base's time). Never throws for
 * the logs: what cannot be read becomes a warning and the objects stay unattributed.
 */
export async function attributeImports(
  graph: GraphClient,
  imports: Import[],
  since: string | undefined,
): Promise<AttributionResult> {
  const changes = tenantChanges(imports).filter((i) => idOf(i));
  const result: AttributionResult = { byAddress: new Map(), unattributed: [], warnings: [] };
  if (!since || changes.length === 0) return result;
  const names = new Map<string, string>();
  const latest = new Map<string, Attribution>();
  const wanted = new Set(changes.map(idOf));
  for (const log of ["directory", "intune"] as const) {
    const mine = changes.filter((i) => logOf(i) === log);
    if (mine.length === 0) continue;
    try {
      for (const path of queries(log, [...new Set(mine.map(idOf))], since)) {
        for await (const entry of graph.list("v1.0", path)) {
          const hit = log === "directory" ? directoryHit(entry, names) : intuneHit(entry);
          if (!hit) continue;
          for (const id of hit.targetIds) {
            const known = latest.get(`${log}|${id}`);
            if (wanted.has(id) && (!known || Date.parse(hit.attribution.at) > Date.parse(known.at)))
              latest.set(`${log}|${id}`, hit.attribution);
          }
        }
      }
    } catch (e) {
      result.warnings.push(refusal(log, e, mine.length));
    }
  }
  await namePeople(graph, [...latest.values()], names);
  for (const i of changes) {
    const found = latest.get(`${logOf(i)}|${idOf(i)}`);
    if (!found) {
      result.unattributed.push(i.address);
      continue;
    }
    // Intune names people by sign-in name only; the directory audit may know their display name.
    const name = found.email && found.name === found.email ? names.get(found.email.toLowerCase()) : undefined;
    result.byAddress.set(i.address, name ? { ...found, name: clean(name) } : found);
  }
  for (const i of tenantChanges(imports)) if (!idOf(i)) result.unattributed.push(i.address);
  return result;
}

/**
 * Intune's log names people by sign-in name only: the directory audit's latest entry by each such
 * person gives their display name (one call per person, not per object). Where that log cannot be
 * read or knows them not, the sign-in name stands.
 */
async function namePeople(graph: GraphClient, found: Attribution[], names: Map<string, string>): Promise<void> {
  const unnamed = new Set(
    found
      .filter((a) => a.email && a.name === a.email && !names.has(a.email.toLowerCase()))
      .map((a) => a.email as string),
  );
  for (const email of unnamed) {
    const filter = encodeURIComponent(`initiatedBy/user/userPrincipalName eq ${quoted(email)}`);
    try {
      const page = await graph.get("v1.0", `/auditLogs/directoryAudits?$filter=${filter}&$top=1`);
      const entry = ((page.value as Json[] | undefined) ?? [])[0];
      if (entry) directoryHit(entry, names);
    } catch {
      return; // The directory audit was refused or failed: its warning, if any, was given when reading it.
    }
  }
}

/** "Adele Vance <adele@contoso.com>", or an app as "Name (app <appId>)". */
export function personOf(a: Attribution): string {
  return a.email ? `${a.name} <${a.email}>` : `${a.name} (app ${a.appId ?? "unknown"})`;
}

/** The Changed-By trailers of an import commit, one per attributed object, with its address and time. */
export function changedByTrailers(imports: Import[], byAddress: Map<string, Attribution>): string[] {
  return tenantChanges(imports)
    .filter((i) => byAddress.has(i.address))
    .map((i) => {
      const a = byAddress.get(i.address) as Attribution;
      return `Changed-By: ${personOf(a)} (${safeText(i.address).replace(/[\r\n]+/g, " ")}, ${a.at})`;
    });
}

/** The commit author when one person made every imported tenant change; otherwise undefined (the tool's identity). */
export function soleAuthor(imports: Import[], byAddress: Map<string, Attribution>): Record<string, string> | undefined {
  const changes = tenantChanges(imports);
  if (changes.length === 0) return undefined;
  const people = new Set<string>();
  for (const i of changes) {
    const a = byAddress.get(i.address);
    if (!a?.email) return undefined;
    people.add(a.email.toLowerCase());
  }
  if (people.size !== 1) return undefined;
  const a = byAddress.get(changes[0].address) as Attribution;
  return { GIT_AUTHOR_NAME: a.name, GIT_AUTHOR_EMAIL: a.email as string };
}
