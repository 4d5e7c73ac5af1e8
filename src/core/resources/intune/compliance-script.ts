import {
  defineResourceType,
  intunePageSize,
  intuneRead,
  intuneServerManaged,
  intuneWrite,
  scopeTagReferences,
} from "../resource-type";

// Custom compliance discovery scripts (PowerShell) that Windows compliance policies run, named by
// displayName. The list omits the body (read by id); it is kept beside the JSON as .detection.ps1. A
// script is never assigned itself: the compliance policy that uses it names it
// (deviceCompliancePolicyScript.deviceComplianceScriptId) and is assigned. `version` is a string here.
export const complianceScript = defineResourceType({
  id: "intune.complianceScript",
  title: "Compliance script",
  version: "beta",
  collection: "/deviceManagement/deviceComplianceScripts",
  pageSize: intunePageSize,
  kind: "collection",
  naturalKey: "displayName",
  readById: true,
  serverManaged: intuneServerManaged,
  files: [{ property: "detectionScriptContent", suffix: ".detection.ps1" }],
  unorderedArrays: ["/roleScopeTagIds"],
  update: "PATCH",
  references: { ...scopeTagReferences },
  permissions: { read: intuneRead, write: intuneWrite },
});
