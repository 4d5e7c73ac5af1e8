/**
 * actions — TEMPORARY stand-in for the data layer, on the hub-host branch only, so the page's entry
 * and the browser tests of the host run before the real data layer is merged (drop it then): it
 * reads the pipelines in \TenantSync through the REST client with the host's token, which is the
 * hub's first call, and refuses every action.
 */
import { BuildRestClient, DefinitionQueueStatus } from "azure-devops-extension-api/Build";
import { deriveTenantStatus } from "../../src/core/status/derive";
import type { HubActions, Overview, OverviewRow } from "./model";
import type { HubDataOptions } from "./rest";

export interface HubData extends HubActions {
  loadOverview(): Promise<Overview>;
  subscribe(listener: (overview: Overview) => void): () => void;
}

export function createHubData(o: HubDataOptions): HubData {
  const builds = new BuildRestClient({
    rootPath: o.rootPath,
    authTokenProvider: { getAuthorizationHeader: async () => `Bearer ${await o.getToken()}` },
  });
  const listeners = new Set<(overview: Overview) => void>();
  const refused = (what: string) => () => Promise.reject(new Error(`${what} comes with the data layer.`));
  const loadOverview = async (): Promise<Overview> => {
    const definitions = await builds.getDefinitions(
      o.project,
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
      status: deriveTenantStatus({
        definition: { id: d.id, name: d.name, path: d.path, queueStatus: d.queueStatus },
        runs: [],
        approvals: [],
        now: Date.now(),
      }),
    }));
    const overview: Overview = {
      rows,
      tiles: { running: 0, waiting: 0, issues: 0, failed: 0, neverRun: rows.length, paused: 0 },
      refreshedAt: new Date().toISOString(),
      isActive: false,
      calls: 1,
    };
    for (const listener of listeners) listener(overview);
    return overview;
  };
  return {
    loadOverview,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    refresh: async () => void (await loadOverview()),
    loadDetail: refused("The tenant's detail"),
    approve: refused("Approving"),
    reject: refused("Rejecting"),
    rejectAndRevert: refused("Rejecting and reverting"),
    runNow: refused("Running"),
    pause: refused("Pausing"),
    resume: refused("Resuming"),
    downloadLogs: refused("Downloading logs"),
    downloadArtifact: refused("Downloading artifacts"),
    copy: refused("Copying"),
  };
}
