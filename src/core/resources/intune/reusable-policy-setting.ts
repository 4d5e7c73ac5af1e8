import { defineResourceType, intunePageSize, intuneRead, intuneServerManaged, intuneWrite } from "../resource-type";

// Reusable settings groups of the settings catalog (Defender device control groups, firewall rule
// groups, Linux compliance discovery scripts), paired by displayName. The service counts the policies
// that use one and keeps its version. Policies refer to them by id deep inside setting values, which
// stay as they are (see settings-catalog-policy.ts).
export const reusablePolicySetting = defineResourceType({
  id: "intune.reusablePolicySetting",
  title: "Reusable policy setting",
  version: "beta",
  collection: "/deviceManagement/reusablePolicySettings",
  pageSize: intunePageSize,
  // "The list endpoint omits settingInstance" (IntuneManagement v4, which reads each object for it).
  readById: true,
  kind: "collection",
  naturalKey: "displayName",
  serverManaged: [...intuneServerManaged, "/referencingConfigurationPolicyCount"],
  createOnly: ["/settingDefinitionId"],
  update: "PATCH",
  permissions: { read: intuneRead, write: intuneWrite },
});
