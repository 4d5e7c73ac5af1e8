/**
 * intune-partners — the rules the service applies to Intune's partner connectors: compliance
 * management partners, device management partners (Jamf and the like) and remote assistance partners,
 * and the managed Google Play settings. A connector is added by an admin, then the partner's own service
 * connects to it; until then the service reports it as not connected, which is what a create here records.
 */
import { contextUrl, json } from "../answers";
import type { Hooks } from "../collection";
import type { RequestContext } from "../context";
import { badRequest, notFound } from "../errors";
import { applyPatch, checkWrite, type Json, render } from "../entities";
import { mountAt } from "../mounts";
import { resourceModel } from "../service-model";
import type { Area } from "./area";
import { requireFields, route, singletonGetPatch } from "./common";
import { oneOf } from "./intune-more";

// Intune's value for a date it has not set yet.
export const neverSet = "0001-01-01T00:00:00Z";

// A tenant has one connector per partner: the admin center offers each partner once.
function uniqueName(ctx: RequestContext, key: string, body: Json): void {
  const name = String(body.displayName);
  if (ctx.tenant.list(key).some((o) => String(o.props.displayName).toLowerCase() === name.toLowerCase()))
    badRequest(`A ${key} named '${name}' already exists in this tenant; update that one instead.`, ctx.now, "intune");
}

function created(key: string, defaults: Json): Hooks["validateCreate"] {
  return (ctx, body) => {
    requireFields(ctx, resourceModel(key), body, ["displayName"]);
    uniqueName(ctx, key, body);
    Object.assign(body, defaults);
  };
}

const appTypes = ["unknown", "singleTenantApp", "multiTenantApp"];

function checkPartnerApp(ctx: RequestContext, body: Json, existing?: Json): void {
  oneOf(ctx, body, "partnerAppType", appTypes);
  const appType = body.partnerAppType ?? existing?.partnerAppType;
  const appId = "singleTenantAppId" in body ? body.singleTenantAppId : existing?.singleTenantAppId;
  if (appType === "singleTenantApp" && !appId)
    badRequest(
      "A device management partner with partnerAppType 'singleTenantApp' needs the singleTenantAppId of its app registration.",
      ctx.now,
      "intune",
    );
}

const hooks: Record<string, Hooks> = {
  complianceManagementPartner: {
    validateCreate: created("complianceManagementPartner", {
      partnerState: "unknown",
      lastHeartbeatDateTime: neverSet,
    }),
  },
  deviceManagementPartner: {
    validateCreate(ctx, body) {
      created("deviceManagementPartner", {
        partnerState: "unknown",
        isConfigured: false,
        lastHeartbeatDateTime: neverSet,
        whenPartnerDevicesWillBeRemovedDateTime: null,
        whenPartnerDevicesWillBeMarkedAsNonCompliantDateTime: null,
      })!(ctx, body);
      checkPartnerApp(ctx, body);
    },
    validateUpdate: (ctx, body, existing) => checkPartnerApp(ctx, body, existing.props),
  },
  remoteAssistancePartner: {
    validateCreate: created("remoteAssistancePartner", {
      onboardingStatus: "notOnboarded",
      lastConnectionDateTime: neverSet,
      onboardingRequestExpiryDateTime: neverSet,
    }),
  },
};

const googlePlay = mountAt("/deviceManagement/androidManagedStoreAccountEnterpriseSettings");
const googlePlayEntity = "deviceManagement/androidManagedStoreAccountEnterpriseSettings/$entity";

// GET as any singleton; PATCH answers 200 with the object, as its reference page shows.
function googlePlaySettings(ctx: RequestContext) {
  const model = googlePlay.model;
  const object = ctx.tenant.singleton(model.key) ?? notFound(model.key, ctx.now, model.family);
  if (ctx.method !== "PATCH") return singletonGetPatch(ctx, model, googlePlayEntity, object);
  checkWrite({ model, version: ctx.version, body: ctx.body, now: ctx.now, mode: "update", existing: object });
  const body = ctx.body as Json;
  oneOf(ctx, body, "enrollmentTarget", ["none", "all", "targeted", "targetedAsEnrollmentRestrictions"]);
  applyPatch(model, object, body, ctx.now);
  return json({ "@odata.context": contextUrl(ctx, googlePlayEntity), ...render(model, object, { byId: true }) });
}

export const intunePartners: Area = {
  hooks,
  children: {},
  routes: [route(googlePlay, "GET", "", googlePlaySettings), route(googlePlay, "PATCH", "", googlePlaySettings)],
};
