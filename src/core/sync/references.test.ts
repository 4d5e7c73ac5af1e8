import assert from "node:assert/strict";
import { isSyncError } from "../errors";
import { getResourceType } from "../resources/registry";
import type { JsonObject } from "../snapshot/pointer";
import { type NameIndex, parseAddress, referencedAddresses, type ReferenceContext, toGraphBody } from "./references";

const names: NameIndex = new Map([
  ["entra.group", new Map([["All devices", "target-group-id"]])],
  ["intune.roleScopeTag", new Map([["EMEA", "7"]])],
  ["intune.notificationMessageTemplate", new Map([["Not compliant", "target-template-id"]])],
]);

function ctx(extra: Partial<ReferenceContext> = {}): ReferenceContext {
  return { address: 'x.y["z"]', mode: "create", names, ...extra };
}

const groupTarget = {
  "@odata.type": "#microsoft.graph.groupAssignmentTarget",
  groupId: { $ref: 'entra.group["All devices"]', id: "source-group-id" },
};

describe("toGraphBody", () => {
  const cases: Record<
    string,
    {
      type: string;
      object: JsonObject;
      files?: Record<string, string>;
      ctx?: Partial<ReferenceContext>;
      want: JsonObject;
    }
  > = {
    "maps references by name in the target tenant, never by the id carried from the source": {
      type: "intune.deviceConfiguration",
      object: {
        "@odata.type": "#microsoft.graph.windows10GeneralConfiguration",
        displayName: "P",
        roleScopeTagIds: ["0", { $ref: 'intune.roleScopeTag["EMEA"]', id: "1" }],
        assignments: [{ target: groupTarget }],
      },
      want: {
        "@odata.type": "#microsoft.graph.windows10GeneralConfiguration",
        displayName: "P",
        roleScopeTagIds: ["0", "7"],
      },
    },
    "turns a file placeholder into the base64 of the file": {
      type: "intune.powerShellScript",
      object: { displayName: "S", scriptContent: { $file: ".ps1" } },
      files: { ".ps1": "Write-Output 'hé'\n" },
      want: { displayName: "S", scriptContent: Buffer.from("Write-Output 'hé'\n").toString("base64") },
    },
    "deep-inserts what the service wants on create (compliance actions)": {
      type: "intune.compliancePolicy",
      object: {
        "@odata.type": "#microsoft.graph.windows10CompliancePolicy",
        displayName: "C",
        scheduledActionsForRule: [
          {
            ruleName: "R",
            scheduledActionConfigurations: [
              {
                actionType: "notification",
                notificationTemplateId: { $ref: 'intune.notificationMessageTemplate["Not compliant"]', id: "src" },
              },
            ],
          },
        ],
      },
      want: {
        "@odata.type": "#microsoft.graph.windows10CompliancePolicy",
        displayName: "C",
        scheduledActionsForRule: [
          {
            ruleName: "R",
            scheduledActionConfigurations: [
              { actionType: "notification", notificationTemplateId: "target-template-id" },
            ],
          },
        ],
      },
    },
    "leaves actions, create-only properties and assignments out of an update": {
      type: "intune.compliancePolicy",
      ctx: { mode: "update" },
      object: {
        "@odata.type": "#microsoft.graph.windows10CompliancePolicy",
        displayName: "C",
        scheduledActionsForRule: [],
        assignments: [],
      },
      want: { "@odata.type": "#microsoft.graph.windows10CompliancePolicy", displayName: "C" },
    },
    "drops create-only properties on update only": {
      type: "intune.assignmentFilter",
      ctx: { mode: "update" },
      object: { displayName: "F", platform: "iOS", rule: "r" },
      want: { displayName: "F", rule: "r" },
    },
    "keeps settings in the PUT body of a settings catalog policy, without assignments": {
      type: "intune.settingsCatalogPolicy",
      ctx: { mode: "update" },
      object: {
        name: "S",
        settings: [{ settingInstance: { settingDefinitionId: "d" } }],
        assignments: [{ target: groupTarget }],
      },
      want: { name: "S", settings: [{ settingInstance: { settingDefinitionId: "d" } }] },
    },
    "leaves sub-resources written apart out of the body (role assignments, app targeting)": {
      type: "intune.roleDefinition",
      object: {
        displayName: "R",
        roleAssignments: [{ displayName: "A", members: [{ $ref: 'entra.group["All devices"]' }] }],
      },
      want: { displayName: "R" },
    },
    "keeps the tenant's secret, with the siblings that keep it stored, on update": {
      type: "intune.deviceConfiguration",
      ctx: {
        mode: "update",
        raw: {
          omaSettings: [
            {
              "@odata.type": "#microsoft.graph.omaSettingString",
              omaUri: "./a",
              value: "********",
              isEncrypted: true,
              secretReferenceValueId: "ref-1",
            },
          ],
        },
      },
      object: {
        "@odata.type": "#microsoft.graph.windows10CustomConfiguration",
        omaSettings: [
          {
            "@odata.type": "#microsoft.graph.omaSettingString",
            omaUri: "./a",
            value: { $secret: "/omaSettings/0/value", note: "…" },
          },
        ],
      },
      want: {
        "@odata.type": "#microsoft.graph.windows10CustomConfiguration",
        omaSettings: [
          {
            "@odata.type": "#microsoft.graph.omaSettingString",
            omaUri: "./a",
            value: "********",
            isEncrypted: true,
            secretReferenceValueId: "ref-1",
          },
        ],
      },
    },
  };
  for (const [name, c] of Object.entries(cases)) {
    it(name, () =>
      assert.deepEqual(
        toGraphBody(getResourceType(c.type), { object: c.object, files: c.files ?? {} }, ctx(c.ctx)),
        c.want,
      ),
    );
  }

  const failures: Record<
    string,
    { object: JsonObject; ctx?: Partial<ReferenceContext>; message: RegExp; hint: RegExp }
  > = {
    "refuses a reference the target tenant cannot satisfy, naming it": {
      object: { assignments: [{ target: { groupId: { $ref: 'entra.group["Missing"]', id: "src" } } }] },
      message: /x\.y\["z"\] refers to entra\.group\["Missing"\], which does not exist in the target tenant/,
      hint: /Create entra\.group\["Missing"\] first/,
    },
    "refuses a reference to a name several objects carry": {
      object: { assignments: [{ target: { groupId: { $ref: 'entra.group["All devices"]' } } }] },
      ctx: { duplicateNames: new Map([["entra.group", new Set(["All devices"])]]) },
      message: /several objects of entra\.group carry that name/,
      hint: /Rename them/,
    },
    "refuses a reference that was already dangling in the source": {
      object: { roleScopeTagIds: [{ $ref: null, type: "intune.roleScopeTag", id: "9" }] },
      message: /refers to intune\.roleScopeTag with id 9, which was already missing/,
      hint: /Point the reference at an existing object/,
    },
    "says a secret must be supplied to create an object holding one": {
      object: { omaSettings: [{ value: { $secret: "/omaSettings/0/value" } }] },
      message: /holds a secret at \/omaSettings\/0\/value that is not stored in git/,
      hint: /Supply the secret/,
    },
  };
  for (const [name, c] of Object.entries(failures)) {
    it(name, () =>
      assert.throws(
        () => toGraphBody(getResourceType("intune.deviceConfiguration"), { object: c.object, files: {} }, ctx(c.ctx)),
        (e: unknown) => {
          assert.ok(isSyncError(e));
          assert.equal(e.code, "deploy.failed");
          assert.equal(e.detail.object, 'x.y["z"]');
          assert.match(e.message, c.message);
          assert.match(String(e.detail.hint), c.hint);
          return true;
        },
      ),
    );
  }

  it("sends a file's bytes exactly: BOM, CRLF, no final newline, characters beyond the BMP", () => {
    const text = "\ufeffWrite-Output 'a'\r\nexit 0 😀";
    const body = toGraphBody(
      getResourceType("intune.powerShellScript"),
      { object: { displayName: "S", scriptContent: { $file: ".ps1" } }, files: { ".ps1": text } },
      ctx(),
    );
    assert.ok(
      Buffer.from(body.scriptContent as string, "base64").equals(
        Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("Write-Output 'a'\r\nexit 0 😀")]),
      ),
    );
  });

  it("refuses a file whose text has no exact UTF-8 form (a lone surrogate) rather than sending other bytes", () => {
    for (const text of ["a\ud800b", "end\udc00"]) {
      assert.throws(
        () =>
          toGraphBody(
            getResourceType("intune.powerShellScript"),
            { object: { displayName: "S", scriptContent: { $file: ".ps1" } }, files: { ".ps1": text } },
            ctx(),
          ),
        (e: unknown) => {
          assert.ok(isSyncError(e));
          assert.equal(e.code, "deploy.failed");
          assert.match(e.message, /"\.ps1".*no exact UTF-8 form/);
          return true;
        },
      );
    }
  });
});

describe("references", () => {
  it("parses an address into type and name, names with brackets and quotes included", () => {
    assert.deepEqual(parseAddress('entra.group["A [b] \\"c\\""]'), { type: "entra.group", name: 'A [b] "c"' });
    assert.equal(parseAddress("entra.group[A]"), undefined);
  });

  it("lists every address an object refers to", () => {
    assert.deepEqual(
      [
        ...referencedAddresses({
          a: [{ $ref: 'entra.group["A"]', id: "1" }],
          b: { c: { $ref: 'intune.roleScopeTag["T"]' } },
          d: { $ref: null },
        }),
      ],
      ['entra.group["A"]', 'intune.roleScopeTag["T"]'],
    );
  });
});
