import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { FakeClock } from "../clock";
import { isSyncError, type SyncError } from "../errors";
import type { Logger } from "../logger";
import { acquireLock, judgeLock, type LockOptions, repositoryLockPath, withLock } from "./repo-lock";

const self = { pid: 4242, host: "build-1" };

function recorder(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => lines.push(`info ${m}`),
    warn: (m) => lines.push(`warn ${m}`),
    error: (m) => lines.push(`error ${m}`),
    debug: () => undefined,
  };
}

function lockFile(): string {
  return join(mkdtempSync(join(tmpdir(), "tenant-sync-lock-")), "tenant-sync.lock");
}

const holderText = (h: Record<string, unknown>) =>
  `${JSON.stringify({ command: "tenant-sync plan", startedAt: "2026-12-01T09:00:00.000Z", id: "other", ...h })}\n`;

async function rejection(p: Promise<unknown>): Promise<SyncError> {
  try {
    await p;
  } catch (e) {
    assert.ok(isSyncError(e), String(e));
    return e;
  }
  assert.fail("expected the lock to be refused");
}

describe("repository lock", () => {
  const options = (o: Partial<LockOptions> = {}): LockOptions => ({
    command: "tenant-sync sync",
    self,
    isAlive: (pid) => pid === 1111,
    clock: new FakeClock(Date.parse("2026-12-01T10:00:00Z")),
    ...o,
  });

  it("writes the holder (pid, host, command, start time) and removes the file when done", async () => {
    const path = lockFile();
    const seen = await withLock(path, "The repository r", options(), async () =>
      JSON.parse(readFileSync(path, "utf8")),
    );
    assert.deepEqual(
      { ...seen, id: typeof seen.id },
      { pid: 4242, host: "build-1", command: "tenant-sync sync", startedAt: "2026-12-01T10:00:00.000Z", id: "string" },
    );
    assert.ok(!existsSync(path));
    assert.deepEqual(readdirSync(join(path, "..")), [], "no temporary file is left");
  });

  it("releases the lock when the work throws", async () => {
    const path = lockFile();
    await assert.rejects(
      withLock(path, "The repository r", options(), async () => {
        throw new Error("boom");
      }),
      /boom/,
    );
    assert.ok(!existsSync(path));
  });

  it("waits for a live holder with backoff up to the wait, then fails naming it, leaving its lock alone", async () => {
    const path = lockFile();
    const theirs = holderText({ pid: 1111, host: "build-1" });
    writeFileSync(path, theirs);
    const clock = new FakeClock(0);
    const log = recorder();
    const attempt = rejection(acquireLock(path, "The repository r", options({ clock, log, waitMs: 5000 })));
    let sleeps = 0;
    while (await clock.advanceToNext()) sleeps++;
    const e = await attempt;
    assert.equal(e.code, "repo.locked");
    assert.equal(e.detail.object, path);
    for (const part of ["pid 1111", "build-1", "tenant-sync plan", "2026-12-01T09:00:00.000Z", path])
      assert.ok(e.message.includes(part), `${part} in: ${e.message}`);
    assert.match(e.detail.hint ?? "", /--lock-wait SECONDS.*remove/);
    assert.equal(clock.now(), 5000, "gave up at the wait, not before");
    assert.ok(sleeps >= 5 && sleeps <= 12, `polled with backoff (${sleeps} sleeps)`);
    assert.equal(
      log.lines.filter((l) => l.startsWith("info") && l.includes("waiting up to 5 s")).length,
      1,
      "says once that it waits",
    );
    assert.equal(readFileSync(path, "utf8"), theirs);
  });

  it("fails at once with a wait of 0", async () => {
    const path = lockFile();
    writeFileSync(path, holderText({ pid: 1111, host: "build-1" }));
    const e = await rejection(acquireLock(path, "The repository r", options({ waitMs: 0 })));
    assert.equal(e.code, "repo.locked");
  });

  it("gets the lock once the holder releases it while waiting", async () => {
    const path = lockFile();
    const clock = new FakeClock(0);
    const first = await acquireLock(path, "The repository r", options({ clock, self: { pid: 1111, host: "build-1" } }));
    let second = false;
    const waiting = withLock(path, "The repository r", options({ clock, waitMs: 10_000 }), async () => {
      second = true;
    });
    await clock.advance(300);
    assert.equal(second, false);
    first.release();
    while (!second && (await clock.advanceToNext()));
    await waiting;
    assert.ok(second);
    assert.ok(clock.now() < 2000);
  });

  it("takes over a lock left by a dead process of this host, and says so", async () => {
    const path = lockFile();
    writeFileSync(path, holderText({ pid: 2222, host: "build-1", command: "tenant-sync backup" }));
    const log = recorder();
    const held = await acquireLock(path, "The repository r", options({ log, waitMs: 0 }));
    assert.equal(JSON.parse(readFileSync(path, "utf8")).pid, 4242);
    assert.ok(
      log.lines.some((l) =>
        l.startsWith(
          "warn Took over a stale lock left by pid 2222 (tenant-sync backup, since 2026-12-01T09:00:00.000Z)",
        ),
      ),
      log.lines.join("\n"),
    );
    held.release();
  });

  it("treats a lock with this process's pid but another id as a dead predecessor's", () => {
    assert.equal(judgeLock(holderText({ pid: 4242, host: "build-1" }), self, () => true).state, "stale");
  });

  it("never takes over a lock from another host, and says why", async () => {
    const path = lockFile();
    const theirs = holderText({ pid: 2222, host: "agent-7" });
    writeFileSync(path, theirs);
    const e = await rejection(acquireLock(path, "The repository r", options({ waitMs: 0 })));
    assert.equal(e.code, "repo.locked");
    assert.match(e.message, /agent-7.*another host is never taken over/);
    assert.match(e.detail.hint ?? "", /If no Tenant Sync run is going on agent-7, remove/);
    assert.equal(readFileSync(path, "utf8"), theirs);
  });

  it("does not take over a lock file it cannot read as a lock", async () => {
    const path = lockFile();
    writeFileSync(path, "not json");
    const e = await rejection(acquireLock(path, "The repository r", options({ waitMs: 0 })));
    assert.match(e.message, /not a Tenant Sync lock/);
    assert.equal(readFileSync(path, "utf8"), "not json");
  });

  it("leaves a stale lock to the waiter already taking it over; once someone holds the lock, leftovers go", async () => {
    const path = lockFile();
    const stale = holderText({ pid: 2222, host: "build-1" });
    writeFileSync(path, stale);
    const { createHash } = await import("node:crypto");
    const token = `${path}.takeover-${createHash("sha256").update(stale).digest("hex").slice(0, 16)}`;
    writeFileSync(token, holderText({ pid: 3333, host: "build-1" }));
    const e = await rejection(acquireLock(path, "The repository r", options({ waitMs: 0 })));
    assert.match(e.message, /no longer running, but another run is taking the lock over/);
    assert.equal(readFileSync(path, "utf8"), stale);
    unlinkSync(path); // someone removed the stale lock by hand
    const held = await acquireLock(path, "The repository r", options({ waitMs: 0 }));
    assert.ok(!existsSync(token), "the leftover takeover file is removed");
    held.release();
  });

  it("never removes a lock it does not hold", async () => {
    const path = lockFile();
    const log = recorder();
    const held = await acquireLock(path, "The repository r", options({ log }));
    const theirs = holderText({ pid: 1111, host: "build-1" });
    writeFileSync(path, theirs);
    held.release();
    assert.equal(readFileSync(path, "utf8"), theirs);
    assert.ok(log.lines.some((l) => l.includes("no longer this run's")));
  });

  it("makes text from the lock file printable", async () => {
    const path = lockFile();
    writeFileSync(path, holderText({ pid: 1111, host: "h\u001b[31m", command: "##vso[task.complete]x\nnext" }));
    const e = await rejection(acquireLock(path, "The repository r", options({ waitMs: 0 })));
    assert.ok(![...e.message].some((c) => c.charCodeAt(0) < 0x20) && !e.message.includes("##"), e.message);
  });

  it("lives inside the git directory, so it is never committed; a missing repository is created first", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "tenant-sync-lock-repo-")), "new");
    const path = await repositoryLockPath(dir);
    assert.equal(path, join(dir, ".git", "tenant-sync.lock"));
  });

  it("lets exactly one of several processes take over a stale lock, and they run one at a time", async function () {
    this.timeout(60_000);
    const path = lockFile();
    const trace = join(path, "..", "trace.txt");
    writeFileSync(path, holderText({ pid: 999_999_999, host: hostname(), command: "killed" }));
    const script = `
      const { appendFileSync } = require("node:fs");
      const { acquireLock } = require(${JSON.stringify(join(__dirname, "repo-lock.ts"))});
      const log = { info() {}, debug() {}, error() {}, warn: (m) => appendFileSync(${JSON.stringify(trace)}, "warn " + m + "\\n") };
      acquireLock(${JSON.stringify(path)}, "The repository r", { command: "racer", waitMs: 20000, log }).then(async (held) => {
        appendFileSync(${JSON.stringify(trace)}, "enter " + process.pid + "\\n");
        await new Promise((r) => setTimeout(r, 100));
        appendFileSync(${JSON.stringify(trace)}, "leave " + process.pid + "\\n");
        held.release();
      });`;
    const racers = Array.from(
      { length: 4 },
      () =>
        new Promise<number>((resolve) => {
          spawn(process.execPath, ["--require", require.resolve("tsx/cjs"), "-e", script], { stdio: "inherit" }).on(
            "exit",
            (code) => resolve(code ?? -1),
          );
        }),
    );
    assert.deepEqual(await Promise.all(racers), [0, 0, 0, 0]);
    const lines = readFileSync(trace, "utf8").trim().split("\n");
    assert.equal(
      lines.filter((l) => l.startsWith("warn Took over a stale lock left by pid 999999999")).length,
      1,
      lines.join("\n"),
    );
    const steps = lines.filter((l) => !l.startsWith("warn"));
    assert.equal(steps.length, 8);
    for (let i = 0; i < steps.length; i += 2) {
      assert.match(steps[i], /^enter /);
      assert.equal(steps[i + 1], steps[i].replace("enter", "leave"), `one at a time:\n${steps.join("\n")}`);
    }
    assert.ok(!existsSync(path));
  });
});
