import { defineResourceType, type ReferenceSpec } from "../resource-type";

// usersAndGroups targets hold a group id only when targetType is "group" (else a user id or "AllUsers").
const groupTarget: ReferenceSpec = { type: "entra.group", when: { targetType: "group" } };

// The root holds little; the settings live in /default (one object: PATCH) and /partners (POST, then
// PATCH /partners/{tenantId}; keyed by the partner's tenantId, which is global). A partner's
// identitySynchronization is a further sub-resource the local emulator does not serve: not read yet.
// A singleton is never created, so its fixed id is kept (it names the file) and never sent.
export const crossTenantAccessPolicy = defineResourceType({
  id: "entra.crossTenantAccessPolicy",
  title: "Cross-tenant access policy",
  version: "v1.0",
  collection: "/policies/crossTenantAccessPolicy",
  kind: "singleton",
  naturalKey: "id",
  createOnly: ["/id"],
  serverManaged: ["/@odata.context"],
  update: "PATCH",
  subResources: [
    { property: "default", path: "default", serverManaged: ["/@odata.context", "/isServiceDefault"] },
    { property: "partners", path: "partners", serverManaged: ["/@odata.context", "/isServiceDefault"] },
  ],
  writeApart: { default: { kind: "object" }, partners: { kind: "items", key: "tenantId", urlKey: "tenantId" } },
  references: {
    "/default/*/usersAndGroups/targets/*/target": groupTarget,
    "/partners/*/*/usersAndGroups/targets/*/target": groupTarget,
  },
  permissions: { read: ["Policy.Read.All"], write: ["Policy.ReadWrite.CrossTenantAccess"] },
});
