/**
 * main — the hub page's entry and the only module that talks to the Azure DevOps extension SDK:
 * it waits for the host's handshake, learns the project, the signed-in user and the collection URL,
 * hands them to the data layer with the host's hooks (new windows, the page title), reads the first
 * overview and renders the views. The host shows its spinner until this tells it the load
 * succeeded, or failed with a message a person can act on.
 */
import * as SDK from "azure-devops-extension-sdk";
import type { IHostNavigationService, ILocationService, IProjectPageService } from "azure-devops-extension-api";
import * as React from "react";
import * as ReactDOM from "react-dom";
import "azure-devops-ui/Core/override.css";
import { createHubData, type HubData } from "./data/actions";
import type { Overview } from "./data/model";
import type { HubDataOptions } from "./data/rest";
import { HubApp } from "./views/app";

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

interface Connection {
  options: HubDataOptions;
  navigation: IHostNavigationService;
}

async function connect(): Promise<Connection> {
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
    navigation,
    options: {
      rootPath: collectionUrl.endsWith("/") ? collectionUrl : `${collectionUrl}/`,
      project: project.name,
      getToken: () => SDK.getAccessToken(),
      user: { id: user.id, uniqueName: user.name, displayName: user.displayName },
      // The frame may not open Azure DevOps pages itself: the host opens them.
      open: (url) => navigation.openNewWindow(url, ""),
      copyText,
    },
  };
}

/**
 * Writes text to the clipboard. The hub's frame is cross-origin, and the clipboard API works there
 * only if the host's frame allows clipboard-write; without that, the older copy command (still
 * allowed in a frame during the click) copies from a hidden text area, and focus returns to the button.
 */
async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
  } catch (e) {
    const focused = document.activeElement as HTMLElement | null;
    const area = document.createElement("textarea");
    area.value = text;
    area.readOnly = true;
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    const copied = document.execCommand("copy");
    area.remove();
    focused?.focus();
    if (!copied) throw e;
  }
}

/** Why the first read failed, in words that say what to do (the REST client's error carries the status). */
function describeFailure(e: unknown, c: Connection): string {
  if (e instanceof LoadError) return e.message;
  const status = (e as { status?: number }).status;
  const detail = e instanceof Error ? e.message : String(e);
  const where = `${c.options.rootPath}${c.options.project}`;
  if (status === 401 || status === 403)
    return `Tenant Sync was refused reading the pipelines of ${where} (HTTP ${status}: ${detail}). Ask a project administrator for Read access to the pipelines in \\TenantSync, then reload.`;
  if (status)
    return `Tenant Sync could not read the pipelines of ${where}: HTTP ${status} (${detail}). Reload the page; if it persists, check the service status.`;
  return detail;
}

function Root({ data, initial }: { data: HubData; initial: Overview }): React.ReactElement {
  const [overview, setOverview] = React.useState(initial);
  // The data layer reads the overview again after every action and on refresh; the page follows it.
  React.useEffect(() => data.subscribe(setOverview), [data]);
  // The page refreshes by itself while anything runs or waits (HubApp calls actions.refresh).
  return (
    <HubApp
      overview={overview}
      loadDetail={(tenant: string) => data.loadDetail(tenant)}
      actions={data}
      now={Date.now}
      refreshEveryMs={activeRefreshMs}
    />
  );
}

async function main(): Promise<void> {
  await SDK.init({ loaded: false, applyTheme: true });
  await SDK.ready();
  let connection: Connection | undefined;
  try {
    connection = await connect();
    const data = createHubData(connection.options);
    const initial = await data.loadOverview();
    connection.navigation.setDocumentTitle(`Tenant Sync · ${connection.options.project}`);
    ReactDOM.render(<Root data={data} initial={initial} />, document.getElementById("root"));
    await SDK.notifyLoadSucceeded();
  } catch (e) {
    const message = connection ? describeFailure(e, connection) : e instanceof Error ? e.message : String(e);
    document.getElementById("root")!.textContent = message;
    await SDK.notifyLoadFailed(message);
  }
}

void main();
