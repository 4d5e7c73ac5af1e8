/**
 * pointer — JSON-pointer patterns over plain JSON values: `/a/b/0` addresses one value, `*` in a
 * pattern stands for every array item or object key. Used by the declarations to name server-
 * managed properties, secrets, references and unordered arrays. Pure.
 */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [k: string]: JsonValue };
export type JsonObject = { [k: string]: JsonValue };

export function isJsonObject(v: unknown): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function parsePointer(pointer: string): string[] {
  if (pointer === "") return [];
  if (!pointer.startsWith("/")) throw new Error(`JSON pointer "${pointer}" must start with "/"`);
  return pointer
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

export function formatPointer(segments: (string | number)[]): string {
  return segments.map((s) => `/${String(s).replace(/~/g, "~0").replace(/\//g, "~1")}`).join("");
}

export interface Match {
  /** The container holding the value. */
  parent: JsonObject | JsonValue[];
  key: string | number;
  value: JsonValue;
  /** The concrete pointer of the value. */
  path: (string | number)[];
}

/** Every value the pattern addresses (existing values only). */
export function matchPattern(root: JsonValue, pattern: string): Match[] {
  const segments = parsePointer(pattern);
  const out: Match[] = [];
  const walk = (
    node: JsonValue,
    i: number,
    path: (string | number)[],
    parent: JsonObject | JsonValue[] | undefined,
    key: string | number | undefined,
  ) => {
    if (i === segments.length) {
      if (parent !== undefined && key !== undefined) out.push({ parent, key, value: node, path });
      return;
    }
    const seg = segments[i];
    if (Array.isArray(node)) {
      if (seg === "*") node.forEach((child, j) => walk(child, i + 1, [...path, j], node, j));
      else if (/^\d+$/.test(seg) && Number(seg) < node.length)
        walk(node[Number(seg)], i + 1, [...path, Number(seg)], node, Number(seg));
    } else if (isJsonObject(node)) {
      if (seg === "*") for (const k of Object.keys(node)) walk(node[k], i + 1, [...path, k], node, k);
      else if (Object.prototype.hasOwnProperty.call(node, seg)) walk(node[seg], i + 1, [...path, seg], node, seg);
    }
  };
  walk(root, 0, [], undefined, undefined);
  return out;
}

/** Removes what the pattern addresses; array items are removed from the end so indexes hold. */
export function removePattern(root: JsonValue, pattern: string): void {
  const matches = matchPattern(root, pattern);
  for (const m of matches.reverse()) {
    if (Array.isArray(m.parent)) m.parent.splice(m.key as number, 1);
    else delete m.parent[m.key as string];
  }
}

export function setAt(m: Match, value: JsonValue): void {
  if (Array.isArray(m.parent)) m.parent[m.key as number] = value;
  else m.parent[m.key as string] = value;
}

export function getAt(root: JsonValue, pointer: string): JsonValue | undefined {
  let node: JsonValue | undefined = root;
  for (const seg of parsePointer(pointer)) {
    if (Array.isArray(node)) node = /^\d+$/.test(seg) ? node[Number(seg)] : undefined;
    else if (isJsonObject(node)) node = node[seg];
    else return undefined;
  }
  return node;
}
