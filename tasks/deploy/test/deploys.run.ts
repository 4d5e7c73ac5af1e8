// Scenario: deploy the plan in the artifact folder to the Graph emulator's tenant (confirming "deletes" unless the test names the confirmations), then settle and push.
import { join } from "node:path";
import { TaskMockRunner } from "azure-pipelines-task-lib/mock-run";
import { emulatorSignIn, scenarioValues, stopIfHung } from "../../../test/helpers/task-scenario";

stopIfHung();
const v = scenarioValues();
const tmr = new TaskMockRunner(join(__dirname, "..", "index.ts"));
const inputs: Record<string, string> = {
  tenant: "contoso",
  ...emulatorSignIn(v),
  planPath: v.planPath,
  confirmations: v.confirmations ?? "deletes",
  repositoryPath: v.repositoryPath,
  pushChanges: "true",
  repositoryBranch: "main",
  artifactFolder: v.artifactFolder,
  artifactName: "tenant-sync-deploy",
};
for (const [name, value] of Object.entries(inputs)) tmr.setInput(name, value);
tmr.run();
