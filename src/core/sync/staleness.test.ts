import assert from "node:assert/strict";
import { fingerprintOf } from "../snapshot/fingerprint";
import type { NormalizedObject } from "../snapshot/normalize";
import type { Change } from "./plan";
import { describeStale, findStaleObjects } from "./staleness";

function object(id: string, name: string, description: string): NormalizedObject {
  return {
    type: "intune.assignmentFilter",
    id,
    name,
    object: { displayName: name, description },
    files: {},
    secrets: [],
    unresolved: [],
  };
}

function update(o: NormalizedObject, action: Change["action"] = "update"): Change {
  return {
    address: `intune.assignmentFilter["${o.name}"]`,
    type: o.type,
    name: o.name,
    action,
    tenantId: o.id,
    fingerprint: fingerprintOf(o.object, o.files),
    fields: [],
  };
}

describe("findStaleObjects", () => {
  const a = object("1", "A", "as planned");
  const b = object("2", "B", "as planned");
  const changes: Change[] = [
    update(a),
    update(b, "delete"),
    {
      address: 'intune.assignmentFilter["C"]',
      type: "intune.assignmentFilter",
      name: "C",
      action: "create",
      fields: [],
    },
  ];

  it("finds nothing when the tenant is as planned", () => {
    assert.deepEqual(findStaleObjects(changes, [a, b]), []);
  });

  it("names objects changed, deleted, or created by someone else since the plan", () => {
    const stale = findStaleObjects(changes, [object("1", "A", "edited in the portal"), object("3", "C", "new")]);
    assert.deepEqual(stale, [
      { address: 'intune.assignmentFilter["A"]', reason: "changed" },
      { address: 'intune.assignmentFilter["B"]', reason: "deleted" },
      { address: 'intune.assignmentFilter["C"]', reason: "exists" },
    ]);
    assert.match(
      describeStale(stale),
      /intune\.assignmentFilter\["A"\] was changed; .*\["B"\] was deleted; .*\["C"\] exists now/,
    );
  });

  it("takes a create's name as free when the object holding it is one the plan renames", () => {
    const old = object("1", "A", "as planned");
    const rename: Change = { ...update(old), address: 'intune.assignmentFilter["B"]', name: "B" };
    const create: Change = {
      address: 'intune.assignmentFilter["A"]',
      type: "intune.assignmentFilter",
      name: "A",
      action: "create",
      fields: [],
    };
    assert.deepEqual(findStaleObjects([rename, create], [old]), []);
    assert.deepEqual(findStaleObjects([create], [old]), [
      { address: 'intune.assignmentFilter["A"]', reason: "exists" },
    ]);
  });

  it("exempts changes an earlier run of the same plan touched", () => {
    assert.deepEqual(
      findStaleObjects(
        changes,
        [object("1", "A", "changed by this deploy"), object("3", "C", "created by this deploy")],
        new Set([0, 1, 2]),
      ),
      [],
    );
  });
});
