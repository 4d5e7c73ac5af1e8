/**
 * rest — how the hub's data layer reaches Azure DevOps: the published REST clients (builds,
 * pipelines) for what they cover, a bearer-token fetch for what they do not (approvals, signed
 * links), and a count of the calls each read costs, so the overview can show (and tests can check)
 * that it stays constant. Failures of both kinds reach the caller in one shape (status, serverError),
 * for errors.ts to turn into a message.
 */
import { BuildRestClient } from "azure-devops-extension-api/Build";
import { PipelinesRestClient } from "azure-devops-extension-api/Pipelines";

/** What hub/main.tsx hands the data layer: where Azure DevOps is, who the user is, and the hooks of the page. */
export interface HubDataOptions {
  /** The collection URL, ending "/" (https://dev.azure.com/org/). */
  rootPath: string;
  /** Project name or id. */
  project: string;
  /** The user's access token (the SDK's getAccessToken). */
  getToken: () => Promise<string>;
  user: { id: string; uniqueName: string; displayName: string };
  /** For the calls the clients do not cover (approvals, signed links); default the global fetch. */
  fetch?: typeof fetch;
  now?: () => number;
  /** Opens a token-free link (a signed download): the host's openNewWindow, or a plain link. */
  open?: (url: string) => void | Promise<void>;
  /** Saves bytes as a file: Blob + object URL + a download link, in the browser. */
  save?: (fileName: string, content: Blob) => void | Promise<void>;
  /** Writes text to the clipboard. */
  copyText?: (text: string) => Promise<void>;
}

/** A failed call, in the shape the published clients throw (TFS.WebApi.Exception). */
export interface RestFailure extends Error {
  status?: number;
  responseText?: string;
  serverError?: { message?: string; typeKey?: string; typeName?: string };
}

/** The clients and the fetch, counting every call made through them. */
export class Rest {
  readonly build: BuildRestClient;
  readonly pipelines: PipelinesRestClient;
  private readonly counter = { calls: 0 };

  constructor(
    readonly o: HubDataOptions,
    shared?: { build: BuildRestClient; pipelines: PipelinesRestClient },
  ) {
    const authTokenProvider = { getAuthorizationHeader: async () => `Bearer ${await o.getToken()}` };
    this.build = shared?.build ?? new BuildRestClient({ rootPath: o.rootPath, authTokenProvider });
    this.pipelines = shared?.pipelines ?? new PipelinesRestClient({ rootPath: o.rootPath, authTokenProvider });
  }

  get project(): string {
    return this.o.project;
  }

  now(): number {
    return this.o.now ? this.o.now() : Date.now();
  }

  /** Calls made so far through this object. */
  get calls(): number {
    return this.counter.calls;
  }

  /** The same clients with a counter of their own: one per read, so concurrent reads do not mix. */
  session(): Rest {
    return new Rest(this.o, this);
  }

  /** Runs one REST call, counted. */
  async call<T>(request: () => Promise<T>): Promise<T> {
    this.counter.calls += 1;
    return request();
  }

  /** A project API route the clients lack, with the bearer token: `path` is relative to `{project}/_apis/`. */
  async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const url = `${this.o.rootPath}${encodeURIComponent(this.o.project)}/_apis/${path}`;
    const res = await this.fetch(url, {
      method,
      headers: {
        authorization: `Bearer ${await this.o.getToken()}`,
        accept: "application/json",
        "x-tfs-fedauthredirect": "Suppress",
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (!res.ok) throw failureOf(res.status, res.statusText, text);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** Bytes of a link: signed links need no token (`withToken` false), the others the bearer token. */
  async bytes(url: string, withToken: boolean): Promise<ArrayBuffer> {
    const headers: Record<string, string> = withToken ? { authorization: `Bearer ${await this.o.getToken()}` } : {};
    const res = await this.fetch(url, { headers });
    if (!res.ok) throw failureOf(res.status, res.statusText, await res.text());
    return res.arrayBuffer();
  }

  private async fetch(url: string, init: RequestInit): Promise<Response> {
    this.counter.calls += 1;
    const f = this.o.fetch ?? globalThis.fetch;
    try {
      return await f(url, init);
    } catch (e) {
      const error = new Error(`Azure DevOps could not be reached (${(e as Error).message ?? e}).`) as RestFailure;
      error.name = "NetworkException";
      throw error;
    }
  }
}

function failureOf(status: number, statusText: string, text: string): RestFailure {
  const error = new Error(`${status}: ${statusText}`) as RestFailure;
  error.name = "TFS.WebApi.Exception";
  error.status = status;
  error.responseText = text;
  try {
    error.serverError = JSON.parse(text) as RestFailure["serverError"];
    if (error.serverError?.message) error.message = error.serverError.message;
  } catch {
    // Not JSON (a proxy's page): the status line is all there is.
  }
  return error;
}

/** The run's page in Azure DevOps (built here: excludeUrls may drop the service's links). */
export function runWebUrl(o: HubDataOptions, buildId: number): string {
  return `${o.rootPath}${encodeURIComponent(o.project)}/_build/results?buildId=${buildId}`;
}
