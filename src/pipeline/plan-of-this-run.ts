/**
 * plan-of-this-run — ties the plan artifact to the run that made it, so what the approver read is what
 * is applied: the Plan task records the digest of the plan.json it published on the run (the build
 * property TenantSync.PlanDigest); the Deploy task reads it back and refuses an artifact whose digest
 * differs, or a run that has none. Only in a build: outside one there is no run to compare with.
 */
import * as tl from "azure-pipelines-task-lib/task";
import { runFact, SyncError } from "../core/index";
import { systemAccessToken } from "./agent-environment";
import type { PipelineLogger } from "./pipeline-logger";
import { createRunFactsPublisher, isRunFactsPublishError, type RunFactsPublisherOptions } from "./run-facts-publisher";

export type BuildContext = Pick<RunFactsPublisherOptions, "collectionUri" | "projectId" | "buildId" | "accessToken">;

/** The running build (collection, project, build id, job token), or undefined outside a build. */
export function currentBuild(): BuildContext | undefined {
  const collectionUri = tl.getVariable("System.CollectionUri") || tl.getVariable("System.TeamFoundationCollectionUri");
  const projectId = tl.getVariable("System.TeamProjectId") || tl.getVariable("System.TeamProject");
  const buildId = tl.getVariable("Build.BuildId");
  const accessToken = systemAccessToken();
  return collectionUri && projectId && buildId && accessToken
    ? { collectionUri, projectId, buildId, accessToken }
    : undefined;
}

const remake =
  "Run the pipeline again: its Plan stage makes and records a new plan, and its Deploy stage applies that one. Never replace the plan artifact by hand.";

/** Throws plan.unverified unless `recorded` (the run's TenantSync.PlanDigest) is the artifact's digest. Pure. */
export function checkPlanOfThisRun(
  planPath: string,
  artifactDigest: string | undefined,
  recorded: string | undefined,
  buildId: string,
): void {
  if (!recorded) {
    throw new SyncError(
      "plan.unverified",
      `The plan artifact ${planPath} cannot be checked against run ${buildId}: the run has no ${runFact.planDigest}, which its Plan stage records when it publishes the plan. Nothing was written.`,
      { hint: remake },
    );
  }
  if (recorded !== artifactDigest) {
    throw new SyncError(
      "plan.unverified",
      `The plan artifact ${planPath} is not the plan this run's Plan stage made: its digest ${artifactDigest ?? "(none)"} differs from the ${recorded} recorded on run ${buildId}. Nothing was written.`,
      { hint: remake },
    );
  }
}

/** In a build, refuses a plan artifact that is not the one this run's Plan stage recorded. */
export async function refuseIfNotThisRunsPlan(
  planPath: string,
  digest: string | undefined,
  log: PipelineLogger,
  build: BuildContext | undefined = currentBuild(),
): Promise<void> {
  if (!build) {
    log.debug(
      `Not running in a build with System.CollectionUri, System.TeamProjectId, Build.BuildId and System.AccessToken: the plan's digest is not compared with the run's ${runFact.planDigest}.`,
    );
    return;
  }
  let recorded: string | undefined;
  try {
    recorded = (await createRunFactsPublisher(build).read([runFact.planDigest])).planDigest;
  } catch (e) {
    const hint = isRunFactsPublishError(e) ? e.detail.hint : "Run the deploy again.";
    throw new SyncError(
      "plan.unverified",
      `Could not read run ${build.buildId}'s ${runFact.planDigest} to check the plan artifact ${planPath} against it: ${(e as Error).message} Nothing was written.`,
      { hint, cause: e },
    );
  }
  checkPlanOfThisRun(planPath, digest, recorded, String(build.buildId));
  log.info(`The plan artifact is the plan this run's Plan stage made (${digest}).`);
}
