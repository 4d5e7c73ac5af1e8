/**
 * emulator-child — the body of an emulator child process (see emulator-process.ts): starts the Graph or
 * the Azure DevOps emulator, prints its ready info as one JSON line, and runs until SIGTERM.
 */
import { AzureDevOpsEmulator } from "../../emulators/azdo/server";
import { GraphEmulator } from "../../emulators/graph/server";

async function main(): Promise<void> {
  const [kind, options = "{}"] = process.argv.slice(2);
  const caDir = process.env.TENANT_SYNC_CA_DIR;
  const emulator =
    kind === "azdo"
      ? new AzureDevOpsEmulator({ caDir, ...JSON.parse(options) })
      : new GraphEmulator({ caDir, seed: "demo", ...JSON.parse(options) });
  const info = await emulator.start();
  process.stdout.write(`${JSON.stringify(info)}\n`);
  await new Promise<void>((resolve) => process.once("SIGTERM", () => resolve()));
  await emulator.stop();
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
