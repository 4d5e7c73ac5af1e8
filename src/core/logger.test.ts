import assert from "node:assert/strict";
import { safeText } from "./logger";

const zwj = "\u200d";
/** What the agent treats as a logging command, anywhere in a line. */
const command = /##vso\[|##\[/i;

describe("safeText", () => {
  const cases: Record<string, { text: string; want: string }> = {
    "breaks a ##vso[ command": {
      text: "##vso[task.setvariable variable=x]y",
      want: `#${zwj}#vso[task.setvariable variable=x]y`,
    },
    "breaks a ##[ command": { text: "##[error]boom", want: `#${zwj}#[error]boom` },
    "breaks an upper-case ##VSO[": {
      text: "##VSO[task.complete result=Succeeded]",
      want: `#${zwj}#VSO[task.complete result=Succeeded]`,
    },
    "breaks a mixed-case ##VsO[": {
      text: "##VsO[task.uploadfile]/etc/passwd",
      want: `#${zwj}#VsO[task.uploadfile]/etc/passwd`,
    },
    "breaks a command in the middle of a line": {
      text: "Policy ##vso[build.addbuildtag]x named",
      want: `Policy #${zwj}#vso[build.addbuildtag]x named`,
    },
    "breaks every command in the text": {
      text: "##[group]a ##[endgroup] ##vso[x]",
      want: `#${zwj}#[group]a #${zwj}#[endgroup] #${zwj}#vso[x]`,
    },
    "breaks a command after a third hash": { text: "###vso[x]", want: `##${zwj}#vso[x]` },
    "turns newlines into spaces": {
      text: "line one\nline two\r\nline three\rfour",
      want: "line one line two line three four",
    },
    "turns a newline before a command into a space and breaks the command": {
      text: "name\n##vso[task.setvariable variable=x]y",
      want: `name #${zwj}#vso[task.setvariable variable=x]y`,
    },
    "does not join a hash split by a newline into a command": { text: "#\n#vso[x]", want: "# #vso[x]" },
    "leaves ordinary text alone": { text: "Windows baseline #2 [pilot]", want: "Windows baseline #2 [pilot]" },
    "leaves text that only looks near a command alone": {
      text: "## heading [x] and ##vsoX[",
      want: "## heading [x] and ##vsoX[",
    },
  };
  for (const [name, c] of Object.entries(cases)) {
    it(name, () => assert.equal(safeText(c.text), c.want));
  }

  it("never leaves a logging command or a line break in its output", () => {
    for (const c of Object.values(cases)) {
      const out = safeText(c.text);
      assert.doesNotMatch(out, command, JSON.stringify(out));
      assert.doesNotMatch(out, /[\r\n]/, JSON.stringify(out));
    }
  });

  it("gives the same text when applied twice", () => {
    for (const c of Object.values(cases)) assert.equal(safeText(safeText(c.text)), safeText(c.text));
  });
});
