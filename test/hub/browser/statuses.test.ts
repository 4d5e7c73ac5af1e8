/**
 * The hub in headless Chromium on the statuses scenario (nine tenants in the nine statuses, reached
 * by real runs), through the local Azure DevOps page with the real SDK and REST clients,
 * cross-origin. First what the page shows: every status in words in the overview, the tiles'
 * counts and filters, and each status's detail with its actions, checked against the run facts and
 * timelines the REST API returns (screenshots of each in light and dark under test-output/hub).
 * Then what a person does, reaching the emulator and changing the page: copy, download logs, pause
 * and resume, run now with parameters, approve with the keyboard only (the run deploys and ends
 * Idle), reject, and reject and revert (a revert run is queued).
 */
import assert from "node:assert/strict";
import { statusesScenario } from "../../helpers/statuses-scenario";
import { readFileSync } from "node:fs";
import AdmZip from "adm-zip";
import type { Browser, Download, Frame } from "playwright-core";
import { commitChange, runScenario } from "../../../emulators/local-devops/scenarios";
import { parseFacts, type RunFacts } from "../../../src/core/status/run-facts";
import { tenantStatusLabels } from "../../../src/core/status/derive";
import { launchChromium, screenshotPath } from "../../helpers/browser";
import {
  compliancePolicy,
  latestRunsWithFacts,
  startTestDevOps,
  timeline,
  waitForApproval,
  type ApprovalJson,
  type TestDevOps,
} from "../../helpers/local-devops";
import {
  detailOf,
  listedTenants,
  messages,
  openButton,
  openDetail,
  openHub,
  rowOf,
  shownStatus,
  showTable,
  until,
  untilStatus,
  type HubPage,
} from "./hub-page";

/** What the scenario leaves each tenant in. */
const scenario = statusesScenario;
const tenants = Object.keys(scenario);

/** The tenants each tile should count, by the issue's groups. */
const tiles: Record<string, string[]> = {
  Running: ["running", "starting"],
  "Waiting for someone": ["approval", "consent", "device-code"],
  "With issues": ["partial"],
  Failed: ["failed"],
  "Never run": ["never-run"],
  Paused: [],
};

// The REST clients' enum values (their modules need the browser's `self`, set up by the helper).
const queueStatus = { enabled: 0, paused: 1 } as const;
const buildCompleted = 2;
const taskFailed = 2;
const taskSucceeded = 0;

const sorted = (names: string[]) => [...names].sort();

describe("hub on the statuses scenario (browser)", function () {
  this.timeout(180_000);
  let browser: Browser;
  let t: TestDevOps;
  let hub: HubPage;

  before(async function () {
    browser = await launchChromium(this);
    // The held backup and the unentered device code run for good: agents enough for the actions' runs to start at once.
    t = await startTestDevOps({ parallelJobs: 6 });
    await runScenario(t.devops, "statuses");
    hub = await openHub(browser, t.info.hubUrl);
  });

  after(async () => {
    await browser?.close();
    await t?.stop();
  });

  const definitionId = (tenant: string) => t.devops.tenant(tenant).definition.id;

  /** The tenant's latest run and its facts, as the REST API returns them. */
  async function latestRun(tenant: string): Promise<{ id: number; facts: RunFacts }> {
    const [build] = await latestRunsWithFacts(t, [definitionId(tenant)]);
    assert.ok(build, `${tenant} has a run`);
    return { id: build.id, facts: parseFacts(build.properties) };
  }

  const button = (scope: { getByRole: Frame["getByRole"] }, name: string) =>
    scope.getByRole("button", { name, exact: true });

  describe("what the page shows", () => {
    it("lists every tenant with its status in words, not colour alone", async () => {
      const { frame } = hub;
      assert.deepEqual(sorted(await listedTenants(frame)), sorted(tenants));
      for (const [tenant, kind] of Object.entries(scenario)) {
        const shown = await shownStatus(frame, tenant);
        assert.equal(shown.text, tenantStatusLabels[kind], `${tenant}'s status text`);
        assert.equal(shown.kind, kind, `${tenant}'s status`);
        // The icon beside the words is hidden from screen readers: the words carry the meaning.
        const icon = rowOf(frame, tenant).locator(".tenant-sync-status > span").first();
        assert.equal(await icon.getAttribute("aria-hidden"), "true", `${tenant}'s status icon is decoration`);
      }
    });

    it("counts tenants in the tiles, and a tile filters the table until clicked again", async () => {
      const { frame } = hub;
      for (const [label, members] of Object.entries(tiles)) {
        const n = members.length;
        const tile = frame.getByRole("button", { name: new RegExp(`^${label}: `) });
        assert.equal(await tile.innerText(), `${n} ${label}`);
        assert.equal(await tile.getAttribute("aria-label"), `${label}: ${n} tenant${n === 1 ? "" : "s"}`);
        if (n === 0) continue;
        await tile.click();
        await until(`only ${members.join(", ")} listed under the ${label} tile`, async () =>
          JSON.stringify(sorted(await listedTenants(frame))) === JSON.stringify(sorted(members)) ? true : undefined,
        );
        assert.equal(await tile.getAttribute("aria-pressed"), "true");
        await tile.click();
        await until(`every tenant listed again after a second click on ${label}`, async () =>
          (await listedTenants(frame)).length === tenants.length ? true : undefined,
        );
      }
    });

    it("New error: the error text and hint, Copy error, View job at the failed task, Download logs", async () => {
      const detail = await openDetail(hub.frame, "failed");
      const run = await latestRun("failed");
      const error = run.facts.error;
      assert.ok(error, "the failed run published its error");
      assert.equal(await detail.locator(".tenant-sync-error-text").innerText(), error.message);
      assert.equal(await detail.locator(".tenant-sync-hint").innerText(), `What to do: ${error.hint}`);
      // The object the error is about, when the error names one (a sign-in failure names none).
      const object = detail.locator("p", { hasText: /^Object: / });
      if (error.object) assert.equal(await object.innerText(), `Object: ${error.object}`);
      else assert.equal(await object.count(), 0, "no object line for an error without an object");

      const failedTask = (await timeline(t, run.id)).find((r) => r.type === "Task" && r.result === taskFailed);
      assert.ok(failedTask?.parentId, "the run's timeline has a failed task in a job");
      const href = await detail.locator("a", { hasText: "View job" }).getAttribute("href");
      const link = new URL(href!);
      assert.equal(`${link.origin}${link.pathname}`, `${t.info.collectionUrl}${t.info.project}/_build/results`);
      assert.deepEqual(Object.fromEntries(link.searchParams), {
        buildId: String(run.id),
        view: "logs",
        j: failedTask.parentId,
        t: failedTask.id,
      });
      for (const name of ["Copy error", "Download logs"]) assert.ok(await button(detail, name).isEnabled(), name);
    });

    it("Pending authentication: the user code, Copy code, the verification link and a countdown that ticks", async () => {
      const detail = await openDetail(hub.frame, "device-code");
      const code = (await latestRun("device-code")).facts.deviceCode;
      assert.ok(code, "the run published its device code");
      assert.equal(await detail.locator(".tenant-sync-user-code").innerText(), code.userCode);
      assert.ok(await button(detail, "Copy code").isEnabled());
      for (const name of [code.verificationUri, "Open sign-in page"])
        assert.equal(await detail.locator("a", { hasText: name }).first().getAttribute("href"), code.verificationUri);

      const countdown = detail.locator(".tenant-sync-countdown");
      const first = await countdown.innerText();
      const m = /^Expires in (\d+):(\d\d)$/.exec(first);
      assert.ok(m, `a countdown, not "${first}"`);
      const left = (Date.parse(code.expiresAt) - Date.now()) / 1000;
      assert.ok(Math.abs(Number(m[1]) * 60 + Number(m[2]) - left) < 5, `${first} against ${left} s left`);
      await until(`the countdown moving on from "${first}"`, async () =>
        (await countdown.innerText()) !== first ? true : undefined,
      );
    });

    it("Pending approval: the plan's counts, the description before → after, and the decisions enabled", async () => {
      const detail = await openDetail(hub.frame, "approval");
      const plan = (await latestRun("approval")).facts.plan;
      assert.ok(plan, "the waiting run published its plan");
      const summary = await detail.locator(".tenant-sync-plan > p").first().innerText();
      assert.match(
        summary,
        new RegExp(
          `^Plan: \\+${plan.toAdd} ~${plan.toChange} −${plan.toDelete} \\(${plan.toAdd} to add, ${plan.toChange} to change, ${plan.toDelete} to delete\\)`,
        ),
      );
      const change = detail.locator(".tenant-sync-changes > li");
      assert.equal(await change.count(), 1);
      assert.match(
        await change.locator("strong").innerText(),
        /^Change intune\.compliancePolicy “Windows - Compliance baseline”$/,
      );
      const field = change.locator("li", { has: hub.frame.locator("code", { hasText: "/description" }) });
      const before = await field.locator("del").innerText();
      const after = await field.locator("ins").innerText();
      // After is what the repository holds now; before is the tenant's, without the committed note.
      const repository = t.devops.tenant("approval").repository;
      const head = await t.devops.store.git.resolveCommit(repository, "refs/heads/main");
      const item = await t.devops.store.git.item(repository, head!, compliancePolicy.file);
      const inRepository = (JSON.parse(item!.content!.toString("utf8")) as { object: { description: string } }).object;
      assert.equal(after, inRepository.description);
      assert.equal(after, `${before} (reviewed by the security team)`);

      for (const name of ["Approve", "Reject", "Reject and revert"])
        await until(`${name} enabled for the scenario's user (an assigned approver)`, async () =>
          (await button(detail, name).isEnabled()) ? true : undefined,
        );
      assert.ok(await detail.getByRole("textbox", { name: "Comment on the approval of approval" }).isEditable());
      assert.equal(await detail.getByText(/may approve/).count(), 0, "no note on who may approve");
    });

    it("Pending admin consent: the permissions, the types held back and the consent link", async () => {
      const detail = await openDetail(hub.frame, "consent");
      const consent = (await latestRun("consent")).facts.missingPermissions;
      assert.ok(consent, "the run published the missing permissions");
      assert.deepEqual(
        await detail.getByRole("list", { name: "Missing permissions" }).getByRole("listitem").allInnerTexts(),
        consent.permissions,
      );
      await detail.getByText(`Held back until consent is granted: ${consent.skippedTypes.join(", ")}.`).waitFor();
      assert.equal(
        await detail.locator("a", { hasText: "Grant admin consent" }).getAttribute("href"),
        consent.consentUrl,
      );
    });

    it("Partially successful: what could not be backed up, the issues per step, the run and its logs", async () => {
      const detail = await openDetail(hub.frame, "partial");
      const run = await latestRun("partial");
      assert.deepEqual(run.facts.backup?.failedTypes, ["intune.remediationScript"]);
      await detail.getByText("Could not back up: intune.remediationScript.").waitFor();
      const issues = await detail.getByRole("list", { name: "Issues per step" }).getByRole("listitem").allInnerTexts();
      assert.ok(
        issues.some((i) => /^Warning in Plan: .*The remediation scripts could not be listed\./.test(i)),
        issues.join("\n"),
      );
      const runLink = new URL((await detail.locator("a", { hasText: "View run" }).getAttribute("href"))!);
      assert.equal(runLink.searchParams.get("buildId"), String(run.id));
      assert.ok(await button(detail, "Download logs").isEnabled());
    });

    it("every tenant: Run sync now with the template's parameters, and Pause", async () => {
      for (const tenant of tenants) {
        await showTable(hub.frame);
        await openButton(hub.frame, tenant).click();
        const detail = detailOf(hub.frame, tenant);
        const form = detail.getByRole("form", { name: `Run a sync of ${tenant}` });
        for (const name of ["Mode", "Conflicts"]) await form.getByRole("button", { name }).waitFor();
        for (const name of ["Confirm deletes", "Confirm mass changes", "Confirm secrets"])
          assert.equal(
            await form.getByRole("switch", { name }).getAttribute("aria-checked"),
            "false",
            `${tenant}: ${name}`,
          );
        assert.ok(await button(form, "Run sync now").isEnabled(), `${tenant}: Run sync now`);
        assert.ok(await button(detail, "Pause").isEnabled(), `${tenant}: Pause`);
        await detail.getByText(`Pipeline tenant-sync-${tenant}: enabled.`).waitFor();
      }
    });

    for (const theme of ["light", "dark"] as const)
      it(`screenshots of the overview and of each status's detail (${theme})`, async () => {
        const shot = await openHub(browser, t.info.hubUrl, { theme });
        try {
          await shot.page.screenshot({ path: screenshotPath(`statuses-overview-${theme}`) });
          // Tall enough for the longest detail: a frame paints only what its viewport shows.
          await shot.page.setViewportSize({ width: 1280, height: 2400 });
          for (const [tenant, kind] of Object.entries(scenario)) {
            const detail = await openDetail(shot.frame, tenant);
            await detail.screenshot({ path: screenshotPath(`statuses-detail-${kind}-${theme}`) });
          }
        } finally {
          await shot.close();
        }
      });
  });

  describe("what a person does", () => {
    /** A second and a third run waiting for approval, for Reject and Reject and revert (started now, used later). */
    let waiting: Promise<Record<"idle" | "consent", ApprovalJson>>;

    before(() => {
      const waitAtApproval = async (tenant: "idle" | "consent") => {
        await commitChange(t.devops, t.devops.tenant(tenant));
        return waitForApproval(t, t.devops.queueRun(tenant).id);
      };
      waiting = Promise.all([waitAtApproval("idle"), waitAtApproval("consent")]).then(([idle, consent]) => ({
        idle,
        consent,
      }));
      waiting.catch(() => undefined); // awaited (and reported) by the tests that need it
    });

    const clipboard = () => hub.page.evaluate(() => navigator.clipboard.readText());

    it("copies the device code and the error to the clipboard", async () => {
      const code = (await latestRun("device-code")).facts.deviceCode!.userCode;
      await button(await openDetail(hub.frame, "device-code"), "Copy code").click();
      await until(`the code ${code} on the clipboard`, async () => ((await clipboard()) === code ? true : undefined));

      const error = (await latestRun("failed")).facts.error!;
      await button(await openDetail(hub.frame, "failed"), "Copy error").click();
      const copied = await until("the error on the clipboard", async () => {
        const text = await clipboard();
        return text.startsWith(error.message) ? text : undefined;
      });
      assert.ok(copied.endsWith(error.code), copied);
      assert.deepEqual(await messages(hub.frame), []);
    });

    it("downloads the logs of a run as a zip", async () => {
      const run = await latestRun("partial");
      const detail = await openDetail(hub.frame, "partial");
      const context = hub.page.context();
      const download = new Promise<Download>((resolve) => {
        const watch = (p: typeof hub.page) => p.once("download", resolve);
        context.pages().forEach(watch);
        context.on("page", watch);
      });
      await button(detail, "Download logs").click();
      const file = await download;
      assert.match(
        new URL(file.url()).pathname,
        new RegExp(`/_apis/pipelines/${definitionId("partial")}/runs/${run.id}/signedlogs$`),
      );
      const saved = await file.path();
      const entries = new AdmZip(readFileSync(saved)).getEntries().map((e) => e.entryName);
      assert.ok(entries.length > 0 && entries.every((e) => /\.txt$/.test(e)), entries.join(", "));
      for (const p of context.pages()) if (p !== hub.page) await p.close();
    });

    it("pauses a pipeline (the row shows Paused, Run sync now waits for Resume) and resumes it", async () => {
      const { frame } = hub;
      const current = async () => (await t.builds.getDefinition(t.info.project, definitionId("never-run"))).queueStatus;
      let detail = await openDetail(frame, "never-run");
      await button(detail, "Pause").click();
      await until("the pipeline of never-run paused", async () =>
        (await current()) === queueStatus.paused ? true : undefined,
      );
      await untilStatus(frame, "never-run", "Not run");
      await rowOf(frame, "never-run").getByText("Paused", { exact: true }).waitFor();
      await frame.getByRole("button", { name: "Paused: 1 tenant" }).waitFor();
      detail = detailOf(frame, "never-run");
      await detail.getByText("The pipeline is paused: resume it first.").waitFor();
      assert.equal(await button(detail, "Run sync now").isEnabled(), false);

      await button(detail, "Resume").click();
      await until("the pipeline of never-run enabled again", async () =>
        (await current()) === queueStatus.enabled ? true : undefined,
      );
      await button(detail, "Pause").waitFor();
      await frame.getByRole("button", { name: "Paused: 0 tenants" }).waitFor();
      assert.equal(await rowOf(frame, "never-run").getByText("Paused", { exact: true }).count(), 0);
      assert.ok(await button(detail, "Run sync now").isEnabled());
    });

    it("queues a run with the parameters chosen in Run sync now", async () => {
      const { frame } = hub;
      const before = (await latestRun("failed")).id;
      const detail = await openDetail(frame, "failed");
      const form = detail.getByRole("form", { name: "Run a sync of failed" });
      await form.getByRole("button", { name: "Mode" }).click();
      await frame.getByRole("option", { name: "Backup only" }).click();
      await form.getByRole("button", { name: "Conflicts" }).click();
      await frame.getByRole("option", { name: "Repository wins" }).click();
      await form.getByRole("switch", { name: "Confirm deletes" }).click();
      await button(form, "Run sync now").click();
      const id = await until("a new run of failed", async () => {
        const latest = (await latestRun("failed")).id;
        return latest > before ? latest : undefined;
      });
      const build = await t.builds.getBuild(t.info.project, id);
      assert.deepEqual(build.templateParameters, {
        mode: "backupOnly",
        confirmDeletes: "true",
        confirmMassChanges: "false",
        confirmSecrets: "false",
        conflictPolicy: "repo-wins",
      });
      assert.equal(build.requestedFor?.displayName, t.info.user.displayName);
      // The page follows: the new run joins the tenant's recent runs.
      await until(`run ${id} in failed's recent runs`, async () =>
        (await detailOf(frame, "failed").locator(".tenant-sync-history g[data-outcome]").count()) === 2
          ? true
          : undefined,
      );
      assert.deepEqual(await messages(frame), []);
    });

    it("approves with the keyboard only: Tab to the row, open it, Tab to Approve, Enter; the run deploys and ends Idle", async () => {
      const kb = await openHub(browser, t.info.hubUrl);
      try {
        const { page, frame } = kb;
        const focused = () =>
          frame.evaluate(() => {
            const e = document.activeElement as HTMLElement | null;
            return `${e?.getAttribute("aria-label") ?? e?.textContent?.trim() ?? ""}`;
          });
        /** Presses Tab until the focus is on what `wanted` says, at most 80 times. */
        const tabTo = async (wanted: string) => {
          const seen: string[] = [];
          for (let i = 0; i < 80; i++) {
            await page.keyboard.press("Tab");
            const now = await focused();
            if (now === wanted) return;
            seen.push(now);
          }
          assert.fail(`Tab never reached "${wanted}"; it went through: ${seen.join(" | ")}`);
        };
        await tabTo("Open approval's detail");
        await page.keyboard.press("Enter");
        const detail = detailOf(frame, "approval");
        await until("Approve enabled in approval's detail", async () =>
          (await button(detail, "Approve").isEnabled()) ? true : undefined,
        );
        await tabTo("Comment on the approval of approval");
        await page.keyboard.type("Approved from the keyboard");
        await tabTo("Approve");
        await page.keyboard.press("Enter");

        const approval = await until("the approval of approval decided", async () => {
          const a = t.devops.store.approvals.list.find((x) => x.definitionId === definitionId("approval"));
          return a && a.status !== "pending" ? a : undefined;
        });
        assert.equal(approval.status, "approved");
        assert.equal(approval.steps[0].comment, "Approved from the keyboard");
        assert.equal(approval.steps[0].actualApprover?.id, t.info.user.id);

        await untilStatus(frame, "approval", "Idle", 120_000);
        const build = await t.builds.getBuild(t.info.project, approval.buildId);
        assert.equal(build.status, buildCompleted);
        const deploy = (await timeline(t, approval.buildId)).find((r) => r.type === "Stage" && r.name === "Deploy");
        assert.equal(deploy?.result, taskSucceeded, "the Deploy stage succeeded");
        await detail
          .getByRole("list", { name: "Steps of the run" })
          .locator('li[data-state="done"]', { hasText: /^Deploy/ })
          .waitFor();
        assert.deepEqual(await messages(frame), []);
      } finally {
        await kb.close();
      }
    });

    it("rejects a plan with a comment: the approval is rejected and the tenant shows Idle with the rejection", async () => {
      const { idle } = await waiting;
      const { frame } = hub;
      await button(frame, "Refresh").click();
      await untilStatus(frame, "idle", "Pending approval");
      const detail = await openDetail(frame, "idle");
      await detail.getByRole("textbox", { name: "Comment on the approval of idle" }).fill("Not before the review");
      await until("Reject enabled", async () => ((await button(detail, "Reject").isEnabled()) ? true : undefined));
      await button(detail, "Reject").click();
      const decided = await until("idle's approval rejected", async () => {
        const a = t.devops.store.approvals.find(idle.id);
        return a && a.status !== "pending" ? a : undefined;
      });
      assert.equal(decided.status, "rejected");
      assert.equal(decided.steps[0].comment, "Not before the review");
      await untilStatus(frame, "idle", "Idle", 90_000);
      const said = detailOf(frame, "idle").getByText(/^The last plan was rejected/);
      assert.equal(
        await said.innerText(),
        `The last plan was rejected by ${t.info.user.displayName}: “Not before the review”`,
      );
    });

    it("rejects and reverts: the approval is rejected and a revert run is queued", async () => {
      const { consent } = await waiting;
      const { frame } = hub;
      await button(frame, "Refresh").click();
      await untilStatus(frame, "consent", "Pending approval");
      const rejected = Number(consent.pipeline.owner.id);
      const detail = await openDetail(frame, "consent");
      await detail.getByRole("textbox", { name: "Comment on the approval of consent" }).fill("Put it back");
      await until("Reject and revert enabled", async () =>
        (await button(detail, "Reject and revert").isEnabled()) ? true : undefined,
      );
      await button(detail, "Reject and revert").click();
      const decided = await until("consent's approval rejected", async () => {
        const a = t.devops.store.approvals.find(consent.id);
        return a && a.status !== "pending" ? a : undefined;
      });
      assert.equal(decided.status, "rejected");
      const revert = await until("a revert run of consent", async () => {
        const latest = await latestRun("consent");
        return latest.id > rejected ? latest.id : undefined;
      });
      const build = await t.builds.getBuild(t.info.project, revert);
      assert.equal(build.templateParameters.mode, "revert");
      // The page follows: consent no longer waits for the rejected plan.
      await until("consent's row leaving Pending approval", async () =>
        (await shownStatus(frame, "consent")).kind !== "pendingApproval" ? true : undefined,
      );
      assert.deepEqual(await messages(frame), []);
    });
  });
});
