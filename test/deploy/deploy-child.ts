/**
 * deploy-child — runs deploy on a plan file in a process of its own, so a test can kill it midway.
 * Usage: tsx test/deploy/deploy-child.ts <plan.json>; the tenant's credentials come from AZURE_*
 * and TENANT_SYNC_GRAPH_URL; the journal is <plan.json>.journal; every confirmation is given (the
 * plan is approved). Prints the result as JSON.
 */
import { readFileSync } from "node:fs";
import { deploy } from "../../src/core/sync/deploy";
import type { Plan } from "../../src/core/sync/plan";
import { clientFor } from "./plan-builders";

const planPath = process.argv[2];
const env = process.env;
const graph = clientFor({
  graphUrl: String(env.TENANT_SYNC_GRAPH_URL),
  authorityHost: String(env.AZURE_AUTHORITY_HOST),
  tenantId: String(env.AZURE_TENANT_ID),
  clientId: String(env.AZURE_CLIENT_ID),
  clientSecret: String(env.AZURE_CLIENT_SECRET),
});
const plan = JSON.parse(readFileSync(planPath, "utf8")) as Plan;
deploy({ plan, graph, confirm: ["deletes", "mass", "secrets"], journalPath: `${planPath}.journal` }).then(
  (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
