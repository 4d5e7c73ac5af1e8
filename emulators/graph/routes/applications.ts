/**
 * applications — app registrations (`/applications`, by object id or by `appId`), their federated
 * identity credentials and their service principals, over the same `apps` of the tenant that the
 * token endpoint signs in with: an app created here, with a federated credential added here, is
 * one a pipeline can sign in as. Requesting permissions (`requiredResourceAccess`) does not consent
 * to them: the app's consented `roles` change only through the control API, as only a person's
 * consent changes them in the service. With Application.ReadWrite.OwnedBy alone, a caller sees and
 * manages only the apps it created (or reads all of them with Application.Read.All besides). The
 * registration's configuration (redirect URIs, exposed API, app roles, optional claims, tags, notes)
 * is checked as the service checks it and kept beside what the token endpoint reads.
 */
import { createHash, randomUUID } from "node:crypto";
import { contextUrl, json, noContent } from "../answers";
import type { GraphRoute, Mount, RequestContext } from "../context";
import { badRequest, fail, type GraphResponse, notFound } from "../errors";
import { grantedBy } from "../permissions";
import { listPage } from "../collection";
import { matchesFilter, parseExpand, parseFilter } from "../odata";
import { applicationModel } from "../service-model";
import { mountAt } from "../mounts";
import { type AppRegistration, blankApp, type FederatedCredential, type RequiredResourceAccess } from "../tenant-store";
import type { Area } from "./area";
import { route } from "./common";

type Json = Record<string, unknown>;

const signInAudiences = [
  "AzureADMyOrg",
  "AzureADMultipleOrgs",
  "AzureADandPersonalMicrosoftAccount",
  "PersonalMicrosoftAccount",
];
/** Configuration the emulator keeps as given (checked below), with the value a new registration shows. */
const settingDefaults: Record<string, () => unknown> = {
  description: () => null,
  notes: () => null,
  tags: () => [],
  identifierUris: () => [],
  groupMembershipClaims: () => null,
  serviceManagementReference: () => null,
  info: () => ({
    logoUrl: null,
    marketingUrl: null,
    privacyStatementUrl: null,
    supportUrl: null,
    termsOfServiceUrl: null,
  }),
  web: () => ({
    homePageUrl: null,
    logoutUrl: null,
    redirectUris: [],
    implicitGrantSettings: { enableAccessTokenIssuance: false, enableIdTokenIssuance: false },
    redirectUriSettings: [],
  }),
  spa: () => ({ redirectUris: [] }),
  publicClient: () => ({ redirectUris: [] }),
  api: () => ({
    acceptMappedClaims: null,
    knownClientApplications: [],
    requestedAccessTokenVersion: null,
    oauth2PermissionScopes: [],
    preAuthorizedApplications: [],
  }),
  appRoles: () => [],
  optionalClaims: () => null,
};
/** The application properties the emulator keeps; others are refused rather than dropped silently. */
const writable = [
  "displayName",
  "signInAudience",
  "requiredResourceAccess",
  "isFallbackPublicClient",
  ...Object.keys(settingDefaults),
];
const readOnly = ["id", "appId", "createdDateTime", "deletedDateTime", "publisherDomain"];
const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const denied = (ctx: RequestContext): never =>
  fail(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.", ctx.now);

/** Whether the caller may see or manage every app, or (OwnedBy alone) only the ones it created. */
function seesAll(ctx: RequestContext, write: boolean): boolean {
  const all = write
    ? ["Application.ReadWrite.All"]
    : ["Application.Read.All", "Application.ReadWrite.All", "Directory.Read.All"];
  return all.some((p) => grantedBy(ctx.caller.granted, p));
}

function visible(ctx: RequestContext, app: AppRegistration, write: boolean): boolean {
  return seesAll(ctx, write) || (app.owners ?? []).includes(ctx.caller.appId);
}

/** Apps the control API made get their object id (and creation time) the first time Graph shows them. */
function objectIdOf(app: AppRegistration, now: number): string {
  app.objectId ??= randomUUID();
  app.createdDateTime ??= new Date(now).toISOString().replace(/\.\d{3}Z$/, "Z");
  return app.objectId;
}

/** A stable key id for a stored secret or certificate (the service shows ids and hints, never values). */
function keyId(value: string): string {
  const h = createHash("sha256").update(value).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function renderApp(ctx: RequestContext, app: AppRegistration): Json {
  return {
    id: objectIdOf(app, ctx.now),
    deletedDateTime: null,
    appId: app.clientId,
    createdDateTime: app.createdDateTime,
    displayName: app.displayName,
    isFallbackPublicClient: app.isPublicClient,
    publisherDomain: ctx.tenant.state.domain,
    signInAudience: app.signInAudience ?? "AzureADMyOrg",
    ...Object.fromEntries(Object.entries(settingDefaults).map(([k, fresh]) => [k, app.settings?.[k] ?? fresh()])),
    requiredResourceAccess: app.requiredResourceAccess ?? [],
    passwordCredentials: app.secrets.map((s) => ({
      customKeyIdentifier: null,
      displayName: null,
      endDateTime: null,
      hint: s.slice(0, 3),
      keyId: keyId(s),
      secretText: null,
      startDateTime: null,
    })),
    keyCredentials: app.certificates.map((c) => ({
      customKeyIdentifier: null,
      displayName: null,
      endDateTime: null,
      key: null,
      keyId: keyId(c),
      startDateTime: null,
      type: "AsymmetricX509Cert",
      usage: "Verify",
    })),
  };
}

function renderCredential(c: FederatedCredential): Json {
  return {
    id: c.id,
    name: c.name,
    issuer: c.issuer,
    subject: c.subject,
    description: c.description ?? null,
    audiences: c.audiences,
  };
}

/** Federated credentials the control API added carry no id or name: they get them when Graph first lists them. */
function credentialsOf(app: AppRegistration): FederatedCredential[] {
  app.federatedCredentials.forEach((c, i) => {
    c.id ??= randomUUID();
    c.name ??= `credential-${i + 1}`;
  });
  return app.federatedCredentials;
}

function listAnswer(ctx: RequestContext, entitySet: string, items: Json[]): GraphResponse {
  const filter = parseFilter(ctx.query.get("$filter"), ctx.now);
  return json({ "@odata.context": contextUrl(ctx, entitySet), value: items.filter((o) => matchesFilter(o, filter)) });
}

/** Pages, $filter and $top as the directory serves them; federated credentials come with $expand. */
function listApps(ctx: RequestContext): GraphResponse {
  const withCredentials = parseExpand(ctx.query.get("$expand"), ctx.now).some(
    (e) => e.name === "federatedIdentityCredentials",
  );
  const shown = ctx.tenant.state.apps.filter((a) => visible(ctx, a, false));
  const objects = shown.map((app) => ({ id: objectIdOf(app, ctx.now), props: renderApp(ctx, app), nav: {}, app }));
  return listPage(ctx, applicationModel, objects, "applications", (o) => {
    const app = (o as (typeof objects)[number]).app;
    return withCredentials
      ? { ...o.props, federatedIdentityCredentials: credentialsOf(app).map(renderCredential) }
      : o.props;
  });
}

function appByObjectId(ctx: RequestContext, write: boolean): AppRegistration {
  const id = ctx.params.id;
  const app = ctx.tenant.state.apps.find((a) => objectIdOf(a, ctx.now) === id);
  return checked(ctx, app, id, write);
}

function appByAppId(ctx: RequestContext, write: boolean): AppRegistration {
  const app = ctx.tenant.app(ctx.params.appId);
  return checked(ctx, app, ctx.params.appId, write);
}

function checked(ctx: RequestContext, app: AppRegistration | undefined, id: string, write: boolean): AppRegistration {
  if (!app) return notFound(id, ctx.now, "directory");
  if (!visible(ctx, app, write)) return denied(ctx);
  return app;
}

function body(ctx: RequestContext): Json {
  const b = ctx.body;
  if (!b || typeof b !== "object" || Array.isArray(b))
    return badRequest("The request body must be a JSON object.", ctx.now, "directory");
  return b as Json;
}

function checkProperties(ctx: RequestContext, b: Json): void {
  for (const k of Object.keys(b)) {
    if (k.startsWith("@odata.")) continue;
    if (readOnly.includes(k)) badRequest(`Property '${k}' is read-only and cannot be set.`, ctx.now, "directory");
    if (!writable.includes(k))
      badRequest(`Property '${k}' does not exist as a declared property or extension property.`, ctx.now, "directory");
  }
  if ("displayName" in b && (typeof b.displayName !== "string" || b.displayName.trim() === ""))
    badRequest("Invalid value specified for property 'displayName' of resource 'Application'.", ctx.now, "directory");
  if ("signInAudience" in b && !signInAudiences.includes(String(b.signInAudience)))
    badRequest(
      `Invalid value specified for property 'signInAudience' of resource 'Application': ${String(b.signInAudience)}.`,
      ctx.now,
      "directory",
    );
  if ("requiredResourceAccess" in b) requiredResourceAccess(ctx, b.requiredResourceAccess);
}

const invalidValue = (ctx: RequestContext, property: string, resource: string, why: string): never =>
  badRequest(
    `Invalid value specified for property '${property}' of resource '${resource}': ${why}.`,
    ctx.now,
    "directory",
  );

function isUrl(value: unknown, schemes: RegExp): boolean {
  if (typeof value !== "string") return false;
  try {
    const url = new URL(value);
    return schemes.test(url.protocol) || (url.protocol === "http:" && /^(localhost|127\.0\.0\.1)$/.test(url.hostname));
  } catch {
    return false;
  }
}

/** Web and single-page apps take https (or http://localhost); installed clients take any scheme. */
function redirectUris(ctx: RequestContext, resource: string, value: unknown, schemes: RegExp): void {
  if (value === undefined) return;
  if (!Array.isArray(value) || value.length > 256)
    invalidValue(ctx, "redirectUris", resource, "it must be an array of at most 256 URIs");
  for (const uri of value as unknown[])
    if (!isUrl(uri, schemes)) invalidValue(ctx, "redirectUris", resource, `${String(uri)} is not an allowed URI`);
}

const anyScheme = /^[a-z][a-z0-9+.-]*:$/;

/** App roles and permission scopes: GUID ids and values unique within the app. */
function entitlements(
  ctx: RequestContext,
  property: string,
  value: unknown,
  kinds: { key: string; allowed: string[] },
) {
  if (!Array.isArray(value)) return invalidValue(ctx, property, "Application", "it must be an array");
  const ids = new Set<string>();
  const values = new Set<string>();
  for (const e of value as Json[]) {
    if (!e || typeof e.id !== "string" || !guid.test(e.id))
      invalidValue(ctx, property, "Application", "each id must be a GUID");
    if (ids.has(e.id as string)) invalidValue(ctx, property, "Application", `the id ${String(e.id)} is used twice`);
    ids.add(e.id as string);
    if (typeof e.value === "string") {
      if (values.has(e.value)) invalidValue(ctx, property, "Application", `the value ${e.value} is used twice`);
      values.add(e.value);
    }
    if (typeof e.isEnabled !== "boolean") invalidValue(ctx, property, "Application", "isEnabled must be true or false");
    const kind = e[kinds.key];
    const given = Array.isArray(kind) ? kind : [kind];
    if (given.length === 0 || !given.every((k) => kinds.allowed.includes(String(k))))
      invalidValue(ctx, property, "Application", `${kinds.key} must be ${kinds.allowed.join(" or ")}`);
  }
  return value as Json[];
}

/** The service refuses to remove an app role or scope that is still enabled: disable it first. */
function keepsEnabled(ctx: RequestContext, before: unknown, after: Json[]): void {
  const kept = new Set(after.map((e) => e.id));
  const removed = (Array.isArray(before) ? (before as Json[]) : []).find((e) => e.isEnabled && !kept.has(e.id));
  if (removed)
    fail(
      400,
      "CannotDeleteOrUpdateEnabledEntitlement",
      `Property ${String(removed.value ?? removed.id)} cannot be deleted or updated unless it is disabled first.`,
      ctx.now,
    );
}

function optionalClaims(ctx: RequestContext, value: unknown): void {
  if (value === null) return;
  if (!value || typeof value !== "object" || Array.isArray(value))
    invalidValue(ctx, "optionalClaims", "Application", "it must be an object or null");
  for (const [token, claims] of Object.entries(value as Json)) {
    if (!["idToken", "accessToken", "saml2Token"].includes(token))
      invalidValue(ctx, "optionalClaims", "Application", `${token} is no token type`);
    if (!Array.isArray(claims) || !claims.every((c) => c && typeof (c as Json).name === "string"))
      invalidValue(ctx, "optionalClaims", "Application", `each ${token} claim needs a name`);
  }
}

function strings(ctx: RequestContext, property: string, value: unknown): void {
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string"))
    invalidValue(ctx, property, "Application", "it must be an array of strings");
}

/** Checks the configuration kept in `settings` and stores it (the app's previous values decide removals). */
function applySettings(ctx: RequestContext, app: AppRegistration, b: Json): void {
  const current = app.settings ?? {};
  if ("web" in b) redirectUris(ctx, "WebApplication", (b.web as Json | null)?.redirectUris, /^https:$/);
  if ("spa" in b) redirectUris(ctx, "SpaApplication", (b.spa as Json | null)?.redirectUris, /^https:$/);
  if ("publicClient" in b)
    redirectUris(ctx, "PublicClientApplication", (b.publicClient as Json | null)?.redirectUris, anyScheme);
  if ("appRoles" in b) {
    const roles = entitlements(ctx, "appRoles", b.appRoles, {
      key: "allowedMemberTypes",
      allowed: ["User", "Application"],
    });
    keepsEnabled(ctx, current.appRoles, roles);
  }
  if ("api" in b) {
    const scopes = (b.api as Json | null)?.oauth2PermissionScopes;
    if (scopes !== undefined) {
      const given = entitlements(ctx, "oauth2PermissionScopes", scopes, { key: "type", allowed: ["User", "Admin"] });
      keepsEnabled(ctx, (current.api as Json | undefined)?.oauth2PermissionScopes, given);
    }
  }
  if ("optionalClaims" in b) optionalClaims(ctx, b.optionalClaims);
  for (const k of ["tags", "identifierUris"]) if (k in b) strings(ctx, k, b[k]);
  if ("identifierUris" in b) {
    const taken = ctx.tenant.state.apps
      .filter((a) => a !== app)
      .flatMap((a) => (a.settings?.identifierUris as string[]) ?? []);
    const clash = (b.identifierUris as string[]).find((u) => taken.includes(u));
    if (clash)
      badRequest(
        `Another object with the same value for property identifierUris already exists.`,
        ctx.now,
        "directory",
      );
  }
  if ("description" in b && typeof b.description === "string" && b.description.length > 1024)
    invalidValue(ctx, "description", "Application", "it may be at most 1024 characters");
  const next = { ...current };
  // A complex value given replaces the one stored; properties it leaves out take their defaults.
  for (const k of Object.keys(settingDefaults)) {
    if (!(k in b)) continue;
    const fresh = settingDefaults[k]();
    const v = b[k];
    next[k] =
      v && typeof v === "object" && !Array.isArray(v) && fresh && typeof fresh === "object" ? { ...fresh, ...v } : v;
  }
  app.settings = next;
}

function requiredResourceAccess(ctx: RequestContext, value: unknown): RequiredResourceAccess[] {
  const invalid = (why: string): never =>
    badRequest(
      `Invalid value specified for property 'requiredResourceAccess' of resource 'Application': ${why}.`,
      ctx.now,
      "directory",
    );
  if (!Array.isArray(value)) return invalid("it must be an array");
  return value.map((r: Json) => {
    if (!r || typeof r.resourceAppId !== "string" || !guid.test(r.resourceAppId))
      return invalid("resourceAppId must be a GUID");
    if (!Array.isArray(r.resourceAccess)) return invalid("resourceAccess must be an array");
    return {
      resourceAppId: r.resourceAppId,
      resourceAccess: (r.resourceAccess as Json[]).map((a) => {
        if (!a || typeof a.id !== "string" || !guid.test(a.id)) return invalid("each resourceAccess id must be a GUID");
        if (a.type !== "Role" && a.type !== "Scope")
          return invalid(`type must be Role or Scope, not ${String(a?.type)}`);
        return { id: a.id, type: a.type };
      }),
    };
  });
}

function apply(ctx: RequestContext, app: AppRegistration, b: Json): void {
  // First: it checks everything before it changes anything.
  applySettings(ctx, app, b);
  if (typeof b.displayName === "string") app.displayName = b.displayName;
  if (typeof b.signInAudience === "string") app.signInAudience = b.signInAudience;
  if ("requiredResourceAccess" in b) app.requiredResourceAccess = requiredResourceAccess(ctx, b.requiredResourceAccess);
  if (typeof b.isFallbackPublicClient === "boolean") app.isPublicClient = b.isFallbackPublicClient;
}

function createApp(ctx: RequestContext): GraphResponse {
  const b = body(ctx);
  checkProperties(ctx, b);
  if (typeof b.displayName !== "string")
    badRequest("Invalid value specified for property 'displayName' of resource 'Application'.", ctx.now, "directory");
  const app = blankApp(randomUUID(), "", [ctx.caller.appId]);
  apply(ctx, app, b);
  objectIdOf(app, ctx.now);
  ctx.tenant.state.apps.push(app);
  return json({ "@odata.context": contextUrl(ctx, "applications/$entity"), ...renderApp(ctx, app) }, 201);
}

function oneApp(ctx: RequestContext, app: AppRegistration): GraphResponse {
  if (ctx.method === "GET")
    return json({ "@odata.context": contextUrl(ctx, "applications/$entity"), ...renderApp(ctx, app) });
  if (ctx.method === "PATCH") {
    const b = body(ctx);
    checkProperties(ctx, b);
    apply(ctx, app, b);
    return noContent();
  }
  ctx.tenant.state.apps.splice(ctx.tenant.state.apps.indexOf(app), 1);
  return noContent();
}

/** Checks a credential's fields (all of them on create, the given ones on update) against the app's others. */
function checkCredential(ctx: RequestContext, b: Json, others: FederatedCredential[], existing?: FederatedCredential) {
  const invalid = (why: string): never =>
    fail(
      400,
      "Request_BadRequest",
      `Invalid value specified for property '${why}' of resource 'FederatedIdentityCredential'.`,
      ctx.now,
    );
  if (existing && "name" in b && b.name !== existing.name)
    badRequest("Property 'name' is read-only and cannot be set.", ctx.now, "directory");
  for (const k of ["name", "issuer", "subject"])
    if ((!existing || k in b) && (typeof b[k] !== "string" || b[k] === "")) invalid(k);
  if (
    (!existing || "audiences" in b) &&
    (!Array.isArray(b.audiences) || b.audiences.length !== 1 || typeof b.audiences[0] !== "string")
  )
    invalid("audiences");
  const name = String(b.name ?? existing?.name);
  if (!existing && others.some((c) => c.name?.toLowerCase() === name.toLowerCase()))
    fail(
      409,
      "Request_MultipleObjectsWithSameKeyValue",
      `FederatedIdentityCredential with name ${name} already exists.`,
      ctx.now,
    );
  const issuer = b.issuer ?? existing?.issuer;
  const subject = b.subject ?? existing?.subject;
  if (others.some((c) => c !== existing && c.issuer === issuer && c.subject === subject))
    fail(
      400,
      "InvalidFederatedIdentityCredentialValue",
      `The combination of issuer and subject must be unique for the application. Issuer ${String(issuer)} and Subject: ${String(subject)} already exist.`,
      ctx.now,
    );
}

function credentialContext(ctx: RequestContext, app: AppRegistration): string {
  return contextUrl(ctx, `applications('${objectIdOf(app, ctx.now)}')/federatedIdentityCredentials/$entity`);
}

function addCredential(ctx: RequestContext, app: AppRegistration): GraphResponse {
  const b = body(ctx);
  const credentials = credentialsOf(app);
  checkCredential(ctx, b, credentials);
  const credential: FederatedCredential = {
    id: randomUUID(),
    name: String(b.name),
    issuer: String(b.issuer),
    subject: String(b.subject),
    audiences: (b.audiences as string[]).map(String),
    description: typeof b.description === "string" ? b.description : null,
  };
  app.federatedCredentials.push(credential);
  return json({ "@odata.context": credentialContext(ctx, app), ...renderCredential(credential) }, 201);
}

function credentialRoute(ctx: RequestContext, app: AppRegistration): GraphResponse {
  const credentials = credentialsOf(app);
  const found = credentials.find((c) => c.id === ctx.params.fid || c.name === ctx.params.fid);
  if (!found) return notFound(ctx.params.fid, ctx.now, "directory");
  if (ctx.method === "DELETE") {
    credentials.splice(credentials.indexOf(found), 1);
    return noContent();
  }
  if (ctx.method === "PATCH") {
    const b = body(ctx);
    checkCredential(ctx, b, credentials, found);
    if (typeof b.issuer === "string") found.issuer = b.issuer;
    if (typeof b.subject === "string") found.subject = b.subject;
    if (Array.isArray(b.audiences)) found.audiences = b.audiences.map(String);
    if ("description" in b) found.description = typeof b.description === "string" ? b.description : null;
    return noContent();
  }
  return json({ "@odata.context": credentialContext(ctx, app), ...renderCredential(found) });
}

function renderPrincipal(ctx: RequestContext, app: AppRegistration): Json {
  return {
    id: app.servicePrincipal!.id,
    deletedDateTime: null,
    accountEnabled: true,
    appId: app.clientId,
    appDisplayName: app.displayName,
    appOwnerOrganizationId: ctx.tenant.id,
    createdDateTime: app.servicePrincipal!.createdDateTime,
    displayName: app.displayName,
    servicePrincipalType: "Application",
    signInAudience: app.signInAudience ?? "AzureADMyOrg",
    servicePrincipalNames: [app.clientId],
    tags: [],
  };
}

function createPrincipal(ctx: RequestContext): GraphResponse {
  const b = body(ctx);
  const app = typeof b.appId === "string" ? ctx.tenant.app(b.appId) : undefined;
  if (!app)
    badRequest(
      `The appId '${String(b.appId)}' of the service principal does not reference a valid application object.`,
      ctx.now,
      "directory",
    );
  if (!visible(ctx, app, true)) return denied(ctx);
  if (app.servicePrincipal)
    fail(
      409,
      "Request_MultipleObjectsWithSameKeyValue",
      "The service principal cannot be created, updated, or restored because the service principal name " +
        `${app.clientId} is already in use.`,
      ctx.now,
    );
  app.servicePrincipal = {
    id: randomUUID(),
    createdDateTime: new Date(ctx.now).toISOString().replace(/\.\d{3}Z$/, "Z"),
  };
  return json({ "@odata.context": contextUrl(ctx, "servicePrincipals/$entity"), ...renderPrincipal(ctx, app) }, 201);
}

function routes(): GraphRoute[] {
  const apps: Mount = mountAt("/applications");
  const principals: Mount = mountAt("/servicePrincipals");
  const byId = "/{id}";
  const byAppId = "(appId='{appId}')";
  const fics = "/{id}/federatedIdentityCredentials";
  return [
    route(apps, "GET", "", listApps),
    route(apps, "POST", "", createApp),
    ...["GET", "PATCH", "DELETE"].flatMap((method) => [
      route(apps, method, byId, (ctx) => oneApp(ctx, appByObjectId(ctx, method !== "GET"))),
      route(apps, method, byAppId, (ctx) => oneApp(ctx, appByAppId(ctx, method !== "GET"))),
    ]),
    route(apps, "GET", fics, (ctx) =>
      listAnswer(
        ctx,
        `applications('${ctx.params.id}')/federatedIdentityCredentials`,
        credentialsOf(appByObjectId(ctx, false)).map(renderCredential),
      ),
    ),
    route(apps, "POST", fics, (ctx) => addCredential(ctx, appByObjectId(ctx, true))),
    route(apps, "GET", `${fics}/{fid}`, (ctx) => credentialRoute(ctx, appByObjectId(ctx, false))),
    route(apps, "PATCH", `${fics}/{fid}`, (ctx) => credentialRoute(ctx, appByObjectId(ctx, true))),
    route(apps, "DELETE", `${fics}/{fid}`, (ctx) => credentialRoute(ctx, appByObjectId(ctx, true))),
    route(principals, "GET", "", (ctx) =>
      listAnswer(
        ctx,
        "servicePrincipals",
        ctx.tenant.state.apps
          .filter((a) => a.servicePrincipal && visible(ctx, a, false))
          .map((a) => renderPrincipal(ctx, a)),
      ),
    ),
    route(principals, "POST", "", createPrincipal),
  ];
}

export const applications: Area = { hooks: {}, children: {}, routes: routes() };
