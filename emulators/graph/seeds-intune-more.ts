/**
 * seeds-intune-more — the built-in app categories every tenant has, and the demo tenant's settings
 * catalog compliance policy, compliance and custom attribute scripts, device categories, driver update
 * profile and reusable firewall setting. Values are what the service returns for such objects, not
 * documentation placeholders.
 */
import { childObject, type Json } from "./entities";
import type { StoredObject } from "./tenant-store";

/** What the types seeded here need beyond the other Intune types' permissions. */
export const intuneMoreReadPermissions = ["DeviceManagementManagedDevices.Read.All"];
export const intuneMoreWritePermissions = ["DeviceManagementManagedDevices.ReadWrite.All"];

interface Seeder {
  add(key: string, props: Json, nav?: Record<string, StoredObject[]>, id?: string): StoredObject;
  readonly tenant: { list(key: string): StoredObject[] };
}

const seedTime = "2026-01-05T09:00:00Z";
const base64 = (text: string) => Buffer.from(text).toString("base64");

// The categories Intune creates in every tenant, as Company Portal lists them.
const builtInAppCategories = [
  "Books & Reference",
  "Business",
  "Collaboration & Social",
  "Computer management",
  "Data management",
  "Development & Design",
  "Other apps",
  "Photos & Media",
  "Productivity",
];

export function addIntuneMoreDefaults(b: Seeder): void {
  for (const displayName of builtInAppCategories)
    b.add("mobileAppCategory", { displayName, lastModifiedDateTime: seedTime });
}

interface DemoRefs {
  allDevices: string;
  pilot: string;
  /** The assignment target of a group, as the other seeded assignments have it. */
  target: (groupId: string) => Json;
}

const assigned = (object: StoredObject, refs: DemoRefs, groupId: string): StoredObject[] => [
  childObject({ target: refs.target(groupId) }, `${object.id}_${groupId}`),
];

const choice = (settingDefinitionId: string, value: string): Json => ({
  settingInstance: {
    "@odata.type": "#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance",
    settingDefinitionId,
    settingInstanceTemplateReference: null,
    choiceSettingValue: { settingValueTemplateReference: null, value, children: [] },
  },
});

export function addDemoIntuneMore(b: Seeder, refs: DemoRefs): void {
  const linux = b.add("deviceManagementCompliancePolicy", {
    name: "Linux - Encrypted devices",
    description: "Linux desktops must use disk encryption",
    platforms: "linux",
    technologies: "linuxMdm",
    creationSource: null,
    roleScopeTagIds: ["0"],
    createdDateTime: seedTime,
    lastModifiedDateTime: seedTime,
    settingCount: 1,
    isAssigned: true,
  });
  linux.nav.settings = [
    childObject(choice("linux_deviceencryption_required", "linux_deviceencryption_required_true"), "0"),
  ];
  linux.nav.scheduledActionsForRule = [
    childObject({
      ruleName: null,
      scheduledActionConfigurations: [
        { actionType: "block", gracePeriodHours: 24, notificationTemplateId: "", notificationMessageCCList: [] },
      ],
    }),
  ];
  linux.nav.assignments = assigned(linux, refs, refs.pilot);

  const script = b.add("deviceComplianceScript", {
    displayName: "Windows - BitLocker key escrowed",
    description: "Reports whether the BitLocker recovery key is backed up to Entra ID",
    publisher: "Contoso IT",
    version: "1",
    runAsAccount: "system",
    enforceSignatureCheck: false,
    runAs32Bit: false,
    roleScopeTagIds: ["0"],
    createdDateTime: seedTime,
    lastModifiedDateTime: seedTime,
    detectionScriptContent: base64(
      "$escrowed = (Get-BitLockerVolume -MountPoint C:).KeyProtector.Count -gt 0\n@{ KeyEscrowed = $escrowed } | ConvertTo-Json -Compress\n",
    ),
  });

  // The Windows baseline runs the script and checks its output with these rules (custom compliance).
  const baseline = b.tenant
    .list("deviceCompliancePolicy")
    .find((p) => p.props.displayName === "Windows - Compliance baseline");
  if (baseline)
    baseline.props.deviceCompliancePolicyScript = {
      deviceComplianceScriptId: script.id,
      rulesContent: base64(
        JSON.stringify({
          Rules: [
            {
              SettingName: "KeyEscrowed",
              Operator: "IsEquals",
              DataType: "Boolean",
              Operand: true,
              MoreInfoUrl: "https://contoso.sharepoint.com/sites/it/bitlocker",
              RemediationStrings: [
                {
                  Language: "en_US",
                  Title: "BitLocker key not backed up",
                  Description: "Back up the recovery key to Entra ID.",
                },
              ],
            },
          ],
        }),
      ),
    };

  const attribute = b.add("deviceCustomAttributeShellScript", {
    displayName: "macOS - FileVault status",
    description: "Reports FileVault status as a device attribute",
    customAttributeName: "FileVaultStatus",
    customAttributeType: "string",
    fileName: "filevault-status.sh",
    runAsAccount: "system",
    roleScopeTagIds: ["0"],
    createdDateTime: seedTime,
    lastModifiedDateTime: seedTime,
    scriptContent: base64("#!/bin/sh\n/usr/bin/fdesetup status | head -1\n"),
  });
  attribute.nav.assignments = assigned(attribute, refs, refs.pilot);

  for (const [displayName, description] of [
    ["Corporate laptop", "Laptops owned by Contoso"],
    ["Shared kiosk", "Shared devices in reception and warehouses"],
  ])
    b.add("deviceCategory", { displayName, description, roleScopeTagIds: ["0"] });

  const drivers = b.add("windowsDriverUpdateProfile", {
    displayName: "Windows drivers - automatic after 7 days",
    description: "Recommended drivers are approved automatically and offered a week later",
    approvalType: "automatic",
    deploymentDeferralInDays: 7,
    deviceReporting: 0,
    newUpdates: 0,
    roleScopeTagIds: ["0"],
    createdDateTime: seedTime,
    lastModifiedDateTime: seedTime,
    inventorySyncStatus: { lastSuccessfulSyncDateTime: seedTime, driverInventorySyncState: "success" },
  });
  drivers.nav.assignments = assigned(drivers, refs, refs.allDevices);

  const firewallAddresses = "vendor_msft_firewall_mdmstore_dynamickeywords_addresses_{id}";
  b.add("reusablePolicySetting", {
    displayName: "Corporate subnets",
    description: "Office networks for firewall rules",
    settingDefinitionId: firewallAddresses,
    version: 1,
    referencingConfigurationPolicyCount: 0,
    createdDateTime: seedTime,
    lastModifiedDateTime: seedTime,
    settingInstance: {
      "@odata.type": "#microsoft.graph.deviceManagementConfigurationGroupSettingCollectionInstance",
      settingDefinitionId: firewallAddresses,
      settingInstanceTemplateReference: null,
      groupSettingCollectionValue: [
        {
          settingValueTemplateReference: null,
          children: [
            {
              "@odata.type": "#microsoft.graph.deviceManagementConfigurationSimpleSettingCollectionInstance",
              settingDefinitionId: `${firewallAddresses}_addresses`,
              settingInstanceTemplateReference: null,
              simpleSettingCollectionValue: [
                {
                  "@odata.type": "#microsoft.graph.deviceManagementConfigurationStringSettingValue",
                  settingValueTemplateReference: null,
                  value: "10.20.0.0/16",
                },
              ],
            },
          ],
        },
      ],
    },
  });
  b.add("mobileAppCategory", { displayName: "Contoso line-of-business", lastModifiedDateTime: seedTime });
}
