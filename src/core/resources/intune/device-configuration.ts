import {
  assignmentTargetReferences,
  defineResourceType,
  intunePageSize,
  intuneRead,
  intuneServerManaged,
  intuneWrite,
  scopeTagReferences,
} from "../resource-type";

// Polymorphic (incl. Windows update rings, windowsUpdateForBusinessConfiguration): @odata.type on every write.
export const deviceConfiguration = defineResourceType({
  id: "intune.deviceConfiguration",
  title: "Device configuration profile",
  version: "beta",
  collection: "/deviceManagement/deviceConfigurations",
  pageSize: intunePageSize,
  kind: "collection",
  naturalKey: "displayName",
  requiresODataType: true,
  serverManaged: [
    ...intuneServerManaged,
    "/supportsScopeTags",
    "/omaSettings/*/isEncrypted",
    "/omaSettings/*/secretReferenceValueId",
  ],
  // Custom OMA-URI strings come back masked (isEncrypted: true + secretReferenceValueId); the clear value
  // needs getOmaSettingPlainTextValue and ReadWrite. Secrets: values whose sibling isEncrypted is true,
  // and OMA strings that do not say (a repository file: isEncrypted is server-managed, so it rarely has
  // it; the service encrypts them). Every other OMA value is kept (integers, booleans, isEncrypted false).
  secrets: ["/omaSettings/*/value"],
  secretWhen: {
    "/omaSettings/*/value": [
      { isEncrypted: true },
      { "@odata.type": "#microsoft.graph.omaSettingString", isEncrypted: undefined },
      { "@odata.type": "microsoft.graph.omaSettingString", isEncrypted: undefined },
    ],
  },
  // Custom Apple profiles carry the .mobileconfig as base64.
  files: [{ property: "payload", suffix: ".mobileconfig" }],
  unorderedArrays: ["/roleScopeTagIds", "/assignments"],
  update: "PATCH",
  assignments: { read: "list", write: { kind: "assign", bodyKey: "assignments" } },
  references: { ...assignmentTargetReferences, ...scopeTagReferences },
  permissions: { read: intuneRead, write: intuneWrite },
});
