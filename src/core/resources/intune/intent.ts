import {
  assignmentTargetReferences,
  defineResourceType,
  intunePageSize,
  intuneRead,
  intuneServerManaged,
  intuneWrite,
  scopeTagReferences,
} from "../resource-type";

// Security baselines and the older endpoint-security profiles (deviceManagement/intents): a profile made
// from a Microsoft-published template, holding one setting instance per setting of the template. Paired by
// displayName. templateId names the template: the same GUID in every tenant (deviceManagement/templates is
// Microsoft's catalogue, not tenant configuration, so it is kept as a global value, not a reference); it
// cannot change (moving to a newer baseline version is the migrateToTemplate action, left to the admin).
// The service keeps isAssigned and the migration flag. Settings are read from /{id}/settings; each is an
// @odata.type, a definitionId (global, from the template) and valueJson (the value as JSON text); the
// setting's id and its typed `value` (valueJson again, parsed) are the service's. An intent is created
// with POST deviceManagement/templates/{templateId}/createInstance {displayName, description,
// settingsDelta, roleScopeTagIds} and its settings changed with POST /{id}/updateSettings {settings}
// (createInstance and updateSettings reference pages, Microsoft Graph beta; IntuneCD's ManagementIntents
// update module creates and updates them the same way and pairs by displayName). Assignments are read from
// /{id}/assignments and replaced with POST /{id}/assign {assignments}. No secrets.
export const intent = defineResourceType({
  id: "intune.intent",
  title: "Security baseline / endpoint security profile (intent)",
  version: "beta",
  collection: "/deviceManagement/intents",
  // Pages of 1000: the $top IntuneManagement v4 sends to every Intune list (none documents a maximum).
  // No source shows settings or assignments expanded on this list: both are read per intent.
  pageSize: intunePageSize,
  kind: "collection",
  naturalKey: "displayName",
  serverManaged: [
    ...intuneServerManaged,
    "/isAssigned",
    "/isMigratingToConfigurationPolicy",
    "/settings@odata.context",
  ],
  createOnly: ["/templateId"],
  unorderedArrays: ["/roleScopeTagIds", "/assignments", "/settings"],
  update: "PATCH",
  createVia: {
    path: "/deviceManagement/templates/{templateId}/createInstance",
    bodyKeys: { settings: "settingsDelta" },
  },
  assignments: { read: "list", write: { kind: "assign", bodyKey: "assignments" } },
  writeApart: { settings: { kind: "action", action: "updateSettings", bodyKey: "settings", onCreate: "inline" } },
  subResources: [{ property: "settings", path: "settings", serverManaged: ["/id", "/value"] }],
  references: { ...assignmentTargetReferences, ...scopeTagReferences },
  permissions: { read: intuneRead, write: intuneWrite },
});
