// Scenario: no "repositoryPath" → the task fails before signing in, naming the input.
import { join } from "node:path";
import { TaskMockRunner } from "azure-pipelines-task-lib/mock-run";
import { stopIfHung } from "../../../test/helpers/task-scenario";

stopIfHung();
const tmr = new TaskMockRunner(join(__dirname, "..", "index.ts"));
tmr.setInput("tenant", "contoso");
tmr.setInput("authentication", "deviceCode");
tmr.setInput("tenantId", "contoso.onmicrosoft.com");
tmr.setInput("clientId", "00000000-0000-0000-0000-000000000002");
tmr.setInput("artifactFolder", join(__dirname, "does-not-matter"));
tmr.setInput("artifactName", "tenant-sync-plan");
tmr.run();
