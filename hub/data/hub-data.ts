/**
 * hub-data — TEMPORARY stand-in for the data layer, on the hub-host branch only, so the page's entry
 * and the browser tests of the host run before the real data layer is merged (drop it then). It reads
 * the pipelines in \TenantSync through the REST client, which is the hub's first call.
 */
import { getClient } from "azure-devops-extension-api";
import { BuildRestClient, DefinitionQueueStatus } from "azure-devops-extension-api/Build";
import type { HubActions, HubContext, HubData, OverviewRow } from "./model";

export function createHubData(ctx: HubContext): HubData {
  const builds = getClient(BuildRestClient);
  const refused = (what: string) => () => Promise.reject(new Error(`${what} comes with the data layer.`));
  const actions: HubActions = {
    refresh: () => Promise.resolve(),
    loadDetail: refused("The tenant's detail"),
    approve: refused("Approving"),
    reject: refused("Rejecting"),
    rejectAndRevert: refused("Rejecting and reverting"),
    runNow: refused("Running"),
    pause: refused("Pausing"),
    resume: refused("Resuming"),
    downloadLogs: refused("Downloading logs"),
    downloadArtifact: refused("Downloading artifacts"),
    copy: (text) => navigator.clipboard.writeText(text),
  };
  return {
    actions,
    async loadOverview() {
      const definitions = await builds.getDefinitions(
        ctx.project.name,
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        "\\TenantSync",
      );
      const rows: OverviewRow[] = definitions.map((d) => ({
        tenant: d.name.replace(/^tenant-sync-/, ""),
        definition: {
          id: d.id,
          name: d.name,
          path: d.path,
          queueStatus: d.queueStatus === DefinitionQueueStatus.Paused ? "paused" : "enabled",
        },
        status: "neverRun" as OverviewRow["status"],
      }));
      return {
        rows,
        tiles: { running: 0, waiting: 0, issues: 0, failed: 0, neverRun: rows.length, paused: 0 },
        refreshedAt: new Date().toISOString(),
        isActive: false,
        calls: 1,
      };
    },
  };
}
