// Scenario: a pipeline run signing in with a device code (a person completes it), for an app that
// lacks some permissions: the code is shown while waiting, the missing permissions are published.
import { join } from "node:path";
import { TaskMockRunner } from "azure-pipelines-task-lib/mock-run";
import {
  agentEnvironment,
  completeDeviceCodeSignIn,
  scenarioValues,
  stopIfHung,
} from "../../../test/helpers/task-scenario";

stopIfHung();
const v = scenarioValues();
agentEnvironment(JSON.parse(v.agentVariables));
const tmr = new TaskMockRunner(join(__dirname, "..", "index.ts"));
const inputs: Record<string, string> = {
  tenant: "contoso",
  authentication: "deviceCode",
  tenantId: v.tenantId,
  clientId: v.clientId,
  deviceCodeTimeout: "60",
  authorityHost: v.authorityHost,
  graphUrl: v.graphUrl,
  repositoryPath: v.repositoryPath,
  pushChanges: "false",
  artifactFolder: v.artifactFolder,
  artifactName: "tenant-sync-backup",
};
for (const [name, value] of Object.entries(inputs)) tmr.setInput(name, value);
tmr.run();
completeDeviceCodeSignIn(v.graphControlUrl);
