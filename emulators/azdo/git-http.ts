/**
 * git-http — git's smart HTTP protocol, served by `git http-backend` run as a CGI program for one
 * request: the request becomes the CGI environment and stdin (a gzip body, which git sends for
 * large fetch negotiations, is inflated first), and the CGI answer's header block becomes the HTTP
 * status and headers. Which repository and who may use it is decided before this runs.
 */
import { gunzipSync } from "node:zlib";
import { relative } from "node:path";
import type { HttpResponse } from "../http/response";
import { runGit } from "./git-process";

export interface CgiRequest {
  /** GIT_PROJECT_ROOT: the directory holding the bare repositories. */
  projectRoot: string;
  /** The bare repository's directory, inside projectRoot. */
  repositoryDir: string;
  /** "info/refs", "git-upload-pack" or "git-receive-pack". */
  service: string;
  method: string;
  query: string;
  contentType?: string;
  contentEncoding?: string;
  /** The Git-Protocol header (protocol v2 negotiation). */
  gitProtocol?: string;
  /** Who is calling; git http-backend allows receive-pack only with one. */
  remoteUser: string;
  body: Buffer;
}

/** Runs git http-backend for the request and answers what it wrote. */
export async function runHttpBackend(r: CgiRequest): Promise<HttpResponse> {
  const body = /gzip/i.test(r.contentEncoding ?? "") ? gunzipSync(r.body) : r.body;
  const pathInfo = `/${relative(r.projectRoot, r.repositoryDir).split("\\").join("/")}/${r.service}`;
  const env: Record<string, string> = {
    GIT_PROJECT_ROOT: r.projectRoot,
    GIT_HTTP_EXPORT_ALL: "1",
    PATH_INFO: pathInfo,
    REQUEST_METHOD: r.method,
    QUERY_STRING: r.query,
    CONTENT_TYPE: r.contentType ?? "",
    CONTENT_LENGTH: String(body.length),
    REMOTE_USER: r.remoteUser,
    REMOTE_ADDR: "127.0.0.1",
    // Pushes are authorized by the emulator before git runs; this only lifts git's own anonymous-push guard.
    GIT_CONFIG_COUNT: "1",
    GIT_CONFIG_KEY_0: "http.receivepack",
    GIT_CONFIG_VALUE_0: "true",
  };
  if (r.gitProtocol) env.HTTP_GIT_PROTOCOL = r.gitProtocol;
  const run = await runGit(["http-backend"], { env, input: body });
  return parseCgiResponse(run.stdout, run.stderr);
}

/** A CGI answer: header lines up to a blank line (CRLF or LF), "Status: 404 Not Found" for the status. */
export function parseCgiResponse(output: Buffer, stderr = ""): HttpResponse {
  let end = output.indexOf("\r\n\r\n");
  let skip = 4;
  const lf = output.indexOf("\n\n");
  if (end < 0 || (lf >= 0 && lf < end)) [end, skip] = [lf, 2];
  if (end < 0) {
    return {
      status: 500,
      headers: { "content-type": "text/plain; charset=utf-8" },
      body: `git http-backend gave no answer: ${stderr.trim() || "(no output)"}`,
    };
  }
  const headers: Record<string, string> = {};
  let status = 200;
  for (const line of output.subarray(0, end).toString("latin1").split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === "status") status = Number(value.split(" ")[0]) || 500;
    else headers[name] = value;
  }
  return { status, headers, body: output.subarray(end + skip) };
}
