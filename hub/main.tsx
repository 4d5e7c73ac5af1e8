/**
 * main — the hub page's entry and the only module that talks to the Azure DevOps extension SDK:
 * it waits for the host's handshake, learns the project, the signed-in user and the collection URL,
 * hands them to the data layer, reads the first overview and renders the views. The host shows its
 * spinner until this tells it the load succeeded, or failed with a message a person can act on.
 */
import * as SDK from "azure-devops-extension-sdk";
import type { IHostNavigationService, ILocationService, IProjectPageService } from "azure-devops-extension-api";
import * as React from "react";
import * as ReactDOM from "react-dom";
import "azure-devops-ui/Core/override.css";
import { createHubData } from "./data/hub-data";
import type { HubActions, HubContext, HubData, Overview } from "./data/model";
import { App } from "./views/app";

/** The host services the hub uses; vss-extension.json lists them under the contribution's "includes". */
const services = {
  location: "ms.vss-features.location-service",
  projectPage: "ms.vss-tfs-web.tfs-page-data-service",
  navigation: "ms.vss-features.host-navigation-service",
} as const;

/** While something runs or waits, the overview is read again this often. */
const activeRefreshMs = 10_000;

/** A failure the person can act on; its message is what the host shows. */
class LoadError extends Error {}

async function connect(): Promise<HubContext> {
  const user = SDK.getUser();
  const host = SDK.getHost();
  const projectPage = await SDK.getService<IProjectPageService>(services.projectPage);
  const project = await projectPage.getProject();
  if (!project)
    throw new LoadError(
      `Tenant Sync shows the tenants of one project, and this page of ${host.name} has none: open a project, then Pipelines → Tenant Sync.`,
    );
  const location = await SDK.getService<ILocationService>(services.location);
  const collectionUrl = await location.getServiceLocation();
  const navigation = await SDK.getService<IHostNavigationService>(services.navigation);
  return {
    collectionUrl: collectionUrl.endsWith("/") ? collectionUrl : `${collectionUrl}/`,
    organization: host.name,
    project: { id: project.id, name: project.name },
    user: { id: user.id, name: user.name, displayName: user.displayName },
    getAccessToken: () => SDK.getAccessToken(),
    openNewWindow: (url) => navigation.openNewWindow(url, ""),
    navigate: (url) => navigation.navigate(url),
    setDocumentTitle: (title) => navigation.setDocumentTitle(title),
  };
}

/** Why the first read failed, in words that say what to do (the REST client's error carries the status). */
function describeFailure(e: unknown, ctx: HubContext): string {
  if (e instanceof LoadError) return e.message;
  const status = (e as { status?: number }).status;
  const detail = e instanceof Error ? e.message : String(e);
  const where = `${ctx.collectionUrl}${ctx.project.name}`;
  if (status === 401 || status === 403)
    return `Tenant Sync was refused reading the pipelines of ${where} (HTTP ${status}: ${detail}). Ask a project administrator for Read access to the pipelines in \\TenantSync, then reload.`;
  if (status)
    return `Tenant Sync could not read the pipelines of ${where}: HTTP ${status} (${detail}). Reload the page; if it persists, check the service status.`;
  return `Tenant Sync could not reach ${ctx.collectionUrl} to read the pipelines of ${ctx.project.name} (${detail}). Check the network connection, then reload.`;
}

function Root({ data, initial }: { data: HubData; initial: Overview }): React.ReactElement {
  const [overview, setOverview] = React.useState(initial);
  const reload = React.useCallback(async () => setOverview(await data.loadOverview()), [data]);
  // Every action changes what the overview shows, so each one ends by reading it again.
  const actions = React.useMemo<HubActions>(() => {
    const after =
      <A extends unknown[], R>(f: (...args: A) => Promise<R>) =>
      async (...args: A): Promise<R> => {
        const result = await f(...args);
        await reload();
        return result;
      };
    const a = data.actions;
    return {
      ...a,
      refresh: reload,
      approve: after(a.approve),
      reject: after(a.reject),
      rejectAndRevert: after(a.rejectAndRevert),
      runNow: after(a.runNow),
      pause: after(a.pause),
      resume: after(a.resume),
    };
  }, [data, reload]);
  React.useEffect(() => {
    if (!overview.isActive) return undefined;
    const timer = setTimeout(() => void reload().catch(() => undefined), activeRefreshMs);
    return () => clearTimeout(timer);
  }, [overview, reload]);
  return <App overview={overview} loadDetail={actions.loadDetail} actions={actions} now={() => Date.now()} />;
}

async function main(): Promise<void> {
  await SDK.init({ loaded: false, applyTheme: true });
  await SDK.ready();
  let ctx: HubContext | undefined;
  try {
    ctx = await connect();
    const data = createHubData(ctx);
    const initial = await data.loadOverview();
    ctx.setDocumentTitle(`Tenant Sync · ${ctx.project.name}`);
    ReactDOM.render(<Root data={data} initial={initial} />, document.getElementById("root"));
    await SDK.notifyLoadSucceeded();
  } catch (e) {
    const message = ctx ? describeFailure(e, ctx) : e instanceof Error ? e.message : String(e);
    document.getElementById("root")!.textContent = message;
    await SDK.notifyLoadFailed(message);
  }
}

void main();
