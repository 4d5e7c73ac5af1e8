/**
 * service-model — how the Microsoft Graph service behaves for each resource type it serves
 * (as Microsoft documents and the service behaves; spec/entities.json → resources). Data only: the routes read it.
 *
 * The emulator is built from the published specification, not from the engine's resource
 * declarations, so a mistake in the engine shows up as a failure instead of being mirrored.
 */
import { entitiesSpec } from "./spec";

export type ServiceFamily = "intune" | "directory" | "identityPolicy" | "conditionalAccess";

export interface AssignmentModel {
  /** "/assign" with a body key, or one POST per assignment on the assignments collection. */
  write: "assign" | "perAssignment";
  bodyKey?: string;
  assignStatus?: 200 | 204;
  /** Only readable through $expand=assignments (no /assignments route). */
  expandOnly?: boolean;
}

export type ChildVerb = "list" | "get" | "create" | "update" | "delete";

/** A collection contained in an object (or a singleton): assignments, settings, definition values, … */
export interface ChildModel {
  /** The navigation segment, e.g. "assignments". */
  name: string;
  /** The verbs the service serves on the collection (list, create) and on one child (get, update, delete). */
  verbs: ChildVerb[];
  /** Kept in an array property of the parent (combination configurations), not a navigation list. */
  inProperty?: boolean;
  /** Listed in one answer, without paging or query options. */
  unpaged?: boolean;
  /** 204, or 200 with the child. */
  updateStatus?: 200 | 204;
  /** Child ids compared without regard to case (method configuration ids such as "Fido2"). */
  caseInsensitiveIds?: boolean;
  /** Navigation properties $expand accepts on the list. */
  expand?: string[];
  /** Page sizes of the list (the parent's family's when omitted). */
  list?: Partial<Omit<ListRules, "expand">>;
}

/**
 * How the service serves a list request: the page it returns without $top, the largest $top it
 * honours and what a larger one gets, and which navigation properties $expand may name on a list
 * (the others only on GET of one object). Per family in `familyListRules`, per collection in `list`.
 */
export interface ListRules {
  defaultPageSize: number;
  maxPageSize: number;
  /**
   * A $top above the maximum: served at the maximum ("cap"), or refused with a 400 — the directory's
   * "Invalid page size specified" ("refusePageSize") or the OData "limit … for Top query" ("refuseTopLimit").
   */
  overMax: "cap" | "refusePageSize" | "refuseTopLimit";
  /** The largest page when the request has $expand, if smaller (directory lists with an expansion). */
  expandedMaxPageSize?: number;
  /** Navigation properties $expand accepts on a list request. */
  expand: string[];
}

export interface ResourceModel {
  key: string;
  version: "v1.0" | "beta";
  path: string;
  kind: "collection" | "singleton";
  rootType: string;
  family: ServiceFamily;
  nameProp: string;
  /** POST and PATCH must carry @odata.type (polymorphic collections). */
  requiresODataType: boolean;
  /** Served on v1.0 too (false for beta-only Intune types). */
  inV1: boolean;
  /** Properties the service computes; a write that sets them is refused. */
  readOnly: string[];
  /** Properties that may be set on create but not changed afterwards. */
  createOnly: string[];
  /** Navigation properties accepted inside a POST body (deep insert). */
  deepInsert: string[];
  updateStatus: 200 | 204;
  allowsPut?: boolean;
  assignments?: AssignmentModel;
  /** Navigation properties $expand accepts on GET of one object. */
  expand: string[];
  /** How lists are served; omitted fields are the family's (`familyListRules`); `expand` defaults to none. */
  list?: Partial<ListRules>;
  /**
   * Navigation properties GET by id accepts in $expand but answers empty (configuration policies'
   * assignments: the service's known quirk; their list, or /{id}/assignments, has them).
   */
  expandEmptyById?: string[];
  /** Properties returned only by GET of one object (script bodies). */
  onlyOnGetById: string[];
  /**
   * Navigation properties that link to objects of another collection (an app's categories): kept as
   * links, expanded as the linked objects (navigation name → the linked objects' store key and type).
   */
  links?: Record<string, { storeKey: string; odataType: string }>;
  /** Objects the service ships (built-ins): cannot be changed or deleted. */
  isBuiltIn?: (props: Record<string, unknown>) => boolean;
  /** Contained collections other than assignments (those follow from `assignments`). */
  children?: ChildModel[];
  /** Property that must be unique when set (groups: mailNickname is not; crossTenant partners: tenantId). */
  idProp?: string;
}

const common = ["id", "createdDateTime", "lastModifiedDateTime"];
const intuneCommon = [...common, "version"];

function spec(key: string) {
  const r = entitiesSpec().resources[key];
  if (!r) throw new Error(`emulator spec has no resource "${key}"`);
  return r;
}

function model(
  key: string,
  m: Omit<ResourceModel, "key" | "version" | "path" | "rootType" | "nameProp" | "inV1" | "kind"> & {
    path?: string;
    kind?: "collection" | "singleton";
    nameProp?: string;
  },
): ResourceModel {
  const s = spec(key);
  const path = m.path ?? s.list;
  return {
    key,
    version: s.version === "v1.0" ? "v1.0" : "beta",
    rootType: s.type,
    nameProp: m.nameProp ?? (s.nameProp.startsWith("(") ? "displayName" : s.nameProp.split(" ")[0]),
    inV1: s.inV1Csdl,
    kind: m.kind ?? "collection",
    ...m,
    path,
  };
}

const allVerbs: ChildVerb[] = ["list", "get", "create", "update", "delete"];

const intuneAssign = (bodyKey = "assignments", assignStatus: 200 | 204 = 200): AssignmentModel => ({
  write: "assign",
  bodyKey,
  assignStatus,
});

/**
 * The Windows feature, quality and driver update profiles cap $top at 200 and refuse more ("The limit
 * of '200' for Top query has been exceeded", recorded in IntuneManagement v4's Windows update classes).
 */
const updateProfileLists: Partial<ListRules> = { maxPageSize: 200, overMax: "refuseTopLimit" };

export const resourceModels: ResourceModel[] = [
  model("conditionalAccessPolicy", {
    family: "conditionalAccess",
    requiresODataType: false,
    readOnly: ["id", "createdDateTime", "modifiedDateTime", "templateId"],
    createOnly: [],
    deepInsert: [],
    updateStatus: 204,
    expand: [],
    onlyOnGetById: [],
  }),
  model("namedLocation", {
    family: "conditionalAccess",
    requiresODataType: true,
    readOnly: ["id", "createdDateTime", "modifiedDateTime"],
    createOnly: [],
    deepInsert: [],
    updateStatus: 204,
    expand: [],
    onlyOnGetById: [],
  }),
  model("authenticationStrengthPolicy", {
    family: "identityPolicy",
    requiresODataType: false,
    readOnly: ["id", "createdDateTime", "modifiedDateTime", "policyType", "requirementsSatisfied"],
    createOnly: [],
    deepInsert: [],
    updateStatus: 204,
    expand: ["combinationConfigurations"],
    onlyOnGetById: [],
    children: [{ name: "combinationConfigurations", verbs: allVerbs, inProperty: true, unpaged: true }],
    isBuiltIn: (p) => p.policyType === "builtIn",
  }),
  model("authenticationMethodsPolicy", {
    family: "identityPolicy",
    requiresODataType: false,
    kind: "singleton",
    path: "/policies/authenticationMethodsPolicy",
    readOnly: [...common, "policyVersion", "policyMigrationState"],
    createOnly: [],
    deepInsert: [],
    updateStatus: 204,
    expand: ["authenticationMethodConfigurations"],
    onlyOnGetById: [],
    children: [
      { name: "authenticationMethodConfigurations", verbs: ["list", "get", "update"], caseInsensitiveIds: true },
    ],
  }),
  model("authorizationPolicy", {
    family: "identityPolicy",
    requiresODataType: false,
    kind: "singleton",
    path: "/policies/authorizationPolicy",
    readOnly: ["id", "displayName", "description"],
    createOnly: [],
    deepInsert: [],
    updateStatus: 204,
    expand: [],
    onlyOnGetById: [],
  }),
  model("crossTenantAccessPolicy", {
    family: "identityPolicy",
    requiresODataType: false,
    kind: "singleton",
    path: "/policies/crossTenantAccessPolicy",
    readOnly: ["id", "isServiceDefault"],
    createOnly: [],
    deepInsert: [],
    updateStatus: 204,
    expand: ["default", "partners"],
    onlyOnGetById: [],
    children: [{ name: "partners", verbs: allVerbs }],
  }),
  ...["authenticationFlowsPolicy", "identitySecurityDefaultsEnforcementPolicy", "externalIdentitiesPolicy"].map((key) =>
    model(key, {
      family: "identityPolicy",
      requiresODataType: false,
      kind: "singleton",
      path: `/policies/${key}`,
      // The reference pages mark the inherited id, displayName and description read-only.
      readOnly: ["id", "displayName", "description", "deletedDateTime"],
      createOnly: [],
      deepInsert: [],
      updateStatus: 204,
      expand: [],
      onlyOnGetById: [],
    }),
  ),
  // Token lifetime, claims mapping and home realm discovery policies share stsPolicy's shape: a JSON
  // definition (one string in an array), isOrganizationDefault and the objects it appliesTo.
  ...["tokenLifetimePolicy", "claimsMappingPolicy", "homeRealmDiscoveryPolicy"].map((key) =>
    model(key, {
      family: "directory",
      requiresODataType: false,
      readOnly: ["id", "deletedDateTime"],
      createOnly: [],
      deepInsert: [],
      updateStatus: 204,
      expand: ["appliesTo"],
      onlyOnGetById: [],
    }),
  ),
  model("groupSetting", {
    family: "directory",
    requiresODataType: false,
    nameProp: "templateId",
    // displayName comes from the template; the template of a setting cannot change.
    readOnly: ["id", "displayName"],
    createOnly: ["templateId"],
    deepInsert: [],
    updateStatus: 204,
    expand: [],
    onlyOnGetById: [],
  }),
  // Custom security attributes: a set is named by the id given on create; a definition's id is
  // computed (<attributeSet>_<name>). Neither can be deleted (the routes answer DELETE with 405);
  // a definition is retired by status "Deprecated", a predefined value by isActive false.
  model("attributeSet", {
    family: "directory",
    requiresODataType: false,
    nameProp: "id",
    readOnly: [],
    createOnly: ["id"],
    deepInsert: [],
    updateStatus: 204,
    expand: [],
    onlyOnGetById: [],
  }),
  model("customSecurityAttributeDefinition", {
    family: "directory",
    // The list page: allowedValues "must be specified in an $expand query", e.g. on the list.
    list: { expand: ["allowedValues"] },
    requiresODataType: false,
    nameProp: "id",
    readOnly: [],
    createOnly: ["id", "attributeSet", "name", "type", "isCollection", "isSearchable"],
    deepInsert: ["allowedValues"],
    updateStatus: 204,
    expand: [],
    onlyOnGetById: [],
    children: [{ name: "allowedValues", verbs: ["list", "get", "create", "update"] }],
  }),
  model("group", {
    family: "directory",
    requiresODataType: false,
    // A group has no lastModifiedDateTime (v1.0 CSDL): the service never stamps one.
    readOnly: [
      "id",
      "createdDateTime",
      "deletedDateTime",
      "renewedDateTime",
      "expirationDateTime",
      "mail",
      "proxyAddresses",
      "securityIdentifier",
      "onPremisesDomainName",
      "onPremisesLastSyncDateTime",
      "onPremisesNetBiosName",
      "onPremisesSamAccountName",
      "onPremisesSecurityIdentifier",
      "onPremisesSyncEnabled",
      "createdByAppId",
      "organizationId",
    ],
    createOnly: ["isAssignableToRole"],
    deepInsert: [],
    updateStatus: 204,
    expand: [],
    onlyOnGetById: [],
    nameProp: "displayName",
  }),
  model("administrativeUnit", {
    family: "directory",
    requiresODataType: false,
    readOnly: ["id", "deletedDateTime"],
    createOnly: [],
    deepInsert: [],
    updateStatus: 204,
    expand: [],
    onlyOnGetById: [],
  }),
  model("deviceConfiguration", {
    family: "intune",
    requiresODataType: true,
    readOnly: [...intuneCommon, "supportsScopeTags"],
    createOnly: [],
    deepInsert: [],
    updateStatus: 204,
    assignments: intuneAssign(),
    expand: ["assignments"],
    onlyOnGetById: [],
  }),
  model("deviceCompliancePolicy", {
    family: "intune",
    // The list expands the actions (IntuneCD and IntuneManagement list with
    // scheduledActionsForRule($expand=scheduledActionConfigurations)) and assignments (the Graph
    // PowerShell maintainers' answer in msgraph-sdk-powershell#2025 lists with both expanded).
    list: { expand: ["assignments", "scheduledActionsForRule"] },
    requiresODataType: true,
    readOnly: intuneCommon,
    createOnly: [],
    deepInsert: ["scheduledActionsForRule"],
    updateStatus: 204,
    assignments: intuneAssign(),
    expand: ["assignments", "scheduledActionsForRule"],
    onlyOnGetById: [],
  }),
  model("configurationPolicy", {
    family: "intune",
    // Pages of 25 by default (IntuneAssignmentChecker#28). Assignments expand on the list but come back
    // empty when expanded on GET by id (msgraph-sdk-powershell#3337, "Service issue"; IntuneManagement v4
    // reads /assignments instead). No evidence that settings expand on the list: they are read per policy.
    list: { defaultPageSize: 25, expand: ["assignments"] },
    expandEmptyById: ["assignments"],
    requiresODataType: false,
    readOnly: [...common, "settingCount", "isAssigned", "creationSource", "priorityMetaData"],
    createOnly: [],
    deepInsert: ["settings"],
    updateStatus: 204,
    allowsPut: true,
    assignments: intuneAssign(),
    expand: ["assignments", "settings"],
    onlyOnGetById: [],
    // Settings pages hold 25 unless asked for more (IntuneBackupAndRestore#88: "saved only 25 settings").
    children: [{ name: "settings", verbs: ["list", "get"], list: { defaultPageSize: 25 } }],
  }),
  model("groupPolicyConfiguration", {
    family: "intune",
    // IntuneManagement v4 expands assignments on the list of every type it does not opt out of it;
    // this is one. Definition and presentation values are read per policy and per value.
    list: { expand: ["assignments"] },
    requiresODataType: false,
    readOnly: [...common, "policyConfigurationIngestionType"],
    createOnly: [],
    deepInsert: [],
    updateStatus: 204,
    assignments: intuneAssign(),
    expand: ["assignments", "definitionValues"],
    onlyOnGetById: [],
    children: [{ name: "definitionValues", verbs: ["list", "get"], expand: ["definition"] }],
  }),
  model("managedAppProtection", {
    family: "intune",
    requiresODataType: true,
    path: "/deviceAppManagement/managedAppPolicies",
    readOnly: [...intuneCommon, "isAssigned", "deployedAppCount"],
    createOnly: [],
    deepInsert: ["apps", "assignments"],
    updateStatus: 204,
    assignments: intuneAssign("assignments", 204),
    expand: ["apps", "assignments"],
    onlyOnGetById: [],
    children: [{ name: "apps", verbs: ["list"] }],
  }),
  model("mobileAppConfiguration", {
    family: "intune",
    requiresODataType: true,
    readOnly: intuneCommon,
    createOnly: [],
    deepInsert: [],
    updateStatus: 204,
    assignments: intuneAssign(),
    expand: ["assignments"],
    onlyOnGetById: [],
  }),
  model("targetedManagedAppConfiguration", {
    family: "intune",
    requiresODataType: false,
    readOnly: [...intuneCommon, "isAssigned", "deployedAppCount"],
    createOnly: [],
    deepInsert: ["apps", "assignments"],
    updateStatus: 204,
    assignments: intuneAssign("assignments", 204),
    expand: ["apps", "assignments"],
    onlyOnGetById: [],
    children: [{ name: "apps", verbs: ["list"] }],
  }),
  model("deviceManagementScript", {
    family: "intune",
    requiresODataType: false,
    readOnly: common,
    createOnly: [],
    deepInsert: [],
    updateStatus: 200,
    assignments: intuneAssign("deviceManagementScriptAssignments"),
    expand: ["assignments"],
    onlyOnGetById: ["scriptContent"],
  }),
  model("deviceShellScript", {
    family: "intune",
    requiresODataType: false,
    readOnly: common,
    createOnly: [],
    deepInsert: [],
    updateStatus: 200,
    assignments: { ...intuneAssign("deviceManagementScriptAssignments"), expandOnly: true },
    expand: ["assignments"],
    onlyOnGetById: ["scriptContent"],
  }),
  model("deviceHealthScript", {
    family: "intune",
    requiresODataType: false,
    readOnly: [...common, "version", "isGlobalScript", "highestAvailableVersion", "deviceHealthScriptType"],
    createOnly: [],
    deepInsert: [],
    updateStatus: 200,
    assignments: intuneAssign("deviceHealthScriptAssignments", 204),
    expand: ["assignments"],
    onlyOnGetById: ["detectionScriptContent", "remediationScriptContent"],
    isBuiltIn: (p) => p.isGlobalScript === true,
  }),
  model("assignmentFilter", {
    family: "intune",
    requiresODataType: false,
    readOnly: [...common, "payloads"],
    createOnly: ["platform"],
    deepInsert: [],
    updateStatus: 200,
    expand: [],
    onlyOnGetById: [],
  }),
  model("roleScopeTag", {
    family: "intune",
    requiresODataType: false,
    readOnly: ["id", "isBuiltIn"],
    createOnly: [],
    deepInsert: [],
    updateStatus: 200,
    assignments: intuneAssign(),
    expand: ["assignments"],
    onlyOnGetById: [],
    isBuiltIn: (p) => p.isBuiltIn === true,
  }),
  model("windowsFeatureUpdateProfile", {
    family: "intune",
    list: updateProfileLists,
    requiresODataType: false,
    readOnly: [...common, "deployableContentDisplayName", "endOfSupportDate"],
    createOnly: [],
    deepInsert: [],
    updateStatus: 200,
    assignments: intuneAssign(),
    expand: ["assignments"],
    onlyOnGetById: [],
  }),
  model("windowsQualityUpdateProfile", {
    family: "intune",
    list: updateProfileLists,
    requiresODataType: false,
    readOnly: [...common, "deployableContentDisplayName", "releaseDateDisplayName"],
    createOnly: [],
    deepInsert: [],
    updateStatus: 200,
    assignments: intuneAssign(),
    expand: ["assignments"],
    onlyOnGetById: [],
  }),
  model("deviceEnrollmentConfiguration", {
    family: "intune",
    // "The Intune portal does this on every enrollment-config subtype, and Graph accepts it here"
    // (IntuneManagement v4, enrollment classes): assignments come with the list.
    list: { expand: ["assignments"] },
    requiresODataType: true,
    readOnly: [...intuneCommon, "priority", "deviceEnrollmentConfigurationType"],
    createOnly: ["platformType"],
    deepInsert: [],
    updateStatus: 200,
    assignments: intuneAssign("enrollmentConfigurationAssignments"),
    expand: ["assignments"],
    onlyOnGetById: [],
    isBuiltIn: (p) => p.priority === 0,
  }),
  model("windowsAutopilotDeploymentProfile", {
    family: "intune",
    // IntuneManagement v4 expands assignments on the list of every type it does not opt out of it;
    // this is one.
    list: { expand: ["assignments"] },
    requiresODataType: true,
    readOnly: common,
    createOnly: [],
    deepInsert: [],
    updateStatus: 200,
    assignments: { write: "perAssignment" },
    expand: ["assignments"],
    onlyOnGetById: [],
  }),
  model("notificationMessageTemplate", {
    family: "intune",
    // IntuneCD and IntuneManagement read the localized messages with $expand=localizedNotificationMessages.
    list: { expand: ["localizedNotificationMessages"] },
    requiresODataType: false,
    readOnly: common,
    createOnly: [],
    deepInsert: ["localizedNotificationMessages"],
    updateStatus: 200,
    expand: ["localizedNotificationMessages"],
    onlyOnGetById: [],
    children: [{ name: "localizedNotificationMessages", verbs: allVerbs, updateStatus: 200 }],
  }),
  model("termsAndConditions", {
    family: "intune",
    requiresODataType: false,
    readOnly: [...common, "version"],
    createOnly: [],
    deepInsert: [],
    updateStatus: 200,
    assignments: { write: "perAssignment" },
    expand: ["assignments"],
    onlyOnGetById: [],
  }),
  // Settings catalog compliance: settings change by PUT; the actions for noncompliance are a child
  // collection (listed with $expand=scheduledActionConfigurations) replaced through setScheduledActions.
  model("deviceManagementCompliancePolicy", {
    family: "intune",
    // IntuneManagement v4 expands assignments on the list of every type it does not opt out of it;
    // this is one (settings and actions are read per policy: no evidence either way).
    list: { expand: ["assignments"] },
    requiresODataType: false,
    readOnly: [...common, "settingCount", "isAssigned"],
    createOnly: [],
    deepInsert: ["settings", "scheduledActionsForRule"],
    updateStatus: 204,
    allowsPut: true,
    assignments: intuneAssign(),
    expand: ["assignments", "settings", "scheduledActionsForRule"],
    onlyOnGetById: [],
    children: [
      { name: "settings", verbs: ["list", "get"], list: { defaultPageSize: 25 } },
      { name: "scheduledActionsForRule", verbs: ["list", "get"], expand: ["scheduledActionConfigurations"] },
    ],
  }),
  // Compliance scripts are named by the compliance policies that run them; they have no assign action.
  model("deviceComplianceScript", {
    family: "intune",
    requiresODataType: false,
    readOnly: [...common, "version"],
    createOnly: [],
    deepInsert: [],
    updateStatus: 200,
    expand: [],
    onlyOnGetById: ["detectionScriptContent"],
  }),
  model("deviceCustomAttributeShellScript", {
    family: "intune",
    requiresODataType: false,
    readOnly: common,
    createOnly: ["customAttributeName", "customAttributeType"],
    deepInsert: [],
    updateStatus: 200,
    assignments: { ...intuneAssign("deviceManagementScriptAssignments", 204), expandOnly: true },
    expand: ["assignments"],
    onlyOnGetById: ["scriptContent"],
  }),
  // Categories, driver profiles and reusable settings answer a PATCH with the object, as their reference pages show.
  model("deviceCategory", {
    family: "intune",
    requiresODataType: false,
    readOnly: ["id"],
    createOnly: [],
    deepInsert: [],
    updateStatus: 200,
    expand: [],
    onlyOnGetById: [],
  }),
  model("windowsDriverUpdateProfile", {
    family: "intune",
    list: updateProfileLists,
    requiresODataType: false,
    readOnly: [...common, "deviceReporting", "newUpdates", "inventorySyncStatus"],
    createOnly: [],
    deepInsert: [],
    updateStatus: 200,
    assignments: intuneAssign("assignments", 204),
    expand: ["assignments"],
    onlyOnGetById: [],
  }),
  model("reusablePolicySetting", {
    family: "intune",
    requiresODataType: false,
    readOnly: [...common, "version", "referencingConfigurationPolicyCount"],
    createOnly: ["settingDefinitionId"],
    deepInsert: [],
    updateStatus: 200,
    expand: [],
    // "The list endpoint omits settingInstance" (IntuneManagement v4).
    onlyOnGetById: ["settingInstance"],
  }),
  model("mobileAppCategory", {
    family: "intune",
    requiresODataType: false,
    readOnly: ["id", "lastModifiedDateTime"],
    createOnly: [],
    deepInsert: [],
    updateStatus: 200,
    expand: [],
    onlyOnGetById: [],
  }),
  model("intuneRoleDefinition", {
    family: "intune",
    requiresODataType: false,
    readOnly: ["id", "isBuiltIn", "isBuiltInRoleDefinition"],
    createOnly: [],
    deepInsert: [],
    updateStatus: 200,
    expand: ["roleAssignments"],
    onlyOnGetById: [],
    isBuiltIn: (p) => p.isBuiltIn === true,
  }),
  model("directoryRoleDefinition", {
    family: "directory",
    requiresODataType: false,
    readOnly: ["id", "isBuiltIn", "templateId", "version"],
    createOnly: [],
    deepInsert: [],
    updateStatus: 204,
    expand: ["inheritsPermissionsFrom"],
    onlyOnGetById: [],
    isBuiltIn: (p) => p.isBuiltIn === true,
  }),
  // All Intune apps share one collection; the emulator checks web links (webApp) and keeps other app types as seeded.
  model("mobileApp", {
    family: "intune",
    requiresODataType: true,
    readOnly: [
      ...common,
      "uploadState",
      "publishingState",
      "isAssigned",
      "dependentAppCount",
      "supersedingAppCount",
      "supersededAppCount",
    ],
    // The reference page: "The web app URL. This property cannot be PATCHed."
    createOnly: ["appUrl"],
    deepInsert: [],
    updateStatus: 200,
    assignments: intuneAssign("mobileAppAssignments", 204),
    // IntuneManagement v4 reads each app by id with $expand=categories,assignments; the list leaves out
    // roleScopeTagIds (IntuneManagement v4 and IntuneCD read them per app).
    expand: ["assignments", "categories"],
    onlyOnGetById: ["roleScopeTagIds"],
    links: { categories: { storeKey: "mobileAppCategory", odataType: "#microsoft.graph.mobileAppCategory" } },
  }),
  // Partner connectors (compliance partners, device management partners, remote assistance): the
  // service keeps each connection's state and heartbeat; PATCH answers 200 with the object.
  model("complianceManagementPartner", {
    family: "intune",
    requiresODataType: false,
    readOnly: ["id", "lastHeartbeatDateTime", "partnerState"],
    createOnly: [],
    deepInsert: [],
    updateStatus: 200,
    expand: [],
    onlyOnGetById: [],
  }),
  model("deviceManagementPartner", {
    family: "intune",
    requiresODataType: false,
    readOnly: [
      "id",
      "lastHeartbeatDateTime",
      "partnerState",
      "isConfigured",
      "whenPartnerDevicesWillBeRemovedDateTime",
      "whenPartnerDevicesWillBeMarkedAsNonCompliantDateTime",
    ],
    createOnly: [],
    deepInsert: [],
    updateStatus: 200,
    expand: [],
    onlyOnGetById: [],
  }),
  model("remoteAssistancePartner", {
    family: "intune",
    requiresODataType: false,
    readOnly: ["id", "onboardingStatus", "lastConnectionDateTime", "onboardingRequestExpiryDateTime"],
    createOnly: [],
    deepInsert: [],
    updateStatus: 200,
    expand: [],
    onlyOnGetById: [],
  }),
  // Managed Google Play: the tenant's binding to Google (made by an admin's sign-up) and its app sync are
  // the service's; the enrolment settings are what can be written. PATCH answers 200 with the object.
  model("androidManagedStoreAccountEnterpriseSettings", {
    family: "intune",
    requiresODataType: false,
    kind: "singleton",
    path: "/deviceManagement/androidManagedStoreAccountEnterpriseSettings",
    readOnly: [
      "id",
      "bindStatus",
      "lastAppSyncDateTime",
      "lastAppSyncStatus",
      "ownerUserPrincipalName",
      "ownerOrganizationName",
      "lastModifiedDateTime",
      "deviceOwnerManagementEnabled",
      "companyCodes",
    ],
    createOnly: [],
    deepInsert: [],
    updateStatus: 200,
    expand: [],
    onlyOnGetById: [],
  }),
  // Security baselines and endpoint-security profiles: made from a template with createInstance, their
  // settings changed with updateSettings; assign answers 204 (the reference page returns nothing).
  model("deviceManagementIntent", {
    family: "intune",
    requiresODataType: false,
    readOnly: ["id", "lastModifiedDateTime", "isAssigned", "isMigratingToConfigurationPolicy"],
    createOnly: ["templateId"],
    deepInsert: [],
    updateStatus: 204,
    assignments: intuneAssign("assignments", 204),
    expand: ["assignments", "settings"],
    onlyOnGetById: [],
    children: [{ name: "settings", verbs: ["list", "get"] }],
  }),
  // Apple tokens and certificates an admin uploads. The push certificate: what the uploaded certificate
  // says (topic, serial number, expiry) and its upload state are the service's; PATCH answers 200.
  model("applePushNotificationCertificate", {
    family: "intune",
    requiresODataType: false,
    kind: "singleton",
    path: "/deviceManagement/applePushNotificationCertificate",
    readOnly: [
      "id",
      "topicIdentifier",
      "lastModifiedDateTime",
      "expirationDateTime",
      "certificateUploadStatus",
      "certificateUploadFailureReason",
      "certificateSerialNumber",
    ],
    createOnly: [],
    deepInsert: [],
    updateStatus: 200,
    expand: [],
    onlyOnGetById: [],
  }),
  // VPP tokens: what Apple says of the uploaded token (organization, account type, location, expiry)
  // and the sync state are the service's; the Apple ID is the admin's entry. PATCH answers 200.
  model("vppToken", {
    family: "intune",
    requiresODataType: false,
    readOnly: [
      "id",
      "organizationName",
      "vppTokenAccountType",
      "expirationDateTime",
      "lastSyncDateTime",
      "lastModifiedDateTime",
      "state",
      "tokenActionResults",
      "lastSyncStatus",
      "locationName",
      "lastAppCount",
    ],
    createOnly: [],
    deepInsert: [],
    updateStatus: 200,
    expand: [],
    onlyOnGetById: [],
  }),
  // Enrollment program (DEP) tokens: what the uploaded token says and the sync state are the service's;
  // School Data Sync sharing changes through its own actions. PATCH answers 200 with the object.
  model("depOnboardingSetting", {
    family: "intune",
    requiresODataType: false,
    readOnly: [
      "id",
      "appleIdentifier",
      "tokenExpirationDateTime",
      "lastModifiedDateTime",
      "lastSuccessfulSyncDateTime",
      "lastSyncTriggeredDateTime",
      "shareTokenWithSchoolDataSyncService",
      "lastSyncErrorCode",
      "tokenType",
      "syncedDeviceCount",
    ],
    createOnly: [],
    deepInsert: [],
    updateStatus: 200,
    expand: [],
    onlyOnGetById: [],
  }),
  // The tenant-wide Intune settings: a property of deviceManagement, read at its own path and written
  // by PATCH /deviceManagement { settings }, which answers 200 with deviceManagement.
  model("deviceManagementSettings", {
    family: "intune",
    requiresODataType: false,
    kind: "singleton",
    path: "/deviceManagement/settings",
    readOnly: [],
    createOnly: [],
    deepInsert: [],
    updateStatus: 200,
    expand: [],
    onlyOnGetById: [],
  }),
];

/**
 * App registrations and their service principals: the directory objects install creates for a
 * tenant pipeline. They are not resource types Tenant Sync syncs (so not in the spec's resources);
 * routes/applications.ts serves them over the tenant's `apps`.
 */
function directoryAppModel(key: string, path: string, rootType: string): ResourceModel {
  return handWrittenModel({
    key,
    path,
    rootType,
    family: "directory",
    nameProp: "displayName",
    readOnly: ["id", "appId", "createdDateTime", "deletedDateTime", "publisherDomain"],
  });
}

/**
 * A v1.0 collection the spec's resources do not list, served by its own routes: what the generic
 * handlers need of it, with nothing to create only, deep-insert or expand.
 */
export function handWrittenModel(
  o: Pick<ResourceModel, "key" | "path" | "rootType" | "family" | "nameProp"> & { readOnly?: string[] },
): ResourceModel {
  return {
    ...o,
    version: "v1.0",
    kind: "collection",
    requiresODataType: false,
    inV1: true,
    readOnly: o.readOnly ?? [],
    createOnly: [],
    deepInsert: [],
    updateStatus: 204,
    expand: [],
    onlyOnGetById: [],
  };
}
/**
 * Federated credentials expand on the list (the list page supports $expand; an app holds at most 20 of
 * them, the most an expansion of a directory relationship returns, so none is cut off).
 */
export const applicationModel: ResourceModel = {
  ...directoryAppModel("application", "/applications", "microsoft.graph.application"),
  expand: ["federatedIdentityCredentials"],
  list: { expand: ["federatedIdentityCredentials"] },
};
export const servicePrincipalModel = directoryAppModel(
  "servicePrincipal",
  "/servicePrincipals",
  "microsoft.graph.servicePrincipal",
);

/** The model serving `path` at `version` (a v1.0 request is served by models that are in v1.0 too). */
export function modelServing(version: "v1.0" | "beta", path: string): ResourceModel | undefined {
  return [...resourceModels, applicationModel].find(
    (m) => m.path.toLowerCase() === path.toLowerCase() && (m.version === version || (version === "v1.0" && m.inV1)),
  );
}

/** App protection writes go to the per-platform collection named after the object's @odata.type. */
export const appProtectionWriteCollections: Record<string, string> = {
  iosManagedAppProtections: "microsoft.graph.iosManagedAppProtection",
  androidManagedAppProtections: "microsoft.graph.androidManagedAppProtection",
  windowsManagedAppProtections: "microsoft.graph.windowsManagedAppProtection",
  mdmWindowsInformationProtectionPolicies: "microsoft.graph.mdmWindowsInformationProtectionPolicy",
  windowsInformationProtectionPolicies: "microsoft.graph.windowsInformationProtectionPolicy",
};

/** A model's contained collections: its own children and, unless only expandable, its assignments. */
export function childCollections(model: ResourceModel): ChildModel[] {
  const a = model.assignments;
  const assignments: ChildModel[] =
    a && !a.expandOnly
      ? [
          {
            name: "assignments",
            verbs: a.write === "perAssignment" ? ["list", "get", "create", "delete"] : ["list", "get"],
          },
        ]
      : [];
  return [...assignments, ...(model.children ?? [])];
}

export function resourceModel(key: string): ResourceModel {
  const m = resourceModels.find((r) => r.key === key);
  if (!m) throw new Error(`no resource model "${key}"`);
  return m;
}

/**
 * The list rules of a family, where a collection says nothing else.
 * - Directory (groups, applications, policies …): "the default and maximum page sizes are 100 and 999"
 *   (the groups and applications list pages; a Graph docs maintainer: "for most directory APIs, the
 *   limit is 999 and the default is 100"); a larger $top is refused. With $expand a page holds at most
 *   100 (a known limitation confirmed on the Microsoft Tech Community).
 * - Conditional access and named locations document $top without a maximum: the directory's numbers.
 * - Intune publishes no page sizes. Observed defaults differ per collection (25 for settings catalog
 *   policies and their settings, 100 or 1000 elsewhere, per the IntuneManagement author); $top=1000 is
 *   what IntuneManagement v4 sends to every Intune list (its base class) and nothing shows more than
 *   1000 honoured. Graph's paging page says a $top above the maximum may be ignored, capped or refused:
 *   the emulator caps, except where a refusal is known (`updateProfileLists`).
 */
export const familyListRules: Record<ServiceFamily, Omit<ListRules, "expand">> = {
  directory: { defaultPageSize: 100, maxPageSize: 999, overMax: "refusePageSize", expandedMaxPageSize: 100 },
  identityPolicy: { defaultPageSize: 100, maxPageSize: 999, overMax: "refusePageSize", expandedMaxPageSize: 100 },
  conditionalAccess: { defaultPageSize: 100, maxPageSize: 999, overMax: "refusePageSize" },
  intune: { defaultPageSize: 100, maxPageSize: 1000, overMax: "cap" },
};

/** The rules a list of `model` is served by (a child collection passes its own page sizes and expansions). */
export function listRulesOf(model: ResourceModel): ListRules {
  return { ...familyListRules[model.family], expand: [], ...defined(model.list) };
}

/** Drops undefined values so they do not override defaults when spread. */
export function defined<T extends object>(o: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * Microsoft's templates for security baselines and endpoint-security profiles: the same in every tenant,
 * read-only, and not tenant configuration (so not in the spec's resources); routes/intune-intents.ts
 * serves them from intent-templates.ts with the createInstance action.
 */
export const intentTemplateModel: ResourceModel = {
  ...handWrittenModel({
    key: "deviceManagementTemplate",
    path: "/deviceManagement/templates",
    rootType: "microsoft.graph.deviceManagementTemplate",
    family: "intune",
    nameProp: "displayName",
    readOnly: ["id"],
  }),
  version: "beta",
  inV1: false,
};
