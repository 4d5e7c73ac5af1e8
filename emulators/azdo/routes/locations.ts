/**
 * locations — location discovery as the service answers it: OPTIONS {collection}/_apis/{area} (or
 * /_apis/ for every area) lists the resource locations of the routes that carry one, with the
 * route's template relative to the collection in the service's form
 * ("{project}/_apis/{area}/builds/{buildId}/{resource}"), so azure-devops-node-api resolves its
 * location ids to the emulator's paths; GET {collection}/_apis/resourceAreas puts every area at the
 * collection URL. A CORS preflight (OPTIONS with Access-Control-Request-Method) never gets here.
 */
import { json, type HttpResponse } from "../../http/response";
import type { AzdoRoute, RequestContext, ResourceLocation } from "../context";
import { listBody } from "../wire";

/** Resource area ids of the areas the emulator serves, as the published clients know them. */
const resourceAreaIds: Record<string, string> = {
  build: "965220d5-5bb9-42cf-8d67-9b146df2a5a4",
  git: "4e080c62-fa21-4fbc-8fef-2a10a2b38049",
  distributedtask: "a85b8835-c1a1-4aac-ae97-1c3d0ba72dbd",
  core: "79134c72-4a58-4b42-976c-04e7115f32bf",
  pipelines: "5264459e-e5e0-4bd8-b118-0985e68a4ec5",
  serviceendpoint: "1814ab31-2f4f-4a9f-8761-f4d77dc5a5d7",
};

/** The service's form of a route template: relative to the collection, area and resource as tokens. */
export function serviceRouteTemplate(template: string, location: ResourceLocation): string {
  const parts = template.split("/").filter(Boolean);
  const relative = parts[0] === "{org}" ? parts.slice(1) : parts;
  const apis = relative.findIndex((p) => p.toLowerCase() === "_apis");
  let resourceDone = false;
  return relative
    .map((part, i) => {
      if (i === apis + 1 && part.toLowerCase() === location.area.toLowerCase()) return "{area}";
      if (!resourceDone && i > apis && part.toLowerCase() === location.resourceName.toLowerCase()) {
        resourceDone = true;
        return "{resource}";
      }
      return part;
    })
    .join("/");
}

/** One entry per location id; its template is the fullest of the routes sharing the id (optional segments last). */
function locationsOf(table: readonly AzdoRoute[], area: string | undefined): Record<string, unknown>[] {
  const byId = new Map<string, { location: ResourceLocation; template: string }>();
  for (const route of table) {
    const location = route.location;
    if (!location || (area && location.area.toLowerCase() !== area.toLowerCase())) continue;
    const seen = byId.get(location.id);
    if (!seen || route.template.split("/").length > seen.template.split("/").length)
      byId.set(location.id, { location, template: route.template });
  }
  return [...byId.values()].map(({ location, template }) => {
    const isPreviewOnly = location.releasedVersion === "0.0";
    return {
      id: location.id,
      area: location.area,
      resourceName: location.resourceName,
      routeTemplate: serviceRouteTemplate(template, location),
      resourceVersion: location.resourceVersion ?? 1,
      minVersion: "1.0",
      maxVersion: location.maxVersion ?? "7.2",
      releasedVersion: location.releasedVersion ?? (isPreviewOnly ? "0.0" : "7.1"),
    };
  });
}

/** The discovery routes for a route table (given late, so the table may include these routes). */
export function locationRoutes(table: () => readonly AzdoRoute[]): AzdoRoute[] {
  const discover = (ctx: RequestContext): HttpResponse =>
    json(listBody(locationsOf(table(), ctx.params.area), { ...ctx.format, noArrayWrap: false }));
  const resourceAreas = (ctx: RequestContext): HttpResponse => {
    const areas = Object.entries(resourceAreaIds)
      .filter(
        ([name, id]) =>
          !ctx.params.areaId || id === ctx.params.areaId.toLowerCase() || name === ctx.params.areaId.toLowerCase(),
      )
      .map(([name, id]) => ({ id, name, locationUrl: ctx.urls.collectionUri }));
    return json(ctx.params.areaId ? (areas[0] ?? null) : { count: areas.length, value: areas });
  };
  const resourceAreasLocation: ResourceLocation = {
    id: "e81700f7-3be2-46de-8624-2eb35882fcaa",
    area: "Location",
    resourceName: "ResourceAreas",
    resourceVersion: 1,
  };
  return [
    { method: "OPTIONS", template: "/{org}/_apis", handle: discover },
    { method: "OPTIONS", template: "/{org}/_apis/{area}", handle: discover },
    { method: "GET", template: "/{org}/_apis/resourceAreas", location: resourceAreasLocation, handle: resourceAreas },
    {
      method: "GET",
      template: "/{org}/_apis/resourceAreas/{areaId}",
      location: resourceAreasLocation,
      handle: resourceAreas,
    },
  ];
}
