import { assignmentTargetReferences, defineResourceType, intuneRead, intuneServerManaged, intuneWrite, scopeTagReferences } from "../resource-type";

// Polymorphic (incl. Windows update rings, windowsUpdateForBusinessConfiguration): @odata.type on every write.
export const deviceConfiguration = defineResourceType({
  id: "intune.deviceConfiguration",
  title: "Device configuration profile",
  version: "beta",
  collection: "/deviceManagement/deviceConfigurations",
  kind: "collection",
  naturalKey: "displayName",
  requiresODataType: true,
  serverManaged: [...intuneServerManaged, "/supportsScopeTags", "/omaSettings/*/isEncrypted", "/omaSettings/*/secretReferenceValueId"],
  // Custom OMA-URI strings come back masked (isEncrypted: true + secretReferenceValueId); the clear value
  // needs getOmaSettingPlainTextValue and ReadWrite. Only values whose sibling isEncrypted is true are
  // secrets: the engine masks those and keeps every other OMA value (integers, booleans, plain strings).
  secrets: ["/omaSettings/*/value"],
  secretWhen: { "/omaSettings/*/value": { isEncrypted: true } },
  // Custom Apple profiles carry the .mobileconfig as base64.
  files: [{ property: "payload", suffix: ".mobileconfig" }],
  unorderedArrays: ["/roleScopeTagIds", "/assignments"],
  update: "PATCH",
  assignments: { read: "list", write: { kind: "assign", bodyKey: "assignments" } },
  references: { ...assignmentTargetReferences, ...scopeTagReferences },
  permissions: { read: intuneRead, write: intuneWrite },
});
