/**
 * Tenant Sync backup task — exports the tenant into the backup-history branch of the repository and
 * pushes that branch, so every run leaves an audit trail and a restore point.
 */
import { backup } from "../../src/core/index";
import { runTask } from "../../src/pipeline/run-task";
import { parseBackupInputs } from "../../src/pipeline/task-inputs";

void runTask(parseBackupInputs, async ({ inputs, log, publish, connect, repository }) => {
  const repo = await repository(inputs.repositoryPath);
  const { graph, identity } = await connect();
  await publish.enterStep("backup");
  const result = await log.section("Backup", () =>
    backup({
      repoDir: inputs.repositoryPath,
      graph,
      identity,
      include: inputs.include,
      exclude: inputs.exclude,
      workingBranch: inputs.git.repositoryBranch,
      log,
    }),
  );
  const outcome = await publish.backupDone(result);
  await repo.push();
  return outcome;
});
