/**
 * conditional-access — the rules the service enforces on conditional access policies and named
 * locations: users are required, referenced groups, named locations and authentication strengths
 * must exist, a strength is written by id only, and a named location in use cannot be deleted.
 */
import type { RequestContext } from "../context";
import { badRequest } from "../errors";
import { isObject, type Json } from "../entities";
import { resourceModel } from "../service-model";
import type { Area } from "./area";
import { asArray, requireFields } from "./common";

function checkReferences(ctx: RequestContext, body: Json): void {
  const conditions = isObject(body.conditions) ? body.conditions : {};
  const users = isObject(conditions.users) ? conditions.users : {};
  for (const id of [...asArray(users.includeGroups), ...asArray(users.excludeGroups)]) {
    if (!ctx.tenant.get("group", String(id)))
      badRequest(
        `Invalid group id '${String(id)}' in conditions.users: the group does not exist in this tenant.`,
        ctx.now,
      );
  }
  const locations = isObject(conditions.locations) ? conditions.locations : {};
  for (const id of [...asArray(locations.includeLocations), ...asArray(locations.excludeLocations)]) {
    if (id !== "All" && id !== "AllTrusted" && !ctx.tenant.get("namedLocation", String(id))) {
      badRequest(
        `Invalid location id '${String(id)}' in conditions.locations: the named location does not exist in this tenant.`,
        ctx.now,
      );
    }
  }
  const grant = isObject(body.grantControls) ? body.grantControls : {};
  if (isObject(grant.authenticationStrength)) {
    const extra = Object.keys(grant.authenticationStrength).filter((k) => k !== "id" && k !== "@odata.type");
    if (extra.length)
      badRequest(
        `grantControls.authenticationStrength accepts only 'id' on write; remove ${extra.join(", ")}.`,
        ctx.now,
      );
    const id = String(grant.authenticationStrength.id);
    if (!ctx.tenant.get("authenticationStrengthPolicy", id))
      badRequest(`The authentication strength '${id}' does not exist in this tenant.`, ctx.now);
  }
}

export const conditionalAccess: Area = {
  hooks: {
    conditionalAccessPolicy: {
      validateCreate(ctx, body) {
        const conditions = isObject(body.conditions) ? body.conditions : undefined;
        if (!conditions || !isObject(conditions.users)) {
          badRequest(
            'Conditions.Users is required: set conditions.users (for example {"includeUsers":["None"]}).',
            ctx.now,
          );
        }
        checkReferences(ctx, body);
      },
      validateUpdate: checkReferences,
    },
    namedLocation: {
      validateCreate(ctx, body) {
        requireFields(ctx, resourceModel("namedLocation"), body, ["displayName"]);
      },
      beforeDelete(ctx, object) {
        const users = ctx.tenant.list("conditionalAccessPolicy").find((p) => {
          const loc = (p.props.conditions as Json | undefined)?.locations as Json | undefined;
          return [...asArray(loc?.includeLocations), ...asArray(loc?.excludeLocations)].includes(object.id);
        });
        if (users)
          badRequest(
            `The named location is referenced by the conditional access policy '${String(users.props.displayName)}'; remove the reference first.`,
            ctx.now,
          );
      },
    },
  },
  children: {},
  routes: [],
};
