/**
 * tenant-app — install's tenant side when the caller can sign in to the tenant (--tenant-admin):
 * the app registration the service connection signs in as (found by client id or by its name,
 * created if missing, asking for the Graph application permissions the resource types need), its
 * federated credential for the connection's issuer and subject, and its service principal. It
 * never consents (a person does, at the printed link) and never removes anything: a difference it
 * must not fix is reported. A refusal (403) names the permission the signed-in identity lacks and
 * leaves the rest to the administrator's printed steps.
 */
import type { GraphClient, Json } from "../core/graph/graph-client";
import { isGraphError } from "../core/errors";
import { appRoleId, microsoftGraphAppId } from "./graph-app-roles";
import { federationAudience, graphPermissions } from "./tenant-side";

export type TenantGraph = Pick<GraphClient, "listAll" | "send">;
type Step = (mark: "+" | "~" | "=" | "!" | "i", resource: string, text: string) => void;

export interface TenantAppOptions {
  tenant: string;
  tenantId: string;
  /** The organisation's name, for the app's display name. */
  org: string;
  clientId?: string;
  dryRun?: boolean;
}

export interface TenantApp {
  /** Object id; undefined in a dry run before the app exists. */
  id?: string;
  /** Client id; undefined in a dry run before the app exists. */
  appId?: string;
  resource: string;
}

/** The app's name in the tenant: the organisation and tenant pipeline it serves. */
export function tenantAppName(org: string, tenant: string): string {
  return `Tenant Sync – ${org} – ${tenant}`;
}

/** What a refusal means to the user: the call, the object, the permission, and what to do. */
class Refused extends Error {}

async function attempt<T>(what: string, permission: string, tenantId: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    if (isGraphError(e) && (e.status === 403 || e.status === 401))
      throw new Refused(
        `${what} in tenant ${tenantId}: the signed-in identity lacks ${permission} (Microsoft Graph answered ${e.status}${e.graphCode ? ` ${e.graphCode}` : ""}). Grant it to the identity, or give the steps below to an Entra administrator.`,
      );
    throw new Error(`${what} in tenant ${tenantId}: ${(e as Error).message}`, { cause: e });
  }
}

const readPermission = "Application.Read.All (or Application.ReadWrite.All)";
const writePermission = "Application.ReadWrite.All (or Application.ReadWrite.OwnedBy, as its owner)";

/** A write to the tenant; a dry run only names it. */
async function write(o: TenantAppOptions, what: string, call: () => Promise<unknown>): Promise<void> {
  if (!o.dryRun) await attempt(what, writePermission, o.tenantId, call);
}

const quoted = (v: string) => `'${v.replace(/'/g, "''")}'`;
const filterPath = (collection: string, property: string, value: string) =>
  `/${collection}?$filter=${encodeURIComponent(`${property} eq ${quoted(value)}`)}`;

function wantedRoleIds(): string[] {
  return graphPermissions().map(appRoleId);
}

function requestedRoleIds(app: Json): Set<string> {
  const entries =
    (app.requiredResourceAccess as { resourceAppId: string; resourceAccess: { id: string; type: string }[] }[]) ?? [];
  return new Set(
    entries
      .filter((r) => r.resourceAppId === microsoftGraphAppId)
      .flatMap((r) => r.resourceAccess.filter((a) => a.type === "Role").map((a) => a.id)),
  );
}

/** Adds the missing Graph roles to requiredResourceAccess and keeps everything it had. */
function withRoles(app: Json, missing: string[]): Json[] {
  const entries = [...((app.requiredResourceAccess as Json[]) ?? [])];
  const graph = entries.find((r) => r.resourceAppId === microsoftGraphAppId);
  const added = missing.map((id) => ({ id, type: "Role" }));
  if (graph) graph.resourceAccess = [...((graph.resourceAccess as Json[]) ?? []), ...added];
  else entries.push({ resourceAppId: microsoftGraphAppId, resourceAccess: added });
  return entries;
}

/**
 * Finds or creates the app registration. Undefined when the tenant side is left to the
 * administrator (refused, ambiguous, or a --client-id the tenant does not know): that is reported.
 */
export async function ensureTenantApp(
  graph: TenantGraph,
  o: TenantAppOptions,
  step: Step,
): Promise<TenantApp | undefined> {
  const name = tenantAppName(o.org, o.tenant);
  const resource = o.clientId ? `app registration ${o.clientId}` : `app registration "${name}"`;
  const permissions = graphPermissions();
  try {
    const found = await attempt(`Reading the app registrations`, readPermission, o.tenantId, () =>
      graph.listAll(
        "v1.0",
        o.clientId ? filterPath("applications", "appId", o.clientId) : filterPath("applications", "displayName", name),
      ),
    );
    if (found.length > 1) {
      step(
        "!",
        resource,
        `${found.length} app registrations in tenant ${o.tenantId} have this name: none is used. Run install again with --client-id <the one the connection should use>.`,
      );
      return undefined;
    }
    const [app] = found;
    if (!app) {
      if (o.clientId) {
        step(
          "!",
          resource,
          `not found in tenant ${o.tenantId}: check --client-id, or leave it out so that install finds or creates "${name}".`,
        );
        return undefined;
      }
      if (o.dryRun) {
        step(
          "+",
          resource,
          `would be created, asking for ${permissions.length} Microsoft Graph application permissions (not consented)`,
        );
        return { resource };
      }
      const created = (await attempt(
        `Creating the app registration "${name}"`,
        "Application.ReadWrite.All (or Application.ReadWrite.OwnedBy)",
        o.tenantId,
        () =>
          graph.send("POST", "v1.0", "/applications", {
            displayName: name,
            signInAudience: "AzureADMyOrg",
            requiredResourceAccess: [
              {
                resourceAppId: microsoftGraphAppId,
                resourceAccess: wantedRoleIds().map((id) => ({ id, type: "Role" })),
              },
            ],
          }),
      )) as Json;
      step(
        "+",
        resource,
        `created (client id ${String(created.appId)}), asking for ${permissions.length} Microsoft Graph application permissions: not consented yet`,
      );
      return { id: String(created.id), appId: String(created.appId), resource };
    }
    const ids = { id: String(app.id), appId: String(app.appId), resource };
    const requested = requestedRoleIds(app);
    const missing = wantedRoleIds().filter((id) => !requested.has(id));
    const missingNames = permissions.filter((p) => missing.includes(appRoleId(p)));
    if (missing.length === 0) step("=", resource, `exists (client id ${ids.appId}) and asks for the permissions`);
    else if (o.clientId)
      step(
        "!",
        resource,
        `exists but does not ask for ${missingNames.join(", ")}: left as is (you named it with --client-id). Add them under API permissions → Microsoft Graph → Application permissions, then grant consent.`,
      );
    else {
      await write(o, `Adding permissions to the app registration "${name}"`, () =>
        graph.send("PATCH", "v1.0", `/applications/${ids.id}`, { requiredResourceAccess: withRoles(app, missing) }),
      );
      step(
        "~",
        resource,
        `${o.dryRun ? "would ask" : "now asks"} for ${missingNames.join(", ")} as well (nothing it asked for is removed; not consented yet)`,
      );
    }
    return ids;
  } catch (e) {
    if (!(e instanceof Refused)) throw e;
    step("!", resource, `${e.message} Nothing was created in the tenant.`);
    return undefined;
  }
}

/**
 * Trusts the service connection: the federated credential for its issuer and subject, and the
 * service principal. False when a refusal left part of it to the administrator.
 */
export async function trustConnection(
  graph: TenantGraph,
  app: TenantApp,
  federation: { issuer: string; subject: string; connection: string },
  o: TenantAppOptions,
  step: Step,
): Promise<boolean> {
  const credentialResource = `${app.resource}: federated credential`;
  const principalResource = `${app.resource}: service principal`;
  try {
    if (!app.id) {
      step("+", credentialResource, `would be added (issuer ${federation.issuer}, subject ${federation.subject})`);
      step("+", principalResource, "would be created");
      return true;
    }
    const credentials = await attempt(
      `Reading the federated credentials of ${app.resource}`,
      readPermission,
      o.tenantId,
      () => graph.listAll("v1.0", `/applications/${app.id}/federatedIdentityCredentials`),
    );
    const same = credentials.find((c) => c.issuer === federation.issuer && c.subject === federation.subject);
    const sameName = credentials.find((c) => String(c.name).toLowerCase() === federation.connection.toLowerCase());
    if (same) step("=", credentialResource, `exists for ${federation.subject}`);
    else if (sameName)
      step(
        "!",
        credentialResource,
        `${federation.connection} exists with issuer ${String(sameName.issuer)} and subject ${String(sameName.subject)}, not the connection's ${federation.issuer}, ${federation.subject}: left as is. Correct it under Certificates & secrets → Federated credentials.`,
      );
    else {
      await write(o, `Adding the federated credential to ${app.resource}`, () =>
        graph.send("POST", "v1.0", `/applications/${app.id}/federatedIdentityCredentials`, {
          name: federation.connection,
          issuer: federation.issuer,
          subject: federation.subject,
          audiences: [federationAudience],
          description: `Azure DevOps service connection ${federation.connection} (Tenant Sync).`,
        }),
      );
      step(
        "+",
        credentialResource,
        `${o.dryRun ? "would be added" : "added"} (issuer ${federation.issuer}, subject ${federation.subject})`,
      );
    }
    const principals = await attempt(
      `Reading the service principal of ${app.resource}`,
      readPermission,
      o.tenantId,
      () => graph.listAll("v1.0", filterPath("servicePrincipals", "appId", app.appId!)),
    );
    if (principals.length > 0) step("=", principalResource, "exists");
    else {
      await write(o, `Creating the service principal of ${app.resource}`, () =>
        graph.send("POST", "v1.0", "/servicePrincipals", { appId: app.appId }),
      );
      step("+", principalResource, o.dryRun ? "would be created" : "created");
    }
    return true;
  } catch (e) {
    if (!(e instanceof Refused)) throw e;
    step("!", app.resource, e.message);
    return false;
  }
}
