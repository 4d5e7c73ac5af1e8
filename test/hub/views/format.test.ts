/**
 * format.test — the views' figures: relative and exact times, durations, plan counts in compact and
 * spoken form, the sign-in countdown, field values of a plan change.
 */
import assert from "node:assert/strict";
import {
  countdown,
  countsLabel,
  countsText,
  exactTime,
  fieldValue,
  formatDuration,
  relativeTime,
} from "../../../hub/views/format";
import { ago, now } from "./fixtures";

describe("hub views: format", () => {
  const relative: [string | undefined, string][] = [
    [ago(0.2), "just now"],
    [ago(5), "5 min ago"],
    [ago(59), "59 min ago"],
    [ago(180), "3 h ago"],
    [ago(60 * 24), "1 day ago"],
    [ago(60 * 24 * 3), "3 days ago"],
    [ago(-10), "in 10 min"],
    [undefined, "—"],
    ["not a date", "—"],
  ];
  for (const [iso, text] of relative)
    it(`relativeTime(${iso}) is "${text}"`, () => assert.equal(relativeTime(iso, now), text));

  it("exactTime writes UTC to the second, and nothing for no time", () => {
    assert.equal(exactTime("2024-05-01T09:30:05.123Z"), "2024-05-01 09:30:05 UTC");
    assert.equal(exactTime(undefined), "");
  });

  const durations: [number | undefined, string][] = [
    [0, "0 s"],
    [45_400, "45 s"],
    [192_000, "3 min 12 s"],
    [3_900_000, "1 h 05 min"],
    [undefined, "—"],
    [-1, "—"],
  ];
  for (const [ms, text] of durations)
    it(`formatDuration(${ms}) is "${text}"`, () => assert.equal(formatDuration(ms), text));

  it("writes plan counts compactly and in words", () => {
    assert.equal(countsText({ add: 2, change: 1, delete: 0 }), "+2 ~1 −0");
    assert.equal(countsLabel({ add: 2, change: 1, delete: 0 }), "2 to add, 1 to change, 0 to delete");
  });

  const left: [number, string | undefined][] = [
    [250_000, "4:10"],
    [59_000, "0:59"],
    [3_725_000, "1:02:05"],
    [0, undefined],
    [-5_000, undefined],
  ];
  for (const [ms, text] of left)
    it(`countdown with ${ms} ms left is ${text ?? "expired"}`, () =>
      assert.equal(countdown(new Date(now + ms).toISOString(), now), text));

  it("shows field values as text, JSON for others, (none) when absent", () => {
    assert.equal(fieldValue("enabled"), "enabled");
    assert.equal(fieldValue({ a: [1] }), '{"a":[1]}');
    assert.equal(fieldValue(false), "false");
    assert.equal(fieldValue(undefined), "(none)");
  });
});
