import assert from "node:assert/strict";
import type { JsonObject, JsonValue } from "../snapshot/pointer";
import { comparable, diffObjects, sameObject } from "./diff";
import type { FieldChange, PlannedObject } from "./plan";

const planned = (object: JsonObject, files: Record<string, string> = {}): PlannedObject => ({ object, files });
const allStaff = (id: string): JsonObject => ({ $ref: 'entra.group["All staff"]', id });
const pilot = (id: string): JsonObject => ({ $ref: 'entra.group["Pilot"]', id });
/** A secret placeholder as normalize writes it: its note names the object, so it changes with a rename. */
const secret = (pointer: string, objectName = "Kiosk"): JsonObject => ({
  $secret: pointer,
  note: `Secret value of intune.deviceConfiguration["${objectName}"] at ${pointer}: not stored in git.`,
});

describe("comparable", () => {
  const cases: Record<string, { value: JsonValue; want: JsonValue }> = {
    "reduces a resolved reference to its address": {
      value: allStaff("g-1"),
      want: { $ref: 'entra.group["All staff"]' },
    },
    "keeps an unresolved reference whole, so it compares by type and id": {
      value: { $ref: null, type: "entra.group", id: "g-9" },
      want: { $ref: null, type: "entra.group", id: "g-9" },
    },
    "reduces references inside arrays and nested objects": {
      value: {
        assignments: [{ target: { groupId: allStaff("g-1"), filterType: "none" } }],
        roleScopeTagIds: [{ $ref: 'intune.roleScopeTag["Berlin"]', id: "3" }, "0"],
      },
      want: {
        assignments: [{ target: { groupId: { $ref: 'entra.group["All staff"]' }, filterType: "none" } }],
        roleScopeTagIds: [{ $ref: 'intune.roleScopeTag["Berlin"]' }, "0"],
      },
    },
    "leaves values without references as they are": {
      value: { displayName: "Windows baseline", passwordMinimumLength: 8, flags: [true, null], nested: { a: "b" } },
      want: { displayName: "Windows baseline", passwordMinimumLength: 8, flags: [true, null], nested: { a: "b" } },
    },
    "reduces a $secret placeholder to its pointer, dropping the note": {
      value: { omaSettings: [{ value: secret("/omaSettings/0/value") }] },
      want: { omaSettings: [{ value: { $secret: "/omaSettings/0/value" } }] },
    },
    "leaves a scalar as it is": { value: "text", want: "text" },
  };
  for (const [name, c] of Object.entries(cases)) {
    it(name, () => assert.deepEqual(comparable(c.value), c.want));
  }

  it("does not change the value it is given", () => {
    const value: JsonObject = { groupId: allStaff("g-1") };
    comparable(value);
    assert.deepEqual(value, { groupId: allStaff("g-1") });
  });
});

describe("sameObject", () => {
  const cases: Record<string, { a?: PlannedObject; b?: PlannedObject; want: boolean }> = {
    "treats two absent objects as the same": { want: true },
    "tells an absent object from an existing one": { a: planned({ displayName: "A" }), want: false },
    "tells an existing object from an absent one": { b: planned({ displayName: "A" }), want: false },
    "compares references by address, not by the tenant id beside them": {
      a: planned({ groupId: allStaff("g-1") }),
      b: planned({ groupId: allStaff("g-2") }),
      want: true,
    },
    "tells references to different addresses apart": {
      a: planned({ groupId: allStaff("g-1") }),
      b: planned({ groupId: pilot("g-1") }),
      want: false,
    },
    "ignores the order of keys": {
      a: planned({ displayName: "A", description: "d" }),
      b: planned({ description: "d", displayName: "A" }),
      want: true,
    },
    "treats the order of array items as meaningful": {
      a: planned({ roleScopeTagIds: ["0", "1"] }),
      b: planned({ roleScopeTagIds: ["1", "0"] }),
      want: false,
    },
    "ignores the note of a $secret placeholder, which names the object": {
      a: planned({ value: secret("/omaSettings/0/value", "Kiosk") }),
      b: planned({ value: secret("/omaSettings/0/value", "Kiosk renamed") }),
      want: true,
    },
    "tells $secret placeholders of different pointers apart": {
      a: planned({ value: secret("/omaSettings/0/value") }),
      b: planned({ value: secret("/omaSettings/1/value") }),
      want: false,
    },
    "tells a $secret placeholder from a plain value": {
      a: planned({ value: secret("/omaSettings/0/value") }),
      b: planned({ value: "clear text" }),
      want: false,
    },
    "tells a missing property from a null one": { a: planned({ description: null }), b: planned({}), want: false },
    "tells objects whose files differ apart": {
      a: planned({ displayName: "S" }, { ".ps1": "Write-Output 1\n" }),
      b: planned({ displayName: "S" }, { ".ps1": "Write-Output 2\n" }),
      want: false,
    },
    "tells an object with a file from one without": {
      a: planned({ displayName: "S" }, { ".ps1": "x" }),
      b: planned({ displayName: "S" }),
      want: false,
    },
  };
  for (const [name, c] of Object.entries(cases)) {
    it(name, () => assert.equal(sameObject(c.a, c.b), c.want));
  }
});

describe("diffObjects", () => {
  const cases: Record<string, { before?: PlannedObject; after?: PlannedObject; want: FieldChange[] }> = {
    "finds nothing between equal objects": {
      before: planned({ displayName: "A", list: [1, 2] }),
      after: planned({ list: [1, 2], displayName: "A" }),
      want: [],
    },
    "finds nothing between two absent objects": { want: [] },
    "reports a changed scalar with before and after": {
      before: planned({ passwordMinimumLength: 8 }),
      after: planned({ passwordMinimumLength: 12 }),
      want: [{ path: "/passwordMinimumLength", before: 8, after: 12 }],
    },
    "reports changes in nested objects at their own path": {
      before: planned({ settings: { lock: { minutes: 5, enabled: true } } }),
      after: planned({ settings: { lock: { minutes: 10, enabled: true } } }),
      want: [{ path: "/settings/lock/minutes", before: 5, after: 10 }],
    },
    "lists changes in key order": {
      before: planned({ b: 1, a: 1, c: 1 }),
      after: planned({ c: 2, b: 2, a: 2 }),
      want: [
        { path: "/a", before: 1, after: 2 },
        { path: "/b", before: 1, after: 2 },
        { path: "/c", before: 1, after: 2 },
      ],
    },
    "diffs arrays of equal length item by item": {
      before: planned({ roleScopeTagIds: ["0", "1", "2"] }),
      after: planned({ roleScopeTagIds: ["0", "5", "2"] }),
      want: [{ path: "/roleScopeTagIds/1", before: "1", after: "5" }],
    },
    "diffs objects inside arrays of equal length property by property": {
      before: planned({ assignments: [{ target: { groupId: allStaff("g-1"), filterType: "none" } }] }),
      after: planned({ assignments: [{ target: { groupId: allStaff("g-1"), filterType: "include" } }] }),
      want: [{ path: "/assignments/0/target/filterType", before: "none", after: "include" }],
    },
    "reports arrays of different length as one change": {
      before: planned({ roleScopeTagIds: ["0"] }),
      after: planned({ roleScopeTagIds: ["0", "1"] }),
      want: [{ path: "/roleScopeTagIds", before: ["0"], after: ["0", "1"] }],
    },
    "reports an emptied array as one change": {
      before: planned({ assignments: [{ target: { groupId: allStaff("g-1") } }] }),
      after: planned({ assignments: [] }),
      want: [{ path: "/assignments", before: [{ target: { groupId: allStaff("g-1") } }], after: [] }],
    },
    "reports an added property with only after": {
      before: planned({ displayName: "A" }),
      after: planned({ displayName: "A", description: "new" }),
      want: [{ path: "/description", after: "new" }],
    },
    "reports a removed property with only before": {
      before: planned({ displayName: "A", description: "old" }),
      after: planned({ displayName: "A" }),
      want: [{ path: "/description", before: "old" }],
    },
    "reports a property added with the value null": {
      before: planned({}),
      after: planned({ description: null }),
      want: [{ path: "/description", after: null }],
    },
    "reports a property whose value became null": {
      before: planned({ description: "old" }),
      after: planned({ description: null }),
      want: [{ path: "/description", before: "old", after: null }],
    },
    "reports an added nested object whole, with only after": {
      before: planned({}),
      after: planned({ settings: { a: 1 } }),
      want: [{ path: "/settings", after: { a: 1 } }],
    },
    "reports a value that changed kind as one change": {
      before: planned({ value: "text" }),
      after: planned({ value: { nested: true } }),
      want: [{ path: "/value", before: "text", after: { nested: true } }],
    },
    "finds nothing when a reference names the same address with another tenant's id": {
      before: planned({ assignments: [{ target: { groupId: allStaff("g-1") } }] }),
      after: planned({ assignments: [{ target: { groupId: allStaff("g-77") } }] }),
      want: [],
    },
    "reports a reference to another address at the reference's path, with both references whole": {
      before: planned({ assignments: [{ target: { groupId: allStaff("g-1") } }] }),
      after: planned({ assignments: [{ target: { groupId: pilot("g-2") } }] }),
      want: [{ path: "/assignments/0/target/groupId", before: allStaff("g-1"), after: pilot("g-2") }],
    },
    "reports a reference replaced by a plain value as one change": {
      before: planned({ groupId: allStaff("g-1") }),
      after: planned({ groupId: "g-1" }),
      want: [{ path: "/groupId", before: allStaff("g-1"), after: "g-1" }],
    },
    "reports a resolved reference that became unresolved": {
      before: planned({ groupId: allStaff("g-1") }),
      after: planned({ groupId: { $ref: null, type: "entra.group", id: "g-1" } }),
      want: [{ path: "/groupId", before: allStaff("g-1"), after: { $ref: null, type: "entra.group", id: "g-1" } }],
    },
    "finds nothing when only the note of a $secret placeholder differs": {
      before: planned({ omaSettings: [{ value: secret("/omaSettings/0/value", "Kiosk") }] }),
      after: planned({ omaSettings: [{ value: secret("/omaSettings/0/value", "Kiosk renamed") }] }),
      want: [],
    },
    "reports a $secret placeholder replaced by a value as one change at the setting's path": {
      before: planned({ omaSettings: [{ value: secret("/omaSettings/0/value") }] }),
      after: planned({ omaSettings: [{ value: "clear text" }] }),
      want: [{ path: "/omaSettings/0/value", before: secret("/omaSettings/0/value"), after: "clear text" }],
    },
    "escapes / in keys as ~1": {
      before: planned({ "a/b": 1 }),
      after: planned({ "a/b": 2 }),
      want: [{ path: "/a~1b", before: 1, after: 2 }],
    },
    "escapes ~ in keys as ~0, before escaping /": {
      before: planned({ "~1": 1, "x~/y": { z: 1 } }),
      after: planned({ "~1": 2, "x~/y": { z: 2 } }),
      want: [
        { path: "/x~0~1y/z", before: 1, after: 2 },
        { path: "/~01", before: 1, after: 2 },
      ],
    },
    "reports a changed file as /$files/<suffix>": {
      before: planned({ displayName: "S" }, { ".ps1": "Write-Output 1\n" }),
      after: planned({ displayName: "S" }, { ".ps1": "Write-Output 2\n" }),
      want: [{ path: "/$files/.ps1", before: "Write-Output 1\n", after: "Write-Output 2\n" }],
    },
    "reports an added file with only after and a removed file with only before, after the object's fields": {
      before: planned({ displayName: "S", description: "a" }, { ".remediation.ps1": "fix" }),
      after: planned({ displayName: "S", description: "b" }, { ".detection.ps1": "detect" }),
      want: [
        { path: "/description", before: "a", after: "b" },
        { path: "/$files/.detection.ps1", after: "detect" },
        { path: "/$files/.remediation.ps1", before: "fix" },
      ],
    },
    "escapes / in a file suffix": {
      before: planned({}, { "a/b": "1" }),
      after: planned({}, { "a/b": "2" }),
      want: [{ path: "/$files/a~1b", before: "1", after: "2" }],
    },
    "describes a new object as one change at the root, with its files": {
      after: planned({ displayName: "S" }, { ".ps1": "x" }),
      want: [
        { path: "", after: { displayName: "S" } },
        { path: "/$files/.ps1", after: "x" },
      ],
    },
    "describes a removed object as one change at the root, with its files": {
      before: planned({ displayName: "S" }, { ".ps1": "x" }),
      want: [
        { path: "", before: { displayName: "S" } },
        { path: "/$files/.ps1", before: "x" },
      ],
    },
  };
  for (const [name, c] of Object.entries(cases)) {
    it(name, () => assert.deepEqual(diffObjects(c.before, c.after), c.want));
  }
});
