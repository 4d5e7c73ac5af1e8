/**
 * contract — the engine's resource declarations and the Graph emulator's service model agree where
 * both state a fact about the service: every declared type is served at the same version and path;
 * every navigation property a declaration expands on a list is one the service expands on that
 * list, and every one it expands on GET by id is one the service expands there (and does not answer
 * empty); its $top is within the collection's page maximum; and no declaration reads per object
 * what the service would have sent with the list.
 */
import assert from "node:assert/strict";
import { listRulesOf, modelServing } from "../../emulators/graph/service-model";
import { allResourceTypes } from "../../src/core/resources/registry";
import { listExpansions, navigationOf as navOf, type ResourceType } from "../../src/core/resources/resource-type";

const modelOf = (type: ResourceType) => modelServing(type.version, type.collection);

function perObjectNavigations(type: ResourceType): string[] {
  const list = new Set(listExpansions(type).map(navOf));
  const byId = new Set(type.readById ? (type.expand ?? []).map(navOf) : []);
  return [
    ...(type.assignments?.read === "list" || type.assignments?.read === "expand" ? ["assignments"] : []),
    ...(type.subResources ?? []).map((s) => navOf(s.path)),
  ].filter((nav) => !list.has(nav) && !byId.has(nav));
}

describe("resource declarations and the Graph emulator's service model", () => {
  const collections = allResourceTypes.filter((t) => t.kind === "collection");

  it("serves every declared type at its declared version and path", () => {
    const missing = allResourceTypes.filter((t) => !modelOf(t)).map((t) => `${t.id} (${t.version}${t.collection})`);
    assert.deepEqual(missing, []);
  });

  it("expands on a list only what the service expands on that list", () => {
    for (const type of collections) {
      const rules = listRulesOf(modelOf(type)!);
      for (const expansion of listExpansions(type))
        assert.ok(
          rules.expand.includes(navOf(expansion)),
          `${type.id} expands '${navOf(expansion)}' on the list of ${type.collection}; the service expands only [${rules.expand.join(", ")}] there`,
        );
    }
  });

  it("expands on GET by id only what the service expands there, and never what it answers empty", () => {
    for (const type of collections) {
      const model = modelOf(type)!;
      const byId = [
        ...(type.readById ? (type.expand ?? []) : []),
        ...(type.assignments?.read === "expand" ? ["assignments"] : []),
      ].map(navOf);
      for (const nav of byId) {
        assert.ok(model.expand.includes(nav), `${type.id} expands '${nav}' by id; the service does not`);
        assert.ok(
          !model.expandEmptyById?.includes(nav),
          `${type.id} expands '${nav}' by id, where the service answers it empty`,
        );
      }
    }
  });

  it("asks for pages no larger than the collection serves", () => {
    for (const type of collections) {
      if (type.pageSize === undefined) continue;
      const rules = listRulesOf(modelOf(type)!);
      assert.ok(
        type.pageSize <= rules.maxPageSize,
        `${type.id} asks for $top=${type.pageSize}; ${type.collection} serves at most ${rules.maxPageSize}`,
      );
    }
  });

  it("reads nothing per object that the service would have sent with the list", () => {
    for (const type of collections) {
      if (type.readById) continue;
      const rules = listRulesOf(modelOf(type)!);
      const wasted = perObjectNavigations(type).filter((nav) => rules.expand.includes(nav));
      assert.deepEqual(wasted, [], `${type.id} reads per object what $expand on its list would return`);
    }
  });

  it("reads by id every type whose list leaves out properties the service returns only by id", () => {
    for (const type of collections) {
      const model = modelOf(type)!;
      if (model.onlyOnGetById.length === 0) continue;
      assert.ok(type.readById, `${type.id}: the list omits ${model.onlyOnGetById.join(", ")}; read it by id`);
    }
  });
});
