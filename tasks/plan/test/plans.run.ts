// Scenario: plan the repository against the Graph emulator's tenant, push what changed, publish the plan.
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
  conflictPolicy: "config",
  massChangeThreshold: "5%",
  confirmations: v.confirmations ?? "",
  artifactFolder: v.artifactFolder,
  artifactName: "tenant-sync-plan",
};
for (const [name, value] of Object.entries(inputs)) tmr.setInput(name, value);
tmr.run();
