// Scenario: a pipeline run — sign in through the service connection's workload identity federation
// (the job's OIDC token from the Azure DevOps emulator) and publish the run's facts for the hub.
import { join } from "node:path";
import { TaskMockRunner } from "azure-pipelines-task-lib/mock-run";
import { agentEnvironment, scenarioValues, stopIfHung } from "../../../test/helpers/task-scenario";

stopIfHung();
const v = scenarioValues();
agentEnvironment(JSON.parse(v.agentVariables), { id: v.serviceConnection, tenantId: v.tenantId, clientId: v.clientId });
const tmr = new TaskMockRunner(join(__dirname, "..", "index.ts"));
const inputs: Record<string, string> = {
  tenant: "contoso",
  authentication: "serviceConnection",
  serviceConnection: v.serviceConnection,
  authorityHost: v.authorityHost,
  graphUrl: v.graphUrl,
  repositoryPath: v.repositoryPath,
  pushChanges: "false",
  artifactFolder: v.artifactFolder,
  artifactName: "tenant-sync-backup",
};
for (const [name, value] of Object.entries(inputs)) tmr.setInput(name, value);
tmr.run();
