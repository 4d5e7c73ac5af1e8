/**
 * run-devops — what `tenant-sync emulate devops` does: starts a local Azure DevOps organisation
 * (REST API, git hosting, a local agent running the tenant pipelines) with a Microsoft Graph
 * emulator of its own or the one given, sets up the scenario, prints one JSON ready line on stdout,
 * and runs until SIGINT / SIGTERM. Loaded only by that command.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { defaultCaDir } from "../../emulators/https";
import { startLocalDevOps } from "../../emulators/local-devops/organization";
import { runScenario, scenarioNames, type ScenarioName } from "../../emulators/local-devops/scenarios";
import { safeOutput } from "../core/safe-text";
import { numberOption, UsageError } from "./command";
import { relaunchTrustingLocalCa } from "./local-ca";

const say = (line: string) => process.stderr.write(safeOutput(`${line}\n`));

export async function runDevOps(values: Record<string, string | boolean | undefined>): Promise<number> {
  const scenario = String(values.scenario ?? "demo") as ScenarioName;
  if (!scenarioNames.includes(scenario))
    throw new UsageError(`--scenario must be one of ${scenarioNames.join(", ")}; got '${scenario}'.`);
  const tenants = values.tenants === undefined ? 0 : numberOption(values.tenants, "tenants", { min: 0, max: 100_000 });
  const graphUrl = values["graph-url"] as string | undefined;
  const graphControlUrl = values["graph-control-url"] as string | undefined;
  if (graphUrl && !graphControlUrl)
    throw new UsageError(
      "--graph-url needs --graph-control-url too (the Graph emulator's controlUrl from its ready line): the tenants' apps are set to trust this organisation through it.",
    );
  const taskRoot = join(__dirname, "..", "..", "dist", "tasks");
  if (!existsSync(taskRoot))
    throw new UsageError(`The task bundles the local agent runs are missing (${taskRoot}): run 'npm run build' first.`);
  const caDir = (values["ca-dir"] as string | undefined) ?? defaultCaDir();
  const relaunched = relaunchTrustingLocalCa(caDir);
  if (relaunched) return relaunched;

  const started = Date.now();
  const devops = await startLocalDevOps({
    port: numberOption(values.port, "port", { min: 0, max: 65535 }),
    controlPort: numberOption(values["control-port"], "control-port", { min: 0, max: 65535 }),
    caDir,
    graph: graphUrl ? { graphUrl, controlUrl: graphControlUrl! } : undefined,
    parallelJobs: numberOption(values["parallel-jobs"] ?? "4", "parallel-jobs", { min: 1, max: 64 }),
    dataDir: values["data-dir"] as string | undefined,
    log: say,
  });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await devops.stop();
  };
  try {
    say(`Setting up the '${scenario}' scenario${tenants ? ` and ${tenants} recorded tenants` : ""}…`);
    const report = await runScenario(devops, scenario, { tenants, log: say });
    process.stdout.write(`${JSON.stringify({ ...devops.readyInfo(), scenario: report })}\n`);
    const info = devops.readyInfo();
    say(
      `Local Azure DevOps ready in ${((Date.now() - started) / 1000).toFixed(1)} s: ${info.collectionUrl}${info.project}` +
        ` (pipelines in \\TenantSync, ${info.tenants.length} tenants). Ctrl+C stops it.`,
    );
  } catch (e) {
    await stop();
    throw e;
  }
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await stop();
  say("Local Azure DevOps stopped.");
  return 0;
}
