/**
 * demo — the main job while the sync engine is being built: start the embedded Graph emulator with
 * the demo tenant, sign in with the real @azure/identity client-secret flow, and list what the
 * tenant holds through the real Microsoft Graph client (paging and $batch included).
 */
import { ClientSecretCredential } from "@azure/identity";
import { BatchRequestContent, BatchResponseContent, Client, PageIterator } from "@microsoft/microsoft-graph-client";
import { TokenCredentialAuthenticationProvider } from "@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials";
import { defaultCaDir } from "../../emulators/https";
import { rerunTrustingLocalCa } from "./local-ca";
import { GraphEmulator } from "../../emulators/graph/server";
import { resourceModels } from "../../emulators/graph/service-model";
import type { Command } from "./command";

export const demoCommand: Command = {
  name: "demo",
  summary: "Start the embedded Graph emulator with the demo tenant and show, through the real Azure SDK and Graph client, what the tenant holds.",
  usage: "tenant-sync demo [options]",
  options: {
    seed: { type: "string", value: "SEED", description: "Tenant to start with: demo or synthetic:N[:SEED].", default: "demo" },
  },
  async run(values) {
    const caDir = defaultCaDir();
    const rerun = rerunTrustingLocalCa(caDir);
    if (rerun !== undefined) return rerun;
    const emulator = new GraphEmulator({ seed: String(values.seed), caDir, throttle: { mode: "realistic" }, log: (l) => process.stderr.write(`${l}\n`) });
    const info = await emulator.start();
    try {
      process.stdout.write(`Graph emulator started at ${info.graphUrl} (tenant ${info.tenantId}).\n`);
      const credential = new ClientSecretCredential(info.tenantId, info.clientId, info.clientSecret, { authorityHost: info.authorityHost, disableInstanceDiscovery: true });
      const token = await credential.getToken("https://graph.microsoft.com/.default");
      const roles = JSON.parse(Buffer.from(token.token.split(".")[1], "base64url").toString("utf8")).roles as string[];
      process.stdout.write(`Signed in as app ${info.clientId} with ${roles.length} application permissions.\n\n`);
      const client = Client.initWithMiddleware({
        authProvider: new TokenCredentialAuthenticationProvider(credential, { scopes: ["https://graph.microsoft.com/.default"] }),
        baseUrl: info.graphUrl, customHosts: new Set([new URL(info.graphUrl).hostname]), defaultVersion: "beta",
      });
      await listTenant(client);
      const c = emulator.counters;
      process.stdout.write(`\n${c.graphRequests} Graph requests (${c.batchItems} in $batch), ${c.throttled} throttled.\n`);
    } finally {
      await emulator.stop();
    }
    return 0;
  },
};

async function listTenant(client: Client): Promise<void> {
  const collections = resourceModels.filter((m) => m.kind === "collection");
  for (const model of collections) {
    const names: string[] = [];
    const first = await client.api(model.path).version(model.version).get();
    await new PageIterator(client, first, (o: Record<string, unknown>) => {
      names.push(String(o[model.nameProp] ?? o.displayName ?? o.id));
      return true;
    }).iterate();
    const shown = names.slice(0, 4).join(", ") + (names.length > 4 ? `, … (${names.length - 4} more)` : "");
    process.stdout.write(`${model.key.padEnd(34)} ${String(names.length).padStart(4)}  ${shown}\n`);
  }
  const batch = new BatchRequestContent();
  const singletons = resourceModels.filter((m) => m.kind === "singleton");
  for (const m of singletons) await batch.addRequest({ id: m.key, request: new Request(`https://graph.microsoft.com/v1.0${m.path}`, { method: "GET" }) });
  const batchResponse = new BatchResponseContent(await client.api("/$batch").version("v1.0").post(await batch.getContent()));
  for (const m of singletons) {
    const status = batchResponse.getResponseById(m.key)?.status;
    process.stdout.write(`${m.key.padEnd(34)} ${status === 200 ? "   1  (singleton, read in one $batch)" : `failed with ${status}`}\n`);
  }
}
