/**
 * applications — app registrations (`/applications`, by object id or by `appId`), their federated
 * identity credentials and their service principals, over the same `apps` of the tenant that the
 * token endpoint signs in with: an app created here, with a federated credential added here, is
 * one a pipeline can sign in as. Requesting permissions (`requiredResourceAccess`) does not consent
 * to them: the app's consented `roles` change only through the control API, as only a person's
 * consent changes them in the service. With Application.ReadWrite.OwnedBy alone, a caller sees and
 * manages only the apps it created.
 */
import { createHash, randomUUID } from "node:crypto";
import { contextUrl, json, noContent } from "../answers";
import type { GraphRoute, Mount, RequestContext } from "../context";
import { badRequest, fail, type GraphResponse, notFound } from "../errors";
import { grantedBy } from "../permissions";
import { matchesFilter, parseFilter } from "../odata";
import { mountAt } from "../mounts";
import type { AppRegistration, FederatedCredential, RequiredResourceAccess } from "../tenant-store";
import type { Area } from "./area";
import { route } from "./common";

type Json = Record<string, unknown>;

const signInAudiences = [
  "AzureADMyOrg",
  "AzureADMultipleOrgs",
  "AzureADandPersonalMicrosoftAccount",
  "PersonalMicrosoftAccount",
];
/** The application properties the emulator keeps; others are refused rather than dropped silently. */
const writable = [
  "displayName",
  "description",
  "signInAudience",
  "requiredResourceAccess",
  "isFallbackPublicClient",
  "notes",
  "tags",
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
    description: null,
    isFallbackPublicClient: app.isPublicClient,
    publisherDomain: ctx.tenant.state.domain,
    signInAudience: app.signInAudience ?? "AzureADMyOrg",
    identifierUris: [],
    tags: [],
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
  const app: AppRegistration = {
    clientId: randomUUID(),
    displayName: "",
    secrets: [],
    certificates: [],
    federatedCredentials: [],
    isPublicClient: false,
    roles: [],
    scopes: [],
    owners: [ctx.caller.appId],
  };
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

function addCredential(ctx: RequestContext, app: AppRegistration): GraphResponse {
  const b = body(ctx);
  const invalid = (why: string): never =>
    fail(
      400,
      "Request_BadRequest",
      `Invalid value specified for property '${why}' of resource 'FederatedIdentityCredential'.`,
      ctx.now,
    );
  for (const k of ["name", "issuer", "subject"]) if (typeof b[k] !== "string" || b[k] === "") invalid(k);
  if (!Array.isArray(b.audiences) || b.audiences.length !== 1 || typeof b.audiences[0] !== "string")
    invalid("audiences");
  const credentials = credentialsOf(app);
  const name = String(b.name);
  if (credentials.some((c) => c.name?.toLowerCase() === name.toLowerCase()))
    fail(
      409,
      "Request_MultipleObjectsWithSameKeyValue",
      `FederatedIdentityCredential with name ${name} already exists.`,
      ctx.now,
    );
  if (credentials.some((c) => c.issuer === b.issuer && c.subject === b.subject))
    fail(
      400,
      "InvalidFederatedIdentityCredentialValue",
      `The combination of issuer and subject must be unique for the application. Issuer ${String(b.issuer)} and Subject: ${String(b.subject)} already exist.`,
      ctx.now,
    );
  const credential: FederatedCredential = {
    id: randomUUID(),
    name,
    issuer: String(b.issuer),
    subject: String(b.subject),
    audiences: (b.audiences as string[]).map(String),
    description: typeof b.description === "string" ? b.description : null,
  };
  app.federatedCredentials.push(credential);
  return json(
    {
      "@odata.context": contextUrl(
        ctx,
        `applications('${objectIdOf(app, ctx.now)}')/federatedIdentityCredentials/$entity`,
      ),
      ...renderCredential(credential),
    },
    201,
  );
}

function credentialRoute(ctx: RequestContext, app: AppRegistration): GraphResponse {
  const credentials = credentialsOf(app);
  const found = credentials.find((c) => c.id === ctx.params.fid || c.name === ctx.params.fid);
  if (!found) return notFound(ctx.params.fid, ctx.now, "directory");
  if (ctx.method === "DELETE") {
    credentials.splice(credentials.indexOf(found), 1);
    return noContent();
  }
  return json({
    "@odata.context": contextUrl(
      ctx,
      `applications('${objectIdOf(app, ctx.now)}')/federatedIdentityCredentials/$entity`,
    ),
    ...renderCredential(found),
  });
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
    route(apps, "GET", "", (ctx) =>
      listAnswer(
        ctx,
        "applications",
        ctx.tenant.state.apps.filter((a) => visible(ctx, a, false)).map((a) => renderApp(ctx, a)),
      ),
    ),
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
