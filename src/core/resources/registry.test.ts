import assert from "node:assert/strict";
import { allResourceTypes, applyOrder, getResourceType, resourceTypeIds } from "./registry";
import { defineResourceType, type ReferenceSpec, type ResourceType, type ResourceTypeId } from "./resource-type";

// The emulator's copies of the published specification (spec/graph, copied from the published sources), so the test needs nothing
// outside this repository at run time.
const entities = require("../../../spec/graph/entities.json") as {
  resources: Record<string, { version: string; list: string; nameProp: string }>;
};
const permissions = require("../../../spec/graph/permissions.json") as { appRoleIds: Record<string, unknown> };

/**
 * Types whose collection is not a whole `list` of entities.json, with the entry it belongs to: that
 * entry's list describes more than one path.
 */
const collectionExceptions: Record<string, string> = {
  // "/deviceAppManagement/managedAppPolicies (read); per-platform collections (write)"
  "intune.appProtectionPolicy": "managedAppProtection",
  // "/policies/crossTenantAccessPolicy (+/default, /partners)"
  "entra.crossTenantAccessPolicy": "crossTenantAccessPolicy",
};

function entityEntryOf(type: ResourceType): [string, { version: string; list: string; nameProp: string }] | undefined {
  const exception = collectionExceptions[type.id];
  if (exception) {
    const entry = entities.resources[exception];
    return entry && entry.list.toLowerCase().startsWith(`${type.collection.toLowerCase()} `)
      ? [exception, entry]
      : undefined;
  }
  return Object.entries(entities.resources).find(([, r]) => r.list.toLowerCase() === type.collection.toLowerCase());
}

function references(): [ResourceType, string, ReferenceSpec][] {
  return allResourceTypes.flatMap((type) =>
    Object.entries(type.references ?? {}).map(([path, spec]): [ResourceType, string, ReferenceSpec] => [
      type,
      path,
      spec,
    ]),
  );
}

function indexOf(order: ResourceType[], id: ResourceTypeId): number {
  const i = order.findIndex((type) => type.id === id);
  assert.ok(i >= 0, `${id} is missing from the apply order`);
  return i;
}

function fakeType(id: ResourceTypeId, refersTo: ResourceTypeId[]): ResourceType {
  return defineResourceType({
    id,
    title: id,
    version: "beta",
    collection: `/${id}`,
    kind: "collection",
    naturalKey: "displayName",
    serverManaged: [],
    update: "PATCH",
    references: Object.fromEntries(refersTo.map((target, i) => [`/ref${i}`, { type: target }])),
    permissions: { read: [], write: [] },
  });
}

describe("resource registry", () => {
  it("declares one resource type per entry of the published resource table", () => {
    assert.equal(allResourceTypes.length, Object.keys(entities.resources).length);
    assert.deepEqual(
      [...resourceTypeIds],
      allResourceTypes.map((type) => type.id),
    );
  });

  it("gives every type a unique id", () => {
    const seen = new Set<string>();
    for (const id of resourceTypeIds) {
      assert.ok(!seen.has(id), `${id} is declared twice`);
      seen.add(id);
    }
  });

  it("names every type <workload>.<singularCamelCase>", () => {
    for (const { id } of allResourceTypes) assert.match(id, /^(entra|intune)\.[a-z][A-Za-z0-9]*$/);
  });

  it("freezes every declaration and the list itself", () => {
    assert.ok(Object.isFrozen(allResourceTypes));
    for (const type of allResourceTypes) assert.ok(Object.isFrozen(type), `${type.id} is not frozen`);
  });

  it("reads every collection from a list path of entities.json, one type per entry", () => {
    const used = new Map<string, string>();
    for (const type of allResourceTypes) {
      const entry = entityEntryOf(type);
      assert.ok(entry, `${type.id}: collection ${type.collection} is no list path of entities.json`);
      assert.ok(
        !used.has(entry[0]),
        `${type.id} and ${used.get(entry[0])} both claim entities.json resource ${entry[0]}`,
      );
      used.set(entry[0], type.id);
    }
    assert.equal(used.size, Object.keys(entities.resources).length);
  });

  it("calls the Graph version and names objects by the property entities.json gives", () => {
    for (const type of allResourceTypes) {
      const [key, entry] = entityEntryOf(type)!;
      assert.equal(type.version, entry.version, `${type.id} (${key})`);
      if (type.kind === "collection")
        assert.equal(type.naturalKey, entry.nameProp.split(" ")[0], `${type.id} (${key})`);
    }
  });

  it("resolves every reference to a declared type", () => {
    for (const [type, path, spec] of references()) {
      assert.doesNotThrow(() => getResourceType(spec.type), `${type.id} ${path} refers to ${spec.type}`);
    }
  });

  it("marks as conditional only secrets it declares", () => {
    for (const type of allResourceTypes) {
      for (const path of Object.keys(type.secretWhen ?? {}))
        assert.ok(type.secrets?.includes(path), `${type.id}: secretWhen ${path} is not in secrets`);
    }
  });

  it("asks only for permissions Microsoft Graph has", () => {
    const known = new Set(Object.keys(permissions.appRoleIds));
    for (const type of allResourceTypes) {
      assert.ok(type.permissions.read.length > 0, `${type.id} declares no read permissions`);
      // A backup-only type is never written, so deploy asks for nothing on its behalf.
      if (type.writes?.allowed === "none")
        assert.deepEqual(type.permissions.write, [], `${type.id} is backup-only but asks for write permissions`);
      else assert.ok(type.permissions.write.length > 0, `${type.id} declares no write permissions`);
      for (const name of [...type.permissions.read, ...type.permissions.write])
        assert.ok(known.has(name), `${type.id}: "${name}" is no Graph permission`);
    }
  });

  it("keeps app registrations' credentials out of snapshots and writes only the registrations the pipeline owns", () => {
    const app = getResourceType("entra.application");
    for (const p of ["/passwordCredentials", "/keyCredentials", "/tokenEncryptionKeyId"])
      assert.ok(app.serverManaged.includes(p), `entra.application must leave ${p} to the service`);
    // Application.ReadWrite.All would let a plan change (or delete) the pipeline's own registration.
    const all = allResourceTypes.flatMap((t) => t.permissions.write);
    assert.ok(!all.includes("Application.ReadWrite.All"));
    assert.deepEqual(app.permissions.write, ["Application.ReadWrite.OwnedBy"]);
  });

  it("returns a declaration by id and names the valid ids for an unknown one", () => {
    assert.equal(getResourceType("intune.compliancePolicy").collection, "/deviceManagement/deviceCompliancePolicies");
    assert.throws(
      () => getResourceType("intune.nope"),
      (e: Error) => e.message.includes('"intune.nope"') && e.message.includes("entra.group"),
    );
  });
});

describe("applyOrder", () => {
  it("orders all declared types without finding a cycle", () => {
    const order = applyOrder(allResourceTypes);
    assert.equal(order.length, allResourceTypes.length);
    for (const [type, path, spec] of references()) {
      if (spec.type === type.id) continue;
      assert.ok(
        indexOf(order, spec.type) < indexOf(order, type.id),
        `${spec.type} must come before ${type.id} (${path})`,
      );
    }
  });

  it("applies groups before compliance policies, filters before settings catalog, locations before conditional access", () => {
    const order = applyOrder(allResourceTypes);
    assert.ok(indexOf(order, "entra.group") < indexOf(order, "intune.compliancePolicy"));
    assert.ok(indexOf(order, "intune.assignmentFilter") < indexOf(order, "intune.settingsCatalogPolicy"));
    assert.ok(indexOf(order, "entra.namedLocation") < indexOf(order, "entra.conditionalAccessPolicy"));
  });

  it("orders a subset, ignoring references to types outside it", () => {
    const order = applyOrder([getResourceType("intune.compliancePolicy"), getResourceType("intune.roleScopeTag")]);
    assert.deepEqual(
      order.map((type) => type.id),
      ["intune.roleScopeTag", "intune.compliancePolicy"],
    );
  });

  it("ignores a type's references to itself", () => {
    assert.deepEqual(
      applyOrder([fakeType("intune.a", ["intune.a"])]).map((type) => type.id),
      ["intune.a"],
    );
  });

  it("names the cycle when references go round", () => {
    const types = [
      fakeType("intune.a", ["intune.b"]),
      fakeType("intune.b", ["intune.c"]),
      fakeType("intune.c", ["intune.a"]),
    ];
    assert.throws(() => applyOrder(types), /intune\.a → intune\.b → intune\.c → intune\.a/);
  });
});
