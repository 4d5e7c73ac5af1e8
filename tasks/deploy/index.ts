/**
 * Tenant Sync deploy task — applies exactly the approved plan from the plan artifact (refusing it while
 * a confirmation is missing, when it is not the plan this run's Plan stage recorded, or when the tenant
 * changed since), then, given the repository, settles: backs up what changed, moves base forward and
 * pushes.
 */
import { deploy, readPlanFile, refuseUnconfirmed, settleAfterDeploy } from "../../src/core/index";
import { planFileIn } from "../../src/pipeline/artifacts";
import { refuseIfNotThisRunsPlan } from "../../src/pipeline/plan-of-this-run";
import { runTask } from "../../src/pipeline/run-task";
import { parseDeployInputs } from "../../src/pipeline/task-inputs";

void runTask(parseDeployInputs, async ({ inputs, log, publish, connect, repository, lockPlan, setSecret }) => {
  await publish.enterStep("deploy");
  const planPath = planFileIn(inputs.planPath);
  const plan = readPlanFile(planPath);
  refuseUnconfirmed(plan, inputs.confirmations); // before signing in: a plan that may not run needs no tenant
  await refuseIfNotThisRunsPlan(planPath, plan.digest, log); // in a build: the artifact is the plan this run recorded
  const repoDir = inputs.repositoryPath;
  const repo = repoDir ? await repository(repoDir) : undefined;
  await lockPlan(planPath);
  const { graph, identity } = await connect();
  await publish.enterStep("deploy");
  const result = await log.section("Deploy", () =>
    deploy({ plan, graph, confirm: inputs.confirmations, journalPath: `${planPath}.journal`, log, repoDir, setSecret }),
  );
  const outcome = await publish.deployDone(plan, result);
  if (repoDir && repo && result.applied + result.skipped > 0) {
    await publish.enterStep("settle");
    await log.section("Settle", () =>
      settleAfterDeploy({
        repoDir,
        graph,
        identity,
        include: inputs.include,
        exclude: inputs.exclude,
        workingBranch: inputs.git.repositoryBranch,
        log,
        plan,
        outcomes: result.outcomes,
      }),
    );
    await repo.push();
  }
  return outcome;
});
