/**
 * repo-lock — one Tenant Sync run at a time per repository (and per plan file). The lock is a file
 * (`<git common dir>/tenant-sync.lock`, `<plan>.lock`) holding the holder's pid, host, command and
 * start time, created atomically. A busy lock is waited for a bounded time, then the run fails naming
 * the holder; a lock left by a dead process of this host is taken over (and said so), one from another
 * host never is. Only the holder removes its lock: on return, on throw, on exit, on SIGINT/SIGTERM.
 */
import { createHash, randomUUID } from "node:crypto";
import {
  closeSync,
  linkSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { hostname } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { type Clock, realClock } from "../clock";
import { SyncError } from "../errors";
import { type Logger, silentLogger } from "../logger";
import { git } from "../snapshot/git";
import { ensureRepository } from "../snapshot/git-store";

/** What a lock file holds (JSON). `id` tells this lock from an earlier one of the same pid. */
export interface LockHolder {
  pid: number;
  host: string;
  command: string;
  startedAt: string;
  id: string;
}

export interface LockOptions {
  /** What the holder is doing, for whoever finds the lock: "plan", "sync", "task deploy". */
  command: string;
  /** How long to wait for a busy lock, in ms; 0 fails at once. Default 60 s. */
  waitMs?: number;
  log?: Logger;
  clock?: Clock;
  /** How the user gives a run longer, for the error's hint (default "--lock-wait SECONDS"). */
  waitHint?: string;
  /** For tests: this process as the lock sees it, and how it tells a live pid. */
  self?: { pid: number; host: string };
  isAlive?: (pid: number) => boolean;
}

export const defaultLockWaitMs = 60_000;
export const repositoryLockName = "tenant-sync.lock";

/** The held lock: release() removes the file if it is still this lock's. */
export interface HeldLock {
  path: string;
  holder: LockHolder;
  release(): void;
}

/** Lock ids this process holds: a lock with our pid but another id is a dead predecessor's. */
const heldIds = new Set<string>();

/** A process exists (ESRCH: it does not; EPERM: it does, under another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The lock file of the repository at `repoDir`, inside its git directory (never committed). */
export async function repositoryLockPath(repoDir: string): Promise<string> {
  // A repository that does not exist yet is created first (git init; plan, sync and backup would
  // create it anyway), so that the lock lives where every later run looks for it.
  const root = await ensureRepository(repoDir);
  const common = (await git(["rev-parse", "--git-common-dir"], { cwd: root })).trim();
  return join(resolve(root, common), repositoryLockName);
}

/** The lock file of a plan (its deploys share `<plan>.journal`). */
export function planLockPath(planPath: string): string {
  return `${resolve(planPath)}.lock`;
}

/** Takes the lock of the repository at `repoDir` (see acquireLock). */
export async function acquireRepositoryLock(repoDir: string, options: LockOptions): Promise<HeldLock> {
  return acquireLock(await repositoryLockPath(repoDir), `The repository ${repoDir}`, options);
}

/** Runs `fn` holding the lock of the repository at `repoDir`. */
export async function withRepositoryLock<T>(repoDir: string, options: LockOptions, fn: () => Promise<T>): Promise<T> {
  return withLock(await repositoryLockPath(repoDir), `The repository ${repoDir}`, options, fn);
}

/** Runs `fn` holding the lock file at `path`; `what` names what it guards in messages ("The plan x.json"). */
export async function withLock<T>(path: string, what: string, options: LockOptions, fn: () => Promise<T>): Promise<T> {
  const held = await acquireLock(path, what, options);
  try {
    return await fn();
  } finally {
    held.release();
  }
}

type Found =
  | { state: "missing" }
  | { state: "unreadable"; raw: string }
  | { state: "live" | "stale" | "foreign"; raw: string; holder: LockHolder };

/** The lock's state as this process sees it: pure but for the liveness check. */
export function judgeLock(
  raw: string | undefined,
  self: { pid: number; host: string },
  isAlive: (pid: number) => boolean,
): Found {
  if (raw === undefined) return { state: "missing" };
  const holder = parseHolder(raw);
  if (!holder) return { state: "unreadable", raw };
  if (holder.host !== self.host) return { state: "foreign", raw, holder };
  if (holder.pid === self.pid) return { state: heldIds.has(holder.id) ? "live" : "stale", raw, holder };
  return { state: isAlive(holder.pid) ? "live" : "stale", raw, holder };
}

/** Takes the lock at `path`, waiting up to `waitMs` for a busy one; throws repo.locked naming the holder. */
export async function acquireLock(path: string, what: string, options: LockOptions): Promise<HeldLock> {
  const log = options.log ?? silentLogger;
  const clock = options.clock ?? realClock;
  const self = options.self ?? { pid: process.pid, host: hostname() };
  const isAlive = options.isAlive ?? processAlive;
  const waitMs = Math.max(0, options.waitMs ?? defaultLockWaitMs);
  const holder: LockHolder = {
    pid: self.pid,
    host: self.host,
    command: options.command,
    startedAt: new Date(clock.now()).toISOString(),
    id: randomUUID(),
  };
  const content = `${JSON.stringify(holder)}\n`;
  mkdirSync(dirname(path), { recursive: true });
  const deadline = clock.now() + waitMs;
  let delay = 50;
  let announced = false;
  for (;;) {
    if (createExclusive(path, content) || takeOverIfStale()) return hold(path, holder, content, log);
    const found = judgeLock(readIfExists(path), self, isAlive);
    if (found.state === "missing") continue;
    const remaining = deadline - clock.now();
    if (remaining <= 0) throw lockedError(path, what, found, waitMs, options.waitHint ?? "--lock-wait SECONDS");
    if (!announced)
      log.info(`${what} is locked by ${describeHolder(found)}; waiting up to ${Math.ceil(waitMs / 1000)} s for it.`);
    announced = true;
    await clock.sleep(Math.min(delay, remaining));
    delay = Math.min(delay * 2, 1000);
  }

  function takeOverIfStale(): boolean {
    const found = judgeLock(readIfExists(path), self, isAlive);
    if (found.state !== "stale") return false;
    // Only the waiter that creates the takeover file for this very lock content may remove it.
    const token = `${path}.takeover-${createHash("sha256").update(found.raw).digest("hex").slice(0, 16)}`;
    if (!createExclusive(token, content)) return false;
    try {
      if (readIfExists(path) !== found.raw) return false;
      removeIfExists(path);
      if (!createExclusive(path, content)) return false;
      log.warn(
        `Took over a stale lock left by pid ${found.holder.pid} (${found.holder.command}, since ${found.holder.startedAt}), which is no longer running: ${path}.`,
      );
      return true;
    } finally {
      removeIfExists(token);
    }
  }
}

function hold(path: string, holder: LockHolder, content: string, log: Logger): HeldLock {
  heldIds.add(holder.id);
  removeLeftoverTakeovers(path);
  let released = false;
  const onExit = () => release();
  const onSignal = (signal: NodeJS.Signals) => {
    release();
    // Our listener is gone: the signal now does what it would have done without us.
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  process.once("exit", onExit);
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  function release(): void {
    if (released) return;
    released = true;
    heldIds.delete(holder.id);
    process.removeListener("exit", onExit);
    process.removeListener("SIGINT", onSignal);
    process.removeListener("SIGTERM", onSignal);
    const now = readIfExists(path);
    if (now === content) removeIfExists(path);
    else
      log.warn(
        `The lock ${path} is no longer this run's (${now === undefined ? "it was removed" : "another run holds it"}); left it alone.`,
      );
  }
  return { path, holder, release };
}

/**
 * Creates `path` holding `content`, or returns false if it exists. The content is written to a
 * temporary file first and linked into place, so no reader ever sees a half-written lock.
 */
function createExclusive(path: string, content: string): boolean {
  const temp = `${path}.${process.pid}.${randomUUID().slice(0, 8)}.tmp`;
  writeFileSync(temp, content, { flag: "wx" });
  try {
    linkSync(temp, path);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "EEXIST") return false;
    if (code !== "EPERM" && code !== "ENOTSUP" && code !== "ENOSYS" && code !== "EOPNOTSUPP")
      throw lockIoError(path, e);
    return createWithOpen(path, content); // a file system without hard links
  } finally {
    removeIfExists(temp);
  }
}

function createWithOpen(path: string, content: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, "wx");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw lockIoError(path, e);
  }
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
  return true;
}

/** Takeover files of locks that are gone now that this run holds the lock (left by a killed taker). */
function removeLeftoverTakeovers(path: string): void {
  // Only finished takeover files: another waiter's temporary file (".tmp") is still on its way to being linked.
  const prefix = `${basename(path)}.takeover-`;
  for (const name of readdirSync(dirname(path)))
    if (name.startsWith(prefix) && /^[0-9a-f]{16}$/.test(name.slice(prefix.length)))
      removeIfExists(join(dirname(path), name));
}

function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw lockIoError(path, e);
  }
}

function removeIfExists(path: string): void {
  try {
    unlinkSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw lockIoError(path, e);
  }
}

function lockIoError(path: string, cause: unknown): SyncError {
  return new SyncError("repo.lockFailed", `Could not use the lock file ${path}: ${(cause as Error).message}`, {
    hint: "Check that the folder is writable by this user, then run again.",
    cause,
  });
}

/** Text from a lock file, made printable: no control or bidi characters, no "##", bounded length. */
function printable(value: unknown): string {
  const unsafe = (c: number) =>
    c < 0x20 ||
    (c >= 0x7f && c <= 0x9f) ||
    (c >= 0x200b && c <= 0x200f) ||
    (c >= 0x2028 && c <= 0x202e) ||
    (c >= 0x2066 && c <= 0x2069);
  return [...String(value)]
    .map((ch) => (unsafe(ch.codePointAt(0) ?? 0) ? "?" : ch))
    .join("")
    .replace(/#(?=#)/g, "#\u200d")
    .slice(0, 200);
}

function parseHolder(raw: string): LockHolder | undefined {
  try {
    const v = JSON.parse(raw) as Partial<LockHolder>;
    if (
      !v ||
      typeof v !== "object" ||
      !Number.isSafeInteger(v.pid) ||
      (v.pid as number) <= 0 ||
      typeof v.host !== "string" ||
      !v.host
    )
      return undefined;
    return {
      pid: v.pid as number,
      host: printable(v.host),
      command: printable(v.command ?? "unknown command"),
      startedAt: printable(v.startedAt ?? "an unknown time"),
      id: String(v.id ?? ""),
    };
  } catch {
    return undefined;
  }
}

function describeHolder(found: Exclude<Found, { state: "missing" }>): string {
  if (found.state === "unreadable") return "a lock file that is not a Tenant Sync lock (no pid and host in it)";
  const h = found.holder;
  return `pid ${h.pid} on host ${h.host} (${h.command}), since ${h.startedAt}`;
}

function lockedError(
  path: string,
  what: string,
  found: Exclude<Found, { state: "missing" }>,
  waitMs: number,
  waitHint: string,
): SyncError {
  const waited = waitMs > 0 ? ` Waited ${Math.ceil(waitMs / 1000)} s.` : "";
  const who = describeHolder(found);
  const base = `${what} is locked by another Tenant Sync run: ${who}; lock file ${path}.${waited}`;
  if (found.state === "foreign") {
    return new SyncError("repo.locked", `${base} A lock taken on another host is never taken over automatically.`, {
      object: path,
      hint: `Wait for that run to finish (${waitHint} waits longer). If no Tenant Sync run is going on ${found.holder.host}, remove ${path}.`,
    });
  }
  if (found.state === "stale") {
    return new SyncError(
      "repo.locked",
      `${base} That process is no longer running, but another run is taking the lock over.`,
      {
        object: path,
        hint: `Run again; if this repeats, remove ${path} and any ${basename(path)}.takeover-* beside it.`,
      },
    );
  }
  if (found.state === "unreadable") {
    return new SyncError("repo.locked", base, {
      object: path,
      hint: `If no Tenant Sync run is going, remove ${path}.`,
    });
  }
  return new SyncError("repo.locked", base, {
    object: path,
    hint: `Wait for that run to finish (${waitHint} waits longer). If that process is gone, remove ${path}.`,
  });
}
