import {
  assignmentTargetReferences,
  defineResourceType,
  intuneRead,
  intuneServerManaged,
  intuneWrite,
  scopeTagReferences,
} from "../resource-type";

// Windows quality (expedited) update profiles; the content's display name and release date are derived.
export const qualityUpdateProfile = defineResourceType({
  id: "intune.qualityUpdateProfile",
  title: "Quality update profile",
  version: "beta",
  collection: "/deviceManagement/windowsQualityUpdateProfiles",
  // Pages of 200: the service caps $top at 200 and refuses more ("The limit of '200' for Top query has been
  // exceeded", IntuneManagement v4); $expand=assignments on the list is refused too: read per profile.
  pageSize: 200,
  kind: "collection",
  naturalKey: "displayName",
  serverManaged: [...intuneServerManaged, "/deployableContentDisplayName", "/releaseDateDisplayName"],
  unorderedArrays: ["/roleScopeTagIds", "/assignments"],
  update: "PATCH",
  assignments: { read: "list", write: { kind: "assign", bodyKey: "assignments" } },
  references: { ...assignmentTargetReferences, ...scopeTagReferences },
  permissions: { read: intuneRead, write: intuneWrite },
});
