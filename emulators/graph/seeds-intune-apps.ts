/**
 * seeds-intune-apps — the demo tenant's apps: two web links (one in a built-in category and one in the
 * tenant's own, assigned to groups) and an iOS store app, which shares the collection but is no web
 * link, so a sync of web links must leave it alone. Values are what the service returns for such apps.
 */
import { childObject, type Json } from "./entities";
import type { StoredObject } from "./tenant-store";

interface Seeder {
  add(key: string, props: Json, nav?: Record<string, StoredObject[]>, id?: string): StoredObject;
  readonly tenant: { list(key: string): StoredObject[] };
}

interface DemoRefs {
  allDevices: string;
  pilot: string;
  /** The assignment target of a group, as the other seeded assignments have it. */
  target: (groupId: string) => Json;
}

const seedTime = "2026-01-05T09:00:00Z";

// What the service reports for every app besides its own properties.
const appDefaults = {
  largeIcon: null,
  createdDateTime: seedTime,
  lastModifiedDateTime: seedTime,
  isFeatured: false,
  privacyInformationUrl: null,
  informationUrl: null,
  owner: "",
  developer: "",
  notes: "",
  uploadState: 1,
  publishingState: "published",
  roleScopeTagIds: ["0"],
  dependentAppCount: 0,
  supersedingAppCount: 0,
  supersededAppCount: 0,
};

function categoriesNamed(b: Seeder, names: string[]): StoredObject[] {
  const all = b.tenant.list("mobileAppCategory");
  return names.map((name) => {
    const category = all.find((c) => c.props.displayName === name);
    if (!category) throw new Error(`demo seed: no app category "${name}"`);
    return childObject({}, category.id);
  });
}

function assignment(app: StoredObject, refs: DemoRefs, groupId: string, intent: string): StoredObject {
  return childObject(
    { intent, target: refs.target(groupId), settings: null, source: "direct", sourceId: null },
    `${app.id}_${groupId}`,
  );
}

export function addDemoIntuneApps(b: Seeder, refs: DemoRefs): void {
  const hr = b.add("mobileApp", {
    "@odata.type": "#microsoft.graph.webApp",
    ...appDefaults,
    displayName: "Contoso HR portal",
    description: "Leave, payslips and benefits",
    publisher: "Contoso",
    isAssigned: true,
    appUrl: "https://hr.contoso.com/",
    useManagedBrowser: false,
  });
  hr.nav.categories = categoriesNamed(b, ["Business", "Contoso line-of-business"]);
  hr.nav.assignments = [assignment(hr, refs, refs.pilot, "available")];
  const office = b.add("mobileApp", {
    "@odata.type": "#microsoft.graph.webApp",
    ...appDefaults,
    displayName: "Microsoft 365 on the web",
    description: "Word, Excel, PowerPoint and Outlook in the browser",
    publisher: "Microsoft",
    isAssigned: true,
    appUrl: "https://www.office.com/",
    useManagedBrowser: true,
  });
  office.nav.categories = categoriesNamed(b, ["Productivity"]);
  office.nav.assignments = [assignment(office, refs, refs.allDevices, "required")];
  b.add("mobileApp", {
    "@odata.type": "#microsoft.graph.iosStoreApp",
    ...appDefaults,
    displayName: "Microsoft Authenticator",
    description: "Sign-in approvals and verification codes",
    publisher: "Microsoft Corporation",
    isAssigned: false,
    bundleId: "com.microsoft.azureauthenticator",
    appStoreUrl: "https://apps.apple.com/us/app/microsoft-authenticator/id983156458",
    applicableDeviceType: { iPad: true, iPhoneAndIPod: true },
    minimumSupportedOperatingSystem: { v15_0: true },
  });
}
