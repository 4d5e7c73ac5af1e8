import { assignmentTargetReferences, defineResourceType } from "../resource-type";

// Third-party compliance partners (Workspace ONE, MobileIron, …) whose device compliance Intune
// accepts, per platform, for the user groups that enrol through them. Paired by displayName (the
// partner's name: a tenant adds each partner once). The service keeps the connection's state and
// heartbeat; a deploy creates the connector, the partner's console must still connect to it. The
// enrolment assignments name Entra groups. No secrets.
const platforms = ["macOs", "android", "ios", "linux"];

export const complianceManagementPartner = defineResourceType({
  id: "intune.complianceManagementPartner",
  title: "Compliance management partner",
  version: "beta",
  collection: "/deviceManagement/complianceManagementPartners",
  kind: "collection",
  naturalKey: "displayName",
  serverManaged: ["/id", "/@odata.context", "/lastHeartbeatDateTime", "/partnerState"],
  unorderedArrays: platforms.map((p) => `/${p}EnrollmentAssignments`),
  update: "PATCH",
  references: Object.fromEntries(
    platforms.flatMap((p) =>
      Object.entries(assignmentTargetReferences).map(([path, spec]) => [
        path.replace("/assignments/", `/${p}EnrollmentAssignments/`),
        spec,
      ]),
    ),
  ),
  permissions: {
    read: ["DeviceManagementServiceConfig.Read.All"],
    write: ["DeviceManagementServiceConfig.ReadWrite.All"],
  },
});
