import assert from "node:assert/strict";
import { allResourceTypes } from "../resources/registry";
import type { JsonObject } from "../snapshot/pointer";
import { planItemWrites } from "./write-apart";
import { planAssignmentWrites } from "./write-assignments";
import { planDefinitionValueWrites } from "./group-policy-values";

describe("planItemWrites", () => {
  it("posts new items, patches changed ones by their id and deletes those no longer wanted", () => {
    const writes = planItemWrites(
      [
        { locale: "en-us", subject: "New subject", isDefault: true },
        { locale: "de-de", subject: "Betreff", isDefault: false },
      ],
      [
        { id: "m1", locale: "en-us", subject: "Old subject", isDefault: true },
        { id: "m2", locale: "fr-fr", subject: "Objet", isDefault: false },
      ],
      { kind: "items", key: "locale" },
    );
    assert.deepEqual(writes, {
      create: [{ locale: "de-de", subject: "Betreff", isDefault: false }],
      update: [{ urlId: "m1", body: { subject: "New subject", isDefault: true } }],
      remove: ["m2"],
      refused: [],
    });
  });

  it("leaves an item alone when the tenant already holds every wanted value", () => {
    const writes = planItemWrites(
      [{ locale: "en-us", subject: "S" }],
      [{ id: "m1", locale: "en-us", subject: "S", lastModifiedDateTime: "x" }],
      { kind: "items", key: "locale" },
    );
    assert.deepEqual(writes, { create: [], update: [], remove: [], refused: [] });
  });

  it("addresses items by another property when told (partners by tenantId)", () => {
    const writes = planItemWrites([], [{ tenantId: "t-1" }], { kind: "items", key: "tenantId", urlKey: "tenantId" });
    assert.deepEqual(writes.remove, ["t-1"]);
  });

  it("only updates a fixed set: a missing item is refused, an unwanted one kept", () => {
    const writes = planItemWrites(
      [
        { id: "Sms", state: "disabled" },
        { id: "Voice", state: "enabled" },
      ],
      [
        { id: "Sms", state: "enabled" },
        { id: "Fido2", state: "enabled" },
      ],
      { kind: "items", key: "id", verbs: ["update"] },
    );
    assert.deepEqual(writes, {
      create: [],
      update: [{ urlId: "Sms", body: { state: "disabled" } }],
      remove: [],
      refused: ['"Voice"'],
    });
  });
});

describe("planAssignmentWrites", () => {
  const target = (groupId: string) => ({ "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupId });
  it("adds missing assignments and removes unwanted ones by id, leaving equal ones", () => {
    const writes = planAssignmentWrites(
      [{ target: target("a") }, { target: target("b") }],
      [
        { id: "x_a", target: target("a"), source: "direct" },
        { id: "x_c", target: target("c") },
      ],
    );
    assert.deepEqual(writes, { add: [{ target: target("b") }], remove: ["x_c"] });
  });
});

describe("planDefinitionValueWrites", () => {
  const url = "https://graph.example/beta/deviceManagement/groupPolicyDefinitions";
  it("binds definitions and presentations by URL, updates values of known definitions and deletes the rest", () => {
    const wanted: JsonObject[] = [
      {
        enabled: true,
        definition: { id: "d1", displayName: "One" },
        presentationValues: [
          {
            "@odata.type": "#microsoft.graph.groupPolicyPresentationValueText",
            value: "0",
            presentation: { id: "p1", label: "L" },
          },
        ],
      },
      { enabled: false, definition: { id: "d3" }, presentationValues: [] },
    ];
    const writes = planDefinitionValueWrites(
      wanted,
      [
        { id: "v1", definitionId: "d1" },
        { id: "v2", definitionId: "d2" },
      ],
      url,
      "a",
    );
    assert.deepEqual(writes, {
      updated: [
        {
          enabled: true,
          "definition@odata.bind": `${url}('d1')`,
          presentationValues: [
            {
              "@odata.type": "#microsoft.graph.groupPolicyPresentationValueText",
              value: "0",
              "presentation@odata.bind": `${url}('d1')/presentations('p1')`,
            },
          ],
          id: "v1",
        },
      ],
      added: [{ enabled: false, "definition@odata.bind": `${url}('d3')`, presentationValues: [] }],
      deletedIds: ["v2"],
    });
  });
});

describe("writeApart declarations", () => {
  it("say how every sub-resource is written", () => {
    for (const type of allResourceTypes) {
      for (const sub of type.subResources ?? [])
        assert.ok(
          type.writeApart?.[sub.property],
          `${type.id}: writeApart has no entry for the sub-resource ${sub.property}`,
        );
    }
  });

  it("name only actions, paths and keys, never the main body's own properties twice", () => {
    for (const type of allResourceTypes) {
      for (const [property, write] of Object.entries(type.writeApart ?? {})) {
        assert.notEqual(property, "assignments", `${type.id}: assignments are declared by \`assignments\``);
        // A type updated with PATCH may deep-insert a property on create only if it is createOnly: a
        // plan changing it is then stopped (createOnlyChange) before deploy could try.
        if (write.kind === "inline" && type.update !== "PUT")
          assert.ok(
            type.createOnly?.includes(`/${property}`),
            `${type.id}: ${property} is inline but the type is updated with PATCH and ${property} is not createOnly`,
          );
      }
    }
  });
});
