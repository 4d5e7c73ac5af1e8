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
  kind: "collection",
  naturalKey: "displayName",
  serverManaged: [...intuneServerManaged, "/deployableContentDisplayName", "/endOfSupportDate"],
  unorderedArrays: ["/roleScopeTagIds", "/assignments"],
  update: "PATCH",
  assignments: { read: "list", write: { kind: "assign", bodyKey: "assignments" } },
  references: { ...assignmentTargetReferences, ...scopeTagReferences },
  permissions: { read: intuneRead, write: intuneWrite },
});
