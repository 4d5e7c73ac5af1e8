/**
 * intune-apps — the rules the service applies to Intune apps (deviceAppManagement/mobileApps): web
 * links (webApp) are created and changed here with what the service computes for them; every other app
 * type needs an uploaded package the emulator does not serve, so it is listed as seeded and refused on
 * create. An app's categories are references to app categories, added and removed with $ref.
 */
import { contextUrl, fragmentOf, json, noContent } from "../answers";
import { findObject, type Hooks } from "../collection";
import type { RequestContext } from "../context";
import { badRequest, notFound } from "../errors";
import { childObject, isObject, render, stampModified } from "../entities";
import { mountAt } from "../mounts";
import { resourceModel } from "../service-model";
import type { StoredObject } from "../tenant-store";
import type { Area } from "./area";
import { requireFields, route } from "./common";

const apps = mountAt("/deviceAppManagement/mobileApps");
const categoryModel = resourceModel("mobileAppCategory");
const webApp = "#microsoft.graph.webApp";

function appCounts(_ctx: RequestContext, object: StoredObject): void {
  object.props.isAssigned = (object.nav.assignments ?? []).length > 0;
}

const hooks: Record<string, Hooks> = {
  mobileApp: {
    validateCreate(ctx, body) {
      const type = String(body["@odata.type"] ?? "");
      if (type.replace(/^#?/, "#") !== webApp)
        badRequest(
          `Creating an app of type '${type}' needs its package uploaded as content versions, which this emulator does not serve; it creates web apps (#microsoft.graph.webApp) only.`,
          ctx.now,
          "intune",
        );
      requireFields(ctx, apps.model, body, ["displayName", "publisher", "appUrl"]);
      // A web link has no content to upload: it is ready and published as soon as it exists.
      Object.assign(body, {
        uploadState: 1,
        publishingState: "published",
        dependentAppCount: 0,
        supersedingAppCount: 0,
        supersededAppCount: 0,
      });
    },
    afterWrite: appCounts,
  },
};

/** The category id an @odata.id names: ".../mobileAppCategories/{id}" or ".../mobileAppCategories('{id}')". */
function categoryIdOf(ctx: RequestContext, body: unknown): string {
  const ref = isObject(body) ? body["@odata.id"] : undefined;
  const m =
    typeof ref === "string" ? /\/deviceAppManagement\/mobileAppCategories(?:\/|\(')([^/()']+)'?\)?$/i.exec(ref) : null;
  if (!m)
    badRequest(
      'The request body must be { "@odata.id": "{graph}/beta/deviceAppManagement/mobileAppCategories/{id}" }.',
      ctx.now,
      "intune",
    );
  if (!ctx.tenant.get(categoryModel.key, m[1])) notFound(m[1], ctx.now, "intune");
  return m[1];
}

function listCategories(ctx: RequestContext) {
  const app = findObject(ctx, apps, ctx.params.id);
  const categories = (app.nav.categories ?? [])
    .map((c) => ctx.tenant.get(categoryModel.key, c.id))
    .filter((c): c is StoredObject => c !== undefined);
  return json({
    "@odata.context": contextUrl(ctx, `${fragmentOf(apps.prefix)}('${app.id}')/categories`),
    value: categories.map((c) => ({
      "@odata.type": "#microsoft.graph.mobileAppCategory",
      ...render(categoryModel, c, { byId: false }),
    })),
  });
}

// Adding a category the app already has changes nothing (the link is there).
function addCategory(ctx: RequestContext) {
  const app = findObject(ctx, apps, ctx.params.id);
  const id = categoryIdOf(ctx, ctx.body);
  const linked = app.nav.categories ?? [];
  if (!linked.some((c) => c.id === id)) {
    app.nav.categories = [...linked, childObject({}, id)];
    stampModified(apps.model, app, ctx.now);
  }
  return noContent();
}

function removeCategory(ctx: RequestContext) {
  const app = findObject(ctx, apps, ctx.params.id);
  const linked = app.nav.categories ?? [];
  if (!linked.some((c) => c.id === ctx.params.childId)) notFound(ctx.params.childId, ctx.now, "intune");
  app.nav.categories = linked.filter((c) => c.id !== ctx.params.childId);
  stampModified(apps.model, app, ctx.now);
  return noContent();
}

export const intuneApps: Area = {
  hooks,
  children: {},
  routes: [
    route(apps, "GET", "/{id}/categories", listCategories),
    route(apps, "POST", "/{id}/categories/$ref", addCategory, { otherMethodsAreNoRoute: true }),
    route(apps, "DELETE", "/{id}/categories/{childId}/$ref", removeCategory, { otherMethodsAreNoRoute: true }),
  ],
};
