import { assignmentTargetReferences, defineResourceType, intuneServerManaged } from "../resource-type";

// Intune terms and conditions, on v1.0 as the published resource table has it (the beta shape adds
// scope tags). `version` bumps when users must accept again; modifiedDateTime is the service's.
// Assignments are objects of their own: one POST /{id}/assignments {target} each.
export const termsAndConditions = defineResourceType({
  id: "intune.termsAndConditions",
  title: "Terms and conditions",
  version: "v1.0",
  collection: "/deviceManagement/termsAndConditions",
  kind: "collection",
  naturalKey: "displayName",
  serverManaged: [...intuneServerManaged, "/modifiedDateTime"],
  unorderedArrays: ["/assignments"],
  update: "PATCH",
  assignments: { read: "list", write: { kind: "perAssignment" } },
  references: { ...assignmentTargetReferences },
  permissions: {
    read: ["DeviceManagementServiceConfig.Read.All"],
    write: ["DeviceManagementServiceConfig.ReadWrite.All"],
  },
});
