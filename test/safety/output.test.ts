/**
 * Nothing printed can be a logging command or a terminal escape: the tenant holds names, string
 * values, property keys (top-level and nested) and assignment groups carrying a table of payloads;
 * Graph answers with a malicious error message; backup, plan, deploy and sync through the command line
 * print stdout, stderr and plan.md with no ##vso[ anywhere, no ##[ at a line start, no control
 * character, no escape and no bidi override, and the visible parts of the text are still there. The
 * plan task's log (its own commands aside), issues, result and summary are held to the same rules.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { git } from "../../src/core/snapshot/git";
import type { ReadyInfo } from "../../emulators/graph/server";
import { runCli } from "../helpers/cli";
import { commitAll } from "../helpers/commit";
import { type EmulatorProcess, startGraphEmulatorProcess } from "../helpers/emulator-process";
import { checkoutWithOrigin, type RemoteCheckout } from "../helpers/git-remote";
import { startTestEmulator, type TestEmulator } from "../helpers/graph-emulator";
import { describeRun, runTaskScenario, type TaskRun } from "../helpers/mock-task-runner";

/** Every kind of text that would command the agent or the terminal. */
export const payloads: string[] = [
  "\n##vso[task.setvariable variable=pwned]1",
  "##[error]x",
  "  ##[group]x",
  "\r##vso[task.complete result=Succeeded]done",
  "\r\n##[warning]w",
  "#\x1b[0m#vso[task.setvariable variable=joined]1",
  "\x1b[31mred",
  "\x1b]8;;http://evil\x07link\x1b]8;;\x07",
  "\x1b]0;title\x07",
  "\x9b31m",
  "\x9d0;t\x9c",
  "\u202e",
  "\u2066",
  "nul\x00",
  "bel\x07",
  "bs\b\b",
  "del\x7f",
];

/** A Graph error message quoting tenant text back. */
const graphMessage =
  "Bad value '\n##vso[task.setvariable variable=x]owned' \x1b]0;title\x07 \x1b[2J\r##[error]boom\u202e";

/** Asserts one printed or written text is safe; `where` names it in the message. */
export function assertSafe(text: string, where: string): void {
  const lines = text.split("\n");
  const bad = (re: RegExp) => lines.filter((l) => re.test(l)).map((l) => JSON.stringify(l));
  assert.deepEqual(bad(/##vso\[/i), [], `${where}: a logging command`);
  assert.deepEqual(bad(/^\s*##\[/), [], `${where}: a formatting command`);
  // eslint-disable-next-line no-control-regex -- the characters output must not hold (ESC included)
  assert.deepEqual(bad(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/), [], `${where}: a control character or escape`);
  assert.deepEqual(bad(/[\u202a-\u202e\u2066-\u2069]/), [], `${where}: a bidi override`);
}

const tag = (i: number) => `Tag ${i} ${payloads[i]} end`;
const group = (i: number) => `Group ${i} ${payloads[i]} end`;
const drift = (i: number) => `Drift ${i} ${payloads[i]} end`;
const key = (i: number) => `key ${i} ${payloads[i]} end`;

/** Some line of `text` shows the visible parts around payload i: `prefix i` … `end`. */
function assertReadable(text: string, prefix: string, i: number, where: string): void {
  assert.ok(
    text.split("\n").some((l) => l.includes(`${prefix} ${i} `) && l.includes(" end", l.indexOf(`${prefix} ${i} `))),
    `${where}: "${prefix} ${i} … end" is readable`,
  );
}

describe("safety: nothing printed is a logging command or a terminal escape", function () {
  this.timeout(240_000);
  let t: TestEmulator;
  let work: string;
  let repo: string;
  const printed: { where: string; text: string }[] = [];

  const cli = async (...args: string[]) => {
    const r = await runCli(t.info, args);
    printed.push({ where: `${args[0]} stdout`, text: r.stdout }, { where: `${args[0]} stderr`, text: r.stderr });
    assertSafe(r.stdout, `tenant-sync ${args.join(" ")}: stdout`);
    assertSafe(r.stderr, `tenant-sync ${args.join(" ")}: stderr`);
    return r;
  };
  const tenantObjects = async (key: string) =>
    (await t.control("GET", `/tenants/${t.info.tenantId}/objects/${key}`)).body as {
      id: string;
      displayName?: string;
      [k: string]: unknown;
    }[];
  const create = async (key: string, body: Record<string, unknown>) => {
    const r = await t.control("POST", `/tenants/${t.info.tenantId}/objects/${key}`, body);
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body.id as string;
  };
  const editJson = (file: string, edit: (doc: { object: Record<string, unknown> }) => void) => {
    const doc = JSON.parse(readFileSync(join(repo, file), "utf8"));
    edit(doc);
    writeFileSync(join(repo, file), `${JSON.stringify(doc, null, 2)}\n`);
  };
  const repoFile = async (type: string, name: string) => {
    const files = (await git(["ls-files", "-z", type], { cwd: repo })).split("\0").filter(Boolean);
    for (const f of files) if (JSON.parse(readFileSync(join(repo, f), "utf8")).object.displayName === name) return f;
    throw new Error(`no file of ${type} holds "${JSON.stringify(name)}"`);
  };

  before(async () => {
    t = await startTestEmulator({ throttle: { mode: "off" } });
    work = mkdtempSync(join(tmpdir(), "tenant-sync-output-test-"));
    repo = join(work, "repo");
    // The tenant, edited "as in the portal": names, values and keys (top-level and nested) carry the payloads.
    for (const i of payloads.keys()) {
      await create("roleScopeTag", {
        displayName: tag(i),
        description: `Desc ${i} ${payloads[i]} end`,
        isBuiltIn: false,
      });
      await create("group", {
        displayName: group(i),
        mailEnabled: false,
        mailNickname: `g${i}`,
        securityEnabled: true,
        groupTypes: [],
      });
    }
    const custom = (await tenantObjects("deviceConfiguration")).find(
      (o) => o["@odata.type"] === "#microsoft.graph.windows10CustomConfiguration",
    );
    assert.ok(custom);
    const oma = custom.omaSettings as Record<string, unknown>[];
    await t.control("PATCH", `/tenants/${t.info.tenantId}/objects/deviceConfiguration/${custom.id}`, {
      omaSettings: [
        { ...oma[0], ...Object.fromEntries(payloads.map((_, i) => [key(i), `nested ${i} end`])) },
        ...oma.slice(1),
      ],
    });
  });
  after(async () => t?.emulator.stop());

  it("backs up and takes the tenant into the repository", async () => {
    const backedUp = await cli("backup", "--repo", repo);
    assert.equal(backedUp.code, 0, backedUp.stderr);
    const synced = await cli("sync", "--repo", repo, "--out", join(work, "plan-0.json"));
    assert.equal(synced.code, 0, synced.stderr);
    assert.match(synced.stdout, /In sync/);
  });

  it("plans repository changes to names, values, keys and assignment groups, and imports drift named with every payload", async () => {
    for (const i of payloads.keys())
      await create("group", {
        displayName: drift(i),
        mailEnabled: false,
        mailNickname: `d${i}`,
        securityEnabled: true,
        groupTypes: [],
      });
    for (const i of payloads.keys())
      editJson(
        await repoFile("intune.roleScopeTag", tag(i)),
        (doc) => (doc.object.description = `Changed ${i} ${payloads[i]} end`),
      );
    editJson(await repoFile("intune.compliancePolicy", "Windows - Compliance baseline"), (doc) => {
      const assignments = doc.object.assignments as { target: Record<string, unknown> }[];
      for (const i of payloads.keys())
        assignments.push({
          target: { ...assignments[0].target, groupId: { $ref: `entra.group[${JSON.stringify(group(i))}]` } },
        });
    });
    editJson(await repoFile("intune.deviceConfiguration", "Windows - Custom OMA-URI"), (doc) => {
      const [first] = doc.object.omaSettings as Record<string, unknown>[];
      for (const i of payloads.keys()) first[key(i)] = `nested ${i} changed ${payloads[i]} end`;
    });
    await commitAll(repo, "Change the injected objects");

    const asJson = await cli("plan", "--repo", repo, "--out", join(work, "plan-json.json"), "--json");
    assert.equal(asJson.code, 0, asJson.stderr);
    const result = JSON.parse(asJson.stdout);
    for (const i of payloads.keys())
      assert.ok(
        result.imports.includes(`entra.group[${JSON.stringify(drift(i))}]`),
        `--json keeps the drift's name ${JSON.stringify(drift(i))} exactly`,
      );

    const planPath = join(work, "plan-1.json");
    const planned = await cli("plan", "--repo", repo, "--out", planPath);
    assert.equal(planned.code, 0, planned.stderr);
    const markdown = readFileSync(join(work, "plan-1.md"), "utf8");
    printed.push({ where: "plan.md", text: markdown });
    assertSafe(markdown, "plan.md");
    // The terminal shortens values and lists 12 settings per change; plan.md shows them whole.
    for (const i of payloads.keys()) {
      assertReadable(planned.stdout, "Tag", i, "plan stdout: name");
      assert.ok(planned.stdout.includes(`Changed ${i} `), `plan stdout: value ${i}`);
      assertReadable(markdown, "Tag", i, "plan.md: name");
      assertReadable(markdown, "Changed", i, "plan.md: value");
      assertReadable(markdown, "key", i, "plan.md: nested key");
    }
    assert.match(
      planned.stdout,
      /~ intune\.compliancePolicy\["Windows - Compliance baseline"\] \(assignments\)/,
      "the assignments to the injected groups are planned",
    );
  });

  it("deploys: the addresses print safely, and the names and values reach the tenant unchanged", async () => {
    const planPath = join(work, "plan-1.json");
    const deployed = await cli("deploy", "--plan", planPath, "--repo", repo, "--confirm", "mass");
    assert.notEqual(deployed.code, 2, deployed.stderr);
    for (const i of payloads.keys()) assertReadable(deployed.stdout, "Tag", i, "deploy stdout");
    const tags = await tenantObjects("roleScopeTag");
    assert.ok(
      payloads.every((p, i) => tags.some((o) => o.displayName === tag(i) && o.description === `Changed ${i} ${p} end`)),
      "the names and values reached the tenant unchanged",
    );
  });

  it("prints Graph's malicious error message safely: a backup that fails a type, and a command that fails", async () => {
    const added = await t.control("POST", "/faults", {
      method: "GET",
      pathContains: "roleScopeTags",
      count: 50,
      action: { kind: "status", status: 400, code: "BadRequest", message: graphMessage },
    });
    assert.equal(added.status, 201, JSON.stringify(added.body));
    const backedUp = await cli("backup", "--repo", repo);
    assert.equal(backedUp.code, 3, backedUp.stdout + backedUp.stderr);
    assert.match(backedUp.stdout, /FAILED intune\.roleScopeTag/);
    assert.match(
      backedUp.stdout,
      /FAILED intune\.roleScopeTag.*Bad value '.*owned' .*boom/,
      "Graph's message is shown, on one line",
    );
    await t.control("DELETE", "/faults");

    await t.control("POST", "/faults", {
      method: "GET",
      count: 500,
      action: { kind: "status", status: 400, code: "BadRequest", message: graphMessage },
    });
    const failed = await cli("deploy", "--plan", join(work, "plan-1.json"), "--repo", repo, "--confirm", "mass");
    await t.control("DELETE", "/faults");
    assert.equal(failed.code, 1, failed.stdout + failed.stderr);
    assert.match(
      failed.stderr,
      /Bad value '.*owned' .*boom/,
      `Graph's message is shown, on one line: ${failed.stdout}${failed.stderr}`,
    );
  });

  it("refuses a repository file with keys Graph does not know, naming each key safely", async () => {
    editJson(await repoFile("intune.compliancePolicy", "Windows - Compliance baseline"), (doc) => {
      for (const i of payloads.keys()) doc.object[key(i)] = `value ${i} ${payloads[i]} end`;
    });
    const refused = await cli("plan", "--repo", repo, "--out", join(work, "plan-2.json"));
    assert.equal(refused.code, 1, refused.stdout + refused.stderr);
    for (const i of payloads.keys()) assertReadable(refused.stderr, "key", i, "plan stderr: key");
  });

  it("every text printed or written in this run was safe (checked as each was printed)", () => {
    assert.ok(printed.length >= 10);
    for (const p of printed) assertSafe(p.text, p.where);
  });
});

/** A task's log: its own commands (task-lib's ##vso[…] at a line start, our ##[group]/##[endgroup]) carry only safe text; every other line is safe. */
function assertSafeTaskLog(run: TaskRun, where: string): void {
  for (const line of run.stdout.split(/\r?\n/)) {
    const own = /^##vso\[[^\]]*\]/.exec(line) ?? /^##\[(?:group|endgroup)\]/.exec(line);
    assertSafe(own ? line.slice(own[0].length) : line, `${where}: ${JSON.stringify(line.slice(0, 60))}`);
  }
  assertSafe(run.stderr, `${where}: stderr`);
  const variables = run.commandsNamed("task.setvariable").map((c) => c.properties.variable);
  assert.deepEqual(
    variables.filter((v) => ["pwned", "joined", "x"].includes(v ?? "")),
    [],
    `${where}: no variable set by tenant text`,
  );
  assert.equal(run.commandsNamed("task.complete").length, 1, `${where}: one result, ours`);
}

describe("safety: the plan task's log, issues, result and summary", function () {
  this.timeout(240_000);
  let t: EmulatorProcess<ReadyInfo>;
  let checkout: RemoteCheckout;
  const name = (what: string, i: number) => `${what} ${i} ${payloads[i]} end`;
  const values = (artifactFolder: string) => ({
    tenantId: t.info.tenantId,
    clientId: t.info.clientId,
    clientSecret: t.info.clientSecret,
    authorityHost: t.info.authorityHost,
    graphUrl: t.info.graphUrl,
    repositoryPath: checkout.work,
    artifactFolder,
  });
  const create = async (key: string, body: Record<string, unknown>) => {
    const r = await t.control("POST", `/tenants/${t.info.tenantId}/objects/${key}`, body);
    assert.equal(r.status, 201, JSON.stringify(r.body));
  };

  before(async () => {
    t = await startGraphEmulatorProcess({ throttle: { mode: "off" } });
    for (const i of payloads.keys())
      await create("roleScopeTag", { displayName: name("Tag", i), description: "d", isBuiltIn: false });
    checkout = checkoutWithOrigin();
    const first = await runTaskScenario(
      "plan",
      "plans",
      values(join(mkdtempSync(join(tmpdir(), "tenant-sync-artifact-")), "plan")),
    );
    assert.equal(first.result, "Succeeded", describeRun(first));
    assertSafeTaskLog(first, "first plan");
  });
  after(async () => t?.stop());

  it("imports drift and plans changes named with every payload, printing them safely and readably", async () => {
    for (const i of payloads.keys())
      await create("group", {
        displayName: name("Pipeline", i),
        mailEnabled: false,
        mailNickname: `p${i}`,
        securityEnabled: true,
        groupTypes: [],
      });
    const files = (await git(["ls-files", "-z", "intune.roleScopeTag"], { cwd: checkout.work }))
      .split("\0")
      .filter(Boolean);
    for (const f of files) {
      const doc = JSON.parse(readFileSync(join(checkout.work, f), "utf8"));
      const i = payloads.findIndex((_, n) => doc.object.displayName === name("Tag", n));
      if (i < 0) continue;
      doc.object.description = name("Changed", i);
      writeFileSync(join(checkout.work, f), `${JSON.stringify(doc, null, 2)}\n`);
    }
    await git(
      ["-c", "user.name=Test", "-c", "user.email=test@example.com", "commit", "-q", "-am", "Change the injected tags"],
      { cwd: checkout.work },
    );
    const artifactFolder = join(mkdtempSync(join(tmpdir(), "tenant-sync-artifact-")), "plan");
    const run = await runTaskScenario("plan", "plans", values(artifactFolder));
    assert.equal(run.result, "Succeeded", describeRun(run));
    assertSafeTaskLog(run, "plan task");
    const [summaryPath] = run.commandsNamed("task.uploadsummary").map((c) => c.message);
    const summary = readFileSync(summaryPath ?? "", "utf8");
    assertSafe(summary, "build summary");
    for (const i of payloads.keys()) {
      assertReadable(run.stdout, "Pipeline", i, "plan task log: imported group");
      assertReadable(run.stdout, "Tag", i, "plan task log: name");
      assert.ok(run.stdout.includes(`Changed ${i} `), `plan task log: value ${i}`);
      assertReadable(summary, "Tag", i, "build summary: name");
      assertReadable(summary, "Changed", i, "build summary: value");
    }
  });

  it("deploys into Graph's malicious refusals, reporting each as a safe, readable issue, result and summary", async () => {
    // No mass-change gate for this repository: the plan of 17 tag changes deploys without a confirmation.
    writeFileSync(join(checkout.work, "tenant-sync.json"), `${JSON.stringify({ massChangeMinimum: 1000 })}\n`);
    await git(["add", "tenant-sync.json"], { cwd: checkout.work });
    await git(
      ["-c", "user.name=Test", "-c", "user.email=test@example.com", "commit", "-q", "-m", "No mass-change gate"],
      { cwd: checkout.work },
    );
    const planFolder = join(mkdtempSync(join(tmpdir(), "tenant-sync-artifact-")), "plan");
    const planned = await runTaskScenario("plan", "plans", values(planFolder));
    assert.equal(planned.result, "Succeeded", describeRun(planned));
    assertSafeTaskLog(planned, "plan task");

    const added = await t.control("POST", "/faults", {
      method: "PATCH",
      pathContains: "roleScopeTags",
      count: 1000,
      action: { kind: "status", status: 400, code: "BadRequest", message: graphMessage },
    });
    assert.equal(added.status, 201, JSON.stringify(added.body));
    const reports = join(mkdtempSync(join(tmpdir(), "tenant-sync-artifact-")), "report");
    const run = await runTaskScenario("deploy", "deploys", { ...values(reports), planPath: planFolder });
    assertSafeTaskLog(run, "deploy task");
    assert.equal(run.result, "Failed", describeRun(run));
    assert.ok(
      run.issues.some((i) => i.type === "error" && /Tag 0 .* end.*Bad value '.*owned' .*boom/.test(i.message)),
      `Graph's message is an error issue on one line, naming the object: ${describeRun(run)}`,
    );
    const [summaryPath] = run.commandsNamed("task.uploadsummary").map((c) => c.message);
    const summary = readFileSync(summaryPath ?? "", "utf8");
    assertSafe(summary, "deploy summary");
    for (const i of payloads.keys()) assertReadable(summary, "Tag", i, "deploy summary: name");
    assert.match(summary, /Bad value '.*owned' .*boom/, "the summary shows Graph's message");
  });
});
