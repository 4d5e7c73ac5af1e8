/**
 * Secrets written in the repository, through the command line against the Graph emulator: a clear
 * OMA-URI value in a committed file never reaches plan.json, plan.md, the terminal or the backup and
 * base branches; it is shown as "(secret changed)", needs the secrets confirmation, is deployed from
 * the plan's commit (refused when that cannot give the planned value), and is not planned again.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ReadyInfo } from "../../emulators/graph/server";
import { git } from "../../src/core/snapshot/git";
import { runCli } from "../helpers/cli";
import { commitAll } from "../helpers/commit";
import { type EmulatorProcess, startGraphEmulatorProcess } from "../helpers/emulator-process";
import { syncedCheckout } from "../helpers/first-sync";
import { git as gitSync } from "../helpers/git-remote";
import { startTestEmulator, type TestEmulator } from "../helpers/graph-emulator";
import { describeRun, runTaskScenario } from "../helpers/mock-task-runner";

const profileFile = "intune.deviceConfiguration/Windows - Custom OMA-URI.json";
const profileAddress = 'intune.deviceConfiguration["Windows - Custom OMA-URI"]';
// Values no other text of a run contains, so finding one anywhere is a leak.
const existingSecret = "proxy.clear-value-4f1d9a.example:8080";
const newSecret = "Tok3n-clear-value-7c2e55";
const changedSecret = "proxy.clear-value-changed-91ab.example:3128";

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}
type Doc = { id: string; type: string; object: { omaSettings: Record<string, unknown>[]; description?: string } };

describe("safety: a secret written in the repository never reaches a log, the plan or the summary", function () {
  this.timeout(180_000);
  let t: TestEmulator;
  let work: string;
  let repo: string;
  let planNo = 0;

  const cli = (...args: string[]): Promise<Run> => runCli(t.info, args);
  const readDoc = (): Doc => JSON.parse(readFileSync(join(repo, profileFile), "utf8")) as Doc;
  const writeDoc = (doc: Doc) => writeFileSync(join(repo, profileFile), `${JSON.stringify(doc, null, 2)}\n`);
  const settingIndex = (doc: Doc, name: string) => doc.object.omaSettings.findIndex((s) => s.displayName === name);
  const plan = async () => {
    const planPath = join(work, `plan-${++planNo}.json`);
    const run = await cli("plan", "--repo", repo, "--out", planPath);
    return {
      run,
      planPath,
      json: readFileSync(planPath, "utf8"),
      md: readFileSync(planPath.replace(/\.json$/, ".md"), "utf8"),
    };
  };
  const assertNoClear = (what: string, text: string, values = [existingSecret, newSecret, changedSecret]) => {
    for (const v of values) assert.ok(!text.includes(v), `${what} contains the clear secret ${v}`);
  };
  /** Neither plan.json, plan.md nor the command's output holds any of the clear values. */
  const assertPlanHoldsNoClear = (p: Awaited<ReturnType<typeof plan>>, values?: string[]) => {
    for (const [what, text] of [
      ["plan.json", p.json],
      ["plan.md", p.md],
      ["stdout", p.run.stdout],
      ["stderr", p.run.stderr],
    ])
      assertNoClear(what, text, values);
  };
  /** The clear values the tenant stores for the profile's OMA strings, by setting name. */
  const tenantSecrets = async (): Promise<Record<string, string>> => {
    const profiles = (await t.control("GET", `/tenants/${t.info.tenantId}/objects/deviceConfiguration`)).body as {
      displayName: string;
      omaSettings?: { displayName: string; secretReferenceValueId?: string }[];
      nav: { omaSecrets?: { id: string; props: { value: string } }[] };
    }[];
    const profile = profiles.find((p) => p.displayName === "Windows - Custom OMA-URI");
    assert.ok(profile);
    const out: Record<string, string> = {};
    for (const s of profile.omaSettings ?? []) {
      const stored = (profile.nav.omaSecrets ?? []).find((x) => x.id === s.secretReferenceValueId);
      if (stored) out[s.displayName] = stored.props.value;
    }
    return out;
  };
  /** Every blob and commit message ever on the Tenant Sync branches. */
  const branchTexts = async (): Promise<string> => {
    const refs = ["refs/heads/tenant-sync/backup", "refs/heads/tenant-sync/base"];
    const objects = (await git(["rev-list", "--objects", ...refs], { cwd: repo }))
      .split("\n")
      .filter(Boolean)
      .map((l) => l.split(" ")[0]);
    assert.ok(objects.length > 10, "the branches have history");
    const contents = await git(["cat-file", "--batch"], { cwd: repo, input: `${objects.join("\n")}\n` });
    return contents + (await git(["log", "--format=%B", ...refs], { cwd: repo }));
  };

  before(async () => {
    t = await startTestEmulator({ throttle: { mode: "off" } });
    work = mkdtempSync(join(tmpdir(), "tenant-sync-secrets-test-"));
    repo = join(work, "repo");
    const first = await cli("sync", "--repo", repo, "--out", join(work, "plan-0.json"));
    assert.equal(first.code, 0, first.stderr);
    const doc = readDoc();
    const proxy = doc.object.omaSettings[settingIndex(doc, "Proxy server")];
    assert.ok(
      proxy && typeof proxy.value === "object" && "$secret" in (proxy.value as object),
      "the export holds the tenant's placeholder",
    );
  });
  after(async () => {
    await t.emulator.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('plans clear values written in the repository (an encrypted setting and a new OMA string) as "(secret changed)", without the values, behind the secrets confirmation', async () => {
    const doc = readDoc();
    doc.object.omaSettings[settingIndex(doc, "Proxy server")].value = existingSecret;
    doc.object.omaSettings.push({
      "@odata.type": "#microsoft.graph.omaSettingString",
      displayName: "Service token",
      description: null,
      omaUri: "./Vendor/MSFT/Policy/Config/Custom/ServiceToken",
      value: newSecret,
      isReadOnly: false,
    });
    writeDoc(doc);
    await commitAll(repo, "Set the proxy server and a service token");
    const p = await plan();
    assert.equal(p.run.code, 0, p.run.stderr);
    assertPlanHoldsNoClear(p);
    const planned = JSON.parse(p.json);
    const change = planned.changes.find((c: { address: string }) => c.address === profileAddress);
    assert.ok(change, "the profile is planned");
    const refs = JSON.stringify(change.after).match(/"\$secret":"[^"]+","file":"[^"]+","sha256":"[0-9a-f]{64}"/g) ?? [];
    assert.equal(refs.length, 2, "both values are secret references naming their file and hash");
    assert.ok(refs.every((r) => r.includes(`"file":"${profileFile}"`)));
    assert.deepEqual(
      planned.findings
        .filter((f: { confirm?: string }) => f.confirm === "secrets")
        .map((f: { addresses: string[] }) => f.addresses),
      [[profileAddress]],
    );
    assert.match(p.md, /\(secret changed\)/);
    assert.match(p.run.stdout, /\(secret changed\)/);
    assert.match(p.run.stdout, /needs --confirm secrets/);

    const refused = await cli("deploy", "--plan", p.planPath, "--repo", repo);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /secrets/);
    assertNoClear("refused deploy output", refused.stdout + refused.stderr);
  });

  it("deploys the values from the plan's commit with --repo --confirm secrets, and plans nothing for them afterwards", async () => {
    const planPath = join(work, `plan-${planNo}.json`);
    const deployed = await cli("deploy", "--plan", planPath, "--repo", repo, "--confirm", "secrets");
    assert.equal(deployed.code, 0, deployed.stderr + deployed.stdout);
    assert.match(deployed.stdout, /Deployed: 1 applied, 0 failed/);
    assertNoClear("deploy output", deployed.stdout + deployed.stderr);
    assertNoClear("the journal", readFileSync(`${planPath}.journal`, "utf8"));
    assert.deepEqual(await tenantSecrets(), { "Proxy server": existingSecret, "Service token": newSecret });

    const again = await plan();
    assert.equal(again.run.code, 0, again.run.stderr);
    const planned = JSON.parse(again.json);
    assert.deepEqual(
      planned.changes.map((c: { address: string }) => c.address),
      [],
      again.run.stdout,
    );
    assert.deepEqual(planned.findings, []);
    for (const [what, text] of [
      ["plan.json", again.json],
      ["plan.md", again.md],
      ["stdout", again.run.stdout],
      ["stderr", again.run.stderr],
    ])
      assertNoClear(what, text);
    assert.equal(
      readDoc().object.omaSettings[settingIndex(readDoc(), "Proxy server")].value,
      existingSecret,
      "the repository keeps what the person wrote",
    );
  });

  it("never writes a clear value to the tenant-sync/backup or tenant-sync/base branches (every blob and message of their history)", async () => {
    assertNoClear("the Tenant Sync branches", await branchTexts());
    const base = JSON.parse(await git(["show", `tenant-sync/base:${profileFile}`], { cwd: repo })) as Doc;
    const recorded = base.object.omaSettings
      .map((s) => s.value as { $secret?: string; sha256?: string })
      .filter((v) => v && typeof v === "object" && v.$secret);
    assert.equal(recorded.length, 2);
    assert.ok(
      recorded.every((v) => /^[0-9a-f]{64}$/.test(String(v.sha256))),
      "base records the deployed hash beside each placeholder",
    );
  });

  it('plans a changed value again as "(secret changed)", and only that setting', async () => {
    const doc = readDoc();
    doc.object.omaSettings[settingIndex(doc, "Proxy server")].value = changedSecret;
    writeDoc(doc);
    await commitAll(repo, "Another proxy server");
    const p = await plan();
    assert.equal(p.run.code, 0, p.run.stderr);
    assertPlanHoldsNoClear(p);
    const planned = JSON.parse(p.json);
    const change = planned.changes.find((c: { address: string }) => c.address === profileAddress);
    assert.deepEqual(
      change.fields.map((f: { path: string }) => f.path),
      [`/omaSettings/${settingIndex(doc, "Proxy server")}/value`],
    );
    assert.match(p.run.stdout, /\(secret\) → \(secret changed\)/);
    assert.ok(planned.findings.some((f: { confirm?: string }) => f.confirm === "secrets"));
  });

  it("refuses to deploy, naming the object, the setting and the file, when the repository cannot give the planned value", async () => {
    const index = settingIndex(readDoc(), "Proxy server");
    const pointer = `/omaSettings/${index}/value`;
    const cases: {
      name: string;
      prepare: () => Promise<void>;
      deployArgs: (planPath: string) => string[];
      restore: () => Promise<void>;
    }[] = [
      {
        name: "deploy without the repository",
        prepare: async () => undefined,
        deployArgs: (planPath) => ["deploy", "--plan", planPath, "--confirm", "secrets"],
        restore: async () => undefined,
      },
      {
        name: "the file changed after its commit (the planned value is not committed)",
        prepare: async () => {
          const doc = readDoc();
          doc.object.omaSettings[index].value = `${changedSecret}-uncommitted`;
          writeDoc(doc);
        },
        deployArgs: (planPath) => ["deploy", "--plan", planPath, "--repo", repo, "--confirm", "secrets"],
        restore: async () => void (await git(["checkout", "--", profileFile], { cwd: repo })),
      },
      {
        name: "the plan's hash was edited",
        prepare: async () => undefined,
        deployArgs: (planPath) => {
          const text = readFileSync(planPath, "utf8").replace(/("sha256": ?")[0-9a-f]{64}/g, `$1${"0".repeat(64)}`);
          writeFileSync(planPath, text);
          return ["deploy", "--plan", planPath, "--repo", repo, "--confirm", "secrets"];
        },
        restore: async () => undefined,
      },
    ];
    const before = await tenantSecrets();
    for (const c of cases) {
      await c.prepare();
      const p = await plan();
      assert.equal(p.run.code, 0, `${c.name}: ${p.run.stderr}`);
      if (c.name.startsWith("the file changed"))
        assert.ok(
          p.run.stderr.includes(`${pointer} in ${profileFile} is not committed`),
          `plan warns: ${p.run.stderr}`,
        );
      const refused = await cli(...c.deployArgs(p.planPath));
      await c.restore();
      assert.equal(refused.code, 1, `${c.name}: ${refused.stdout}${refused.stderr}`);
      assertNoClear(`${c.name}: output`, refused.stdout + refused.stderr, [
        existingSecret,
        newSecret,
        changedSecret,
        `${changedSecret}-uncommitted`,
      ]);
      if (c.name !== "the plan's hash was edited") {
        assert.ok(refused.stderr.includes(profileFile), `${c.name}: names the file: ${refused.stderr}`);
        assert.ok(refused.stderr.includes(pointer), `${c.name}: names the setting: ${refused.stderr}`);
        assert.ok(refused.stderr.includes(profileAddress), `${c.name}: names the object: ${refused.stderr}`);
      }
      assert.deepEqual(await tenantSecrets(), before, `${c.name}: nothing was written`);
    }
  });

  it("imports drift in a profile whose secret is deployed without writing a clear value, and says what became of the secret", async () => {
    // Deploy the changed value first, so the repository's secret is the tenant's.
    const p = await plan();
    const deployed = await cli("deploy", "--plan", p.planPath, "--repo", repo, "--confirm", "secrets");
    assert.equal(deployed.code, 0, deployed.stderr + deployed.stdout);
    assert.equal((await tenantSecrets())["Proxy server"], changedSecret);
    const profiles = (await t.control("GET", `/tenants/${t.info.tenantId}/objects/deviceConfiguration`)).body as {
      id: string;
      displayName: string;
    }[];
    const id = profiles.find((x) => x.displayName === "Windows - Custom OMA-URI")?.id;
    await t.control("PATCH", `/tenants/${t.info.tenantId}/objects/deviceConfiguration/${id}`, {
      description: "Edited in the portal",
    });
    const drift = await plan();
    assert.equal(drift.run.code, 0, drift.run.stderr);
    for (const [what, text] of [
      ["plan.json", drift.json],
      ["plan.md", drift.md],
      ["stdout", drift.run.stdout],
      ["stderr", drift.run.stderr],
    ])
      assertNoClear(what, text);
    assert.match(drift.run.stderr, /Proxy server|\/omaSettings\/\d+\/value/);
    assert.deepEqual(JSON.parse(drift.json).changes, []);
    const doc = readDoc();
    assert.equal(doc.object.description, "Edited in the portal");
    assertNoClear("the imported file", readFileSync(join(repo, profileFile), "utf8"));
    assertNoClear(
      "the import commit",
      await git(["show", "HEAD"], { cwd: repo }).then((s) =>
        s
          .split("\n")
          .filter((l) => l.startsWith("+"))
          .join("\n"),
      ),
    );
    assert.deepEqual(
      await tenantSecrets(),
      { "Proxy server": changedSecret, "Service token": newSecret },
      "the tenant keeps the values",
    );
    const quiet = await plan();
    assert.deepEqual(JSON.parse(quiet.json).changes, []);
  });
  it("creates a new profile whose OMA string is written in the repository, and plans nothing for it afterwards", async () => {
    const kioskFile = "intune.deviceConfiguration/Kiosk secrets.json";
    const kioskSecret = "kiosk-clear-value-0b7e3c";
    const source = readDoc();
    const doc = {
      type: source.type,
      object: {
        ...source.object,
        displayName: "Kiosk secrets",
        description: "Kiosk",
        omaSettings: [
          {
            "@odata.type": "#microsoft.graph.omaSettingString",
            displayName: "Kiosk token",
            description: null,
            omaUri: "./Vendor/MSFT/Policy/Config/Custom/KioskToken",
            value: kioskSecret,
            isReadOnly: false,
          },
        ],
      },
    };
    writeFileSync(join(repo, kioskFile), `${JSON.stringify(doc, null, 2)}\n`);
    await commitAll(repo, "A kiosk profile with its token");
    const p = await plan();
    assert.equal(p.run.code, 0, p.run.stderr);
    assertPlanHoldsNoClear(p, [kioskSecret]);
    const planned = JSON.parse(p.json);
    assert.deepEqual(
      planned.changes.map((c: { action: string; address: string }) => `${c.action} ${c.address}`),
      ['create intune.deviceConfiguration["Kiosk secrets"]'],
    );
    assert.ok(planned.findings.some((f: { confirm?: string }) => f.confirm === "secrets"));
    const deployed = await cli("deploy", "--plan", p.planPath, "--repo", repo, "--confirm", "secrets");
    assert.equal(deployed.code, 0, deployed.stderr + deployed.stdout);
    assertNoClear("deploy output", deployed.stdout + deployed.stderr, [kioskSecret]);
    const profiles = (await t.control("GET", `/tenants/${t.info.tenantId}/objects/deviceConfiguration`)).body as {
      displayName: string;
      omaSettings: { secretReferenceValueId: string }[];
      nav: { omaSecrets?: { id: string; props: { value: string } }[] };
    }[];
    const kiosk = profiles.find((x) => x.displayName === "Kiosk secrets");
    assert.equal(
      kiosk?.nav.omaSecrets?.find((x) => x.id === kiosk.omaSettings[0].secretReferenceValueId)?.props.value,
      kioskSecret,
    );
    const again = await plan();
    assert.deepEqual(JSON.parse(again.json).changes, [], again.run.stdout);
    assertNoClear("the Tenant Sync branches", await branchTexts(), [kioskSecret]);
  });

  it("Reject and revert puts the tenant's placeholder in place of a secret that was not deployed, and says where the value still is", async () => {
    const revertedSecret = "rejected-clear-value-5d0f11";
    const doc = readDoc();
    const index = settingIndex(doc, "Proxy server");
    doc.object.omaSettings[index].value = revertedSecret;
    writeDoc(doc);
    await commitAll(repo, "A proxy the approver rejects");
    const head = (await git(["rev-parse", "HEAD"], { cwd: repo })).trim();
    const r = await cli("revert", "--repo", repo);
    assert.equal(r.code, 0, r.stderr);
    assertNoClear("revert output", r.stdout + r.stderr, [revertedSecret]);
    assert.ok(
      r.stderr.includes(`/omaSettings/${index}/value`) && r.stderr.includes(head.slice(0, 12)),
      `names the setting and the commit holding the value: ${r.stderr}`,
    );
    const value = readDoc().object.omaSettings[index].value as { $secret?: string };
    assert.equal(typeof value.$secret, "string", "the file holds the tenant's placeholder");
    assertNoClear(
      "the revert commit",
      await git(["show", "HEAD"], { cwd: repo }).then((s) =>
        s
          .split("\n")
          .filter((l) => l.startsWith("+"))
          .join("\n"),
      ),
      [revertedSecret],
    );
    assert.equal((await tenantSecrets())["Proxy server"], changedSecret, "the tenant keeps its value");
    const quiet = await plan();
    assert.deepEqual(JSON.parse(quiet.json).changes, []);
  });
  it('shows a secret changed on the repository side of a conflict as "(secret changed)", and tenant-wins drops it only with a warning', async () => {
    const conflictSecret = "conflict-clear-value-a81c2d";
    const doc = readDoc();
    const index = settingIndex(doc, "Proxy server");
    doc.object.omaSettings[index].value = conflictSecret;
    writeDoc(doc);
    await commitAll(repo, "A proxy changed while the portal changes the profile");
    const profiles = (await t.control("GET", `/tenants/${t.info.tenantId}/objects/deviceConfiguration`)).body as {
      id: string;
      displayName: string;
    }[];
    const id = profiles.find((x) => x.displayName === "Windows - Custom OMA-URI")?.id;
    await t.control("PATCH", `/tenants/${t.info.tenantId}/objects/deviceConfiguration/${id}`, {
      description: "Changed in the portal as well",
    });
    const p = await plan();
    assertPlanHoldsNoClear(p, [conflictSecret]);
    const conflict = JSON.parse(p.json).conflicts.find((c: { address: string }) => c.address === profileAddress);
    assert.equal(conflict?.resolution, "stopped", p.run.stdout);
    assert.match(p.run.stdout, /repo \(secret changed\)/);

    const head = (await git(["rev-parse", "HEAD"], { cwd: repo })).trim();
    const wins = await cli(
      "plan",
      "--repo",
      repo,
      "--out",
      join(work, "plan-tenant-wins.json"),
      "--conflict-policy",
      "tenant-wins",
    );
    assert.equal(wins.code, 0, wins.stderr);
    assertNoClear("tenant-wins output", wins.stdout + wins.stderr, [conflictSecret]);
    assert.ok(
      wins.stderr.includes(`/omaSettings/${index}/value`) && wins.stderr.includes(head.slice(0, 12)),
      `warns where the dropped value still is: ${wins.stderr}`,
    );
    assert.equal(readDoc().object.description, "Changed in the portal as well");
    assertNoClear("the imported file", readFileSync(join(repo, profileFile), "utf8"), [conflictSecret]);
  });
});

describe("safety: the plan and deploy tasks keep a secret written in the repository out of the summary and the log", function () {
  this.timeout(180_000);
  const clear = "task-clear-value-3e9d0a.example:8080";
  let emulator: EmulatorProcess<ReadyInfo>;
  after(async () => emulator?.stop());

  it('plans it as "(secret changed)" on the run\'s summary and artifact, and deploys it with the value registered as a log secret', async () => {
    emulator = await startGraphEmulatorProcess();
    const { info } = emulator;
    const checkout = await syncedCheckout(info);
    const file = join(checkout.work, profileFile);
    const doc = JSON.parse(readFileSync(file, "utf8")) as Doc;
    const proxy = doc.object.omaSettings.find((x) => x.displayName === "Proxy server");
    assert.ok(proxy);
    proxy.value = clear;
    writeFileSync(file, `${JSON.stringify(doc, null, 2)}\n`);
    gitSync(checkout.work, "commit", "-q", "-am", "Set the proxy server");
    const signIn = {
      tenantId: info.tenantId,
      clientId: info.clientId,
      clientSecret: info.clientSecret,
      authorityHost: info.authorityHost,
      graphUrl: info.graphUrl,
    };
    const artifactFolder = join(mkdtempSync(join(tmpdir(), "tenant-sync-secrets-artifact-")), "plan");

    const planned = await runTaskScenario("plan", "plans", {
      ...signIn,
      repositoryPath: checkout.work,
      artifactFolder,
    });
    assert.equal(planned.result, "Succeeded", describeRun(planned));
    assert.equal(planned.outputs.needsConfirmation, "secrets");
    const [summary] = planned.commandsNamed("task.uploadsummary").map((c) => c.message);
    assert.ok(summary, describeRun(planned));
    const summaryText = readFileSync(summary, "utf8");
    assert.match(summaryText, /\(secret changed\)/);
    for (const [what, text] of [
      ["summary", summaryText],
      ["plan.json", readFileSync(join(artifactFolder, "plan.json"), "utf8")],
      ["plan.md", readFileSync(join(artifactFolder, "plan.md"), "utf8")],
      ["task log", planned.stdout + planned.stderr],
    ]) {
      assert.ok(!text.includes(clear), `${what} contains the clear secret`);
    }

    const reports = join(mkdtempSync(join(tmpdir(), "tenant-sync-secrets-report-")), "report");
    const deployed = await runTaskScenario("deploy", "deploys", {
      ...signIn,
      confirmations: "secrets",
      planPath: artifactFolder,
      repositoryPath: checkout.work,
      artifactFolder: reports,
    });
    assert.equal(deployed.result, "Succeeded", describeRun(deployed));
    assert.ok(
      deployed.commandsNamed("task.setsecret").some((c) => c.message === clear),
      "the value is registered as a secret before use",
    );
    const leaked = `${deployed.stdout}\n${deployed.stderr}`
      .split(/\r?\n/)
      .filter((l) => l.includes(clear) && !l.startsWith("##vso[task.setsecret]"));
    assert.deepEqual(leaked, [], "no other line of the task's log holds the value");
    const profiles = (await emulator.control("GET", `/tenants/${info.tenantId}/objects/deviceConfiguration`)).body as {
      displayName: string;
      omaSettings: { displayName: string; secretReferenceValueId?: string }[];
      nav: { omaSecrets?: { id: string; props: { value: string } }[] };
    }[];
    const profile = profiles.find((x) => x.displayName === "Windows - Custom OMA-URI");
    const ref = profile?.omaSettings.find((x) => x.displayName === "Proxy server")?.secretReferenceValueId;
    assert.equal(profile?.nav.omaSecrets?.find((x) => x.id === ref)?.props.value, clear);
    for (const branch of ["tenant-sync/backup", "tenant-sync/base"]) {
      const objects = gitSync(checkout.work, "rev-list", "--objects", branch)
        .split("\n")
        .filter(Boolean)
        .map((l) => l.split(" ")[0]);
      for (const o of objects)
        assert.ok(
          !gitSync(checkout.work, "cat-file", "-p", o).includes(clear),
          `${branch} holds the clear secret in ${o}`,
        );
    }
  });
});
