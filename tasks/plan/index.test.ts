/**
 * The plan task, run as the agent runs it (MockTestRunner, offline) against the Graph emulator: the
 * outputs the template branches on, the plan as artifact and summary, what it pushes, and that tenant
 * text in its log never becomes a logging command.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { git, originBranch, type RemoteCheckout } from "../../test/helpers/git-remote";
import { syncedCheckout } from "../../test/helpers/first-sync";
import { type EmulatorProcess, startGraphEmulatorProcess } from "../../test/helpers/emulator-process";
import type { ReadyInfo } from "../../emulators/graph/server";
import { declaredOutputs, describeRun, runTaskScenario, type TaskRun } from "../../test/helpers/mock-task-runner";

const injected = ["##vso[task.setvariable variable=x]y", "##[error]x"];

describe("plan task", function () {
  this.timeout(120_000);

  it("fails before signing in when an input is missing, naming the input", async () => {
    const run = await runTaskScenario("plan", "missing-repository");
    assert.equal(run.result, "Failed", describeRun(run));
    assert.match(run.resultMessage ?? "", /input "repositoryPath" is required/);
    assert.equal(run.commandsNamed("task.setprogress").length, 0, "nothing started");
  });

  describe("against the Graph emulator", () => {
    let emulator: EmulatorProcess<ReadyInfo>;
    let checkout: RemoteCheckout;
    let artifactFolder: string;
    let run: TaskRun;
    /** A scenario of the plan task against the emulator's tenant and the checkout, with a fresh artifact folder. */
    const runPlan = (scenario: string, values: Record<string, string> = {}) =>
      runTaskScenario("plan", scenario, {
        tenantId: emulator.info.tenantId,
        clientId: emulator.info.clientId,
        clientSecret: emulator.info.clientSecret,
        authorityHost: emulator.info.authorityHost,
        graphUrl: emulator.info.graphUrl,
        repositoryPath: checkout.work,
        artifactFolder: join(mkdtempSync(join(tmpdir(), "tenant-sync-artifact-")), "plan"),
        ...values,
      });

    before(async () => {
      emulator = await startGraphEmulatorProcess();
      const { info } = emulator;
      // The first sync, in-process: the repository takes the tenant and base agrees with it.
      checkout = await syncedCheckout(info);
      // Then the repository drops a script (a delete to confirm), and someone adds groups in the portal (drift).
      rmSync(join(checkout.work, "intune.powerShellScript", "Set time zone.json"));
      rmSync(join(checkout.work, "intune.powerShellScript", "Set time zone.ps1"));
      git(checkout.work, "commit", "-q", "-am", "Retire the time zone script");
      for (const displayName of injected) {
        const created = await emulator.control("POST", `/tenants/${info.tenantId}/objects/group`, {
          displayName,
          mailEnabled: false,
          mailNickname: "x",
          securityEnabled: true,
        });
        assert.equal(created.status, 201, JSON.stringify(created.body));
      }
      artifactFolder = join(mkdtempSync(join(tmpdir(), "tenant-sync-artifact-")), "plan");
      run = await runTaskScenario("plan", "plans", {
        tenantId: info.tenantId,
        clientId: info.clientId,
        clientSecret: info.clientSecret,
        authorityHost: info.authorityHost,
        graphUrl: info.graphUrl,
        repositoryPath: checkout.work,
        artifactFolder,
      });
    });
    after(async () => emulator?.stop());

    it("sets the outputs the pipeline branches on", () => {
      assert.equal(run.result, "Succeeded", describeRun(run));
      assert.deepEqual(
        Object.keys(run.outputs).sort(),
        declaredOutputs("plan"),
        "sets exactly the declared output variables",
      );
      assert.deepEqual(
        {
          hasChanges: run.outputs.hasChanges,
          toAdd: run.outputs.toAdd,
          toChange: run.outputs.toChange,
          toDelete: run.outputs.toDelete,
          conflicts: run.outputs.conflicts,
          needsConfirmation: run.outputs.needsConfirmation,
        },
        { hasChanges: "true", toAdd: "0", toChange: "0", toDelete: "1", conflicts: "0", needsConfirmation: "deletes" },
      );
      assert.equal(
        run.outputs.deployable,
        "false",
        "the delete is not confirmed, so Deploy would refuse it: no approval is asked",
      );
    });

    it("says the plan is deployable when the confirmations it needs are among the task's", async () => {
      const confirmed = await runPlan("plans", {
        confirmations: "deletes",
      });
      assert.equal(confirmed.result, "Succeeded", describeRun(confirmed));
      assert.deepEqual(
        {
          toDelete: confirmed.outputs.toDelete,
          needsConfirmation: confirmed.outputs.needsConfirmation,
          deployable: confirmed.outputs.deployable,
        },
        { toDelete: "1", needsConfirmation: "deletes", deployable: "true" },
      );
    });

    it("publishes plan.json as the artifact and the plan's Markdown as a summary section", () => {
      assert.deepEqual(
        run.commandsNamed("artifact.upload").map((c) => [c.properties.artifactname, c.message]),
        [["tenant-sync-plan", artifactFolder]],
      );
      const plan = JSON.parse(readFileSync(join(artifactFolder, "plan.json"), "utf8"));
      assert.deepEqual(
        plan.changes.map((c: { action: string; address: string }) => `${c.action} ${c.address}`),
        ['delete intune.powerShellScript["Set time zone"]'],
      );
      const [summary] = run.commandsNamed("task.uploadsummary").map((c) => c.message);
      assert.ok(summary?.endsWith("Tenant Sync plan.md") && existsSync(summary), describeRun(run));
      assert.match(readFileSync(summary, "utf8"), /0 to add, 0 to change, 1 to delete/);
      assert.ok(
        run.issues.some((i) => i.type === "warning" && i.message.includes('"deletes"')),
        "the finding is a warning naming the confirmation",
      );
    });

    it("pushes the imported drift to the repository branch and the Tenant Sync branches", () => {
      assert.equal(originBranch(checkout.origin, "main"), git(checkout.work, "rev-parse", "HEAD").trim());
      assert.match(git(checkout.work, "log", "-1", "--format=%s"), /^Import 2 changes made in tenant/);
      assert.ok(originBranch(checkout.origin, "tenant-sync/backup"));
      assert.ok(originBranch(checkout.origin, "tenant-sync/base"));
    });

    it("prints tenant text that looks like logging commands without it becoming one", () => {
      const lines = run.stdout.split(/\r?\n/);
      assert.ok(
        lines.some((l) => l.includes("Imported into the repository") && l.includes("task.setvariable variable=x")),
        "the group's name is in the log",
      );
      assert.deepEqual(
        lines.filter((l) => l.includes("##vso[task.setvariable variable=x")),
        [],
      );
      assert.deepEqual(
        lines.filter((l) => /^##\[error\]/.test(l)),
        [],
      );
      assert.deepEqual(
        lines.filter((l) => l.includes("##[error]x")),
        [],
      );
      assert.equal(run.outputs.x, undefined);
    });

    it("rejects and reverts: the pending delete goes back to the tenant's state, and nothing is left to deploy", async () => {
      const reverted = await runPlan("reverts");
      assert.equal(reverted.result, "Succeeded", describeRun(reverted));
      assert.match(reverted.resultMessage ?? "", /^Reverted 1 pending change to the tenant's state/);
      assert.equal(reverted.outputs.hasChanges, "false");
      assert.equal(reverted.outputs.deployable, "false");
      assert.ok(
        existsSync(join(checkout.work, "intune.powerShellScript", "Set time zone.json")),
        "the script is back in the repository",
      );
      assert.equal(originBranch(checkout.origin, "main"), git(checkout.work, "rev-parse", "HEAD").trim(), "and pushed");
    });

    it("says a blocked plan is not deployable, whatever is confirmed", async () => {
      // The ring now refers to a group the tenant does not have and the plan does not create.
      const file = join(checkout.work, "intune.deviceConfiguration", "Update ring - Broad.json");
      const text = readFileSync(file, "utf8");
      const edited = text.replace(
        /\{\s*"\$ref": "entra\.group\[[^\n]*\n?[^}]*\}/,
        '{ "$ref": "entra.group[\\"Nobody here\\"]" }',
      );
      assert.notEqual(edited, text, "the ring refers to a group");
      writeFileSync(file, edited);
      git(checkout.work, "commit", "-q", "-am", "Assign the ring to a group that does not exist");
      const blocked = await runPlan("plans", {
        confirmations: "deletes,mass,secrets",
      });
      assert.equal(blocked.result, "SucceededWithIssues", describeRun(blocked));
      assert.deepEqual(
        { hasChanges: blocked.outputs.hasChanges, deployable: blocked.outputs.deployable },
        { hasChanges: "true", deployable: "false" },
      );
      assert.ok(
        blocked.issues.some((i) => i.type === "warning" && i.message.includes("Nobody here")),
        "the finding names the missing group",
      );
    });

    it("refuses a backupBranch equal to the run's branch although the pipeline's checkout is detached", async () => {
      git(checkout.work, "checkout", "-q", "--detach");
      writeFileSync(join(checkout.work, "tenant-sync.json"), JSON.stringify({ backupBranch: "main" }));
      const history = () =>
        git(
          checkout.work,
          "for-each-ref",
          "--format=%(refname) %(objectname)",
          "refs/heads/tenant-sync",
          "refs/remotes",
        );
      const before = history();
      try {
        const refused = await runPlan("plans");
        assert.equal(refused.result, "Failed", describeRun(refused));
        assert.match(
          refused.resultMessage ?? "",
          /backupBranch "main" is the branch the repository has checked out \(main\)/,
        );
        assert.equal(history(), before, "no history branch moved and nothing was pushed");
      } finally {
        rmSync(join(checkout.work, "tenant-sync.json"));
        git(checkout.work, "checkout", "-q", "main");
      }
    });
  });
});
