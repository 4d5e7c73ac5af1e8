import assert from "node:assert/strict";
import { canonicalCompact, canonicalJson, sortKeysDeep } from "./canonical-json";
import type { JsonValue } from "./pointer";

describe("canonicalJson", () => {
  const cases: Record<string, { value: JsonValue; want: string }> = {
    "sorts the keys of an object": {
      value: { b: 1, a: 2, c: 3 },
      want: '{\n  "a": 2,\n  "b": 1,\n  "c": 3\n}\n',
    },
    "sorts keys by code point, upper case before lower case and @ before letters": {
      value: { b: 1, B: 2, "@odata.type": "#x", a: 3, _c: 4 },
      want: '{\n  "@odata.type": "#x",\n  "B": 2,\n  "_c": 4,\n  "a": 3,\n  "b": 1\n}\n',
    },
    "sorts the keys of nested objects": {
      value: { z: { y: 1, x: { w: 2, v: 3 } } },
      want: '{\n  "z": {\n    "x": {\n      "v": 3,\n      "w": 2\n    },\n    "y": 1\n  }\n}\n',
    },
    "sorts the keys of objects inside arrays, keeping the array order": {
      value: { list: [{ b: 1, a: 2 }, [{ d: 3, c: 4 }], "s"] },
      want: '{\n  "list": [\n    {\n      "a": 2,\n      "b": 1\n    },\n    [\n      {\n        "c": 4,\n        "d": 3\n      }\n    ],\n    "s"\n  ]\n}\n',
    },
    "writes scalars and null as JSON with a trailing newline": { value: null, want: "null\n" },
    "writes a string with its escapes": { value: 'say "hi"\n', want: '"say \\"hi\\"\\n"\n' },
    "writes empty containers on one line": { value: { a: [], b: {} }, want: '{\n  "a": [],\n  "b": {}\n}\n' },
    "keeps unicode as it is": {
      value: { name: "Richtlinie für Geräte ✓" },
      want: '{\n  "name": "Richtlinie für Geräte ✓"\n}\n',
    },
  };
  for (const [name, c] of Object.entries(cases)) {
    it(name, () => assert.equal(canonicalJson(c.value), c.want));
  }

  it("indents with two spaces and ends with exactly one newline", () => {
    const text = canonicalJson({ a: { b: [1] } });
    assert.ok(text.endsWith("}\n") && !text.endsWith("\n\n"));
    for (const line of text.split("\n").filter(Boolean)) assert.equal(line.match(/^ */)![0].length % 2, 0, line);
    assert.match(text, /^ {2}"a"/m);
    assert.match(text, /^ {4}"b"/m);
    assert.match(text, /^ {6}1$/m);
  });

  it("gives equal bytes for equal values built in a different insertion order", () => {
    const one: JsonValue = {
      displayName: "Baseline",
      settings: [{ name: "x", value: 1 }],
      nested: { b: true, a: null },
    };
    const two: JsonValue = {
      nested: { a: null, b: true },
      settings: [{ value: 1, name: "x" }],
      displayName: "Baseline",
    };
    assert.equal(canonicalJson(one), canonicalJson(two));
    assert.equal(canonicalCompact(one), canonicalCompact(two));
  });

  it("gives different bytes when an array's order differs", () => {
    assert.notEqual(canonicalJson({ a: [1, 2] }), canonicalJson({ a: [2, 1] }));
  });

  it("does not change the value it is given", () => {
    const value: JsonValue = { b: { d: 1, c: 2 }, a: [{ f: 1, e: 2 }] };
    const before = JSON.stringify(value);
    canonicalJson(value);
    assert.equal(JSON.stringify(value), before);
  });
});

describe("canonicalCompact", () => {
  it("writes sorted keys without whitespace or a trailing newline", () => {
    assert.equal(canonicalCompact({ b: [1, { d: 1, c: 2 }], a: "x" }), '{"a":"x","b":[1,{"c":2,"d":1}]}');
  });
});

describe("sortKeysDeep", () => {
  it("returns objects whose key order is sorted at every depth", () => {
    const sorted = sortKeysDeep({ b: { z: 1, y: 2 }, a: [{ q: 1, p: 2 }] }) as { [k: string]: JsonValue };
    assert.deepEqual(Object.keys(sorted), ["a", "b"]);
    assert.deepEqual(Object.keys(sorted.b as object), ["y", "z"]);
    assert.deepEqual(Object.keys((sorted.a as JsonValue[])[0] as object), ["p", "q"]);
  });
});
