// Scenario: a plan that deletes, deployed without confirming deletes → refused before signing in.
import { join } from "node:path";
import { TaskMockRunner } from "azure-pipelines-task-lib/mock-run";
import { scenarioValues, stopIfHung } from "../../../test/helpers/task-scenario";

stopIfHung();
const v = scenarioValues();
const tmr = new TaskMockRunner(join(__dirname, "..", "index.ts"));
const inputs: Record<string, string> = {
  tenant: "contoso",
  authentication: "clientSecret",
  tenantId: "contoso.onmicrosoft.com",
  clientId: "00000000-0000-0000-0000-000000000002",
  clientSecret: "never-used",
  planPath: v.planPath,
  confirmations: "mass",
  artifactFolder: v.artifactFolder,
  artifactName: "tenant-sync-deploy",
};
for (const [name, value] of Object.entries(inputs)) tmr.setInput(name, value);
tmr.run();
