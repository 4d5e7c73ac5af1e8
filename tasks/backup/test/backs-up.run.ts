// Scenario: back the Graph emulator's tenant up into the repository and push the backup branch.
import { join } from "node:path";
import { TaskMockRunner } from "azure-pipelines-task-lib/mock-run";
import { emulatorSignIn, scenarioValues, stopIfHung } from "../../../test/helpers/task-scenario";

stopIfHung();
const v = scenarioValues();
const tmr = new TaskMockRunner(join(__dirname, "..", "index.ts"));
const inputs: Record<string, string> = {
  tenant: "contoso",
  ...emulatorSignIn(v),
  repositoryPath: v.repositoryPath,
  pushChanges: "true",
  repositoryBranch: "refs/heads/main",
  artifactFolder: v.artifactFolder,
  artifactName: "tenant-sync-backup",
};
for (const [name, value] of Object.entries(inputs)) tmr.setInput(name, value);
tmr.run();
