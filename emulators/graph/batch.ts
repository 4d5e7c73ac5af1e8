/**
 * batch — JSON batching (POST /v1.0/$batch and /beta/$batch): at most 20 requests with unique ids,
 * `dependsOn` sequencing with 424 Failed Dependency, per-item status, headers and throttling, and
 * responses in an order of the service's choosing (here: reverse completion order).
 *
 * Request ids may be JSON strings or numbers: widely used PowerShell clients number their requests
 * with integers (DanielWahlgren/JAGM Invoke-JGraphBatchRequest.ps1 `[int]$requestID`,
 * FriedrichWeinmann/MiniGraph Invoke-GraphRequestBatch.ps1 `id = $araCounter`) and the service
 * accepts them. An id is compared and answered as its string form, so "1" and 1 are the same id.
 */
import { errorResponse, type GraphResponse } from "./errors";
import type { BatchTarget, Principal } from "./context";
import { isObject, type Json } from "./entities";

export const maxBatchSize = 20;

interface BatchItem {
  id: string;
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  dependsOn?: string[];
}

/** A request id as the batch compares and answers it: a string, or a JSON number in its string form. */
function requestId(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return undefined;
}

function bad(emulator: BatchTarget, message: string): GraphResponse {
  return errorResponse(400, "BadRequest", message, emulator.now());
}

export async function handleBatch(
  emulator: BatchTarget,
  principal: Principal,
  version: "v1.0" | "beta",
  raw: Buffer,
  outerUrl: URL,
  receivedAt: number,
): Promise<GraphResponse> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString("utf8"));
  } catch {
    return bad(emulator, "Invalid batch payload format: the body is not JSON.");
  }
  const requests = isObject(parsed) && Array.isArray(parsed.requests) ? (parsed.requests as unknown[]) : undefined;
  if (!requests) return bad(emulator, "Invalid batch payload format: expected an object with a 'requests' array.");
  if (requests.length === 0) return bad(emulator, "Invalid batch payload format: the batch holds no requests.");
  if (requests.length > maxBatchSize)
    return bad(
      emulator,
      `Too many requests in the batch: ${requests.length}. A batch holds at most ${maxBatchSize} requests.`,
    );
  const items: BatchItem[] = [];
  for (const r of requests) {
    const id = isObject(r) ? requestId(r.id) : undefined;
    if (!isObject(r) || id === undefined || typeof r.method !== "string" || typeof r.url !== "string") {
      return bad(
        emulator,
        "Invalid batch payload format: each request needs an 'id' (a string or a number), a string 'method' and a string 'url'.",
      );
    }
    if (r.dependsOn !== undefined && !Array.isArray(r.dependsOn))
      return bad(emulator, `Request '${id}': 'dependsOn' must be an array of request ids.`);
    const deps = r.dependsOn?.map(requestId);
    if (deps?.some((d) => d === undefined))
      return bad(emulator, `Request '${id}': each 'dependsOn' entry must be a request id (a string or a number).`);
    items.push({ ...(r as unknown as BatchItem), id, dependsOn: deps as string[] | undefined });
  }
  const ids = new Set(items.map((i) => i.id));
  if (ids.size !== items.length)
    return bad(emulator, "Batch request contains duplicate request ids; each id must be unique.");
  for (const item of items) {
    for (const dep of item.dependsOn ?? [])
      if (!ids.has(dep)) return bad(emulator, `Request '${item.id}' depends on '${dep}', which is not in the batch.`);
  }
  emulator.counters.batchItems += items.length;
  const results = new Map<string, Promise<GraphResponse>>();
  const order: Json[] = [];
  const run = (item: BatchItem): Promise<GraphResponse> => {
    const existing = results.get(item.id);
    if (existing) return existing;
    const promise = (async () => {
      const deps = await Promise.all(
        (item.dependsOn ?? []).map((d) => run(items.find((i) => i.id === d) as BatchItem)),
      );
      if (deps.some((d) => d.status >= 400)) {
        return errorResponse(
          424,
          "FailedDependency",
          `The request '${item.id}' was not run because a request it depends on failed.`,
          emulator.now(),
        );
      }
      return runItem(emulator, principal, version, item, outerUrl, receivedAt);
    })();
    results.set(item.id, promise);
    return promise;
  };
  await Promise.all(
    items.map(async (item) => {
      const response = await run(item);
      order.push({
        id: item.id,
        status: response.status,
        headers: itemHeaders(response.headers),
        ...(response.body !== undefined ? { body: response.body } : {}),
      });
    }),
  );
  order.reverse();
  return { status: 200, headers: { "content-type": "application/json" }, body: { responses: order } };
}

/** Item headers as Graph spells them: `Content-Type` (the SDK's BatchResponseContent looks for that exact name). */
function itemHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).map(([k, v]) => [k.toLowerCase() === "content-type" ? "Content-Type" : k, v]),
  );
}

async function runItem(
  emulator: BatchTarget,
  principal: Principal,
  version: "v1.0" | "beta",
  item: BatchItem,
  outerUrl: URL,
  receivedAt: number,
): Promise<GraphResponse> {
  if (/^https?:/i.test(item.url))
    return bad(emulator, `Request '${item.id}': batch request urls must be relative (for example /groups).`);
  let relative = item.url.startsWith("/") ? item.url : `/${item.url}`;
  // The Graph SDK sends "/v1.0/…" when given absolute URLs; the service accepts the batch's own version.
  const versioned = /^\/(v1\.0|beta)(\/.*)$/i.exec(relative);
  if (versioned) {
    if (versioned[1].toLowerCase() !== version)
      return bad(emulator, `Request '${item.id}': a ${version} batch cannot hold a ${versioned[1]} request.`);
    relative = versioned[2];
  }
  if (relative.startsWith("/$batch")) return bad(emulator, `Request '${item.id}': a batch cannot be nested.`);
  if (item.body !== undefined && !Object.keys(item.headers ?? {}).some((h) => h.toLowerCase() === "content-type")) {
    return bad(emulator, `Request '${item.id}': a request with a body must have a Content-Type header.`);
  }
  const url = new URL(`/${version}${relative}`, outerUrl);
  const path = url.pathname.slice(version.length + 1);
  return emulator.call(principal, {
    method: item.method.toUpperCase(),
    version,
    path,
    url,
    rawBody: item.body,
    headers: item.headers ?? {},
    isBatchItem: true,
    receivedAt,
  });
}
