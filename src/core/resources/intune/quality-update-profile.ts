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
  kind: "collection",
  naturalKey: "displayName",
  serverManaged: [...intuneServerManaged, "/deployableContentDisplayName", "/releaseDateDisplayName"],
  unorderedArrays: ["/roleScopeTagIds", "/assignments"],
  update: "PATCH",
  assignments: { read: "list", write: { kind: "assign", bodyKey: "assignments" } },
  references: { ...assignmentTargetReferences, ...scopeTagReferences },
  permissions: { read: intuneRead, write: intuneWrite },
});
