/**
 * Tenant Sync plan task — backs the tenant up, imports changes made in the tenant into the repository,
 * writes the plan (plan.json, plan.md), publishes it as the artifact the Deploy stage applies, records its
 * digest on the run (Deploy checks its artifact against it), and says whether it is deployable with the
 * confirmations the Deploy stage gives. With
 * operation "revert" it is the approver's Reject and revert instead: pending repository changes go back
 * to the tenant's state, and nothing is left to deploy.
 */
import { planStep, rejectAndRevert } from "../../src/core/index";
import { planFileFor } from "../../src/pipeline/artifacts";
import { runTask } from "../../src/pipeline/run-task";
import { parsePlanInputs } from "../../src/pipeline/task-inputs";

void runTask(parsePlanInputs, async ({ inputs, log, publish, connect, repository }) => {
  const repo = await repository(inputs.repositoryPath);
  const { graph, identity } = await connect();
  await publish.enterStep("plan");
  const connection = {
    repoDir: inputs.repositoryPath,
    graph,
    identity,
    include: inputs.include,
    exclude: inputs.exclude,
    workingBranch: inputs.git.repositoryBranch,
    log,
  };
  const outcome =
    inputs.operation === "revert"
      ? await publish.reverted(await log.section("Reject and revert", () => rejectAndRevert(connection)))
      : await publish.planReady(
          await log.section("Backup, drift and plan", () =>
            planStep({
              ...connection,
              conflictPolicy: inputs.conflictPolicy,
              massChangeThreshold: inputs.massChangeThreshold,
              planPath: planFileFor(inputs.artifactFolder),
            }),
          ),
          inputs.confirmations,
        );
  await repo.push();
  return outcome;
});
