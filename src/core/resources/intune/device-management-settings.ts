import { defineResourceType, intuneWrite } from "../resource-type";

// The tenant-wide Intune settings (Tenant administration and compliance policy settings): whether a
// device with no compliance policy is compliant, how long a device may go without checking in, enhanced
// jailbreak detection, device clean-up, derived credentials, log collection and diagnostics. One object
// per tenant, a property of deviceManagement: read at deviceManagement/settings and written by PATCH
// /deviceManagement { settings } (as IntuneCD and the update deviceManagement reference do). Paired as
// the tenant's one object; no references, no secrets.
export const deviceManagementSettings = defineResourceType({
  id: "intune.deviceManagementSettings",
  title: "Intune tenant settings",
  version: "beta",
  collection: "/deviceManagement/settings",
  kind: "singleton",
  naturalKey: "id",
  serverManaged: ["/@odata.context", "/@odata.type"],
  update: "PATCH",
  writtenThrough: { path: "/deviceManagement", property: "settings" },
  permissions: { read: ["DeviceManagementConfiguration.Read.All"], write: intuneWrite },
});
