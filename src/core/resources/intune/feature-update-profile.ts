import {
  assignmentTargetReferences,
  defineResourceType,
  intuneRead,
  intuneServerManaged,
  intuneWrite,
  scopeTagReferences,
} from "../resource-type";

// Windows feature update profiles. The display name of the content and its end of support are derived
// by the service from featureUpdateVersion.
export const featureUpdateProfile = defineResourceType({
  id: "intune.featureUpdateProfile",
  title: "Feature update profile",
  version: "beta",
  collection: "/deviceManagement/windowsFeatureUpdateProfiles",
  // Pages of 200: the service caps $top at 200 and refuses more ("The limit of '200' for Top query has been
  // exceeded", IntuneManagement v4); $expand=assignments on the list is refused too: read per profile.
  pageSize: 200,
  kind: "collection",
  naturalKey: "displayName",
  serverManaged: [...intuneServerManaged, "/deployableContentDisplayName", "/endOfSupportDate"],
  unorderedArrays: ["/roleScopeTagIds", "/assignments"],
  update: "PATCH",
  assignments: { read: "list", write: { kind: "assign", bodyKey: "assignments" } },
  references: { ...assignmentTargetReferences, ...scopeTagReferences },
  permissions: { read: intuneRead, write: intuneWrite },
});
