/**
 * audit-filter — the $filter language the audit logs answer: comparisons (eq, ge, gt, le, lt) of a
 * property path with a string, date-time or other literal, `any` over a collection
 * ("targetResources/any(t: t/id eq '…')"), `and`, `or` and parentheses. Pure: parses into a tree
 * and lists each comparison so the log can refuse what its service does not filter on.
 */

type Op = "eq" | "ge" | "gt" | "le" | "lt";

export type AuditFilter =
  | { kind: "and" | "or"; parts: AuditFilter[] }
  | { kind: "compare"; path: string[]; op: Op; value: string | number | boolean | null }
  | { kind: "any"; collection: string[]; variable: string; inner: AuditFilter };

/** A comparison as the log checks it: the full path ("targetResources/id" inside any) and its operator. */
export interface FilterComparison {
  path: string;
  op: Op;
}

const tokenPattern =
  /\s*(?:(\()|(\))|(:)|('(?:[^']|'')*')|(\d{4}-\d\d-\d\dT[0-9:.]+(?:Z|[+-]\d\d:\d\d)?)|(-?\d+(?:\.\d+)?)|([A-Za-z_][A-Za-z0-9_]*(?:\/[A-Za-z_][A-Za-z0-9_]*)*))/y;

type Token = { kind: "(" | ")" | ":" | "string" | "date" | "number" | "word"; text: string };

function tokenize(text: string): Token[] | string {
  const tokens: Token[] = [];
  let at = 0;
  while (at < text.length) {
    if (/^\s*$/.test(text.slice(at))) break;
    tokenPattern.lastIndex = at;
    const m = tokenPattern.exec(text);
    if (!m) return `unexpected text at position ${at}`;
    at = tokenPattern.lastIndex;
    const kinds = ["(", ")", ":", "string", "date", "number", "word"] as const;
    const i = m.slice(1).findIndex((g) => g !== undefined);
    tokens.push({ kind: kinds[i], text: m[i + 1] });
  }
  return tokens;
}

class Parser {
  private at = 0;
  readonly comparisons: FilterComparison[] = [];
  private readonly scopes: { variable: string; collection: string }[] = [];

  constructor(private readonly tokens: Token[]) {}

  private peek(): Token | undefined {
    return this.tokens[this.at];
  }

  private take(kind?: Token["kind"], text?: string): Token {
    const t = this.tokens[this.at];
    if (!t || (kind && t.kind !== kind) || (text && t.text.toLowerCase() !== text))
      throw new Error(t ? `unexpected '${t.text}'` : "the filter ends too early");
    this.at++;
    return t;
  }

  private isWord(text: string): boolean {
    const t = this.peek();
    return t?.kind === "word" && t.text.toLowerCase() === text;
  }

  parse(): AuditFilter {
    const filter = this.or();
    if (this.peek()) throw new Error(`unexpected '${this.peek()?.text}'`);
    return filter;
  }

  private or(): AuditFilter {
    return this.joined("or", () => this.and());
  }

  private and(): AuditFilter {
    return this.joined("and", () => this.factor());
  }

  /** Operands joined by one keyword (`and` binds tighter, so `or` joins `and` groups). */
  private joined(keyword: "and" | "or", operand: () => AuditFilter): AuditFilter {
    const parts = [operand()];
    while (this.isWord(keyword)) {
      this.take();
      parts.push(operand());
    }
    return parts.length === 1 ? parts[0] : { kind: keyword, parts };
  }

  private factor(): AuditFilter {
    if (this.peek()?.kind === "(") {
      this.take("(");
      const inner = this.or();
      this.take(")");
      return inner;
    }
    const path = this.take("word").text.split("/");
    if (path[path.length - 1].toLowerCase() === "any" && this.peek()?.kind === "(") return this.any(path.slice(0, -1));
    const op = this.take("word").text.toLowerCase();
    if (!["eq", "ge", "gt", "le", "lt"].includes(op)) throw new Error(`unsupported operator '${op}'`);
    const value = this.literal();
    const scope = this.scopes.find((s) => s.variable === path[0]);
    const full = scope ? [scope.collection, ...path.slice(1)] : path;
    this.comparisons.push({ path: full.join("/"), op: op as Op });
    return { kind: "compare", path: scope ? path.slice(1) : path, op: op as Op, value };
  }

  private any(collection: string[]): AuditFilter {
    this.take("(");
    const variable = this.take("word").text;
    this.take(":");
    this.scopes.unshift({ variable, collection: collection.join("/") });
    const inner = this.or();
    this.scopes.shift();
    this.take(")");
    return { kind: "any", collection, variable, inner };
  }

  private literal(): string | number | boolean | null {
    const t = this.take();
    if (t.kind === "string") return t.text.slice(1, -1).replace(/''/g, "'");
    if (t.kind === "date") return t.text;
    if (t.kind === "number") return Number(t.text);
    if (t.kind === "word" && ["true", "false", "null"].includes(t.text)) return JSON.parse(t.text) as boolean | null;
    throw new Error(`unsupported literal '${t.text}'`);
  }
}

export function parseAuditFilter(
  text: string,
): { filter: AuditFilter; comparisons: FilterComparison[] } | { error: string } {
  const tokens = tokenize(text);
  if (typeof tokens === "string") return { error: tokens };
  const parser = new Parser(tokens);
  try {
    return { filter: parser.parse(), comparisons: parser.comparisons };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

function valueAt(object: unknown, path: string[]): unknown {
  let v = object;
  for (const p of path) v = v && typeof v === "object" ? (v as Record<string, unknown>)[p] : undefined;
  return v;
}

function compare(actual: unknown, op: Op, expected: unknown): boolean {
  const asTime = (v: unknown) => (typeof v === "string" && /^\d{4}-\d\d-\d\dT/.test(v) ? Date.parse(v) : NaN);
  const [a, b] =
    Number.isNaN(asTime(actual)) || Number.isNaN(asTime(expected))
      ? [actual, expected]
      : [asTime(actual), asTime(expected)];
  if (op === "eq")
    return typeof a === "string" && typeof b === "string" ? a.toLowerCase() === b.toLowerCase() : a === b;
  if (typeof a !== typeof b || (typeof a !== "number" && typeof a !== "string")) return false;
  const x = a as number | string;
  const y = b as number | string;
  return op === "ge" ? x >= y : op === "gt" ? x > y : op === "le" ? x <= y : x < y;
}

export function matchesAuditFilter(object: unknown, filter: AuditFilter): boolean {
  switch (filter.kind) {
    case "and":
      return filter.parts.every((p) => matchesAuditFilter(object, p));
    case "or":
      return filter.parts.some((p) => matchesAuditFilter(object, p));
    case "compare":
      return compare(valueAt(object, filter.path), filter.op, filter.value);
    case "any": {
      const items = valueAt(object, filter.collection);
      return Array.isArray(items) && items.some((item) => matchesAuditFilter(item, filter.inner));
    }
  }
}
