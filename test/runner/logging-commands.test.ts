/**
 * The agent's reading of task output in the local runner: logging commands with their escapes, and
 * the masker that hides secrets in stored log lines.
 */
import assert from "node:assert/strict";
import { parseLoggingCommand, SecretMasker } from "../../emulators/azdo/runner/logging-commands";

describe("runner logging commands", () => {
  const table: [string, unknown][] = [
    ["plain text", undefined],
    ["##[section]Starting: x", undefined],
    [
      "##vso[task.setvariable variable=deployable;isOutput=true;issecret=false;]true",
      {
        command: "task.setvariable",
        properties: { variable: "deployable", isoutput: "true", issecret: "false" },
        message: "true",
      },
    ],
    ["##vso[task.setsecret]s3cr%AZP25et", { command: "task.setsecret", properties: {}, message: "s3cr%et" }],
    [
      "##vso[task.logissue type=warning;sourcepath=a%3Bb%5Dc;linenumber=3;]line1%0Aline2",
      {
        command: "task.logissue",
        properties: { type: "warning", sourcepath: "a;b]c", linenumber: "3" },
        message: "line1\nline2",
      },
    ],
    [
      "##vso[Task.Complete result=Failed;]done",
      { command: "task.complete", properties: { result: "Failed" }, message: "done" },
    ],
    [
      "prefix ##vso[build.addbuildtag]tenant:contoso",
      { command: "build.addbuildtag", properties: {}, message: "tenant:contoso" },
    ],
    [
      "##vso[artifact.upload containerfolder=plan;artifactname=plan;]/tmp/x",
      { command: "artifact.upload", properties: { containerfolder: "plan", artifactname: "plan" }, message: "/tmp/x" },
    ],
    [
      "##vso[task.setprogress value=50;]half %0D",
      { command: "task.setprogress", properties: { value: "50" }, message: "half \r" },
    ],
  ];
  for (const [line, expected] of table) {
    it(`parses ${line}`, () => assert.deepEqual(parseLoggingCommand(line), expected));
  }

  it("reports a line that looks like a command but is none", () => {
    assert.ok(parseLoggingCommand("##vso[task.setvariable") instanceof Error);
    assert.ok(parseLoggingCommand("##vso[nodot]x") instanceof Error);
  });
});

describe("runner secret masker", () => {
  const masker = new SecretMasker();
  masker.add("abc");
  masker.add("abcdef");
  masker.add("line-one\nline-two");
  masker.add("");
  const table: [string, string][] = [
    ["token abcdef here", "token *** here"],
    ["abc and abcdefg", "*** and ***g"],
    ["first line-one then line-two", "first *** then ***"],
    ["nothing secret", "nothing secret"],
  ];
  for (const [line, expected] of table) {
    it(`masks ${line}`, () => assert.equal(masker.mask(line), expected));
  }
  it("masks values given per line by the host", () => {
    assert.equal(masker.mask("oidc eyJ.token.sig", ["eyJ.token.sig"]), "oidc ***");
  });
});
