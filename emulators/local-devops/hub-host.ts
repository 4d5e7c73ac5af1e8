/**
 * hub-host — serves the Tenant Sync hub the way Azure DevOps shows it, on two loopback origins: the
 * page around it at https://127.0.0.1:<port>/<org>/<project>/_apps/hub/<contribution> (as
 * dev.azure.com serves its pages; the fake host of hub/host) and the extension's own files
 * (dist/hub, dist/static) at https://localhost:<port>/ (as the marketplace's CDN serves them), so the
 * hub runs cross-origin from both its host and the REST API, as it does in production. The hub's
 * pages carry a content security policy that forbids inline script and allows REST calls to the
 * collection only.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer, type Server } from "node:https";
import { existsSync, readFileSync, statSync } from "node:fs";
import { extname, join, normalize, sep } from "node:path";
import { ensureLocalCa, issueServerCertificate } from "../https";
import { listen, portOf, stopServers } from "../http/listener";
import { bytes, send, type HttpResponse } from "../http/response";

/** What the host page tells the hub (hub/host/host.ts's HostConfig, less the addresses this server knows). */
export interface HubHostSettings {
  collectionUrl: string;
  organization: { id: string; name: string };
  project: { id: string; name: string };
  user: { id: string; name: string; displayName: string; descriptor: string };
  token: string;
  extension: { publisherId: string; extensionId: string; version: string };
  /** The hub's contribution id (its last segment). */
  hubId: string;
}

export interface HubHostOptions {
  caDir?: string;
  /** The built extension's staging root (default dist/ of this checkout). */
  distDir?: string;
  hostPort?: number;
  filesPort?: number;
  /** Read on every page load, so a token issued later is the one handed out. */
  settings(): HubHostSettings;
}

const contentTypes: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
};

/** The extension's folders a browser may fetch (the manifest's addressable files). */
const addressable = ["hub", "static"];

export class HubHostServer {
  private host?: Server;
  private files?: Server;
  private readonly dist: string;

  constructor(private readonly o: HubHostOptions) {
    this.dist = o.distDir ?? join(__dirname, "..", "..", "dist");
  }

  async start(): Promise<void> {
    const ca = ensureLocalCa(this.o.caDir);
    const cert = issueServerCertificate(ca, ["localhost"]);
    const tls = { key: cert.keyPem, cert: cert.certPem };
    this.host = createServer(tls, (req, res) => this.answer(res, () => this.onHost(req)));
    this.files = createServer(tls, (req, res) => this.answer(res, () => this.onFiles(req)));
    await listen(this.host, this.o.hostPort ?? 0, "127.0.0.1");
    await listen(this.files, this.o.filesPort ?? 0, "127.0.0.1");
  }

  async stop(): Promise<void> {
    await stopServers([this.host, this.files]);
  }

  /** The hub as a person opens it: the host page for the organisation's project. */
  get hubUrl(): string {
    const s = this.o.settings();
    return `${this.hostOrigin}/${encodeURIComponent(s.organization.name)}/${encodeURIComponent(s.project.name)}/_apps/hub/${this.contributionId(s)}`;
  }

  get hostOrigin(): string {
    return `https://127.0.0.1:${portOf(this.host)}`;
  }

  /** The extension's files, as the CDN's base URI (ends with "/"). */
  get extensionBaseUri(): string {
    return `https://localhost:${portOf(this.files)}/`;
  }

  private contributionId(s: HubHostSettings): string {
    return `${s.extension.publisherId}.${s.extension.extensionId}.${s.hubId}`;
  }

  private answer(res: ServerResponse, respond: () => HttpResponse): void {
    try {
      send(res, respond());
    } catch (e) {
      send(res, text(500, `The local hub server failed: ${(e as Error).message}`));
    }
  }

  private onHost(req: IncomingMessage): HttpResponse {
    const path = new URL(req.url ?? "/", this.hostOrigin).pathname;
    if (req.method !== "GET") return text(405, `The local host page answers GET only, not ${req.method}.`);
    if (path === "/_host/host.js") return this.file(join(this.dist, "hub-host", "host.js"));
    const s = this.o.settings();
    const page = `/${s.organization.name}/${s.project.name}/_apps/hub/${this.contributionId(s)}`;
    if (decodeURIComponent(path).toLowerCase() !== page.toLowerCase() && path !== "/")
      return text(404, `No page at ${path}: the hub is at ${this.hubUrl}`);
    const template = join(this.dist, "hub-host", "host.html");
    if (!existsSync(template)) return missingBuild(template);
    const config = {
      hubUrl: `${this.extensionBaseUri}hub/hub.html`,
      extensionBaseUri: this.extensionBaseUri,
      contributionId: this.contributionId(s),
      extension: s.extension,
      collectionUrl: s.collectionUrl,
      organization: s.organization,
      project: s.project,
      user: s.user,
      token: s.token,
    };
    // "<" escaped: the JSON sits inside a script element, which "</script>" in a value would end.
    const configJson = JSON.stringify(config).replace(/</g, "\\u003c");
    const html = readFileSync(template, "utf8").replace(
      /(<script id="host-config" type="application\/json">)[\s\S]*?(<\/script>)/,
      (_, open: string, close: string) => `${open}${configJson}${close}`,
    );
    return bytes(html, contentTypes[".html"], 200, { "cache-control": "no-store" });
  }

  private onFiles(req: IncomingMessage): HttpResponse {
    if (req.method !== "GET") return text(405, `The extension's files answer GET only, not ${req.method}.`);
    const path = decodeURIComponent(new URL(req.url ?? "/", this.extensionBaseUri).pathname);
    const relative = normalize(path).replace(/^[/\\]+/, "");
    if (!addressable.some((folder) => relative.startsWith(`${folder}${sep}`)) || relative.includes(".."))
      return text(404, `${path} is not one of the extension's addressable files (${addressable.join(", ")}).`);
    const response = this.file(join(this.dist, relative));
    if (extname(relative) !== ".html") return response;
    const collectionOrigin = new URL(this.o.settings().collectionUrl).origin;
    response.headers["content-security-policy"] = [
      "default-src 'self'",
      "script-src 'self'",
      // The SDK writes the host's theme as a <style> element, and azure-devops-ui sets inline styles.
      "style-src 'self' 'unsafe-inline'",
      "font-src 'self' data:",
      "img-src 'self' data:",
      `connect-src ${collectionOrigin}`,
    ].join("; ");
    return response;
  }

  private file(path: string): HttpResponse {
    if (!existsSync(path) || !statSync(path).isFile()) {
      if (!existsSync(join(this.dist, "hub", "hub.html"))) return missingBuild(path);
      return text(404, `${path} is not in the built extension.`);
    }
    return bytes(readFileSync(path), contentTypes[extname(path)] ?? "application/octet-stream", 200, {
      "cache-control": "no-store",
    });
  }
}

function text(status: number, message: string): HttpResponse {
  return bytes(`${message}\n`, "text/plain; charset=utf-8", status);
}

function missingBuild(path: string): HttpResponse {
  return text(404, `${path} is missing: run 'npm run build' to build the hub and its local host page.`);
}
