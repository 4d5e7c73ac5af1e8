/**
 * graph-app-roles — the ids of Microsoft Graph's application permissions (its app roles, public
 * cloud) that install asks for in an app registration's requiredResourceAccess, or that the
 * identity creating the app needs. The one table of them; a test checks it against the published
 * permissions data the Graph emulator carries, and that it covers every permission the resource
 * types need.
 */

/** Microsoft Graph's application (client) id, the same in every tenant. */
export const microsoftGraphAppId = "00000003-0000-0000-c000-000000000000";

export const graphAppRoleIds: Readonly<Record<string, string>> = {
  "AdministrativeUnit.ReadWrite.All": "5eb59dd3-1da2-4329-8733-9dabdc435916",
  "Application.Read.All": "9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30",
  "AuditLog.Read.All": "b0afded3-3588-46d8-8b3d-9842eff778da",
  "Application.ReadWrite.All": "1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9",
  "Application.ReadWrite.OwnedBy": "18a4783c-866b-4cc7-a460-3d5e5662c884",
  "CustomSecAttributeDefinition.ReadWrite.All": "12338004-21f4-4896-bf5e-b75dfaf1016d",
  "DeviceManagementApps.ReadWrite.All": "78145de6-330d-4800-a6ce-494ff2d33d07",
  "DeviceManagementConfiguration.ReadWrite.All": "9241abd9-d0e6-425a-bd4f-47ba86e767a4",
  "DeviceManagementManagedDevices.ReadWrite.All": "243333ab-4d21-40cb-a475-36241daa0842",
  "DeviceManagementRBAC.ReadWrite.All": "e330c4f0-4170-414e-a55a-2f022ec2b57b",
  "DeviceManagementScripts.ReadWrite.All": "9255e99d-faf5-445e-bbf7-cb71482737c4",
  "DeviceManagementServiceConfig.ReadWrite.All": "5ac13192-7ace-4fcf-b828-1a26f28068ee",
  "Directory.ReadWrite.All": "19dbc75e-c2e2-444c-a770-ec69d8559fc7",
  "Group.ReadWrite.All": "62a82d76-70ea-41e2-9197-370581804d09",
  "Policy.Read.All": "246dd0d5-5bd0-4def-940b-0421030a5b68",
  "Policy.ReadWrite.ApplicationConfiguration": "be74164b-cff1-491c-8741-e671cb536e13",
  "Policy.ReadWrite.AuthenticationFlows": "25f85f3c-f66c-4205-8cd5-de92dd7f0cec",
  "Policy.ReadWrite.AuthenticationMethod": "29c18626-4985-4dcd-85c0-193eef327366",
  "Policy.ReadWrite.Authorization": "fb221be6-99f2-473f-bd32-01c6a0e9ca3b",
  "Policy.ReadWrite.ConditionalAccess": "01c0a623-fc9b-48e9-b794-0756f8e8f067",
  "Policy.ReadWrite.CrossTenantAccess": "338163d7-f101-4c92-94ba-ca46fe52447c",
  "Policy.ReadWrite.ExternalIdentities": "03cc4f92-788e-4ede-b93f-199424d144a5",
  "Policy.ReadWrite.SecurityDefaults": "1c6e93a6-28e2-4cbb-9f64-1a46a821124d",
  "RoleManagement.ReadWrite.Directory": "9e3f62cf-ca93-4989-b6ce-bf83c28f9fe8",
};

/** The app role id of a permission; a name missing from the table is a programming error, said so. */
export function appRoleId(permission: string): string {
  const id = graphAppRoleIds[permission];
  if (!id)
    throw new Error(
      `No Microsoft Graph app role id is known for ${permission}: add it to src/devops/graph-app-roles.ts.`,
    );
  return id;
}
