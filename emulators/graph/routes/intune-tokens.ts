/**
 * intune-tokens — the rules the service applies to what an admin uploads from Apple: the MDM push
 * certificate (one per tenant, GET and PATCH) and the Volume Purchase Program tokens. A VPP token is
 * made from the token file Apple Business Manager gives (base64 of a small JSON document naming the
 * organization and the expiry): the service reads the organization, location and expiry from it,
 * never gives the token back, and marks a second token of the same location as a duplicate. An
 * enrollment program (DEP) token made without its Apple file is not onboarded yet (type "none").
 * Also the tenant-wide Intune settings, read at deviceManagement/settings and written by a PATCH of
 * deviceManagement, the way the service takes them.
 */
import { contextUrl, json } from "../answers";
import type { Hooks } from "../collection";
import type { RequestContext } from "../context";
import { badRequest, notFound } from "../errors";
import { applyPatch, checkWrite, isObject, type Json, render } from "../entities";
import { mountAt } from "../mounts";
import type { Area } from "./area";
import { requireFields, route, singletonGetPatch } from "./common";
import { neverSet } from "./intune-partners";

const apns = mountAt("/deviceManagement/applePushNotificationCertificate");

function pushCertificate(ctx: RequestContext) {
  const model = apns.model;
  const object = ctx.tenant.singleton(model.key) ?? notFound(model.key, ctx.now, model.family);
  return singletonGetPatch(ctx, model, "deviceManagement/applePushNotificationCertificate/$entity", object);
}

interface AppleToken {
  orgName: string;
  expDate: string;
}

/** The organization and expiry in a token file, or a 400 saying the token is not one Apple issued. */
function readToken(ctx: RequestContext, token: unknown): AppleToken {
  let parsed: unknown;
  try {
    parsed = typeof token === "string" && token ? JSON.parse(Buffer.from(token, "base64").toString("utf8")) : undefined;
  } catch {
    parsed = undefined;
  }
  const t = parsed as Partial<AppleToken> | undefined;
  if (!t || typeof t.orgName !== "string" || typeof t.expDate !== "string" || Number.isNaN(Date.parse(t.expDate)))
    badRequest(
      "The VPP token is not valid: upload the token file downloaded from Apple Business Manager (or Apple School Manager), unchanged.",
      ctx.now,
      "intune",
    );
  return t as AppleToken;
}

/** What the service takes from a token into the object; the token itself is not kept readable. */
function fromToken(ctx: RequestContext, body: Json, exceptId?: string): void {
  const token = readToken(ctx, body.token);
  const duplicate = ctx.tenant
    .list("vppToken")
    .some((o) => o.id !== exceptId && o.props.locationName === token.orgName);
  Object.assign(body, {
    token: null,
    organizationName: token.orgName,
    locationName: token.orgName,
    expirationDateTime: new Date(Date.parse(token.expDate)).toISOString(),
    state: duplicate ? "duplicateLocationId" : "valid",
  });
}

const vppToken: Hooks = {
  validateCreate(ctx, body) {
    fromToken(ctx, body);
    Object.assign(body, {
      // Apple School Manager tokens say "education"; the token files made here are Apple Business Manager's.
      vppTokenAccountType: "business",
      appleId: body.appleId ?? null,
      lastSyncDateTime: neverSet,
      lastSyncStatus: "none",
      tokenActionResults: [],
      lastAppCount: 0,
      automaticallyUpdateApps: body.automaticallyUpdateApps ?? false,
      dataSharingConsentGranted: body.dataSharingConsentGranted ?? false,
      roleScopeTagIds: body.roleScopeTagIds ?? ["0"],
    });
  },
  // A renewal sends the new token file: what it says replaces what the old one said.
  validateUpdate(ctx, body, existing) {
    if ("token" in body) fromToken(ctx, body, existing.id);
  },
};

// uploadDepToken (not served) is what brings Apple's side; a bare create has a name and nothing synced.
const depOnboardingSetting: Hooks = {
  validateCreate(ctx, body) {
    requireFields(ctx, ctx.mount.model, body, ["tokenName"]);
    Object.assign(body, {
      appleIdentifier: null,
      tokenExpirationDateTime: neverSet,
      lastSuccessfulSyncDateTime: neverSet,
      lastSyncTriggeredDateTime: neverSet,
      shareTokenWithSchoolDataSyncService: false,
      lastSyncErrorCode: 0,
      tokenType: "none",
      syncedDeviceCount: 0,
      dataSharingConsentGranted: body.dataSharingConsentGranted ?? false,
      roleScopeTagIds: body.roleScopeTagIds ?? ["0"],
    });
  },
};

const settings = mountAt("/deviceManagement/settings");
const deviceManagement = mountAt("/deviceManagement");

function tenantSettings(ctx: RequestContext) {
  const model = settings.model;
  const object = ctx.tenant.singleton(model.key) ?? notFound(model.key, ctx.now, model.family);
  return { model, object };
}

// GET of the complex property answers its value with the property's context, as OData does.
function getSettings(ctx: RequestContext) {
  const { model, object } = tenantSettings(ctx);
  const { id: _id, ...value } = render(model, object, { byId: true });
  return json({ "@odata.context": contextUrl(ctx, "deviceManagement/settings"), ...value });
}

// Only `settings` is served of deviceManagement: its other properties are refused rather than ignored.
function patchDeviceManagement(ctx: RequestContext) {
  const { model, object } = tenantSettings(ctx);
  const body = isObject(ctx.body) ? ctx.body : badRequest("The request body must be a JSON object.", ctx.now, "intune");
  for (const key of Object.keys(body))
    if (key !== "settings" && key !== "@odata.type")
      badRequest(
        `The property '${key}' of deviceManagement is not served here: only 'settings' can be changed.`,
        ctx.now,
        "intune",
      );
  if (!isObject(body.settings)) badRequest("The property 'settings' must be an object.", ctx.now, "intune");
  const { "@odata.type": _type, ...values } = body.settings as Json;
  checkWrite({ model, version: ctx.version, body: values, now: ctx.now, mode: "update", existing: object });
  applyPatch(model, object, values, ctx.now);
  const { id: _id, ...value } = render(model, object, { byId: true });
  return json({
    "@odata.context": contextUrl(ctx, "deviceManagement"),
    "@odata.type": "#microsoft.graph.deviceManagement",
    id: object.id,
    settings: value,
  });
}

export const intuneTokens: Area = {
  hooks: { vppToken, depOnboardingSetting },
  children: {},
  routes: [
    route(apns, "GET", "", pushCertificate),
    route(apns, "PATCH", "", pushCertificate),
    route(settings, "GET", "", getSettings),
    route(deviceManagement, "PATCH", "", patchDeviceManagement),
  ],
};
