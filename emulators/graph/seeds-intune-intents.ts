/**
 * seeds-intune-intents — the demo tenant's security baseline and BitLocker profile (intents), each made
 * from its Microsoft template with a few values changed from the template's defaults, as an admin tuning
 * the baseline leaves them, and assigned to a group.
 */
import type { Json } from "./entities";
import { intentTemplate, templateSettings } from "./intent-templates";
import type { StoredObject } from "./tenant-store";

interface Seeder {
  add(key: string, props: Json, nav?: Record<string, StoredObject[]>, id?: string): StoredObject;
}

interface IntentRefs {
  allDevices: string;
  pilot: string;
  /** The assignment target of a group, as the other seeded assignments have it. */
  target: (groupId: string) => Json;
}

const seedTime = "2026-01-05T09:00:00Z";
const protection = "deviceConfiguration--windows10EndpointProtectionConfiguration_";
const general = "deviceConfiguration--windows10GeneralConfiguration_";

function addIntent(
  b: Seeder,
  templateId: string,
  props: { displayName: string; description: string },
  values: Record<string, string>,
  groupId: string,
  refs: IntentRefs,
): void {
  const template = intentTemplate(templateId);
  if (!template) throw new Error(`no intent template ${templateId}`);
  const o = b.add("deviceManagementIntent", {
    ...props,
    isAssigned: true,
    isMigratingToConfigurationPolicy: false,
    lastModifiedDateTime: seedTime,
    templateId,
    roleScopeTagIds: ["0"],
  });
  o.nav.settings = templateSettings(template, new Map(Object.entries(values)));
  o.nav.assignments = [{ id: `${o.id}_${groupId}`, props: { target: refs.target(groupId) }, nav: {} }];
}

export function addDemoIntuneIntents(b: Seeder, refs: IntentRefs): void {
  addIntent(
    b,
    "034ccd46-190c-4afc-adf1-ad7cc11262eb",
    { displayName: "Windows - Security baseline", description: "Microsoft's baseline, Defender checks more often" },
    {
      [`${general}defenderSignatureUpdateIntervalInHours`]: "2",
      [`${general}defenderScheduleScanDay`]: '"monday"',
    },
    refs.allDevices,
    refs,
  );
  addIntent(
    b,
    "d1174162-1dd2-4976-affc-6667049ab0ae",
    { displayName: "Windows - BitLocker", description: "Encrypt pilot devices, rotate recovery passwords" },
    {
      [`${protection}bitLockerEncryptDevice`]: "true",
      [`${protection}bitLockerRecoveryPasswordRotation`]: '"enabledForAzureAd"',
    },
    refs.pilot,
    refs,
  );
}
