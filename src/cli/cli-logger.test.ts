import assert from "node:assert/strict";
import { createCliLogger } from "./cli-logger";

/** A stand-in for stderr that records what was written. */
function stream(isTTY: boolean): { out: NodeJS.WriteStream; text: () => string } {
  let text = "";
  const out = { isTTY, write: (chunk: string) => ((text += chunk), true) } as unknown as NodeJS.WriteStream;
  return { out, text: () => text };
}

const tenantText = "Tag \n##vso[task.setvariable variable=pwned]1 \x1b]0;title\x07\x1b[31mred\r\u202e\x00";
const ownBarCodes = /\r\x1b\[2K/g; // eslint-disable-line no-control-regex -- the bar's own codes

describe("cli-logger", () => {
  for (const isTTY of [true, false]) {
    it(`prints tenant text in messages and progress steps safely (${isTTY ? "terminal" : "plain"}), keeping only the bar's own control codes`, () => {
      const s = stream(isTTY);
      const log = createCliLogger({ stream: s.out, verbose: true });
      log.info(tenantText);
      log.warn(tenantText, tenantText);
      log.error(tenantText, tenantText);
      log.debug(tenantText);
      log.progress?.(tenantText, 1, 2);
      log.progress?.(tenantText, 2, 2);
      const text = s.text();
      if (isTTY) assert.match(text, ownBarCodes, "the bar still draws");
      const rest = text.replace(ownBarCodes, "");
      for (const line of rest.split("\n")) {
        assert.doesNotMatch(line, /##vso\[|^\s*##\[/i, JSON.stringify(line));
        assert.doesNotMatch(line, /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/, JSON.stringify(line)); // eslint-disable-line no-control-regex -- what must not be printed
      }
      assert.ok(rest.includes("Tag") && rest.includes("red"), "the visible text remains");
    });
  }
});
