import { assignmentTargetReferences, defineResourceType } from "../resource-type";

// Device management partners (Jamf Pro for macOS and the like) and the user groups whose devices
// enrol through them. Paired by displayName. The service keeps the connection: its state, heartbeat,
// whether it is configured and when partner devices become noncompliant or are removed. With
// partnerAppType singleTenantApp, singleTenantAppId is the app id of a registration in this tenant:
// it is kept as the tenant has it and must be edited for another tenant. No secrets.
export const deviceManagementPartner = defineResourceType({
  id: "intune.deviceManagementPartner",
  title: "Device management partner",
  version: "beta",
  collection: "/deviceManagement/deviceManagementPartners",
  kind: "collection",
  naturalKey: "displayName",
  serverManaged: [
    "/id",
    "/@odata.context",
    "/lastHeartbeatDateTime",
    "/partnerState",
    "/isConfigured",
    "/whenPartnerDevicesWillBeRemovedDateTime",
    "/whenPartnerDevicesWillBeMarkedAsNonCompliantDateTime",
  ],
  unorderedArrays: ["/groupsRequiringPartnerEnrollment"],
  update: "PATCH",
  references: Object.fromEntries(
    Object.entries(assignmentTargetReferences).map(([path, spec]) => [
      path.replace("/assignments/", "/groupsRequiringPartnerEnrollment/"),
      spec,
    ]),
  ),
  permissions: {
    read: ["DeviceManagementServiceConfig.Read.All"],
    write: ["DeviceManagementServiceConfig.ReadWrite.All"],
  },
});
