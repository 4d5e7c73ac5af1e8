/**
 * bench-status — `npm run bench:status`: `tenant-sync devops status` over a local Azure DevOps
 * organisation holding N tenants with recorded run history (the empty scenario with --tenants N):
 * the REST calls it made, by route, from the emulator's counters, and its wall time, for the table
 * and for --json. The command runs as a user runs it, in its own process.
 * Usage: npm run bench:status [-- --tenants 1000]
 */
import { parseArgs } from "node:util";
import { startLocalDevOps } from "../emulators/local-devops/organization";
import { runScenario } from "../emulators/local-devops/scenarios";
import { runDevOps } from "../test/onboard/devops-cli";

const { values } = parseArgs({ options: { tenants: { type: "string", default: "1000" } } });
const tenants = Number(values.tenants);
if (!Number.isInteger(tenants) || tenants < 1) {
  console.error(`--tenants must be a whole number of tenants, 1 or more (got ${values.tenants}).`);
  process.exit(2);
}

async function main(): Promise<void> {
  const devops = await startLocalDevOps({ caDir: process.env.TENANT_SYNC_CA_DIR });
  try {
    await runScenario(devops, "empty", { tenants });
    const info = devops.readyInfo();
    console.log(`devops status over ${tenants} recorded tenants (${info.collectionUrl}${info.project})`);
    for (const extra of [[], ["--json"]]) {
      const before = structuredClone(devops.azdo.counters.byRoute);
      const started = process.hrtime.bigint();
      const run = await runDevOps(devops, ["status", ...extra]);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (run.code !== 0) throw new Error(`devops status failed (${run.code}):\n${run.stderr}`);
      const calls: [string, number][] = Object.entries(devops.azdo.counters.byRoute)
        .map(([route, s]): [string, number] => [
          route,
          Object.values(s).reduce((a, b) => a + b, 0) - Object.values(before[route] ?? {}).reduce((a, b) => a + b, 0),
        ])
        .filter(([, n]) => n > 0);
      const total = calls.reduce((a, [, n]) => a + n, 0);
      const rows = extra.length ? (JSON.parse(run.stdout) as unknown[]).length : run.stdout.split("\n").length;
      console.log(
        `\n  status ${extra.join(" ") || "(table)"}: ${total} REST calls, ${(ms / 1000).toFixed(2)} s wall (process start included), ${extra.length ? `${rows} rows` : `${rows} lines`}`,
      );
      for (const [route, n] of calls.sort((a, b) => b[1] - a[1])) console.log(`    ${String(n).padStart(5)}  ${route}`);
    }
  } finally {
    await devops.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
