/**
 * host — a fake Azure DevOps page around the hub, for development and browser tests: it frames the
 * hub (served from another origin, as the extension's files are from the marketplace's CDN) and
 * speaks the extension SDK's XDM protocol to it: the handshake with the user, host, extension and
 * project, theme data, access tokens, and the host services the hub asks for (location, project page,
 * navigation). Every call the hub makes is logged in window.__xdmCalls, and what the load came to
 * in window.__hostState, so tests can assert on them. Its settings come from the page (a JSON script
 * element the local Azure DevOps writes); `?theme=dark` picks the dark theme.
 */
import { themeOf, themes, type ThemeName } from "./themes";

/** What the local Azure DevOps writes into the page. */
export interface HostConfig {
  /** The hub page's address (on the extension files' origin). */
  hubUrl: string;
  /** Where the extension's files are served (ends with "/"). */
  extensionBaseUri: string;
  contributionId: string;
  extension: { publisherId: string; extensionId: string; version: string };
  collectionUrl: string;
  organization: { id: string; name: string };
  project: { id: string; name: string };
  user: { id: string; name: string; displayName: string; descriptor: string };
  token: string;
}

interface XdmMessage {
  id: number;
  instanceId?: string;
  instanceContext?: unknown;
  methodName?: string;
  params?: unknown[];
  result?: unknown;
  error?: unknown;
  handshakeToken?: string;
}

export interface XdmCall {
  instanceId: string;
  methodName: string;
  params: unknown[];
}

export interface HostState {
  /** pending until the hub calls notifyLoadSucceeded or notifyLoadFailed. */
  load: "pending" | "succeeded" | "failed";
  failure?: string;
  theme: ThemeName;
  /** Set when the hub asked the host to navigate or open a window (the fake does neither). */
  navigatedTo?: string;
  opened: string[];
}

declare global {
  interface Window {
    __xdmCalls: XdmCall[];
    __hostState: HostState;
    /** Switches the theme as the real host does: the hub gets a themeChanged event. */
    __setTheme(theme: ThemeName): Promise<void>;
  }
}

const config = JSON.parse(document.getElementById("host-config")!.textContent!) as HostConfig;
const iframe = document.getElementById("ext") as HTMLIFrameElement;
const status = document.getElementById("host-status")!;
let theme = themeOf(location.search);
window.__xdmCalls = [];
window.__hostState = { load: "pending", theme, opened: [] };

// Functions sent to the hub travel as proxy ids; the hub calls them back through "__proxyFunctions".
const proxyFunctions: Record<string, (...args: unknown[]) => unknown> = {};
let nextProxyId = 1;
function serialize(value: unknown): unknown {
  if (typeof value === "function") {
    const id = nextProxyId++;
    proxyFunctions[`proxy${id}`] = value as (...args: unknown[]) => unknown;
    return { __proxyFunctionId: id, _channelId: 1 };
  }
  if (value instanceof Date) return { __proxyDate: value.getTime() };
  if (Array.isArray(value)) return value.map(serialize);
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, serialize(v)]));
  return value;
}

function applyHostTheme(name: ThemeName): void {
  document.documentElement.dataset.theme = name;
  for (const [key, value] of Object.entries(themes[name]))
    document.documentElement.style.setProperty(`--${key}`, value);
}

function showStatus(text: string, kind: "loading" | "failed" | "note" | "none"): void {
  status.textContent = text;
  status.className = `host-status ${kind}`;
  status.hidden = kind === "none";
}

const hostContext = {
  id: config.organization.id,
  name: config.organization.name,
  serviceVersion: "local",
  type: 4,
  isHosted: true,
};

function handshake(): unknown {
  const globalization = {
    culture: navigator.language || "en-US",
    theme: theme === "dark" ? "ms.vss-web.vsts-theme-dark" : "ms.vss-web.vsts-theme",
    explicitTheme: "",
    timeZoneId: "UTC",
    timezoneOffset: 0,
    typeAheadDisabled: false,
  };
  return {
    contributionId: config.contributionId,
    context: {
      extension: {
        id: `${config.extension.publisherId}.${config.extension.extensionId}`,
        publisherId: config.extension.publisherId,
        extensionId: config.extension.extensionId,
        version: config.extension.version,
        baseUri: config.extensionBaseUri,
      },
      user: { ...config.user, imageUrl: "" },
      host: hostContext,
      pageContext: {
        webContext: { project: config.project, team: { id: config.project.id, name: `${config.project.name} Team` } },
        globalization,
      },
    },
    initialConfig: {},
    themeData: themes[theme],
  };
}

const navigation = {
  navigate(url: string) {
    window.__hostState.navigatedTo = url;
    showStatus(`The hub asked to go to ${url} (the local host stays here).`, "note");
  },
  openNewWindow(url: string) {
    window.__hostState.opened.push(url);
    window.open(url, "_blank", "noopener");
  },
  setDocumentTitle(title: string) {
    document.title = `${title} - Azure DevOps (local)`;
  },
  getQueryParams: () => Object.fromEntries(new URLSearchParams(location.search)),
  setQueryParams(params: Record<string, string>) {
    const search = new URLSearchParams(location.search);
    for (const [k, v] of Object.entries(params)) search.set(k, v);
    history.replaceState(null, "", `?${search.toString()}${location.hash}`);
  },
  getHash: () => location.hash.replace(/^#/, ""),
  setHash(hash: string) {
    history.replaceState(null, "", `#${hash}`);
  },
  replaceHash(hash: string) {
    history.replaceState(null, "", `#${hash}`);
  },
  onHashChanged() {},
  reload() {
    location.reload();
  },
  getPageRoute: () => ({ id: "ms.vss-web.hub-route", routeValues: { project: config.project.name } }),
  getPageNavigationElements: () => [],
};

const services: Record<string, object> = {
  "ms.vss-features.location-service": {
    getResourceAreaLocation: () => config.collectionUrl,
    getServiceLocation: () => config.collectionUrl,
    routeUrl: (routeId: string) => `${config.collectionUrl}_route/${routeId}`,
  },
  "ms.vss-tfs-web.tfs-page-data-service": { getProject: () => config.project },
  "ms.vss-features.host-navigation-service": navigation,
};

const registry: Record<string, Record<string, unknown>> = {
  "DevOps.HostControl": {
    initialHandshake: () => handshake(),
    getAccessToken: () => ({ token: config.token }),
    getAppToken: () => ({ token: config.token }),
    notifyLoadSucceeded() {
      window.__hostState.load = "succeeded";
      showStatus("", "none");
    },
    notifyLoadFailed(error: unknown) {
      const message = typeof error === "string" ? error : String((error as { message?: string })?.message ?? error);
      window.__hostState = { ...window.__hostState, load: "failed", failure: message };
      showStatus(`The extension failed to load: ${message}`, "failed");
    },
    resize() {},
  },
  "DevOps.ServiceManager": {
    getService: (id: string) => {
      const service = services[id];
      if (!service) throw new Error(`The fake host offers no service ${id}; add it to hub/host/host.ts.`);
      return service;
    },
  },
  __proxyFunctions: proxyFunctions,
};

// The SDK accepts only messages carrying its handshake token; replies and calls into the hub echo it.
let handshakeToken: string | undefined;
let nextRequestId = 1;
const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
const hubOrigin = new URL(config.hubUrl).origin;

function post(message: object): void {
  iframe.contentWindow?.postMessage(JSON.stringify({ ...message, handshakeToken }), hubOrigin);
}

/** A call into the hub (an object it registered, such as DevOps.SdkClient). */
function callHub(instanceId: string, methodName: string, params: unknown[]): Promise<unknown> {
  const id = nextRequestId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    post({ id, instanceId, methodName, params: serialize(params) });
  });
}

window.addEventListener("message", (event) => {
  if (event.source !== iframe.contentWindow || event.origin !== hubOrigin || typeof event.data !== "string") return;
  let m: XdmMessage;
  try {
    m = JSON.parse(event.data) as XdmMessage;
  } catch {
    return;
  }
  if (m.handshakeToken) handshakeToken = m.handshakeToken;
  if (!m.instanceId) {
    const waiting = pending.get(m.id);
    pending.delete(m.id);
    if (m.error) waiting?.reject(new Error(JSON.stringify(m.error)));
    else waiting?.resolve(m.result);
    return;
  }
  void answer(m);
});

async function answer(m: XdmMessage): Promise<void> {
  const instanceId = m.instanceId!;
  const reply = (body: object) => post({ id: m.id, ...body });
  const params = m.params ?? [];
  window.__xdmCalls.push({ instanceId, methodName: m.methodName ?? "", params });
  const target = registry[instanceId];
  if (!target) return reply({ error: { message: `The registered object ${instanceId} could not be found.` } });
  if (!m.methodName) return reply({ result: serialize(target) });
  const method = target[m.methodName];
  if (typeof method !== "function") return reply({ error: { message: `RPC method not found: ${m.methodName}` } });
  try {
    reply({ result: serialize(await (method as (...a: unknown[]) => unknown).apply(target, params)) });
  } catch (e) {
    reply({ error: { message: e instanceof Error ? e.message : String(e) } });
  }
}

window.__setTheme = async (name: ThemeName) => {
  theme = name;
  window.__hostState.theme = name;
  applyHostTheme(name);
  const search = new URLSearchParams(location.search);
  search.set("theme", name);
  history.replaceState(null, "", `?${search.toString()}`);
  // The SDK's listener applies event.detail.data (not event.detail itself).
  await callHub("DevOps.SdkClient", "dispatchEvent", ["themeChanged", { detail: { data: themes[name] } }]);
};

const toggle = document.getElementById("theme-toggle") as HTMLButtonElement;
toggle.addEventListener("click", () => void window.__setTheme(theme === "dark" ? "light" : "dark"));
document.getElementById("host-org")!.textContent = config.organization.name;
document.getElementById("host-project")!.textContent = config.project.name;
document.getElementById("host-user")!.textContent = config.user.displayName;
applyHostTheme(theme);
showStatus("Loading the extension…", "loading");
iframe.src = config.hubUrl;
