import assert from "node:assert/strict";
import { getResourceType } from "../resources/registry";
import { defineResourceType, type ResourceType, type ResourceTypeId } from "../resources/resource-type";
import { addressOf, nameOf, normalizeObject, type ReferenceIndex } from "./normalize";
import { isJsonObject, type JsonObject, type JsonValue } from "./pointer";

const zeroGuid = "00000000-0000-0000-0000-000000000000";
const base64 = (text: string) => Buffer.from(text, "utf8").toString("base64");

/** A small declaration; each test adds what it is about. */
function widgetType(extra: Partial<ResourceType> = {}): ResourceType {
  return defineResourceType({
    id: "intune.widget",
    title: "Widget",
    version: "beta",
    collection: "/deviceManagement/widgets",
    kind: "collection",
    naturalKey: "displayName",
    serverManaged: [],
    update: "PATCH",
    permissions: { read: [], write: [] },
    ...extra,
  });
}

function indexOf(entries: Partial<Record<ResourceTypeId, Record<string, string>>>): ReferenceIndex {
  return new Map(
    Object.entries(entries).map(([type, names]) => [type as ResourceTypeId, new Map(Object.entries(names ?? {}))]),
  );
}

const noIndex: ReferenceIndex = new Map();

const index = indexOf({
  "entra.group": { "g-1": "All staff", "g-2": 'Pilot "ring 1"' },
  "intune.assignmentFilter": { "f-1": "Corporate devices" },
  "intune.roleScopeTag": { "3": "Berlin" },
  "intune.notificationMessageTemplate": { "n-1": "Warn user" },
  "entra.namedLocation": { "loc-1": "Head office" },
});

/** The object with the explanatory `note` of each secret placeholder left out (tests assert codes, not text). */
function withoutNotes(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(withoutNotes);
  if (isJsonObject(value)) {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) if (!(k === "note" && "$secret" in value)) out[k] = withoutNotes(v);
    return out;
  }
  return value;
}

describe("addressOf", () => {
  const cases: Record<string, { type: ResourceTypeId; name: string; want: string }> = {
    "names an object by type and natural key": {
      type: "intune.compliancePolicy",
      name: "Windows baseline",
      want: 'intune.compliancePolicy["Windows baseline"]',
    },
    "escapes double quotes in the name": {
      type: "entra.group",
      name: 'Pilot "ring 1"',
      want: 'entra.group["Pilot \\"ring 1\\""]',
    },
    "escapes backslashes in the name": { type: "entra.group", name: "a\\b", want: 'entra.group["a\\\\b"]' },
    "escapes a closing bracket-quote so the address cannot end early": {
      type: "entra.group",
      name: '"]x',
      want: 'entra.group["\\"]x"]',
    },
    "keeps unicode readable": { type: "entra.group", name: "Geräte 设备", want: 'entra.group["Geräte 设备"]' },
  };
  for (const [name, c] of Object.entries(cases)) {
    it(name, () => assert.equal(addressOf(c.type, c.name), c.want));
  }
});

describe("nameOf", () => {
  const cases: Record<string, { type: ResourceType; raw: JsonObject; want: string }> = {
    "reads the natural key of a collection object": {
      type: widgetType(),
      raw: { id: "1", displayName: "Kiosk" },
      want: "Kiosk",
    },
    "uses the id when the natural key is missing": { type: widgetType(), raw: { id: "1" }, want: "1" },
    "turns a non-string natural key into text": {
      type: widgetType({ naturalKey: "number" }),
      raw: { id: "1", number: 7 },
      want: "7",
    },
    "names a singleton by its title": {
      type: getResourceType("entra.crossTenantAccessPolicy"),
      raw: { id: "x" },
      want: "Cross-tenant access policy",
    },
  };
  for (const [name, c] of Object.entries(cases)) {
    it(name, () => assert.equal(nameOf(c.type, c.raw), c.want));
  }
});

describe("normalizeObject", () => {
  describe("OData annotations", () => {
    it("drops @odata.context, @odata.etag and @odata.nextLink at every depth but keeps @odata.type", () => {
      const raw: JsonObject = {
        "@odata.context": "https://graph.microsoft.com/beta/$metadata#widgets/$entity",
        "@odata.etag": 'W/"1"',
        "@odata.nextLink": "https://graph.microsoft.com/beta/widgets?$skiptoken=x",
        "@odata.type": "#microsoft.graph.widget",
        "@odata.id": "widgets('1')",
        "manager@odata.navigationLink": "widgets('1')/manager",
        "parts@odata.context": "https://graph.microsoft.com/beta/$metadata#widgets('1')/parts",
        displayName: "Kiosk",
        nested: {
          "@odata.context": "x",
          "@odata.type": "#microsoft.graph.inner",
          "@odata.nextLink": "y",
          list: [{ "@odata.etag": "e", "@odata.type": "#microsoft.graph.item", "@odata.context": "z", value: 1 }],
        },
      };
      const { object } = normalizeObject(widgetType(), raw, noIndex);
      assert.deepEqual(object, {
        "@odata.type": "#microsoft.graph.widget",
        displayName: "Kiosk",
        nested: {
          "@odata.type": "#microsoft.graph.inner",
          list: [{ "@odata.type": "#microsoft.graph.item", value: 1 }],
        },
      });
    });
  });

  describe("what the service manages", () => {
    it("removes the declared server-managed properties, inside arrays too", () => {
      const type = widgetType({ serverManaged: ["/id", "/createdDateTime", "/version", "/settings/*/id"] });
      const raw: JsonObject = {
        id: "1",
        createdDateTime: "2026-01-01T00:00:00Z",
        version: 4,
        displayName: "Kiosk",
        settings: [
          { id: "s1", on: true },
          { id: "s2", on: false },
        ],
      };
      assert.deepEqual(normalizeObject(type, raw, noIndex).object, {
        displayName: "Kiosk",
        settings: [{ on: true }, { on: false }],
      });
    });

    it("removes what the service manages inside sub-resource items and their children", () => {
      const type = widgetType({
        serverManaged: ["/id"],
        subResources: [
          {
            property: "parts",
            path: "parts",
            serverManaged: ["/id", "/lastModifiedDateTime"],
            children: [{ property: "pieces", path: "pieces", serverManaged: ["/id", "/stamp/by"] }],
          },
        ],
      });
      const raw: JsonObject = {
        id: "1",
        displayName: "Kiosk",
        parts: [
          {
            id: "p1",
            lastModifiedDateTime: "t",
            name: "left",
            pieces: [{ id: "c1", size: 1, stamp: { by: "svc", kept: true } }],
          },
          { id: "p2", lastModifiedDateTime: "t", name: "right", pieces: [] },
        ],
      };
      assert.deepEqual(normalizeObject(type, raw, noIndex).object, {
        displayName: "Kiosk",
        parts: [
          { name: "left", pieces: [{ size: 1, stamp: { kept: true } }] },
          { name: "right", pieces: [] },
        ],
      });
    });

    it("removes what the service manages in a sub-resource that is one object, not a list", () => {
      const type = widgetType({
        subResources: [{ property: "defaults", path: "defaults", serverManaged: ["/isServiceDefault"] }],
      });
      const raw: JsonObject = { id: "1", displayName: "Kiosk", defaults: { isServiceDefault: true, mode: "on" } };
      assert.deepEqual(normalizeObject(type, raw, noIndex).object, {
        id: "1",
        displayName: "Kiosk",
        defaults: { mode: "on" },
      });
    });
  });

  describe("assignments", () => {
    const assignment: JsonObject = {
      id: "a1",
      source: "direct",
      sourceId: "1",
      intent: "apply",
      target: { "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget" },
      runSchedule: { "@odata.type": "#microsoft.graph.deviceHealthScriptDailySchedule", interval: 1 },
    };

    it("keeps only the target of each assignment", () => {
      const type = widgetType({ assignments: { read: "list", write: { kind: "assign", bodyKey: "assignments" } } });
      const { object } = normalizeObject(type, { id: "1", displayName: "K", assignments: [assignment] }, noIndex);
      assert.deepEqual(object.assignments, [
        { target: { "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget" } },
      ]);
    });

    it("keeps the properties the declaration lists besides the target", () => {
      const type = widgetType({
        assignments: { read: "list", write: { kind: "assign", bodyKey: "assignments" }, keep: ["runSchedule"] },
      });
      const { object } = normalizeObject(type, { id: "1", displayName: "K", assignments: [assignment] }, noIndex);
      assert.deepEqual(object.assignments, [{ target: assignment.target, runSchedule: assignment.runSchedule }]);
    });

    it("leaves an assignments property alone when the type declares no assignments", () => {
      const { object } = normalizeObject(
        widgetType(),
        { id: "1", displayName: "K", assignments: [assignment] },
        noIndex,
      );
      assert.deepEqual(object.assignments, [assignment]);
    });
  });

  describe("secrets", () => {
    const type = widgetType({
      secrets: ["/password", "/oma/*/value"],
      secretWhen: { "/oma/*/value": { isEncrypted: true } },
    });

    it("replaces a declared secret by a $secret placeholder naming its pointer and the object", () => {
      const result = normalizeObject(type, { id: "1", displayName: "Kiosk", password: "hunter2" }, noIndex);
      const placeholder = result.object.password as JsonObject;
      assert.equal(placeholder.$secret, "/password");
      assert.ok(
        typeof placeholder.note === "string" &&
          placeholder.note.includes('intune.widget["Kiosk"]') &&
          placeholder.note.includes("/password"),
      );
      assert.deepEqual(result.secrets, ["/password"]);
      assert.ok(!JSON.stringify(result).includes("hunter2"));
    });

    it("leaves an empty or null secret as it is", () => {
      assert.deepEqual(normalizeObject(type, { id: "1", displayName: "K", password: "" }, noIndex).secrets, []);
      assert.deepEqual(
        normalizeObject(type, { id: "1", displayName: "K", password: null }, noIndex).object.password,
        null,
      );
    });

    it("masks a conditional secret only where its condition holds", () => {
      const raw: JsonObject = {
        id: "1",
        displayName: "K",
        oma: [
          { value: "s3cret", isEncrypted: true, secretReferenceValueId: "ref-0" },
          { value: 5, isEncrypted: false },
          { value: "plain", isEncrypted: false },
          { value: "no flag" },
        ],
      };
      const result = normalizeObject(type, raw, noIndex);
      assert.deepEqual(withoutNotes(result.object.oma), [
        { value: { $secret: "/oma/0/value" }, isEncrypted: true },
        { value: 5, isEncrypted: false },
        { value: "plain", isEncrypted: false },
        { value: "no flag" },
      ]);
      assert.deepEqual(result.secrets, ["/oma/0/value"]);
    });
  });

  describe("files", () => {
    const type = widgetType({ files: [{ property: "scriptContent", suffix: ".ps1" }] });

    it("moves a base64 script body into a file and leaves a $file marker", () => {
      const script = "Write-Host 'Grüße'\r\nexit 0\r\n";
      const result = normalizeObject(type, { id: "1", displayName: "K", scriptContent: base64(script) }, noIndex);
      assert.deepEqual(result.files, { ".ps1": script });
      assert.deepEqual(result.object.scriptContent, { $file: ".ps1" });
    });

    const moves: Record<string, Buffer> = {
      "a UTF-8 byte order mark": Buffer.from([0xef, 0xbb, 0xbf, 0x61, 0x0d, 0x0a]),
      "no final newline": Buffer.from("exit 0"),
      "a lone CR and a NUL": Buffer.from("a\rb\u0000c"),
      "characters beyond the BMP": Buffer.from("😀\n"),
    };
    for (const [what, bytes] of Object.entries(moves)) {
      it(`moves a body with ${what} into a file that encodes back to exactly its bytes`, () => {
        const result = normalizeObject(
          type,
          { id: "1", displayName: "K", scriptContent: bytes.toString("base64") },
          noIndex,
        );
        assert.ok(Buffer.from(result.files[".ps1"], "utf8").equals(bytes));
      });
    }

    const stays: Record<string, string> = {
      "non-UTF-8 binary": Buffer.from([0xff, 0xfe, 0x57, 0x00, 0x80, 0x00]).toString("base64"),
      "a cut UTF-8 sequence": Buffer.from([0x61, 0xc3, 0x28]).toString("base64"),
      "an encoded surrogate (CESU-8)": Buffer.from([0xed, 0xa0, 0xbd, 0xed, 0xb8, 0x80]).toString("base64"),
      "an overlong encoding": Buffer.from([0xc0, 0xaf]).toString("base64"),
      "base64 without its padding": "YQ",
      "a UTF-16 script with a byte order mark": Buffer.from("\ufeffWrite-Host hi", "utf16le").toString("base64"),
      "text that is not base64": "Write-Host hi",
    };
    for (const [what, value] of Object.entries(stays)) {
      it(`leaves ${what} in place as it came`, () => {
        const result = normalizeObject(type, { id: "1", displayName: "K", scriptContent: value }, noIndex);
        assert.deepEqual(result.files, {});
        assert.equal(result.object.scriptContent, value);
      });
    }

    it("leaves an empty body alone", () => {
      const result = normalizeObject(type, { id: "1", displayName: "K", scriptContent: "" }, noIndex);
      assert.deepEqual(result.files, {});
      assert.equal(result.object.scriptContent, "");
    });
  });

  describe("references", () => {
    const type = widgetType({
      references: {
        "/includeGroups/*": { type: "entra.group", globals: ["All"] },
        "/scopeTags/*": { type: "intune.roleScopeTag", globals: ["0"] },
        "/filterId": { type: "intune.assignmentFilter", globals: [zeroGuid] },
        "/targets/*/target": { type: "entra.group", when: { targetType: "group" } },
      },
    });

    it("rewrites a known id as a $ref address beside the id", () => {
      const result = normalizeObject(type, { id: "1", displayName: "K", includeGroups: ["g-1", "g-2"] }, index);
      assert.deepEqual(result.object.includeGroups, [
        { $ref: 'entra.group["All staff"]', id: "g-1" },
        { $ref: 'entra.group["Pilot \\"ring 1\\""]', id: "g-2" },
      ]);
      assert.deepEqual(result.unresolved, []);
    });

    const globals: Record<string, JsonObject> = {
      '"All"': { includeGroups: ["All"] },
      'scope tag "0"': { scopeTags: ["0"] },
      "the zero GUID filter": { filterId: zeroGuid },
      "an empty value": { filterId: "" },
      "a null value": { filterId: null },
    };
    for (const [what, props] of Object.entries(globals)) {
      it(`leaves ${what} untouched and does not report it`, () => {
        const result = normalizeObject(type, { id: "1", displayName: "K", ...props }, index);
        assert.deepEqual(result.object, { id: "1", displayName: "K", ...props });
        assert.deepEqual(result.unresolved, []);
      });
    }

    it("treats a value as a reference only where the declared condition holds", () => {
      const raw: JsonObject = {
        id: "1",
        displayName: "K",
        targets: [
          { target: "g-1", targetType: "group" },
          { target: "AllUsers", targetType: "user" },
          { target: "u-1", targetType: "user" },
        ],
      };
      const result = normalizeObject(type, raw, index);
      assert.deepEqual(result.object.targets, [
        { target: { $ref: 'entra.group["All staff"]', id: "g-1" }, targetType: "group" },
        { target: "AllUsers", targetType: "user" },
        { target: "u-1", targetType: "user" },
      ]);
      assert.deepEqual(result.unresolved, []);
    });

    it("reports an id missing from the index and leaves it as it is: never a null $ref", () => {
      const result = normalizeObject(
        type,
        { id: "1", displayName: "K", includeGroups: ["g-1", "gone"], filterId: "f-9" },
        index,
      );
      assert.deepEqual(result.object.includeGroups, [{ $ref: 'entra.group["All staff"]', id: "g-1" }, "gone"]);
      assert.equal(result.object.filterId, "f-9");
      assert.deepEqual(result.unresolved, [
        { pointer: "/includeGroups/1", type: "entra.group", id: "gone" },
        { pointer: "/filterId", type: "intune.assignmentFilter", id: "f-9" },
      ]);
    });

    it("reports every id as unresolved when the referenced type is not in the index", () => {
      const result = normalizeObject(type, { id: "1", displayName: "K", scopeTags: ["0", "3"] }, noIndex);
      assert.deepEqual(result.unresolved, [{ pointer: "/scopeTags/1", type: "intune.roleScopeTag", id: "3" }]);
    });
  });

  describe("unordered arrays", () => {
    const type = widgetType({ unorderedArrays: ["/tags", "/rules/*/values"] });

    it("sorts them, and the result does not depend on the order Graph returned", () => {
      const one = normalizeObject(
        type,
        { id: "1", displayName: "K", tags: ["b", "a", "c"], rules: [{ values: [{ n: 2 }, { n: 1 }] }] },
        noIndex,
      );
      const two = normalizeObject(
        type,
        { id: "1", displayName: "K", tags: ["c", "b", "a"], rules: [{ values: [{ n: 1 }, { n: 2 }] }] },
        noIndex,
      );
      assert.deepEqual(one.object.tags, ["a", "b", "c"]);
      assert.deepEqual(one.object, two.object);
    });

    it("keeps the order of arrays not declared unordered", () => {
      const { object } = normalizeObject(type, { id: "1", displayName: "K", steps: ["b", "a"] }, noIndex);
      assert.deepEqual(object.steps, ["b", "a"]);
    });
  });

  describe("with the real declarations", () => {
    it("normalises an intune.deviceConfiguration: encrypted OMA strings masked, other OMA values and references kept", () => {
      const raw: JsonObject = {
        "@odata.context": "https://graph.microsoft.com/beta/$metadata#deviceManagement/deviceConfigurations/$entity",
        "@odata.type": "#microsoft.graph.windows10CustomConfiguration",
        id: "dc-1",
        createdDateTime: "2026-01-01T00:00:00Z",
        lastModifiedDateTime: "2026-01-02T00:00:00Z",
        version: 2,
        supportsScopeTags: true,
        displayName: "Custom OMA",
        description: "",
        roleScopeTagIds: ["3", "0"],
        omaSettings: [
          {
            "@odata.type": "#microsoft.graph.omaSettingString",
            displayName: "Wi-Fi key",
            omaUri: "./Vendor/MSFT/WiFi/Profile/x/WlanXml",
            isEncrypted: true,
            secretReferenceValueId: "dc-1_0",
            isReadOnly: false,
            value: "****",
          },
          {
            "@odata.type": "#microsoft.graph.omaSettingInteger",
            displayName: "Timeout",
            omaUri: "./Device/Vendor/MSFT/Policy/Config/DeviceLock/MaxInactivityTimeDeviceLock",
            isEncrypted: false,
            secretReferenceValueId: null,
            isReadOnly: false,
            value: 15,
          },
          {
            "@odata.type": "#microsoft.graph.omaSettingString",
            displayName: "Plain",
            omaUri: "./User/Vendor/x",
            isEncrypted: false,
            secretReferenceValueId: null,
            isReadOnly: false,
            value: "visible",
          },
        ],
        assignments: [
          {
            id: "as-1",
            source: "direct",
            sourceId: "dc-1",
            target: {
              "@odata.type": "#microsoft.graph.groupAssignmentTarget",
              groupId: "g-1",
              deviceAndAppManagementAssignmentFilterId: "f-1",
              deviceAndAppManagementAssignmentFilterType: "include",
            },
          },
          {
            id: "as-2",
            source: "direct",
            sourceId: "dc-1",
            target: {
              "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget",
              deviceAndAppManagementAssignmentFilterId: zeroGuid,
              deviceAndAppManagementAssignmentFilterType: "none",
            },
          },
        ],
      };
      const result = normalizeObject(getResourceType("intune.deviceConfiguration"), raw, index);
      assert.equal(result.id, "dc-1");
      assert.equal(result.name, "Custom OMA");
      assert.deepEqual(result.secrets, ["/omaSettings/0/value"]);
      assert.deepEqual(result.unresolved, []);
      assert.deepEqual(withoutNotes(result.object), {
        "@odata.type": "#microsoft.graph.windows10CustomConfiguration",
        displayName: "Custom OMA",
        description: "",
        roleScopeTagIds: ["0", { $ref: 'intune.roleScopeTag["Berlin"]', id: "3" }],
        omaSettings: [
          {
            "@odata.type": "#microsoft.graph.omaSettingString",
            displayName: "Wi-Fi key",
            omaUri: "./Vendor/MSFT/WiFi/Profile/x/WlanXml",
            isReadOnly: false,
            value: { $secret: "/omaSettings/0/value" },
          },
          {
            "@odata.type": "#microsoft.graph.omaSettingInteger",
            displayName: "Timeout",
            omaUri: "./Device/Vendor/MSFT/Policy/Config/DeviceLock/MaxInactivityTimeDeviceLock",
            isReadOnly: false,
            value: 15,
          },
          {
            "@odata.type": "#microsoft.graph.omaSettingString",
            displayName: "Plain",
            omaUri: "./User/Vendor/x",
            isReadOnly: false,
            value: "visible",
          },
        ],
        assignments: [
          {
            target: {
              "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget",
              deviceAndAppManagementAssignmentFilterId: zeroGuid,
              deviceAndAppManagementAssignmentFilterType: "none",
            },
          },
          {
            target: {
              "@odata.type": "#microsoft.graph.groupAssignmentTarget",
              groupId: { $ref: 'entra.group["All staff"]', id: "g-1" },
              deviceAndAppManagementAssignmentFilterId: {
                $ref: 'intune.assignmentFilter["Corporate devices"]',
                id: "f-1",
              },
              deviceAndAppManagementAssignmentFilterType: "include",
            },
          },
        ],
      });
    });

    it("moves a custom Apple profile's .mobileconfig payload into a file", () => {
      const xml = '<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0"><dict/></plist>\n';
      const raw: JsonObject = {
        "@odata.type": "#microsoft.graph.macOSCustomConfiguration",
        id: "dc-2",
        displayName: "Mac profile",
        payloadName: "p",
        payload: base64(xml),
      };
      const result = normalizeObject(getResourceType("intune.deviceConfiguration"), raw, index);
      assert.deepEqual(result.files, { ".mobileconfig": xml });
      assert.deepEqual(result.object.payload, { $file: ".mobileconfig" });
    });

    it("normalises an intune.compliancePolicy: scheduled actions without ids, references resolved, dangling group reported", () => {
      const raw: JsonObject = {
        "@odata.type": "#microsoft.graph.windows10CompliancePolicy",
        id: "cp-1",
        createdDateTime: "t",
        lastModifiedDateTime: "t",
        version: 3,
        displayName: "Windows baseline",
        passwordRequired: true,
        roleScopeTagIds: ["0"],
        "scheduledActionsForRule@odata.context": "x",
        scheduledActionsForRule: [
          {
            id: "sa-1",
            ruleName: "PasswordRequired",
            "scheduledActionConfigurations@odata.context": "y",
            scheduledActionConfigurations: [
              {
                id: "c-1",
                actionType: "block",
                gracePeriodHours: 0,
                notificationTemplateId: zeroGuid,
                notificationMessageCCList: [],
              },
              {
                id: "c-2",
                actionType: "notification",
                gracePeriodHours: 24,
                notificationTemplateId: "n-1",
                notificationMessageCCList: ["g-2"],
              },
            ],
          },
        ],
        assignments: [
          { id: "as-3", target: { "@odata.type": "#microsoft.graph.exclusionGroupAssignmentTarget", groupId: "gone" } },
        ],
      };
      const result = normalizeObject(getResourceType("intune.compliancePolicy"), raw, index);
      assert.deepEqual(result.object, {
        "@odata.type": "#microsoft.graph.windows10CompliancePolicy",
        displayName: "Windows baseline",
        passwordRequired: true,
        roleScopeTagIds: ["0"],
        scheduledActionsForRule: [
          {
            ruleName: "PasswordRequired",
            scheduledActionConfigurations: [
              {
                actionType: "block",
                gracePeriodHours: 0,
                notificationTemplateId: zeroGuid,
                notificationMessageCCList: [],
              },
              {
                actionType: "notification",
                gracePeriodHours: 24,
                notificationTemplateId: { $ref: 'intune.notificationMessageTemplate["Warn user"]', id: "n-1" },
                notificationMessageCCList: [{ $ref: 'entra.group["Pilot \\"ring 1\\""]', id: "g-2" }],
              },
            ],
          },
        ],
        assignments: [
          { target: { "@odata.type": "#microsoft.graph.exclusionGroupAssignmentTarget", groupId: "gone" } },
        ],
      });
      assert.deepEqual(
        result.unresolved.map(({ type, id }) => ({ type, id })),
        [{ type: "entra.group", id: "gone" }],
      );
    });

    it("normalises an intune.powerShellScript: the body becomes a .ps1 file", () => {
      const script = "# Install agent\r\nStart-Process msiexec -ArgumentList '/i agent.msi /qn'\r\n";
      const raw: JsonObject = {
        "@odata.type": "#microsoft.graph.deviceManagementScript",
        id: "ps-1",
        createdDateTime: "t",
        lastModifiedDateTime: "t",
        displayName: "Install agent",
        runAsAccount: "system",
        fileName: "install.ps1",
        scriptContent: base64(script),
        roleScopeTagIds: ["0"],
        assignments: [{ id: "a", target: { "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupId: "g-1" } }],
      };
      const result = normalizeObject(getResourceType("intune.powerShellScript"), raw, index);
      assert.deepEqual(result.files, { ".ps1": script });
      assert.deepEqual(result.object, {
        "@odata.type": "#microsoft.graph.deviceManagementScript",
        displayName: "Install agent",
        runAsAccount: "system",
        fileName: "install.ps1",
        scriptContent: { $file: ".ps1" },
        roleScopeTagIds: ["0"],
        assignments: [
          {
            target: {
              "@odata.type": "#microsoft.graph.groupAssignmentTarget",
              groupId: { $ref: 'entra.group["All staff"]', id: "g-1" },
            },
          },
        ],
      });
    });

    it("normalises the entra.crossTenantAccessPolicy singleton: stamps of /default and /partners dropped, only group targets resolved", () => {
      const usersAndGroups = (targets: JsonObject[]): JsonObject => ({
        usersAndGroups: { accessType: "allowed", targets },
      });
      const raw: JsonObject = {
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#policies/crossTenantAccessPolicy/$entity",
        id: "crossTenantAccessPolicy",
        displayName: "CrossTenantAccessPolicy",
        allowedCloudEndpoints: [],
        default: {
          isServiceDefault: false,
          b2bCollaborationInbound: usersAndGroups([
            { target: "AllUsers", targetType: "user" },
            { target: "g-1", targetType: "group" },
          ]),
          b2bDirectConnectOutbound: usersAndGroups([{ target: "u-1", targetType: "user" }]),
        },
        partners: [
          {
            "@odata.context": "x",
            tenantId: "11111111-2222-3333-4444-555555555555",
            isServiceDefault: false,
            inboundTrust: null,
            b2bCollaborationInbound: usersAndGroups([
              { target: "g-2", targetType: "group" },
              { target: "missing", targetType: "group" },
            ]),
          },
        ],
      };
      const result = normalizeObject(getResourceType("entra.crossTenantAccessPolicy"), raw, index);
      assert.equal(result.name, "Cross-tenant access policy");
      assert.equal(result.id, "crossTenantAccessPolicy");
      assert.deepEqual(result.object, {
        id: "crossTenantAccessPolicy",
        displayName: "CrossTenantAccessPolicy",
        allowedCloudEndpoints: [],
        default: {
          b2bCollaborationInbound: usersAndGroups([
            { target: "AllUsers", targetType: "user" },
            { target: { $ref: 'entra.group["All staff"]', id: "g-1" }, targetType: "group" },
          ]),
          b2bDirectConnectOutbound: usersAndGroups([{ target: "u-1", targetType: "user" }]),
        },
        partners: [
          {
            tenantId: "11111111-2222-3333-4444-555555555555",
            inboundTrust: null,
            b2bCollaborationInbound: usersAndGroups([
              { target: { $ref: 'entra.group["Pilot \\"ring 1\\""]', id: "g-2" }, targetType: "group" },
              { target: "missing", targetType: "group" },
            ]),
          },
        ],
      });
      assert.deepEqual(result.unresolved, [
        {
          pointer: "/partners/0/b2bCollaborationInbound/usersAndGroups/targets/1/target",
          type: "entra.group",
          id: "missing",
        },
      ]);
    });

    it("leaves the conditional access keywords All and AllTrusted untouched", () => {
      const raw: JsonObject = {
        id: "ca-1",
        displayName: "Block",
        conditions: { locations: { includeLocations: ["All"], excludeLocations: ["loc-1", "AllTrusted"] } },
      };
      const { object } = normalizeObject(getResourceType("entra.conditionalAccessPolicy"), raw, index);
      assert.deepEqual(object.conditions, {
        locations: {
          includeLocations: ["All"],
          excludeLocations: ["AllTrusted", { $ref: 'entra.namedLocation["Head office"]', id: "loc-1" }],
        },
      });
    });
  });

  describe("determinism", () => {
    const type = getResourceType("intune.deviceConfiguration");
    const raw = (): JsonObject => ({
      "@odata.type": "#microsoft.graph.windows10CustomConfiguration",
      id: "dc-1",
      displayName: "Custom OMA",
      roleScopeTagIds: ["3", "0"],
      omaSettings: [
        {
          "@odata.type": "#microsoft.graph.omaSettingString",
          omaUri: "./x",
          isEncrypted: true,
          secretReferenceValueId: "r",
          value: "****",
        },
      ],
      assignments: [
        { id: "a", target: { "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupId: "g-2" } },
        { id: "b", target: { "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupId: "g-1" } },
        { id: "c", target: { "@odata.type": "#microsoft.graph.allLicensedUsersAssignmentTarget" } },
      ],
    });

    it("gives identical results when the same input is normalised twice", () => {
      const input = raw();
      assert.deepEqual(normalizeObject(type, input, index), normalizeObject(type, input, index));
    });

    it("does not change its input", () => {
      const input = raw();
      const before = structuredClone(input);
      normalizeObject(type, input, index);
      assert.deepEqual(input, before);
    });

    it("gives the same object whatever order Graph returned unordered arrays in", () => {
      const reordered = raw();
      (reordered.roleScopeTagIds as JsonValue[]).reverse();
      (reordered.assignments as JsonValue[]).reverse();
      assert.deepEqual(normalizeObject(type, reordered, index).object, normalizeObject(type, raw(), index).object);
    });
  });
});
