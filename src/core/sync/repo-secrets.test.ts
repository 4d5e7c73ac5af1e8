import assert from "node:assert/strict";
import type { JsonObject, JsonValue } from "../snapshot/pointer";
import type { SnapshotEntry } from "../snapshot/snapshot";
import { diffObjects } from "./diff";
import { renderMarkdown, renderText } from "./render-plan";
import {
  carryRecordedHashes,
  equaliseSecrets,
  maskRepoEntry,
  recordDeployedHashes,
  redactSecretValues,
  secretHash,
  stripRecordedHashes,
} from "./repo-secrets";
import { classify } from "./three-way";

const file = "intune.deviceConfiguration/Custom.json";
const placeholder = { $secret: "/omaSettings/0/value", note: "Secret value of … not stored in git." };

function profile(value: JsonValue, setting: JsonObject = {}): SnapshotEntry {
  return {
    type: "intune.deviceConfiguration",
    id: "dc-1",
    name: "Custom",
    file: "Custom",
    files: {},
    object: {
      "@odata.type": "#microsoft.graph.windows10CustomConfiguration",
      displayName: "Custom",
      omaSettings: [
        {
          "@odata.type": "#microsoft.graph.omaSettingString",
          displayName: "Proxy",
          omaUri: "./Vendor/x",
          value,
          ...setting,
        },
      ],
    },
  };
}
const valueOf = (e: SnapshotEntry | undefined) => (e?.object.omaSettings as JsonObject[])[0].value;

describe("repo-secrets", () => {
  describe("maskRepoEntry", () => {
    const cases: { name: string; value: JsonValue; setting?: JsonObject; masked: boolean }[] = [
      { name: "an OMA string without isEncrypted (as a person writes it)", value: "clear", masked: true },
      { name: "an OMA string with isEncrypted: true", value: "clear", setting: { isEncrypted: true }, masked: true },
      {
        name: "an OMA string with the @odata.type without '#'",
        value: "clear",
        setting: { "@odata.type": "microsoft.graph.omaSettingString" },
        masked: true,
      },
      {
        name: "an OMA string marked isEncrypted: false (a plain value)",
        value: "visible",
        setting: { isEncrypted: false },
        masked: false,
      },
      {
        name: "an OMA integer",
        value: 5,
        setting: { "@odata.type": "#microsoft.graph.omaSettingInteger" },
        masked: false,
      },
      { name: "the tenant's placeholder", value: placeholder, masked: false },
      { name: "an empty value", value: "", masked: false },
      { name: "null", value: null, masked: false },
    ];
    for (const c of cases) {
      it(`${c.masked ? "replaces" : "keeps"} ${c.name}`, () => {
        const entry = profile(c.value, c.setting);
        const out = maskRepoEntry(entry);
        if (!c.masked) return assert.deepEqual(valueOf(out), c.value);
        assert.deepEqual(valueOf(out), { $secret: "/omaSettings/0/value", sha256: secretHash(c.value), file });
        assert.ok(!JSON.stringify(out).includes('"clear"'), "no clear value left");
        assert.equal(valueOf(entry), c.value, "the entry read from the files is left alone");
      });
    }
  });

  describe("the three sides", () => {
    const tenant = profile(placeholder);
    const deployed = (value: string) => ({ ...placeholder, sha256: secretHash(value) });
    it("is the same when the repository's value is the one base recorded as deployed", () => {
      const t = equaliseSecrets({ base: profile(deployed("clear")), repo: maskRepoEntry(profile("clear")), tenant });
      assert.equal(classify(t), "same");
      assert.deepEqual(valueOf(t.base), placeholder, "base compared without its recorded hash");
    });
    it("is a repo change shown as a secret reference when the value differs from the recorded one", () => {
      const t = equaliseSecrets({
        base: profile(deployed("clear")),
        repo: maskRepoEntry(profile("new value")),
        tenant,
      });
      assert.equal(classify(t), "repoChanged");
      const fields = diffObjects(t.tenant, t.repo);
      assert.deepEqual(
        fields.map((f) => f.path),
        ["/omaSettings/0/value"],
      );
      assert.ok(!JSON.stringify(fields).includes("new value"));
    });
    it("is a repo change when base recorded nothing (the value was never deployed)", () => {
      assert.equal(
        classify(equaliseSecrets({ base: tenant, repo: maskRepoEntry(profile("clear")), tenant })),
        "repoChanged",
      );
    });
    it("is drift, not a conflict, when the tenant changed another setting of an object whose secret is deployed", () => {
      const changed = { ...tenant, object: { ...tenant.object, description: "portal" } };
      assert.equal(
        classify(
          equaliseSecrets({ base: profile(deployed("clear")), repo: maskRepoEntry(profile("clear")), tenant: changed }),
        ),
        "drift",
      );
    });
    it("does not take a recorded hash for another setting at the same place", () => {
      const other = { omaUri: "./Vendor/other" };
      const t = equaliseSecrets({
        base: profile(deployed("clear"), other),
        repo: maskRepoEntry(profile("clear")),
        tenant: profile(placeholder, other),
      });
      assert.equal(classify(t), "repoChanged");
      assert.equal(
        (valueOf(t.repo) as JsonObject).sha256,
        secretHash("clear"),
        "still the repository's value, planned with the move",
      );
    });
  });

  describe("base's recorded hashes", () => {
    it("records the deployed hash beside the tenant's placeholder, and strips it again", () => {
      const after = maskRepoEntry(profile("clear"));
      const recorded = recordDeployedHashes(profile(placeholder), after);
      assert.equal((valueOf(recorded) as JsonObject).sha256, secretHash("clear"));
      assert.deepEqual(valueOf(stripRecordedHashes(recorded)), placeholder);
    });
    it("carries a recorded hash to the tenant's next version while it shows the same setting's placeholder, and not otherwise", () => {
      const old = profile({ ...placeholder, sha256: "ab".repeat(32) });
      assert.equal((valueOf(carryRecordedHashes(old, profile(placeholder))) as JsonObject).sha256, "ab".repeat(32));
      assert.deepEqual(
        valueOf(carryRecordedHashes(old, profile(placeholder, { omaUri: "./Vendor/other" }))),
        placeholder,
      );
      assert.equal(
        valueOf(carryRecordedHashes(old, profile(5, { "@odata.type": "#microsoft.graph.omaSettingInteger" }))),
        5,
      );
    });
  });

  it('renders a secret reference as "(secret changed)" and the tenant\'s placeholder as "(secret)", alone or inside a list', () => {
    const ref = { $secret: "/omaSettings/0/value", sha256: secretHash("clear"), file };
    const plan = {
      formatVersion: 1 as const,
      tenantId: "t",
      createdAt: "2026-01-01T00:00:00Z",
      conflicts: [],
      findings: [],
      tenantCounts: {},
      counts: {},
      changes: [
        {
          address: 'intune.deviceConfiguration["Custom"]',
          type: "intune.deviceConfiguration" as const,
          name: "Custom",
          action: "update" as const,
          fields: [
            { path: "/omaSettings/0/value", before: placeholder, after: ref },
            {
              path: "/omaSettings",
              before: [{ displayName: "Proxy", value: placeholder }],
              after: [
                { displayName: "Proxy", value: ref },
                { displayName: "Token", value: ref },
              ],
            },
          ],
        },
      ],
    };
    const text = renderText(plan);
    assert.match(text, /\/omaSettings\/0\/value: \(secret\) → \(secret changed\)/);
    assert.match(text, /\/omaSettings: \[\{"displayName":"Proxy","value":"\(secret\)"\}\] → \(secret changed\) \[/);
    const rows = renderMarkdown(plan)
      .split("\n")
      .filter((l) => l.includes("`/omaSettings"));
    assert.equal(rows.length, 2);
    assert.ok(
      rows.every((r) => /\| \(secret changed\)/.test(r)),
      rows.join("\n"),
    );
  });

  it("redacts the values read for deploy from a message", () => {
    assert.equal(
      redactSecretValues("Graph refused value 'p@ss\nword' for x", new Map([["k", "p@ss\nword"]])),
      "Graph refused value '***' for x",
    );
  });
});
