/**
 * task-publisher — what a task publishes while it runs. For the hub: the live facts of run-facts.ts
 * (step, device code, missing permissions, counts, error) as build properties and tags, sent through
 * the run-facts publisher with the job's token, in order. For people: progress, output variables,
 * reports as a pipeline artifact and a section of the build summary. Facts are best effort: a failure
 * to publish them is one warning, never the run's failure.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as tl from "azure-pipelines-task-lib/task";
import {
  type BackupResult,
  type Confirmation,
  type DeployResult,
  describeImport,
  type DeviceCodePrompt,
  type ErrorFact,
  type Plan,
  type PlanStepResult,
  readPlanFile,
  redact,
  renderText,
  type RunFacts,
  type RunStep,
  runTag,
  SyncError,
} from "../core/index";
import { systemAccessToken } from "./agent-environment";
import { planFileFor, publishArtifact, uploadArtifactFolder, uploadSummaryAs } from "./artifacts";
import type { PipelineLogger } from "./pipeline-logger";
import {
  backupFact,
  backupOutcome,
  consentFact,
  deployErrorFact,
  deployFact,
  deployOutcome,
  isDeployable,
  neededConfirmations,
  planCounts,
  planFact,
  planOutcome,
  renderBackupMarkdown,
  renderDeployMarkdown,
  type TaskOutcome,
  totalObjects,
} from "./reports";
import { createRunFactsPublisher, isRunFactsPublishError } from "./run-facts-publisher";
import type { CommonInputs } from "./task-inputs";

/** Where facts go: build properties and tags of the running build. */
export interface FactsSink {
  publish(facts: RunFacts): Promise<void>;
  addTags(tags: string[]): Promise<void>;
}

/** The running build's facts sink, or undefined outside a build (no collection, project, build id or token). */
export function buildFactsSink(log: PipelineLogger): FactsSink | undefined {
  const collectionUri = tl.getVariable("System.CollectionUri");
  const projectId = tl.getVariable("System.TeamProjectId");
  const buildId = tl.getVariable("Build.BuildId");
  const accessToken = systemAccessToken();
  if (!collectionUri || !projectId || !buildId || !accessToken) {
    log.debug(
      "Not running in a build with System.CollectionUri, System.TeamProjectId, Build.BuildId and System.AccessToken: the facts for the Tenant Sync hub are not published.",
    );
    return undefined;
  }
  return createRunFactsPublisher({ collectionUri, projectId, buildId, accessToken });
}

/** Percent of the task's progress bar at the start of each step. */
const stepProgress: Record<RunStep, { percent: number; operation: string }> = {
  authenticate: { percent: 2, operation: "Signing in" },
  backup: { percent: 10, operation: "Backing up the tenant" },
  importDrift: { percent: 50, operation: "Importing changes made in the tenant" },
  plan: { percent: 10, operation: "Backing up the tenant and making the plan" },
  approval: { percent: 100, operation: "Waiting for approval" },
  deploy: { percent: 10, operation: "Deploying the plan" },
  settle: { percent: 90, operation: "Settling: backing up what the deploy changed" },
};

export class TaskPublisher {
  private queue: Promise<void> = Promise.resolve();
  private warned = false;
  private currentStep: RunStep = "authenticate";
  private deviceCodeShown = false;

  constructor(
    private readonly sink: FactsSink | undefined,
    private readonly log: PipelineLogger,
    private readonly inputs: Pick<CommonInputs, "tenant" | "artifactFolder" | "artifactName">,
  ) {}

  get step(): RunStep {
    return this.currentStep;
  }

  /** Queues a send; sends run one after another so the hub never sees facts out of order. */
  private send(what: string, action: (sink: FactsSink) => Promise<void>): Promise<void> {
    const sink = this.sink;
    if (!sink) return Promise.resolve();
    this.queue = this.queue
      .then(() => action(sink))
      .catch((e: unknown) => {
        const reason = `${redact(e instanceof Error ? e.message : String(e))}${isRunFactsPublishError(e) ? ` ${e.detail.hint}` : ""}`;
        if (this.warned) return this.log.debug(`Could not publish ${what}: ${reason}`);
        this.warned = true;
        this.log.warn(
          `Could not publish this run's status for the Tenant Sync hub (${what}): ${reason}. The hub may show this run late or incompletely; the sync itself is not affected.`,
        );
      });
    return this.queue;
  }

  facts(facts: RunFacts): Promise<void> {
    return this.send(`the facts ${Object.keys(facts).join(", ")}`, (sink) => sink.publish(facts));
  }

  tags(tags: string[]): Promise<void> {
    return this.send(`the tags ${tags.join(", ")}`, (sink) => sink.addTags(tags));
  }

  /** Waits until everything queued was sent (or given up on). */
  flush(): Promise<void> {
    return this.queue;
  }

  async start(): Promise<void> {
    await this.tags([runTag.product, runTag.tenant(this.inputs.tenant)]);
    await this.facts({ tenant: this.inputs.tenant, step: this.currentStep, error: null });
  }

  async enterStep(step: RunStep): Promise<void> {
    this.currentStep = step;
    this.log.setProgress(stepProgress[step].percent, stepProgress[step].operation);
    await this.facts({ step });
  }

  /** The device-code prompt: in the log, on the task's record, and as a fact the hub shows with a countdown. */
  deviceCodeWaiting(prompt: DeviceCodePrompt): void {
    this.deviceCodeShown = true;
    this.log.info(`${prompt.message} (the code expires at ${prompt.expiresAt.toISOString()})`);
    this.log.setProgress(
      stepProgress.authenticate.percent,
      `Waiting for sign-in: enter ${prompt.userCode} at ${prompt.verificationUri}`,
    );
    void this.facts({
      deviceCode: {
        userCode: prompt.userCode,
        verificationUri: prompt.verificationUri,
        expiresAt: prompt.expiresAt.toISOString(),
        message: prompt.message,
        shownAt: new Date().toISOString(),
      },
    });
  }

  async signedIn(): Promise<void> {
    if (this.deviceCodeShown) await this.facts({ deviceCode: null });
  }

  /** An output variable of the task (declared in task.json and allowed by its restrictions). */
  output(name: string, value: string | number | boolean): void {
    tl.setVariable(name, String(value), false, true);
  }

  async failed(error: ErrorFact): Promise<void> {
    await this.facts({ error, ...(this.deviceCodeShown ? { deviceCode: null } : {}) });
  }

  async backupDone(result: BackupResult): Promise<TaskOutcome> {
    await this.facts({ backup: backupFact(result), missingPermissions: consentFact(result) });
    await this.tagIssues(result.partial, result.missingPermissions.length > 0);
    this.output("changed", result.changed);
    this.output("objects", totalObjects(result));
    this.output("partial", result.partial);
    this.report(
      "backup-report",
      JSON.stringify(result, null, 2),
      renderBackupMarkdown(this.inputs.tenant, result),
      "Tenant Sync backup",
    );
    return backupOutcome(result);
  }

  /**
   * Records the digest of the published plan.json on the run, for the Deploy stage to check its
   * artifact against. Not best effort: in a build, a failure fails the task (Deploy would refuse).
   */
  async planDigest(digest: string | undefined): Promise<void> {
    await this.flush();
    if (!this.sink) return this.log.debug("Not running in a build: the plan's digest is not recorded on a run.");
    try {
      await this.sink.publish({ planDigest: digest });
    } catch (e) {
      const hint = isRunFactsPublishError(e) ? e.detail.hint : "Run the pipeline again.";
      throw new SyncError(
        "plan.unverified",
        `Could not record the plan's digest on the run, so the Deploy stage could not check that its artifact is this plan: ${redact(e instanceof Error ? e.message : String(e))}`,
        { hint, cause: e },
      );
    }
  }

  async planReady(result: PlanStepResult, confirmations: Confirmation[] = []): Promise<TaskOutcome> {
    const plan = result.plan;
    await this.section("Plan", async () => {
      for (const i of result.imports) this.log.info(`Imported into the repository: ${describeImport(i)}`);
      for (const line of renderText(plan).trimEnd().split("\n")) this.log.info(line);
      for (const f of plan.findings)
        this.log.warn(
          f.refused
            ? `Not deployed (left to a person): ${f.message}`
            : f.confirm
              ? `Needs the confirmation "${f.confirm}" to deploy: ${f.message}`
              : `Blocks the plan: ${f.message}`,
          f.addresses[0],
        );
    });
    await this.facts({
      backup: backupFact(result.backup),
      missingPermissions: consentFact(result.backup),
      plan: planFact(result),
    });
    await this.tagIssues(result.backup.partial, result.backup.missingPermissions.length > 0);
    if (plan.changes.length > 0) await this.tags([runTag.hasChanges]);
    // planStep wrote plan.json: its digest, read back as Deploy will read it, is what the run records.
    await this.planDigest(readPlanFile(planFileFor(this.inputs.artifactFolder)).digest);
    this.planOutputs(plan, confirmations);
    // plan.json and plan.md are in the artifact folder.
    uploadArtifactFolder(this.inputs.artifactFolder, this.inputs.artifactName);
    uploadSummaryAs(
      this.inputs.artifactFolder,
      "Tenant Sync plan",
      readFileSync(join(this.inputs.artifactFolder, "plan.md"), "utf8"),
    );
    return planOutcome(result);
  }

  /** Reject and revert: the repository's pending changes went back to the tenant's state; nothing is left to deploy. */
  async reverted(result: {
    commit?: string;
    reverted: string[];
    leftOut: { type: string; error: string }[];
  }): Promise<TaskOutcome> {
    for (const address of result.reverted) this.log.info(`Reverted to the tenant's state: ${address}`);
    this.planOutputs(undefined, []);
    for (const f of result.leftOut)
      this.log.warn(`${f.type} was left out of the revert: ${f.error} (its pending changes stay in the repository).`);
    if (result.leftOut.length)
      return {
        result: "succeededWithIssues",
        message: `Reverted ${result.reverted.length} pending change${result.reverted.length === 1 ? "" : "s"}; ${result.leftOut.map((f) => f.type).join(", ")} could not be backed up, so their pending changes were not reverted. Fix the cause and revert again.`,
      };
    return {
      result: "succeeded",
      message: result.commit
        ? `Reverted ${result.reverted.length} pending change${result.reverted.length === 1 ? "" : "s"} to the tenant's state (commit ${result.commit.slice(0, 12)}).`
        : "Nothing was pending: the repository already matches the tenant.",
    };
  }

  async deployDone(plan: Plan, result: DeployResult): Promise<TaskOutcome> {
    const error = deployErrorFact(result);
    await this.facts({ deploy: deployFact(result), ...(error ? { error } : {}) });
    if (result.status === "partiallySucceeded") await this.tags([runTag.partial]);
    this.output("status", result.status);
    this.output("applied", result.applied);
    this.output("failed", result.failed);
    this.output("skipped", result.skipped);
    this.report(
      "deploy-report",
      JSON.stringify(result, null, 2),
      renderDeployMarkdown(this.inputs.tenant, plan, result),
      "Tenant Sync deploy",
    );
    return deployOutcome(result);
  }

  /** The plan's outputs; without a plan (after a revert), a plan of nothing. `deployable` with the confirmations Deploy gives. */
  private planOutputs(plan: Plan | undefined, confirmations: Confirmation[]): void {
    const counts = plan ? planCounts(plan) : { toAdd: 0, toChange: 0, toDelete: 0, conflicts: 0 };
    this.output("hasChanges", (plan?.changes.length ?? 0) > 0);
    this.output("toAdd", counts.toAdd);
    this.output("toChange", counts.toChange);
    this.output("toDelete", counts.toDelete);
    this.output("conflicts", counts.conflicts);
    this.output("needsConfirmation", plan ? neededConfirmations(plan).join(",") : "");
    this.output("deployable", plan ? isDeployable(plan, confirmations) : false);
  }

  private async tagIssues(partial: boolean, pendingConsent: boolean): Promise<void> {
    const tags = [...(partial ? [runTag.partial] : []), ...(pendingConsent ? [runTag.pendingConsent] : [])];
    if (tags.length) await this.tags(tags);
  }

  private report(name: string, json: string, markdown: string, title: string): void {
    publishArtifact({
      folder: this.inputs.artifactFolder,
      artifactName: this.inputs.artifactName,
      files: { [`${name}.json`]: json, [`${name}.md`]: markdown },
    });
    uploadSummaryAs(this.inputs.artifactFolder, title, markdown);
  }

  private section(title: string, work: () => Promise<void>): Promise<void> {
    return this.log.section(title, work);
  }
}
