/**
 * git-smart — git's smart HTTP protocol at {org}/{project}/_git/{repository}: info/refs for
 * upload-pack (clone, fetch) and receive-pack (push), and the two POST services, answered by
 * `git http-backend` (../git-http). The request pipeline has checked the token (Bearer, or Basic
 * with the token as password) and that a job token stays in its project; here the repository is
 * found, a push is checked against the build service's permission, and what a push changed is
 * recorded as a push of the repository. Refusals are text/plain, which git shows as "remote: …".
 */
import { gunzipSync } from "node:zlib";
import { bytes, type HttpResponse } from "../../http/response";
import type { AzdoRoute, RequestContext } from "../context";
import { runHttpBackend } from "../git-http";
import { diffRefs } from "../state/git";
import { projectOf } from "./common";
import { callerIdentity, pushRefusal, type PushedRef } from "./git";

const gitTemplate = "/{org}/{project}/_git/{repository}";
const services = ["git-upload-pack", "git-receive-pack"];

function plain(status: number, message: string): HttpResponse {
  return bytes(`${message}\n`, "text/plain; charset=utf-8", status);
}

async function smartHttp(ctx: RequestContext): Promise<HttpResponse> {
  const { store } = ctx;
  const repository = store.git.find(projectOf(ctx), ctx.params.repository);
  if (!repository)
    return plain(
      404,
      `TF401019: The Git repository with name or identifier ${ctx.params.repository} does not exist or you do not have permissions for the operation you are attempting.`,
    );
  const isInfo = ctx.url.pathname.toLowerCase().endsWith("/info/refs");
  const service = isInfo ? (ctx.url.searchParams.get("service") ?? "") : ctx.url.pathname.split("/").pop()!;
  if (!services.includes(service))
    return plain(
      403,
      "The emulator serves git's smart HTTP protocol only: use git 1.7 or later (service=git-upload-pack).",
    );
  const isPush = service === "git-receive-pack";
  const refusal = isPush
    ? pushRefusal(ctx, repository, isInfo ? undefined : pushCommands(ctx.raw, ctx.headers["content-encoding"]))
    : undefined;
  if (refusal) return plain(403, refusal);
  const before = isPush && !isInfo ? await store.git.refs(repository) : undefined;
  const header = (name: string) => {
    const v = ctx.headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  const response = await runHttpBackend({
    projectRoot: store.git.dataDir,
    repositoryDir: repository.dir,
    service: isInfo ? "info/refs" : service,
    method: ctx.method,
    query: ctx.url.search.replace(/^\?/, ""),
    contentType: header("content-type"),
    contentEncoding: header("content-encoding"),
    gitProtocol: header("git-protocol"),
    remoteUser: callerIdentity(ctx).name,
    body: ctx.raw,
  });
  if (before) {
    const changes = diffRefs(before, await store.git.refs(repository));
    if (changes.length > 0) await store.git.refsChanged(repository, callerIdentity(ctx), changes, [], ctx.clock.now());
  }
  return response;
}

/**
 * The ref updates a receive-pack request asks for: its first pkt-lines, "<old> <new> <ref>" (the
 * first followed by NUL and the capabilities) up to a flush packet; shallow lines are skipped.
 */
export function pushCommands(raw: Buffer, contentEncoding?: string | string[]): PushedRef[] {
  const body = /gzip/i.test(String(contentEncoding ?? "")) ? gunzipSync(raw) : raw;
  const refs: PushedRef[] = [];
  for (let at = 0; at + 4 <= body.length;) {
    const length = Number.parseInt(body.subarray(at, at + 4).toString("latin1"), 16);
    if (!Number.isInteger(length) || length < 4) break;
    const [oldObjectId, , name] = body
      .subarray(at + 4, at + length)
      .toString("utf8")
      .split("\0")[0]
      .trim()
      .split(" ");
    if (name && /^[0-9a-f]{40}$/i.test(oldObjectId)) refs.push({ name, oldObjectId: oldObjectId.toLowerCase() });
    at += length;
  }
  return refs;
}

export const gitSmartRoutes: AzdoRoute[] = [
  { method: "GET", template: `${gitTemplate}/info/refs`, isAuthenticated: true, handle: smartHttp },
  ...services.map((s) => ({
    method: "POST",
    template: `${gitTemplate}/${s}`,
    isAuthenticated: true,
    handle: smartHttp,
  })),
];
