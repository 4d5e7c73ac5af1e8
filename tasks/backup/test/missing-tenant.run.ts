// Scenario: every input but "tenant" → the task fails before doing anything, naming the input.
import { join } from "node:path";
import { TaskMockRunner } from "azure-pipelines-task-lib/mock-run";
import { stopIfHung } from "../../../test/helpers/task-scenario";

stopIfHung();
const tmr = new TaskMockRunner(join(__dirname, "..", "index.ts"));
tmr.setInput("authentication", "clientSecret");
tmr.setInput("tenantId", "00000000-0000-0000-0000-000000000001");
tmr.setInput("clientId", "00000000-0000-0000-0000-000000000002");
tmr.setInput("clientSecret", "not-used");
tmr.setInput("repositoryPath", join(__dirname, "does-not-matter"));
tmr.setInput("artifactFolder", join(__dirname, "does-not-matter"));
tmr.setInput("artifactName", "tenant-sync-backup");
tmr.run();
