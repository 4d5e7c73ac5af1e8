/**
 * registry — every resource type the engine knows, and the order to apply them in. The order is derived
 * from each declaration's `references` (a referenced type is applied before the types referring to it);
 * there is no hand-kept list to drift. Adding a type means adding its file and one line below.
 */
import type { ResourceType, ResourceTypeId } from "./resource-type";
import { administrativeUnit } from "./entra/administrative-unit";
import { application } from "./entra/application";
import { attributeSet } from "./entra/attribute-set";
import { authenticationFlowsPolicy } from "./entra/authentication-flows-policy";
import { authenticationMethodsPolicy } from "./entra/authentication-methods-policy";
import { authenticationStrengthPolicy } from "./entra/authentication-strength-policy";
import { authorizationPolicy } from "./entra/authorization-policy";
import { claimsMappingPolicy } from "./entra/claims-mapping-policy";
import { conditionalAccessPolicy } from "./entra/conditional-access-policy";
import { crossTenantAccessPolicy } from "./entra/cross-tenant-access-policy";
import { customSecurityAttributeDefinition } from "./entra/custom-security-attribute-definition";
import { externalIdentitiesPolicy } from "./entra/external-identities-policy";
import { group } from "./entra/group";
import { groupSetting } from "./entra/group-setting";
import { homeRealmDiscoveryPolicy } from "./entra/home-realm-discovery-policy";
import { namedLocation } from "./entra/named-location";
import { roleDefinition as entraRoleDefinition } from "./entra/role-definition";
import { securityDefaultsPolicy } from "./entra/security-defaults-policy";
import { tokenLifetimePolicy } from "./entra/token-lifetime-policy";
import { appProtectionPolicy } from "./intune/app-protection-policy";
import { assignmentFilter } from "./intune/assignment-filter";
import { autopilotProfile } from "./intune/autopilot-profile";
import { compliancePolicy } from "./intune/compliance-policy";
import { deviceConfiguration } from "./intune/device-configuration";
import { enrollmentConfiguration } from "./intune/enrollment-configuration";
import { featureUpdateProfile } from "./intune/feature-update-profile";
import { groupPolicyConfiguration } from "./intune/group-policy-configuration";
import { managedAppConfiguration } from "./intune/managed-app-configuration";
import { mobileAppConfiguration } from "./intune/mobile-app-configuration";
import { notificationMessageTemplate } from "./intune/notification-message-template";
import { powerShellScript } from "./intune/power-shell-script";
import { qualityUpdateProfile } from "./intune/quality-update-profile";
import { remediationScript } from "./intune/remediation-script";
import { roleDefinition as intuneRoleDefinition } from "./intune/role-definition";
import { roleScopeTag } from "./intune/role-scope-tag";
import { settingsCatalogPolicy } from "./intune/settings-catalog-policy";
import { shellScript } from "./intune/shell-script";
import { termsAndConditions } from "./intune/terms-and-conditions";
import { complianceScript } from "./intune/compliance-script";
import { customAttributeShellScript } from "./intune/custom-attribute-shell-script";
import { deviceCategory } from "./intune/device-category";
import { driverUpdateProfile } from "./intune/driver-update-profile";
import { mobileAppCategory } from "./intune/mobile-app-category";
import { reusablePolicySetting } from "./intune/reusable-policy-setting";
import { settingsCompliancePolicy } from "./intune/settings-compliance-policy";
import { webApp } from "./intune/web-app";
import { complianceManagementPartner } from "./intune/compliance-management-partner";
import { deviceManagementPartner } from "./intune/device-management-partner";
import { remoteAssistancePartner } from "./intune/remote-assistance-partner";
import { managedGooglePlaySettings } from "./intune/managed-google-play-settings";
import { intent } from "./intune/intent";
import { applePushNotificationCertificate } from "./intune/apple-push-notification-certificate";
import { vppToken } from "./intune/vpp-token";
import { depOnboardingSetting } from "./intune/dep-onboarding-setting";
import { deviceManagementSettings } from "./intune/device-management-settings";

/** Every declared resource type, Entra first; this order is for listings only, never for applying. */
export const allResourceTypes: readonly ResourceType[] = Object.freeze([
  conditionalAccessPolicy,
  namedLocation,
  authenticationStrengthPolicy,
  authenticationMethodsPolicy,
  authorizationPolicy,
  crossTenantAccessPolicy,
  group,
  administrativeUnit,
  entraRoleDefinition,
  authenticationFlowsPolicy,
  securityDefaultsPolicy,
  externalIdentitiesPolicy,
  tokenLifetimePolicy,
  claimsMappingPolicy,
  homeRealmDiscoveryPolicy,
  groupSetting,
  attributeSet,
  customSecurityAttributeDefinition,
  application,
  deviceConfiguration,
  compliancePolicy,
  settingsCatalogPolicy,
  groupPolicyConfiguration,
  appProtectionPolicy,
  mobileAppConfiguration,
  managedAppConfiguration,
  powerShellScript,
  shellScript,
  remediationScript,
  assignmentFilter,
  roleScopeTag,
  featureUpdateProfile,
  qualityUpdateProfile,
  enrollmentConfiguration,
  autopilotProfile,
  notificationMessageTemplate,
  termsAndConditions,
  intuneRoleDefinition,
  settingsCompliancePolicy,
  complianceScript,
  customAttributeShellScript,
  deviceCategory,
  driverUpdateProfile,
  reusablePolicySetting,
  mobileAppCategory,
  webApp,
  complianceManagementPartner,
  deviceManagementPartner,
  remoteAssistancePartner,
  managedGooglePlaySettings,
  intent,
  applePushNotificationCertificate,
  vppToken,
  depOnboardingSetting,
  deviceManagementSettings,
]);

export const resourceTypeIds: readonly ResourceTypeId[] = Object.freeze(allResourceTypes.map((type) => type.id));

const byId = new Map<string, ResourceType>(allResourceTypes.map((type) => [type.id, type]));

/** The declaration with this id; throws, listing the valid ids, for an id nobody declared. */
export function getResourceType(id: string): ResourceType {
  const type = byId.get(id);
  if (!type) throw new Error(`Unknown resource type "${id}". Valid resource types: ${resourceTypeIds.join(", ")}.`);
  return type;
}

/** The distinct types a declaration references, itself excluded. */
function referencedIds(type: ResourceType): ResourceTypeId[] {
  const ids = Object.values(type.references ?? {}).map((reference) => reference.type);
  return [...new Set(ids)].filter((id) => id !== type.id);
}

/**
 * `types` in apply order: every type after the types it references (references to types outside
 * `types` are ignored). Ties keep the given order, so the result is stable. Deletes run in reverse.
 * Throws naming the cycle ("a → b → a") if references go round.
 */
export function applyOrder(types: readonly ResourceType[]): ResourceType[] {
  const given = new Map(types.map((type) => [type.id, type]));
  const done = new Set<ResourceTypeId>();
  const path: ResourceTypeId[] = [];
  const ordered: ResourceType[] = [];
  const visit = (type: ResourceType): void => {
    if (done.has(type.id)) return;
    const start = path.indexOf(type.id);
    if (start >= 0)
      throw new Error(
        `Resource types reference each other in a cycle: ${[...path.slice(start), type.id].join(" → ")}. Remove one of these references.`,
      );
    path.push(type.id);
    for (const id of referencedIds(type)) {
      const referenced = given.get(id);
      if (referenced) visit(referenced);
    }
    path.pop();
    done.add(type.id);
    ordered.push(type);
  };
  for (const type of types) visit(type);
  return ordered;
}
