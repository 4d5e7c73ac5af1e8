import assert from "node:assert/strict";
import { appendFileSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FakeClock } from "../clock";
import { Journal, planIdentity } from "./journal";
import type { Plan } from "./plan";

function plan(description = "d"): Plan {
  return {
    formatVersion: 1,
    tenantId: "t",
    createdAt: "2026-01-01T00:00:00Z",
    conflicts: [],
    findings: [],
    tenantCounts: {},
    counts: {},
    changes: [
      {
        address: 'entra.group["A"]',
        type: "entra.group",
        name: "A",
        action: "create",
        after: { object: { displayName: "A", description }, files: {} },
        fields: [],
      },
      {
        address: 'entra.group["B"]',
        type: "entra.group",
        name: "B",
        action: "create",
        after: { object: { displayName: "B" }, files: {} },
        fields: [],
      },
    ],
  };
}

describe("Journal", () => {
  const path = () => join(mkdtempSync(join(tmpdir(), "tenant-sync-journal-")), "plan.json.journal");

  it("remembers across runs what was started, created and done", () => {
    const file = path();
    const first = Journal.open(file, plan(), new FakeClock());
    first.started(0);
    first.created(0, "id-a");
    first.done(0, "id-a");
    first.started(1);
    const second = Journal.open(file, plan(), new FakeClock());
    assert.deepEqual(second.entry(0), { started: true, done: true, createdId: "id-a" });
    assert.deepEqual(second.entry(1), { started: true, done: false });
    assert.deepEqual([...second.touched()].sort(), [0, 1]);
    assert.equal(readFileSync(file, "utf8").trim().split("\n").length, 4, "one line per step");
  });

  it("ignores the lines of another plan and a line torn by a kill", () => {
    const file = path();
    Journal.open(file, plan("old"), new FakeClock()).done(0, "id-old");
    appendFileSync(file, `{"plan":"${planIdentity(plan())}","change":1,"addr`);
    const journal = Journal.open(file, plan(), new FakeClock());
    assert.equal(journal.entry(0), undefined);
    assert.equal(journal.entry(1), undefined);
    journal.started(1);
    assert.deepEqual(
      Journal.open(file, plan(), new FakeClock()).entry(1),
      { started: true, done: false },
      "the next line is not lost to the torn one",
    );
  });
});
