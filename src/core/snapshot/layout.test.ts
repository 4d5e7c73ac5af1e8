import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { isSyncError } from "../errors";
import { allResourceTypes } from "../resources/registry";
import { assertDistinctFiles, foldKey, freeFileName, objectPath, placeObjects, safeFileName } from "./layout";

const windowsDevice = /^(con|prn|aux|nul|conin\$|conout\$|com[0-9¹²³]|lpt[0-9¹²³])\s*$/i;
const unsafeCharacter = /[\u0000-\u001f\u007f<>:"/\\|?*]/; // eslint-disable-line no-control-regex -- the characters a name must not hold
const isWellFormed = (s: string) => Buffer.from(s, "utf8").toString("utf8") === s;

describe("safeFileName", () => {
  const cases: Record<string, { name: string; want: string }> = {
    "keeps an ordinary name as it is": { name: "Windows baseline", want: "Windows baseline" },
    "replaces a forward slash": { name: "Baseline/Windows", want: "Baseline_Windows" },
    "replaces a backslash": { name: "Baseline\\Windows", want: "Baseline_Windows" },
    "replaces a drive letter's colon and separator": { name: "C:\\temp", want: "C__temp" },
    "replaces every character Windows refuses": { name: 'x<>:"|?*y', want: "x_______y" },
    "turns '..' into a harmless name": { name: "..", want: "_" },
    "turns '.' into a harmless name": { name: ".", want: "_" },
    "leaves no separator in a path-traversal name": { name: "../../etc/passwd", want: "_.._etc_passwd" },
    "replaces control characters": { name: "a\u0000b\u001fc\u007fd", want: "a_b_c_d" },
    "replaces a newline and a tab rather than keeping them as spaces": {
      name: "line1\nline2\tend",
      want: "line1_line2_end",
    },
    "collapses runs of spaces": { name: "a   b \u00a0 c", want: "a b c" },
    "marks CON as not a device name": { name: "CON", want: "CON_" },
    "marks lower-case con": { name: "con", want: "con_" },
    "marks AUX and PRN": { name: "AUX", want: "AUX_" },
    "marks COM1": { name: "Com1", want: "Com1_" },
    "marks a device name with an extension before its first dot": { name: "nul.txt", want: "nul_.txt" },
    "marks a device name with several extensions": { name: "LPT9.tar.gz", want: "LPT9_.tar.gz" },
    "marks a device name with a superscript digit": { name: "COM\u00b9", want: "COM\u00b9_" },
    "marks the console device names": { name: "CONIN$", want: "CONIN$_" },
    "marks a device name followed by spaces before its extension": { name: "nul .txt", want: "nul _.txt" },
    "leaves a name that only starts like a device name": { name: "Console policy", want: "Console policy" },
    "leaves a device name followed by other text": { name: "con-policy", want: "con-policy" },
    "drops trailing dots": { name: "Baseline...", want: "Baseline" },
    "drops trailing spaces and dots mixed": { name: "Baseline . . ", want: "Baseline" },
    "drops leading dots, so no hidden files": { name: ".hidden", want: "hidden" },
    "drops surrounding spaces": { name: "  padded  ", want: "padded" },
    "names an empty name '_'": { name: "", want: "_" },
    "names a blank name '_'": { name: "   ", want: "_" },
    "names a name of tabs and newlines '_'": { name: "\t\n", want: "_" },
    "keeps accented letters": { name: "Richtlinie für Geräte", want: "Richtlinie für Geräte" },
    "keeps CJK characters": { name: "设备合规策略", want: "设备合规策略" },
    "keeps emoji": { name: "🔒 Lockdown", want: "🔒 Lockdown" },
    "composes decomposed accents (NFC), so equal-looking names are equal": { name: "Cafe\u0301", want: "Caf\u00e9" },
    "replaces the suffix separator '~', so no name looks suffixed": {
      name: "Policy~0123abcd",
      want: "Policy_0123abcd",
    },
    "replaces a fullwidth tilde, which NFKC turns into '~'": { name: "a\uff5eb", want: "a_b" },
    "cuts a very long name to 100 characters": { name: "a".repeat(250), want: "a".repeat(100) },
    "does not end a cut name with a space": { name: `${"a".repeat(99)} bcd`, want: "a".repeat(99) },
    "does not end a cut name with a dot": { name: `${"a".repeat(99)}.bcd`, want: "a".repeat(99) },
    "does not cut an emoji in half": { name: `${"a".repeat(99)}😀b`, want: "a".repeat(99) },
  };
  for (const [name, c] of Object.entries(cases)) {
    it(name, () => assert.equal(safeFileName(c.name), c.want));
  }

  const nasty = [
    "",
    " ",
    ".",
    "..",
    "...",
    "../..",
    "/",
    "\\",
    "a/../../b",
    "CON",
    "con.json",
    "nul.txt",
    "COM9.x",
    "lpt1 ",
    "aux.",
    "\u0000",
    "\r\n",
    "COM³",
    "conout$.log",
    "aux .x",
    "x".repeat(1000),
    `${"x".repeat(99)}.`,
    `${"é".repeat(99)}😀`,
    "😀".repeat(80),
    "策".repeat(150),
    `${"a".repeat(98)} .b`,
    "name\u200b",
    "a:b",
    "a|b",
    "?*",
    '"quoted"',
  ];

  it("always gives a usable name: not empty, at most 100 characters, no unsafe character, no device name", () => {
    for (const name of nasty) {
      const safe = safeFileName(name);
      const shown = JSON.stringify(name).slice(0, 40);
      assert.ok(safe.length > 0, `${shown} gave an empty name`);
      assert.ok(safe.length <= 100, `${shown} gave ${safe.length} characters`);
      assert.doesNotMatch(safe, unsafeCharacter, shown);
      assert.doesNotMatch(safe, /^[.\s]|[.\s]$/, `${shown} gave ${JSON.stringify(safe)}`);
      assert.doesNotMatch(safe.split(".")[0], windowsDevice, `${shown} gave ${JSON.stringify(safe)}`);
      assert.ok(isWellFormed(safe), `${shown} gave a broken surrogate pair`);
    }
  });

  it("fits the 255-byte file name limit together with a ~hash and the longest file suffix", () => {
    for (const name of nasty) {
      const longest = `${safeFileName(name)}~0123abcd.remediation.ps1`;
      assert.ok(
        Buffer.byteLength(longest, "utf8") <= 255,
        `${JSON.stringify(name).slice(0, 40)} gives ${Buffer.byteLength(longest, "utf8")} bytes`,
      );
    }
  });

  it("gives the same name every time", () => {
    for (const name of nasty) assert.equal(safeFileName(name), safeFileName(name));
  });
});

describe("placeObjects", () => {
  const files = (objects: { id: string; name: string }[]) => placeObjects(objects).map((p) => p.file);

  it("keeps unique names unchanged, in input order", () => {
    assert.deepEqual(
      files([
        { id: "1", name: "Beta" },
        { id: "2", name: "Alpha" },
        { id: "3", name: "a/b" },
      ]),
      ["Beta", "Alpha", "a_b"],
    );
  });

  it("returns each object's id and name beside its file", () => {
    assert.deepEqual(placeObjects([{ id: "1", name: "x/y" }]), [{ id: "1", name: "x/y", file: "x_y" }]);
  });

  const duplicates: Record<string, [string, string]> = {
    "names that differ only in case": ["Baseline", "BASELINE"],
    "identical names": ["Baseline", "Baseline"],
    "names that become equal once made safe": ["a/b", "a\\b"],
    "names equal once trailing dots are dropped": ["Baseline.", "baseline"],
  };
  for (const [what, [first, second]] of Object.entries(duplicates)) {
    it(`gives both of two ${what} a ~hash suffix, and different files`, () => {
      const [a, b] = files([
        { id: "id-1", name: first },
        { id: "id-2", name: second },
      ]);
      assert.match(a, new RegExp(`^${escape(safeFileName(first))}~[0-9a-f]{8}$`));
      assert.match(b, new RegExp(`^${escape(safeFileName(second))}~[0-9a-f]{8}$`));
      assert.notEqual(a.toLowerCase(), b.toLowerCase());
    });
  }

  it("leaves an object with a unique name alone when others collide", () => {
    assert.equal(
      files([
        { id: "1", name: "A" },
        { id: "2", name: "a" },
        { id: "3", name: "B" },
      ])[2],
      "B",
    );
  });

  it("gives a duplicate the same file whatever other duplicates are present and in whatever order", () => {
    const mine = { id: "5f0c-aa", name: "Baseline" };
    const runs = [
      [mine, { id: "x-1", name: "baseline" }],
      [{ id: "x-2", name: "BASELINE" }, { id: "x-3", name: "Baseline" }, mine],
      [{ id: "x-1", name: "baseline" }, mine, { id: "x-4", name: "Other" }, { id: "x-5", name: "baseline" }],
    ];
    const placed = runs.map((objects) => placeObjects(objects).find((p) => p.id === mine.id)!.file);
    assert.equal(new Set(placed).size, 1, placed.join(", "));
  });

  it("derives the suffix from the id, so the same id gives the same file", () => {
    const one = placeObjects([
      { id: "same", name: "X" },
      { id: "other", name: "x" },
    ]);
    const two = placeObjects([
      { id: "third", name: "x" },
      { id: "same", name: "X" },
    ]);
    assert.equal(one[0].file, two[1].file);
  });

  it("tells duplicates apart by name when they have no id", () => {
    const [a, b] = files([
      { id: "", name: "Draft" },
      { id: "", name: "DRAFT" },
    ]);
    assert.notEqual(a.toLowerCase(), b.toLowerCase());
  });

  it("never gives two objects the same file, ignoring case", () => {
    const names = ["A", "a", "A.", "a/b", "a_b", "CON", "con_", "x", "X", "", " ", "."];
    const placed = files(names.map((name, i) => ({ id: `id-${i}`, name })));
    assert.equal(new Set(placed.map((f) => f.toLowerCase())).size, names.length, placed.join(" | "));
  });
});

describe("foldKey", () => {
  const twins: Record<string, string[]> = {
    case: ["Baseline", "BASELINE", "baseline"],
    "full case folding (ß and SS)": ["Straße", "STRASSE", "strasse"],
    "the Kelvin sign": ["\u212aelvin", "Kelvin"],
    "the Turkish i's": ["İstanbul", "Istanbul", "istanbul", "ıstanbul"],
    "composed and decomposed accents": ["Caf\u00e9", "Cafe\u0301", "CAFÉ"],
    "compatibility forms (NFKC)": ["ＡＢＣ", "ABC", "abc"],
    ligatures: ["ﬁle", "file", "FILE"],
    "invisible characters": ["zero\u200bwidth", "zerowidth", "zero\u00adwidth"],
    "Windows' trailing dots and spaces": ["name.json", "name.json.", "name.json "],
    "characters a safe name replaces": ["a_b", "a\uff0fb", "a\uff1ab"],
  };
  for (const [what, names] of Object.entries(twins)) {
    it(`gives names equal up to ${what} one key`, () =>
      assert.equal(new Set(names.map(foldKey)).size, 1, names.map(foldKey).join(" | ")));
  }

  it("tells apart names no file system equates", () => {
    const names = ["a", "b", "ab", "a b", "a~b", "a-b", "é", "e", "设备", "😀"];
    assert.equal(new Set(names.map(foldKey)).size, names.length);
  });

  it("never yields the suffix separator for a safe name, whatever character it holds", () => {
    // Planes 0-2 hold every character with a compatibility or case mapping; plane 14 the tags and selectors.
    for (let c = 0; c < 0xe0200; c = c === 0x2ffff ? 0xe0000 : c + 1) {
      if (c >= 0xd800 && c < 0xe000) continue;
      const character = String.fromCodePoint(c);
      assert.ok(!foldKey(safeFileName(`a${character}b`)).includes("~"), `U+${c.toString(16)}`);
    }
  });
});

describe("placeObjects, collision-free by construction", () => {
  const files = (objects: { id: string; name: string }[], suffixes: string[] = []) =>
    placeObjects(objects, suffixes).map((p) => p.file);
  const distinct = (placed: string[]) => new Set(placed.map(foldKey)).size === placed.length;

  it("keeps an ordinary name's file as it was (no ~, no twin): the name made safe", () => {
    const names = [
      "Windows baseline",
      "Finance",
      "iOS - Protect company data",
      "Richtlinie für Geräte",
      "a/b",
      "CON",
      "v1.2",
      "(draft) #3",
      "设备合规策略",
    ];
    assert.deepEqual(files(names.map((name, i) => ({ id: `id-${i}`, name }))), names.map(safeFileName));
  });

  it("keeps case twins' files as before: the safe name and 8 hex of sha256(id)", () => {
    assert.deepEqual(
      files([
        { id: "id-1", name: "Baseline" },
        { id: "id-2", name: "baseline" },
      ]),
      [`Baseline~${sha8("id-1")}`, `baseline~${sha8("id-2")}`],
    );
  });

  it("does not let an object named like another's suffixed file take that file", () => {
    const x = { id: "id-x", name: "X" };
    const suffixed = `X~${sha8("id-x")}`;
    const placed = files([
      x,
      { id: "id-y", name: "x" },
      { id: "id-z", name: suffixed },
      { id: "id-w", name: suffixed.toUpperCase() },
    ]);
    assert.equal(placed[0], suffixed, "X keeps its file");
    assert.ok(distinct(placed), placed.join(" | "));
  });

  it("tells apart twins whose suffixes would be equal: the same id twice, or hand-written objects without ids", () => {
    const cases = [
      [
        { id: "same", name: "A" },
        { id: "same", name: "a" },
      ],
      [
        { id: "", name: "Draft" },
        { id: "", name: "Draft" },
        { id: "", name: "DRAFT" },
      ],
      [
        { id: "same", name: "Draft" },
        { id: "same", name: "Draft" },
        { id: "same", name: "Draft" },
      ],
    ];
    for (const objects of cases) {
      const placed = files(objects);
      assert.ok(distinct(placed), placed.join(" | "));
      assert.deepEqual(files([...objects].reverse()).sort(), [...placed].sort(), "the same files in any order");
    }
  });

  it("never gives two objects files that share a fold key, for any mix of tricky names", () => {
    const parts = [
      "a",
      "A",
      "ß",
      "SS",
      "ss",
      "\u212a",
      "k",
      "İ",
      "ı",
      "i",
      "~",
      "～",
      "_",
      "/",
      ":",
      ".",
      " ",
      "\u200b",
      "ﬁ",
      "fi",
      "é",
      "e\u0301",
      "con",
      "CON",
      "~0123abcd",
    ];
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let round = 0; round < 200; round++) {
      const objects = Array.from({ length: 12 }, (_, i) => ({
        id: random() < 0.2 ? "" : `id-${Math.floor(random() * 6)}`,
        name:
          Array.from({ length: 1 + Math.floor(random() * 3) }, () => parts[Math.floor(random() * parts.length)]).join(
            "",
          ) + (i % 3 === 0 ? `~${sha8(`id-${i}`)}` : ""),
      }));
      const placed = files(objects, [".detection.ps1", ".remediation.ps1"]);
      assert.equal(placed.length, objects.length);
      assert.ok(distinct(placed), `round ${round}: ${placed.join(" | ")}`);
    }
  });

  it("keeps the attached files of objects named 'X', 'X.ps1' and 'X.detection' apart from each other's files", () => {
    for (const type of allResourceTypes.filter((t) => t.files?.length)) {
      const suffixes = type.files!.map((f) => f.suffix);
      const names = [
        "X",
        ...suffixes.flatMap((s) => [`X${s}`, `X${s.split(".").slice(0, -1).join(".")}`, `x${s.toUpperCase()}`]),
      ];
      const placed = placeObjects(
        names.map((name, i) => ({ id: `id-${i}`, name })),
        suffixes,
      );
      const all = placed.flatMap((p) => [".json", ...suffixes].map((s) => foldKey(`${p.file}${s}`)));
      assert.equal(new Set(all).size, all.length, `${type.id}: ${placed.map((p) => p.file).join(" | ")}`);
    }
  });

  it("declares attached suffixes that can never make one object's file another's (none ends in .json or another suffix)", () => {
    for (const type of allResourceTypes) {
      const suffixes = (type.files ?? []).map((f) => foldKey(f.suffix));
      for (const s of suffixes) {
        assert.ok(!s.endsWith(".json") && s.startsWith("."), `${type.id}: ${s}`);
        for (const other of suffixes)
          if (other !== s) assert.ok(!other.endsWith(s), `${type.id}: ${other} ends with ${s}`);
      }
    }
  });

  it("fits a lengthened, numbered suffix and the longest attached suffix in 255 bytes", () => {
    const longest = `${safeFileName("é".repeat(300))}~${"0".repeat(16)}-99.remediation.ps1`;
    assert.ok(Buffer.byteLength(longest) <= 255, `${Buffer.byteLength(longest)} bytes`);
  });
});

describe("assertDistinctFiles", () => {
  it("throws snapshot.collision naming both objects when two would share a file", () => {
    assert.throws(
      () =>
        assertDistinctFiles([
          { id: "1", name: "One", file: "Same" },
          { id: "2", name: "Two", file: "SAME" },
        ]),
      (e: unknown) => {
        assert.ok(isSyncError(e));
        assert.equal(e.code, "snapshot.collision");
        assert.match(e.message, /"One".*"Two".*SAME\.json/);
        return true;
      },
    );
  });

  it("throws when one object's attached file is another's", () => {
    assert.throws(
      () =>
        assertDistinctFiles(
          [
            { id: "1", name: "A", file: "X.ps1" },
            { id: "2", name: "B", file: "X" },
          ],
          [".ps1", ".ps1.json"],
        ),
      /share the file/,
    );
  });
});

describe("freeFileName", () => {
  const entry = { id: "id-new", name: "Fix" };

  it("uses the plain safe name in a folder where nothing shares its fold key", () => {
    assert.equal(freeFileName(entry, ["Other.json", "Other.ps1", "Fix.ps1.json"], [".ps1"]), "Fix");
  });

  const taken: Record<string, string[]> = {
    "a JSON file of another object": ["Fix.json"],
    "a case twin's JSON file": ["FIX.json"],
    "a hand-named attached file with no JSON": ["fix.ps1"],
    "a compatibility twin": ["Ｆｉｘ.json"],
    "a file Windows would see as the same (trailing dot)": ["Fix.json."],
  };
  for (const [what, existing] of Object.entries(taken)) {
    it(`steps aside for ${what}`, () => {
      const file = freeFileName(entry, existing, [".ps1"]);
      assert.equal(file, `Fix~${sha8("id-new")}`);
      const keys = new Set(existing.map(foldKey));
      for (const suffix of [".json", ".ps1"]) assert.ok(!keys.has(foldKey(`${file}${suffix}`)));
    });
  }

  it("keeps the object's own file name while no other file shares its fold key", () => {
    assert.equal(freeFileName(entry, ["Other.json"], [".ps1"], "fix-by-hand"), "fix-by-hand");
    assert.equal(freeFileName(entry, ["FIX-BY-HAND.ps1"], [".ps1"], "fix-by-hand"), "Fix");
  });

  it("lengthens and then numbers the suffix when hand-named files take those too", () => {
    const first = `Fix~${sha8("id-new")}`;
    const second = freeFileName(entry, ["Fix.json", `${first}.json`], [".ps1"]);
    assert.match(second, /^Fix~[0-9a-f]{16}$/);
    const third = freeFileName(entry, ["Fix.json", `${first}.json`, `${second}.ps1`], [".ps1"]);
    assert.equal(third, `${second}-2`);
  });
});

describe("objectPath", () => {
  const cases: Record<string, { args: Parameters<typeof objectPath>; want: string }> = {
    "puts an object's JSON file in its type folder": {
      args: ["intune.compliancePolicy", "Windows baseline"],
      want: "intune.compliancePolicy/Windows baseline.json",
    },
    "uses the given suffix for a script body": {
      args: ["intune.powerShellScript", "Install agent", ".ps1"],
      want: "intune.powerShellScript/Install agent.ps1",
    },
    "uses a two-part suffix": {
      args: ["intune.remediationScript", "Fix", ".detection.ps1"],
      want: "intune.remediationScript/Fix.detection.ps1",
    },
    "keeps a ~hash file name": { args: ["entra.group", "Admins~0123abcd"], want: "entra.group/Admins~0123abcd.json" },
    "keeps a name holding '..' without a separator inside the folder": {
      args: ["entra.group", "_.._etc_passwd"],
      want: "entra.group/_.._etc_passwd.json",
    },
  };
  for (const [name, c] of Object.entries(cases)) {
    it(name, () => assert.equal(objectPath(...c.args), c.want));
  }

  const escapes: Record<string, string> = {
    "a parent folder": "../x",
    "two parent folders": "../../etc/passwd",
    "a sibling type folder": "../entra.group/Admins",
    "a subfolder": "a/b",
    "an absolute path": "/etc/passwd",
    "a path that goes down and back up past the folder": "x/../../y",
    "a Windows separator": "..\\..\\evil",
  };
  for (const [what, file] of Object.entries(escapes)) {
    it(`throws for a file name leading to ${what}`, () => {
      assert.throws(() => objectPath("intune.compliancePolicy", file), /unsafe snapshot path/);
    });
  }

  it("keeps every safe file name inside its type folder", () => {
    for (const name of ["..", "../../etc/passwd", "..\\..\\x", "/abs", "CON", "a".repeat(300), "", "~"]) {
      const path = objectPath("intune.deviceConfiguration", safeFileName(name));
      assert.ok(path.startsWith("intune.deviceConfiguration/"), path);
      assert.equal(path.split("/").length, 2, path);
    }
  });
});

function sha8(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 8);
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
