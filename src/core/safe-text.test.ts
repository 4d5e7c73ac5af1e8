import assert from "node:assert/strict";
import { safeJson, safeOutput, safeText } from "./safe-text";

/** What the agent takes as a command, and what a terminal takes as control (ESC is among the controls). */
const vso = /##vso\[/i;
const formatting = /^\s*##\[/;
const control = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/; // eslint-disable-line no-control-regex -- the characters output must not hold
const bidi = /[\u202a-\u202e\u2066-\u2069]/;

const payloads: Record<string, string> = {
  "a logging command after a newline": "\n##vso[task.setvariable variable=pwned]1",
  "a formatting command": "##[error]x",
  "a formatting command after spaces": "  ##[group]x",
  "a logging command after a carriage return": "\r##vso[task.complete result=Succeeded]done",
  "a command after CRLF": "\r\n##[warning]w",
  "a command joined by a removed escape": "#\x1b[0m#vso[task.setvariable variable=pwned]1",
  "a command joined by a removed control": "#\x00#[error]x",
  "an ANSI colour": "\x1b[31mred\x1b[0m",
  "an OSC hyperlink": "\x1b]8;;http://evil\x07link\x1b]8;;\x07",
  "an OSC title ended by ST": "\x1b]0;title\x1b\\after",
  "an unterminated OSC": "\x1b]0;title",
  "an 8-bit CSI": "\x9b31mred",
  "an 8-bit OSC": "\x9d0;t\x9cafter",
  "a DCS string": "\x1bPq#0\x1b\\after",
  "a two-byte ESC": "\x1bcreset",
  "a lone ESC": "end\x1b",
  "a right-to-left override": "abc\u202edef",
  "an isolate": "a\u2066b\u2069c",
  NUL: "a\x00b",
  BEL: "a\x07b",
  backspace: "abc\b\b\bxyz",
  DEL: "a\x7fb",
  "a line separator": "a\u2028##[error]b",
};

function assertSafeLines(out: string, what: string): void {
  for (const line of out.split("\n")) {
    assert.doesNotMatch(line, vso, `${what}: ${JSON.stringify(line)}`);
    assert.doesNotMatch(line, formatting, `${what}: ${JSON.stringify(line)}`);
  }
  assert.doesNotMatch(out, control, `${what}: ${JSON.stringify(out)}`);
  assert.doesNotMatch(out, bidi, `${what}: ${JSON.stringify(out)}`);
}

describe("safe-text", () => {
  for (const [name, payload] of Object.entries(payloads)) {
    it(`neutralises ${name}, inline, in a whole text and in JSON`, () => {
      const text = `Name ${payload} end`;
      const inline = safeText(text);
      assertSafeLines(inline, "safeText");
      assert.doesNotMatch(inline, /[\r\n\t]/);
      assert.ok(inline.startsWith("Name ") && inline.endsWith(" end"), JSON.stringify(inline));
      assert.equal(safeText(inline), inline, "idempotent");

      const whole = safeOutput(`first line\n${text}\nlast line\n`);
      assertSafeLines(whole, "safeOutput");
      assert.ok(whole.startsWith("first line\n") && whole.endsWith("\nlast line\n"), JSON.stringify(whole));
      assert.equal(safeOutput(whole), whole, "idempotent");

      const json = safeJson({ [payload]: text, list: [payload] }, 2);
      assertSafeLines(json, "safeJson");
      assert.deepEqual(JSON.parse(json), { [payload]: text, list: [payload] }, "the values survive exactly");
      assert.equal(safeOutput(json), json, "the last pass leaves safe JSON alone");
    });
  }

  it("keeps the visible text of escapes and removes their parameters", () => {
    assert.equal(safeText("\x1b[31mred\x1b[0m"), "red");
    assert.equal(safeText("\x1b]8;;http://evil\x07link\x1b]8;;\x07"), "link");
    assert.equal(safeText("\x9b31mred"), "red");
    assert.equal(safeText("a\x00b"), "a\ufffdb");
    assert.equal(safeText("abc\u202edef"), "abc\ufffddef");
  });

  it("keeps ordinary text, tabs and newlines of a whole text, and right-to-left marks of names", () => {
    assert.equal(safeOutput("| a | b |\n\tindented ## heading [x] #2\n"), "| a | b |\n\tindented ## heading [x] #2\n");
    assert.equal(safeText("שלום\u200f policy"), "שלום\u200f policy");
    assert.equal(safeOutput("a\r\nb\rc"), "a\nb\nc");
  });
});
