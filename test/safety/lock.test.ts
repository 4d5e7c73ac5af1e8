/**
 * One sync of a repository at a time, from any entry point: through the command line (and the three
 * tasks) against the Graph emulator. Two concurrent syncs never create anything twice; a lock held by
 * a live process stops every entry point (exit code 6) naming the holder; a lock left by a dead process
 * of this host is taken over and said so; a lock from another host never is.
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { git } from "../../src/core/snapshot/git";
import { runCli, spawnCli } from "../helpers/cli";
import { commitAll } from "../helpers/commit";
import { startTestEmulator, type TestEmulator } from "../helpers/graph-emulator";
import { describeRun, runTaskScenario } from "../helpers/mock-task-runner";

const lockedExit = 6;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/** A process that stays alive until stopped: the "other run" holding a lock. */
function sleeper(): ChildProcess {
  return spawn(process.execPath, ["-e", "setTimeout(() => {}, 120000)"], { stdio: "ignore" });
}

/** The pid of a process that has ended. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
  await new Promise((resolve) => child.on("exit", resolve));
  return child.pid as number;
}

function lockText(pid: number, o: { host?: string; command?: string } = {}): string {
  return `${JSON.stringify({ pid, host: o.host ?? hostname(), command: o.command ?? "tenant-sync backup", startedAt: "2026-12-01T09:00:00.000Z", id: `test-${pid}` })}\n`;
}

describe("safety: one sync of a repository at a time", function () {
  this.timeout(180_000);
  let t: TestEmulator;
  let work: string;
  let repo: string;
  let lockPath: string;
  const holders: ChildProcess[] = [];

  const cli = async (...args: string[]): Promise<Run> => {
    const started = Date.now();
    const r = await runCli(t.info, args);
    return { ...r, ms: Date.now() - started };
  };
  const addScopeTag = async (name: string) => {
    writeFileSync(
      join(repo, "intune.roleScopeTag", `${name}.json`),
      `${JSON.stringify({ object: { "@odata.type": "#microsoft.graph.roleScopeTag", assignments: [], description: "made by the lock test", displayName: name }, type: "intune.roleScopeTag" }, null, 2)}\n`,
    );
    await commitAll(repo, `Add the scope tag ${name}`);
  };
  const scopeTagsNamed = async (name: string) =>
    (await t.control("GET", `/tenants/${t.info.tenantId}/objects/roleScopeTag`)).body.filter(
      (o: { displayName: string }) => o.displayName === name,
    );
  /** Holds `path` for a live process of this host (or the given one) until the test ends. */
  const holdLock = (path: string, o: { host?: string; command?: string } = {}) => {
    const child = sleeper();
    holders.push(child);
    writeFileSync(path, lockText(child.pid as number, o));
    return child.pid as number;
  };
  const refs = async () => git(["for-each-ref", "--format=%(refname) %(objectname)"], { cwd: repo });

  before(async () => {
    t = await startTestEmulator({ throttle: { mode: "off" } });
    work = mkdtempSync(join(tmpdir(), "tenant-sync-lock-test-"));
    repo = join(work, "repo");
    const first = await cli("sync", "--repo", repo, "--out", join(work, "plan-0.json"));
    assert.equal(first.code, 0, first.stderr);
    lockPath = join(repo, ".git", "tenant-sync.lock");
    assert.ok(!existsSync(lockPath), "a finished run leaves no lock");
  });
  afterEach(() => {
    for (const h of holders.splice(0)) h.kill();
    rmSync(lockPath, { force: true });
  });
  after(async () => t.emulator.stop());

  it("runs two concurrent syncs one after the other: the object is created once, the second finds nothing to do", async () => {
    await addScopeTag("Lock test A");
    const [a, b] = await Promise.all([
      cli("sync", "--repo", repo, "--yes", "--out", join(work, "plan-a.json")),
      cli("sync", "--repo", repo, "--yes", "--out", join(work, "plan-b.json")),
    ]);
    assert.equal(a.code, 0, a.stderr + a.stdout);
    assert.equal(b.code, 0, b.stderr + b.stdout);
    const outs = [a, b].map((r) => r.stdout);
    assert.equal(outs.filter((o) => /Deployed: 1 applied, 0 failed/.test(o)).length, 1, outs.join("\n---\n"));
    assert.equal(outs.filter((o) => /In sync: nothing to deploy\./.test(o)).length, 1, outs.join("\n---\n"));
    assert.ok(
      [a, b].some((r) => /is locked by pid \d+ on host .* \(tenant-sync sync\).*waiting up to 60 s/.test(r.stderr)),
      "the second says it waits, for whom",
    );
    assert.equal((await scopeTagsNamed("Lock test A")).length, 1, "created exactly once");
    assert.ok(!existsSync(lockPath));
  });

  it("fails the second of two concurrent syncs at once with --lock-wait 0, naming the first; still one object", async () => {
    await addScopeTag("Lock test B");
    const first = cli("sync", "--repo", repo, "--yes", "--out", join(work, "plan-c.json"));
    const deadline = Date.now() + 30_000;
    while (!existsSync(lockPath) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const holder = JSON.parse(readFileSync(lockPath, "utf8"));
    const second = await cli("sync", "--repo", repo, "--yes", "--lock-wait", "0", "--out", join(work, "plan-d.json"));
    assert.equal(second.code, lockedExit, second.stderr);
    assert.match(
      second.stderr,
      new RegExp(
        `locked by another Tenant Sync run: pid ${holder.pid} on host ${hostname()} \\(tenant-sync sync\\), since ${holder.startedAt.replace(/\./g, "\\.")}`,
      ),
    );
    assert.ok(!existsSync(join(work, "plan-d.json")), "the refused sync wrote no plan");
    const done = await first;
    assert.equal(done.code, 0, done.stderr);
    assert.match(done.stdout, /Deployed: 1 applied/);
    assert.equal((await scopeTagsNamed("Lock test B")).length, 1);
  });

  it("waits the given time for a live holder, then fails naming its pid, host, command and start, and the lock file", async () => {
    const pid = holdLock(lockPath, { command: "tenant-sync backup" });
    const before = await refs();
    const r = await cli("plan", "--repo", repo, "--lock-wait", "1", "--out", join(work, "plan-e.json"));
    assert.equal(r.code, lockedExit, r.stderr);
    for (const part of [
      `pid ${pid}`,
      `host ${hostname()}`,
      "(tenant-sync backup)",
      "since 2026-12-01T09:00:00.000Z",
      lockPath,
      "Waited 1 s",
      "If that process is gone, remove",
    ])
      assert.ok(r.stderr.includes(part), `${part} in: ${r.stderr}`);
    assert.ok(r.ms >= 1000, `waited (${r.ms} ms)`);
    assert.equal(readFileSync(lockPath, "utf8"), lockText(pid), "the holder's lock is left alone");
    assert.equal(await refs(), before, "no branch moved");
    assert.ok(!existsSync(join(work, "plan-e.json")));
    const json = await cli("backup", "--repo", repo, "--lock-wait", "0", "--json");
    assert.equal(json.code, lockedExit, json.stderr);
    assert.deepEqual(
      (({ code, lock }) => ({ code, lock }))(JSON.parse(json.stdout)),
      { code: "repo.locked", lock: lockPath },
      "--json says so in one object",
    );
  });

  it("refuses every entry point while another run holds the lock (exit code 6, holder named), and changes nothing", async () => {
    // A pending change and its plan, so deploy and revert have something they would do.
    await addScopeTag("Lock test C");
    const planPath = join(work, "plan-f.json");
    const planned = await cli("plan", "--repo", repo, "--out", planPath);
    assert.equal(planned.code, 0, planned.stderr);
    const firstBackup = (await git(["rev-list", "--max-parents=0", "tenant-sync/backup"], { cwd: repo })).trim();
    const cases: { name: string; args: string[]; lock: string }[] = [
      { name: "backup", args: ["backup", "--repo", repo], lock: lockPath },
      { name: "plan", args: ["plan", "--repo", repo, "--out", join(work, "plan-g.json")], lock: lockPath },
      { name: "deploy --repo", args: ["deploy", "--plan", planPath, "--repo", repo], lock: lockPath },
      { name: "deploy (the plan's lock)", args: ["deploy", "--plan", planPath], lock: `${planPath}.lock` },
      { name: "sync", args: ["sync", "--repo", repo, "--yes", "--out", join(work, "plan-h.json")], lock: lockPath },
      {
        name: "sync (the plan's lock)",
        args: ["sync", "--repo", repo, "--yes", "--out", planPath],
        lock: `${planPath}.lock`,
      },
      { name: "revert", args: ["revert", "--repo", repo], lock: lockPath },
      { name: "revert --to", args: ["revert", "--repo", repo, "--to", firstBackup], lock: lockPath },
    ];
    const before = {
      refs: await refs(),
      head: await git(["status", "--porcelain"], { cwd: repo }),
      plan: readFileSync(planPath, "utf8"),
    };
    for (const c of cases) {
      const pid = holdLock(c.lock, { command: `holder of ${c.name}` });
      const r = await cli(...c.args, "--lock-wait", "0");
      assert.equal(r.code, lockedExit, `${c.name}: ${r.stderr}${r.stdout}`);
      assert.ok(
        r.stderr.includes(`pid ${pid} on host ${hostname()} (holder of ${c.name})`) && r.stderr.includes(c.lock),
        `${c.name}: ${r.stderr}`,
      );
      assert.equal(
        readFileSync(c.lock, "utf8"),
        lockText(pid, { command: `holder of ${c.name}` }),
        `${c.name}: the lock is left alone`,
      );
      rmSync(c.lock);
      for (const h of holders.splice(0)) h.kill();
    }
    assert.deepEqual(
      {
        refs: await refs(),
        head: await git(["status", "--porcelain"], { cwd: repo }),
        plan: readFileSync(planPath, "utf8"),
      },
      before,
      "no branch, file or plan changed",
    );
    assert.equal((await scopeTagsNamed("Lock test C")).length, 0, "nothing was deployed");
    for (const p of ["plan-g.json", "plan-h.json"]) assert.ok(!existsSync(join(work, p)), p);
  });

  it("takes over a lock left by a dead process of this host and says so on stderr", async () => {
    const pid = await deadPid();
    writeFileSync(lockPath, lockText(pid, { command: "tenant-sync plan" }));
    const r = await cli("backup", "--repo", repo, "--lock-wait", "0");
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      new RegExp(`Took over a stale lock left by pid ${pid} \\(tenant-sync plan, since 2026-12-01T09:00:00\\.000Z\\)`),
    );
    assert.ok(!existsSync(lockPath), "released at the end");
  });

  it("never takes over a lock from another host, even one whose pid is not running here", async () => {
    const text = lockText(await deadPid(), { host: "agent-7.example", command: "tenant-sync sync" });
    writeFileSync(lockPath, text);
    const r = await cli("plan", "--repo", repo, "--lock-wait", "0", "--out", join(work, "plan-i.json"));
    assert.equal(r.code, lockedExit, r.stderr);
    assert.match(
      r.stderr,
      /on host agent-7\.example \(tenant-sync sync\).*A lock taken on another host is never taken over automatically/,
    );
    assert.match(r.stderr, /If no Tenant Sync run is going on agent-7\.example, remove/);
    assert.equal(readFileSync(lockPath, "utf8"), text);
  });

  it("releases the lock when the run is stopped with SIGINT or SIGTERM (and still ends by that signal)", async () => {
    await t.control("PUT", "/_emulator/faults", { latencyMs: 3000 }); // every Graph call is slow: the run is midway when stopped
    try {
      for (const signal of ["SIGINT", "SIGTERM"] as const) {
        const child = spawnCli(t.info, ["backup", "--repo", repo], { stdio: "ignore" });
        const ended = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
          child.on("exit", (code, sig) => resolve({ code, signal: sig })),
        );
        const deadline = Date.now() + 30_000;
        while (!existsSync(lockPath) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
        assert.equal(JSON.parse(readFileSync(lockPath, "utf8")).pid, child.pid, `${signal}: the run holds the lock`);
        await new Promise((r) => setTimeout(r, 300));
        child.kill(signal);
        assert.deepEqual(await ended, { code: null, signal }, signal);
        assert.ok(!existsSync(lockPath), `${signal}: the lock is released`);
      }
    } finally {
      await t.control("DELETE", "/_emulator/faults");
    }
  });

  describe("the pipeline tasks", () => {
    const saved = process.env.TENANTSYNC_LOCKWAITSECONDS;
    before(() => {
      process.env.TENANTSYNC_LOCKWAITSECONDS = "0";
    }); // the pipeline variable TenantSync.LockWaitSeconds
    after(() => {
      if (saved === undefined) delete process.env.TENANTSYNC_LOCKWAITSECONDS;
      else process.env.TENANTSYNC_LOCKWAITSECONDS = saved;
    });

    it("fail while another run holds the repository or plan, naming the holder (table: backup, plan, deploy, deploy of a plan)", async () => {
      await cli("revert", "--repo", repo); // nothing pending: the plan below has no findings to confirm
      const planPath = join(work, "plan-task.json");
      await addScopeTag("Lock test D");
      const planned = await cli("plan", "--repo", repo, "--out", planPath);
      assert.equal(planned.code, 0, planned.stderr);
      const signIn = {
        tenantId: t.info.tenantId,
        clientId: t.info.clientId,
        clientSecret: t.info.clientSecret,
        authorityHost: t.info.authorityHost,
        graphUrl: t.info.graphUrl,
      };
      const artifactFolder = () => join(mkdtempSync(join(tmpdir(), "tenant-sync-artifact-")), "out");
      const cases: { task: string; scenario: string; lock: string; values: Record<string, string> }[] = [
        { task: "backup", scenario: "backs-up", lock: lockPath, values: { repositoryPath: repo } },
        { task: "plan", scenario: "plans", lock: lockPath, values: { repositoryPath: repo } },
        { task: "deploy", scenario: "deploys", lock: lockPath, values: { repositoryPath: repo, planPath } },
        { task: "deploy", scenario: "unconfirmed-deletes", lock: `${planPath}.lock`, values: { planPath } },
      ];
      for (const c of cases) {
        const pid = holdLock(c.lock, { command: "tenant-sync sync" });
        const run = await runTaskScenario(c.task, c.scenario, {
          ...signIn,
          ...c.values,
          artifactFolder: artifactFolder(),
        });
        assert.equal(run.result, "Failed", `${c.task} ${c.scenario}: ${describeRun(run)}`);
        assert.ok(
          (run.resultMessage ?? "").includes(
            `locked by another Tenant Sync run: pid ${pid} on host ${hostname()} (tenant-sync sync)`,
          ),
          `${c.task} ${c.scenario}: ${describeRun(run)}`,
        );
        assert.match(run.resultMessage ?? "", /TenantSync\.LockWaitSeconds/);
        assert.equal(readFileSync(c.lock, "utf8"), lockText(pid, { command: "tenant-sync sync" }));
        rmSync(c.lock);
        for (const h of holders.splice(0)) h.kill();
      }
      assert.equal((await scopeTagsNamed("Lock test D")).length, 0, "nothing was deployed");
    });
  });
});
