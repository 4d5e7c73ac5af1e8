import assert from "node:assert/strict";
import { getResourceType } from "../resources/registry";
import type { JsonValue } from "./pointer";
import {
  addressesOf,
  formatAddress,
  parseAddress,
  rawIdsToPlaceholders,
  type Reference,
  referencesOf,
} from "./reference";

describe("reference", () => {
  it("formats and parses addresses, the name JSON-quoted", () => {
    for (const name of ["All devices", 'A [b] "c"', "ümlaut/\\slash", ""]) {
      assert.deepEqual(parseAddress(formatAddress("entra.group", name)), { type: "entra.group", name });
    }
    for (const text of ["entra.group[A]", "Pilot", "entra.group[1]", 'Entra.group["A"]', 'entra.group["A"] '])
      assert.equal(parseAddress(text), undefined, text);
  });

  describe("referencesOf", () => {
    const ref = (name: string, id: string) => ({ $ref: formatAddress("entra.group", name), id });
    const cases: Record<
      string,
      { value: JsonValue | undefined; type?: Parameters<typeof getResourceType>[0]; want: Reference[] }
    > = {
      "finds nothing in undefined": { value: undefined, want: [] },
      "finds nothing in a value without references": { value: { displayName: "A", list: [1, "two", null] }, want: [] },
      "finds placeholders at any depth, with their pointers, in order": {
        value: {
          assignments: [{ target: { groupId: ref("A", "g-1") } }],
          roleScopeTagIds: [{ $ref: 'intune.roleScopeTag["Berlin"]', id: "3" }],
        },
        want: [
          {
            kind: "address",
            pointer: "/assignments/0/target/groupId",
            address: 'entra.group["A"]',
            target: { type: "entra.group", name: "A" },
            id: "g-1",
          },
          {
            kind: "address",
            pointer: "/roleScopeTagIds/0",
            address: 'intune.roleScopeTag["Berlin"]',
            target: { type: "intune.roleScopeTag", name: "Berlin" },
            id: "3",
          },
        ],
      },
      "keeps a hand-written reference that is not an address, without a target": {
        value: { a: { $ref: "entra.group[Pilot]" } },
        want: [{ kind: "address", pointer: "/a", address: "entra.group[Pilot]" }],
      },
      "reads the legacy form of a reference whose target was missing": {
        value: { groupId: { $ref: null, type: "entra.group", id: "g-404" } },
        want: [{ kind: "unresolved", pointer: "/groupId", type: "entra.group", id: "g-404" }],
      },
      "does not look inside a placeholder": {
        value: { $ref: 'entra.group["A"]', id: "g-1", nested: { $ref: 'entra.group["B"]' } },
        want: [
          {
            kind: "address",
            pointer: "",
            address: 'entra.group["A"]',
            target: { type: "entra.group", name: "A" },
            id: "g-1",
          },
        ],
      },
      "finds raw ids at the type's declared pointers, leaving out globals": {
        type: "intune.compliancePolicy",
        value: {
          roleScopeTagIds: ["0", "7"],
          assignments: [
            {
              target: {
                groupId: "g-9",
                deviceAndAppManagementAssignmentFilterId: "00000000-0000-0000-0000-000000000000",
              },
            },
            { target: { groupId: ref("A", "g-1") } },
          ],
        },
        want: [
          {
            kind: "address",
            pointer: "/assignments/1/target/groupId",
            address: 'entra.group["A"]',
            target: { type: "entra.group", name: "A" },
            id: "g-1",
          },
          ...[
            {
              kind: "rawId" as const,
              pointer: "/assignments/0/target/groupId",
              type: "entra.group" as const,
              id: "g-9",
            },
            { kind: "rawId" as const, pointer: "/roleScopeTagIds/1", type: "intune.roleScopeTag" as const, id: "7" },
          ],
        ],
      },
    };
    for (const [name, c] of Object.entries(cases)) {
      it(name, () => {
        const got = referencesOf(c.value, c.type ? getResourceType(c.type) : undefined);
        const order = (refs: Reference[]) =>
          [...refs].sort((a, b) => (a.kind + a.pointer < b.kind + b.pointer ? -1 : 1));
        assert.deepEqual(order(got), order(c.want));
      });
    }
  });

  it("lists the addresses an object refers to, once each", () => {
    assert.deepEqual(
      [
        ...addressesOf({
          a: [{ $ref: 'entra.group["A"]', id: "1" }],
          b: { $ref: 'entra.group["A"]' },
          d: { $ref: null },
        }),
      ],
      ['entra.group["A"]'],
    );
  });
});

describe("rawIdsToPlaceholders", () => {
  it("turns the raw ids the lookup knows into placeholders by address, leaving the others and the input as they were", () => {
    const object = {
      roleScopeTagIds: ["0", "7"],
      assignments: [{ target: { groupId: "repo-only" } }, { target: { groupId: "tenant-id" } }],
    };
    const copy = structuredClone(object);
    const out = rawIdsToPlaceholders(object, getResourceType("intune.compliancePolicy"), (type, id) =>
      type === "entra.group" && id === "repo-only" ? { name: "Pilot ring" } : undefined,
    );
    assert.deepEqual(out, {
      roleScopeTagIds: ["0", "7"],
      assignments: [
        { target: { groupId: { $ref: 'entra.group["Pilot ring"]', id: "repo-only" } } },
        { target: { groupId: "tenant-id" } },
      ],
    });
    assert.deepEqual(object, copy);
  });
});
