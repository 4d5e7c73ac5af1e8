/**
 * intune-intents — the local Graph answers security baselines and endpoint-security profiles (intents)
 * as the service does: Microsoft's templates are read-only and the same in every tenant, an intent is made
 * from one with createInstance and holds the template's settings, changed only with updateSettings; and
 * intune.intent goes through backup, plan and deploy: an edited setting reaches the tenant and a new
 * intent in the repository is created from its template.
 */
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { intent } from "../../src/core/resources/intune/intent";
import { allResourceTypes } from "../../src/core/resources/registry";
import { exportTenant } from "../../src/core/snapshot/export-tenant";
import type { NormalizedObject } from "../../src/core/snapshot/normalize";
import type { JsonObject } from "../../src/core/snapshot/pointer";
import type { SnapshotEntry } from "../../src/core/snapshot/snapshot";
import { deploy } from "../../src/core/sync/deploy";
import { makePlan } from "../../src/core/sync/make-plan";
import { pairObjects } from "../../src/core/sync/three-way";
import { createRequestOf } from "../../src/core/sync/write-context";
import { clientFor } from "../deploy/plan-builders";
import { type GraphSession, startGraphSession } from "./graph-session";

const dm = "/beta/deviceManagement";
const baseline = "034ccd46-190c-4afc-adf1-ad7cc11262eb";
const bitLocker = "d1174162-1dd2-4976-affc-6667049ab0ae";
const general = "deviceConfiguration--windows10GeneralConfiguration_";
const protection = "deviceConfiguration--windows10EndpointProtectionConfiguration_";
const signatureInterval = `${general}defenderSignatureUpdateIntervalInHours`;
const encryptDevice = `${protection}bitLockerEncryptDevice`;

interface Setting {
  "@odata.type": string;
  id: string;
  definitionId: string;
  valueJson: string;
  value?: unknown;
}

const valueOf = (settings: Setting[], definitionId: string) => settings.find((s) => s.definitionId === definitionId);

describe("Graph emulator: Intune intents (security baselines, endpoint security)", () => {
  let s: GraphSession;
  let groupId: string;
  before(async () => {
    s = await startGraphSession({ throttle: { mode: "off" } });
    groupId = (await s.call("GET", "/v1.0/groups?$filter=displayName eq 'Finance users'")).body.value[0].id;
  });
  after(async () => s?.t.emulator.stop());

  const settingsOf = async (id: string) =>
    (await s.call("GET", `${dm}/intents/${id}/settings`)).body.value as Setting[];

  it("serves Microsoft's templates, read-only, with their settings and how many intents use them", async () => {
    const list = await s.call("GET", `${dm}/templates`);
    assert.equal(list.status, 200);
    const t = list.body.value.find((x: { id: string }) => x.id === baseline);
    assert.equal(t["@odata.type"], "#microsoft.graph.securityBaselineTemplate");
    assert.equal(t.templateType, "securityBaseline");
    assert.equal(t.intentCount, 1, "the demo tenant's baseline");
    const settings = (await s.call("GET", `${dm}/templates/${baseline}/settings`)).body.value as Setting[];
    assert.deepEqual(valueOf(settings, signatureInterval), {
      "@odata.type": "#microsoft.graph.deviceManagementIntegerSettingInstance",
      id: "7dbc8ff3-f604-4b75-b5dd-15438d0fab7b",
      definitionId: signatureInterval,
      valueJson: "4",
      value: 4,
    });
    assert.equal((await s.call("GET", `${dm}/templates/00000000-0000-0000-0000-00000000beef`)).status, 404);
    assert.equal((await s.call("PATCH", `${dm}/templates/${baseline}`, { displayName: "Mine" })).status, 405);
    assert.equal((await s.call("GET", `/v1.0/deviceManagement/templates`)).status, 400);
  });

  it("creates an intent from a template: its defaults with the delta's values, the template's setting ids", async () => {
    const made = await s.call("POST", `${dm}/templates/${bitLocker}/createInstance`, {
      displayName: "Finance - BitLocker",
      description: "",
      roleScopeTagIds: ["0"],
      settingsDelta: [
        {
          "@odata.type": "#microsoft.graph.deviceManagementBooleanSettingInstance",
          definitionId: encryptDevice,
          valueJson: "true",
        },
      ],
    });
    assert.equal(made.status, 200);
    assert.equal(made.body.templateId, bitLocker);
    assert.equal(made.body.isAssigned, false);
    const settings = await settingsOf(made.body.id);
    const template = (await s.call("GET", `${dm}/templates/${bitLocker}/settings`)).body.value as Setting[];
    assert.deepEqual(
      settings.map((x) => x.id),
      template.map((x) => x.id),
    );
    assert.equal(valueOf(settings, encryptDevice)?.value, true);
    assert.equal(valueOf(settings, `${protection}bitLockerRecoveryPasswordRotation`)?.valueJson, '"notConfigured"');
  });

  it("refuses a setting the template lacks, a valueJson of the wrong kind, and an intent without its template", async () => {
    const create = (settingsDelta: unknown[]) =>
      s.call("POST", `${dm}/templates/${bitLocker}/createInstance`, { displayName: "Broken", settingsDelta });
    const foreign = await create([{ definitionId: signatureInterval, valueJson: "8" }]);
    assert.equal(foreign.status, 400);
    assert.match(foreign.body.error.message, /defenderSignatureUpdateIntervalInHours.*not a setting of template/);
    const unquoted = await create([
      { definitionId: `${protection}bitLockerRecoveryPasswordRotation`, valueJson: "enabledForAzureAd" },
    ]);
    assert.equal(unquoted.status, 400);
    assert.match(unquoted.body.error.message, /invalid ValueJson/);
    assert.equal((await s.call("POST", `${dm}/intents`, { displayName: "No template" })).status, 400);
    const byPost = await s.call("POST", `${dm}/intents`, { displayName: "From POST", templateId: baseline });
    assert.equal(byPost.status, 201);
    assert.equal(valueOf(await settingsOf(byPost.body.id), signatureInterval)?.value, 4);
  });

  it("changes the named settings with updateSettings, keeps the others, and marks an assigned intent", async () => {
    const demo = (await s.call("GET", `${dm}/intents?$filter=displayName eq 'Windows - Security baseline'`)).body
      .value[0];
    assert.equal(demo.isAssigned, true);
    const before = await settingsOf(demo.id);
    const changed = await s.call("POST", `${dm}/intents/${demo.id}/updateSettings`, {
      settings: [
        {
          "@odata.type": "#microsoft.graph.deviceManagementIntegerSettingInstance",
          definitionId: signatureInterval,
          valueJson: "6",
        },
      ],
    });
    assert.equal(changed.status, 204);
    const after = await settingsOf(demo.id);
    assert.equal(valueOf(after, signatureInterval)?.value, 6);
    assert.deepEqual(
      after.filter((x) => x.definitionId !== signatureInterval),
      before.filter((x) => x.definitionId !== signatureInterval),
    );
    assert.equal((await s.call("POST", `${dm}/intents/${demo.id}/updateSettings`, { settingsDelta: [] })).status, 400);
    const fresh = (await s.call("GET", `${dm}/intents?$filter=displayName eq 'From POST'`)).body.value[0];
    const target = { "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupId };
    assert.equal((await s.call("POST", `${dm}/intents/${fresh.id}/assign`, { assignments: [{ target }] })).status, 204);
    assert.equal((await s.call("GET", `${dm}/intents/${fresh.id}`)).body.isAssigned, true);
    const assignments = (await s.call("GET", `${dm}/intents/${fresh.id}/assignments`)).body.value;
    assert.deepEqual(assignments[0].target, target);
    assert.equal((await s.call("PATCH", `${dm}/intents/${fresh.id}`, { templateId: bitLocker })).status, 400);
  });
});

describe("intune.intent over the Graph emulator: backup, plan, deploy", () => {
  let s: GraphSession;
  before(async () => (s = await startGraphSession({ throttle: { mode: "off" } })));
  after(async () => s?.t.emulator.stop());

  const backup = async (): Promise<SnapshotEntry[]> => {
    const result = await exportTenant({ graph: clientFor(s.t.info), types: [intent], allTypes: allResourceTypes });
    assert.deepEqual(
      result.outcomes.map((o) => o.status),
      ["ok"],
    );
    return result.objects.map((o: NormalizedObject) => ({
      type: o.type,
      id: o.id,
      name: o.name,
      object: o.object,
      files: o.files,
    }));
  };
  const settingsIn = (o: JsonObject) => o.settings as unknown as Setting[];
  const planFor = (tenant: SnapshotEntry[], repo: SnapshotEntry[]) => {
    const { triples, problems } = pairObjects(intent.id, tenant, repo, tenant);
    assert.deepEqual(problems, []);
    return makePlan({
      triples,
      tenantId: s.t.info.tenantId,
      createdAt: new Date(0).toISOString(),
      conflictPolicy: "stop",
    }).plan;
  };

  it("backs up the settings without the service's ids and values, the template as a plain id", async () => {
    const [demo] = (await backup()).filter((o) => o.name === "Windows - Security baseline");
    assert.equal(demo.object.templateId, baseline);
    assert.equal(demo.object.isAssigned, undefined);
    const setting = valueOf(settingsIn(demo.object), signatureInterval)!;
    assert.deepEqual(Object.keys(setting).sort(), ["@odata.type", "definitionId", "valueJson"]);
    assert.equal(setting.valueJson, "2");
  });

  it("deploys an edited setting and creates a new intent from its template, then has nothing left to do", async () => {
    const tenant = await backup();
    const repo = structuredClone(tenant);
    const demo = repo.find((o) => o.name === "Windows - Security baseline")!;
    valueOf(settingsIn(demo.object), signatureInterval)!.valueJson = "8";
    const source = repo.find((o) => o.name === "Windows - BitLocker")!;
    const copy = structuredClone(source.object);
    copy.displayName = "Finance - BitLocker";
    valueOf(settingsIn(copy), `${protection}bitLockerRecoveryPasswordRotation`)!.valueJson = '"disabled"';
    repo.push({ type: intent.id, id: "", name: "Finance - BitLocker", object: copy, files: {} });

    const plan = planFor(tenant, repo);
    assert.deepEqual(plan.changes.map((c) => `${c.action} ${c.name}`).sort(), [
      "create Finance - BitLocker",
      "update Windows - Security baseline",
    ]);
    const journalPath = join(mkdtempSync(join(tmpdir(), "tenant-sync-intents-")), "plan.json.journal");
    const result = await deploy({ plan, graph: clientFor(s.t.info), confirm: [], journalPath });
    assert.equal(result.status, "succeeded", JSON.stringify(result.outcomes));

    const live = (await s.call("GET", `${dm}/intents`)).body.value as {
      id: string;
      displayName: string;
      templateId: string;
    }[];
    const edited = live.find((o) => o.displayName === "Windows - Security baseline")!;
    const editedSettings = (await s.call("GET", `${dm}/intents/${edited.id}/settings`)).body.value as Setting[];
    assert.equal(valueOf(editedSettings, signatureInterval)?.value, 8);
    const created = live.find((o) => o.displayName === "Finance - BitLocker")!;
    assert.equal(created.templateId, bitLocker);
    const createdSettings = (await s.call("GET", `${dm}/intents/${created.id}/settings`)).body.value as Setting[];
    assert.equal(valueOf(createdSettings, `${protection}bitLockerRecoveryPasswordRotation`)?.value, "disabled");
    assert.equal(valueOf(createdSettings, encryptDevice)?.value, true, "the source's changed default came along");
    const assigned = (await s.call("GET", `${dm}/intents/${created.id}/assignments`)).body.value;
    assert.equal(assigned.length, 1);

    const again = await backup();
    assert.deepEqual(
      planFor(
        again,
        repo.map((o) => ({ ...o, id: again.find((a) => a.name === o.name)!.id })),
      ).changes,
      [],
    );
  });
});

describe("createRequestOf", () => {
  it("posts an intent to its template's createInstance, the template id out of the body and settings renamed", () => {
    const object = { displayName: "X", templateId: baseline, settings: [] };
    assert.deepEqual(createRequestOf(intent, object, object, 'intune.intent["X"]'), {
      path: `/deviceManagement/templates/${baseline}/createInstance`,
      body: { displayName: "X", settingsDelta: [] },
    });
  });

  it("says which property is missing when the path cannot be filled", () => {
    assert.throws(
      () => createRequestOf(intent, { displayName: "X" }, { displayName: "X" }, 'intune.intent["X"]'),
      /no templateId/,
    );
  });
});
