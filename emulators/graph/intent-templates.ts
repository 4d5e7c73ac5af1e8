/**
 * intent-templates — the Microsoft-published templates a security baseline or endpoint-security profile
 * (intent) is made from: the same ids in every tenant, each with the setting instances a new intent gets
 * (id, @odata.type, definitionId and the default value as JSON text). Data only: the intent routes serve it
 * and check writes against it, the seeds build from it. A few settings of each template, not all of them.
 */
import { childObject, type Json } from "./entities";
import type { StoredObject } from "./tenant-store";

export interface TemplateSetting {
  id: string;
  type: "boolean" | "integer" | "string" | "complex";
  definitionId: string;
  /** The default, as JSON text. */
  valueJson: string;
}

export interface IntentTemplate {
  "@odata.type": string;
  id: string;
  displayName: string;
  description: string;
  versionInfo: string | null;
  isDeprecated: boolean;
  templateType: string;
  platformType: string;
  templateSubtype: string;
  publishedDateTime: string;
  settings: TemplateSetting[];
}

const protection = "deviceConfiguration--windows10EndpointProtectionConfiguration_";
const general = "deviceConfiguration--windows10GeneralConfiguration_";

// Both templates carry the removable drive policy, under the same setting id.
const removableDrives: TemplateSetting = {
  id: "ed70ea1b-7f30-4a78-995e-8b4282d5d11b",
  type: "complex",
  definitionId: `${protection}bitLockerRemovableDrivePolicy`,
  valueJson: '{"requireEncryptionForWriteAccess":true}',
};

// Intune's value for a date it does not show (the BitLocker template's publication date is not known here).
const unset = "0001-01-01T00:00:00Z";

export const intentTemplates: IntentTemplate[] = [
  {
    "@odata.type": "#microsoft.graph.securityBaselineTemplate",
    id: "034ccd46-190c-4afc-adf1-ad7cc11262eb",
    displayName: "MDM Security Baseline for Windows 10 and later for November 2021",
    description: "MDM Security Baseline for Windows 10 and later",
    versionInfo: "November 2021",
    isDeprecated: false,
    templateType: "securityBaseline",
    platformType: "windows10AndLater",
    templateSubtype: "none",
    publishedDateTime: "2021-10-22T00:00:00Z",
    settings: [
      {
        id: "d0e98a90-a30c-4753-b57d-3adae5af0723",
        type: "string",
        definitionId: `${protection}defenderAdobeReaderLaunchChildProcess`,
        valueJson: '"enable"',
      },
      {
        id: "c6d23b54-615d-4cef-b24d-4c7443bec8d2",
        type: "string",
        definitionId: `${general}defenderScheduleScanDay`,
        valueJson: '"everyday"',
      },
      {
        id: "7dbc8ff3-f604-4b75-b5dd-15438d0fab7b",
        type: "integer",
        definitionId: `${general}defenderSignatureUpdateIntervalInHours`,
        valueJson: "4",
      },
      {
        id: "f0f58aeb-27da-40f5-a39a-bf89b7c038e1",
        type: "string",
        definitionId: `${general}defenderCloudBlockLevel`,
        valueJson: '"high"',
      },
      {
        id: "4e08ec79-eda9-4dfb-abb6-93426d30bae0",
        type: "boolean",
        definitionId: `${general}edgeBlockPasswordManager`,
        valueJson: "true",
      },
      removableDrives,
    ],
  },
  {
    "@odata.type": "#microsoft.graph.deviceManagementTemplate",
    id: "d1174162-1dd2-4976-affc-6667049ab0ae",
    displayName: "BitLocker",
    description: "BitLocker drive encryption settings for Windows 10 and later",
    versionInfo: null,
    isDeprecated: false,
    templateType: "securityTemplate",
    platformType: "windows10AndLater",
    templateSubtype: "diskEncryption",
    publishedDateTime: unset,
    settings: [
      {
        id: "20ae0332-89a4-4429-aeaa-0af332837aff",
        type: "boolean",
        definitionId: `${protection}bitLockerEncryptDevice`,
        valueJson: "false",
      },
      {
        id: "f4e6b4ea-579a-45e0-9aa0-5705ca646b0c",
        type: "boolean",
        definitionId: `${protection}bitLockerDisableWarningForOtherDiskEncryption`,
        valueJson: "false",
      },
      {
        id: "9e9775ea-bbf0-47a4-bf8a-c27f63b983ef",
        type: "string",
        definitionId: `${protection}bitLockerRecoveryPasswordRotation`,
        valueJson: '"notConfigured"',
      },
      removableDrives,
    ],
  },
];

export function intentTemplate(id: string): IntentTemplate | undefined {
  return intentTemplates.find((t) => t.id === id);
}

/** A setting instance's properties as the service shows them: valueJson, and for simple types the value parsed. */
export function settingProps(odataType: string, definitionId: string, valueJson: string): Json {
  const simple = /(Boolean|Integer|String)SettingInstance$/.test(odataType);
  return { "@odata.type": odataType, definitionId, valueJson, ...(simple ? { value: JSON.parse(valueJson) } : {}) };
}

/** A template's setting instances (the template's ids), with the values given by definitionId instead of the defaults. */
export function templateSettings(t: IntentTemplate, values: ReadonlyMap<string, string> = new Map()): StoredObject[] {
  return t.settings.map((s) => {
    const odataType = `#microsoft.graph.deviceManagement${s.type[0].toUpperCase()}${s.type.slice(1)}SettingInstance`;
    return childObject(settingProps(odataType, s.definitionId, values.get(s.definitionId) ?? s.valueJson), s.id);
  });
}
