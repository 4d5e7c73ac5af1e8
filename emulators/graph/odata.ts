/**
 * odata — the OData query options the emulator honours: $top, $skiptoken paging with
 * @odata.nextLink (opaque, all other options preserved), $select, $filter with eq / isof / and / or,
 * $expand with nested options, and @odata.context values. Pure functions.
 */
import { badRequest } from "./errors";

export interface PageToken {
  offset: number;
  emptyServed?: boolean;
}

export function encodeSkipToken(token: PageToken): string {
  return Buffer.from(JSON.stringify({ o: token.offset, e: token.emptyServed ? 1 : 0, v: 1 })).toString("base64url");
}

export function decodeSkipToken(raw: string, now: number): PageToken {
  try {
    const parsed = JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as {
      o: unknown;
      e?: unknown;
      v?: unknown;
    };
    if (parsed.v !== 1 || typeof parsed.o !== "number" || parsed.o < 0) throw new Error("bad token");
    return { offset: parsed.o, emptyServed: parsed.e === 1 };
  } catch {
    return badRequest("The specified page token value has expired and can no longer be included in your request.", now);
  }
}

export interface ExpandItem {
  name: string;
  options: URLSearchParams;
}

/** Splits "a,b($expand=c),d" at top-level commas. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = "";
  for (const ch of text) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === "," && depth === 0) {
      parts.push(current.trim());
      current = "";
    } else current += ch;
  }
  if (current.trim()) parts.push(current.trim());
  return parts;
}

export function parseExpand(text: string | null, now: number): ExpandItem[] {
  if (!text) return [];
  return splitTopLevel(text).map((part) => {
    const m = /^([A-Za-z0-9_.]+)(?:\((.*)\))?$/.exec(part);
    if (!m) return badRequest(`Invalid $expand clause '${part}'.`, now);
    const options = new URLSearchParams();
    if (m[2])
      for (const option of m[2].split(";")) {
        const eq = option.indexOf("=");
        if (eq > 0) options.set(option.slice(0, eq).trim(), option.slice(eq + 1).trim());
      }
    return { name: m[1], options };
  });
}

export function parseSelect(text: string | null): string[] | undefined {
  if (!text) return undefined;
  return text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

export function applySelect(object: Record<string, unknown>, select: string[] | undefined): Record<string, unknown> {
  if (!select) return object;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(object)) {
    if (k === "id" || k.startsWith("@odata.") || select.includes(k)) out[k] = v;
  }
  return out;
}

type Condition = { path: string[]; value: unknown };
type Filter = { any: Condition[][] }; // OR of ANDs

function parseLiteral(raw: string, now: number): unknown {
  if (raw.startsWith("'")) return raw.slice(1, -1).replace(/''/g, "'");
  if (raw === "true") return true;
  if (raw === "false") return false;
  if (raw === "null") return null;
  if (/^-?\d+(\.\d+)?$/.test(raw)) return Number(raw);
  return badRequest(`Invalid filter clause: unsupported literal ${raw}.`, now);
}

/**
 * Parses the subset of $filter the emulator supports: `prop eq literal` and `isof('type')` joined by
 * and / or. isof matches the object's own @odata.type: the types served this way have no derived types.
 */
export function parseFilter(text: string | null, now: number): Filter | undefined {
  if (!text) return undefined;
  const clause = /\s*([A-Za-z0-9_@.]+(?:\/[A-Za-z0-9_]+)*)\s+eq\s+('(?:[^']|'')*'|true|false|null|-?\d+(?:\.\d+)?)\s*/y;
  const isOf = /\s*isof\('([A-Za-z0-9_.]+)'\)\s*/iy;
  const any: Condition[][] = [[]];
  let index = 0;
  while (index < text.length) {
    isOf.lastIndex = index;
    const t = isOf.exec(text);
    clause.lastIndex = index;
    const m = t ? null : clause.exec(text);
    if (t) any[any.length - 1].push({ path: ["@odata.type"], value: `#${t[1]}` });
    else if (m) any[any.length - 1].push({ path: m[1].split("/"), value: parseLiteral(m[2], now) });
    else return badRequest("Invalid filter clause", now);
    index = t ? isOf.lastIndex : clause.lastIndex;
    const joiner = /(and|or)\s+/iy;
    joiner.lastIndex = index;
    const j = joiner.exec(text);
    if (!j) break;
    if (j[1].toLowerCase() === "or") any.push([]);
    index = joiner.lastIndex;
  }
  if (index < text.length) return badRequest("Invalid filter clause", now);
  return { any };
}

export function matchesFilter(object: Record<string, unknown>, filter: Filter | undefined): boolean {
  if (!filter) return true;
  return filter.any.some((all) =>
    all.every((c) => {
      let v: unknown = object;
      for (const p of c.path) v = v && typeof v === "object" ? (v as Record<string, unknown>)[p] : undefined;
      if (typeof v === "string" && typeof c.value === "string") return v.toLowerCase() === c.value.toLowerCase();
      return v === c.value;
    }),
  );
}

export interface PageOptions {
  defaultPageSize: number;
  maxPageSize: number;
  /** Serve an empty page (with a nextLink) before this offset, when > 0 objects remain. */
  emptyPageEvery?: number;
}

export interface Page<T> {
  items: T[];
  next?: PageToken;
}

/** One page of `all`, starting at the token's offset. */
export function pageOf<T>(
  all: T[],
  top: number | undefined,
  token: PageToken | undefined,
  options: PageOptions,
): Page<T> {
  const offset = token?.offset ?? 0;
  const size = Math.max(1, Math.min(top ?? options.defaultPageSize, options.maxPageSize));
  const every = options.emptyPageEvery ?? 0;
  if (every > 0 && offset > 0 && offset < all.length && !token?.emptyServed && (offset / size) % every === 0) {
    return { items: [], next: { offset, emptyServed: true } };
  }
  const items = all.slice(offset, offset + size);
  return { items, next: offset + size < all.length ? { offset: offset + size } : undefined };
}

export function nextLinkFor(requestUrl: URL, token: PageToken): string {
  const next = new URL(requestUrl.toString());
  next.searchParams.delete("$skiptoken");
  next.searchParams.set("$skiptoken", encodeSkipToken(token));
  // Graph writes the query option names with a literal `$` ($skiptoken, $filter…), not %24.
  return next.toString().replace(/([?&])%24/g, "$1$");
}

export function parseTop(raw: string | null, now: number): number | undefined {
  if (raw === null) return undefined;
  if (!/^\d+$/.test(raw)) return badRequest(`Invalid value '${raw}' for $top query option found.`, now);
  return Number(raw);
}
