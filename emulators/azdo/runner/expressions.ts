/**
 * expressions — the Azure Pipelines expression language, shared by template expressions (`${{ }}`),
 * runtime expressions (`$[ ]`) and conditions: literals, named values with `.name` and `['name']`
 * access, and function calls (there are no operators). Values convert as the service converts them:
 * booleans print as True/False, comparisons convert the right side to the left side's type and
 * compare strings without regard to case.
 */

export type Value = string | number | boolean | null | Value[] | { [key: string]: Value };

export type Ast =
  | { kind: "literal"; value: Value }
  | { kind: "named"; name: string }
  | { kind: "index"; target: Ast; key: Ast }
  | { kind: "call"; name: string; args: Ast[] };

export class ExpressionError extends Error {}

/** A function: gets its arguments unevaluated, so and/or/iif/coalesce can stop early. */
export type ExpressionFunction = (args: (() => Value)[], name: string) => Value;

export interface ExpressionContext {
  /** The root named values (parameters, variables, dependencies, …); undefined: not known here. */
  named(name: string): Value | undefined;
  /** Functions beyond the common ones (the status functions of conditions). */
  functions?: Record<string, { min: number; max: number; fn: ExpressionFunction }>;
}

type Token = { kind: "punct"; text: string } | { kind: "string"; text: string } | { kind: "word"; text: string };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (/\s/.test(c)) {
      i++;
    } else if ("()[],".includes(c)) {
      tokens.push({ kind: "punct", text: c });
      i++;
    } else if (c === ".") {
      tokens.push({ kind: "punct", text: c });
      i++;
    } else if (c === "'") {
      let text = "";
      i++;
      for (;;) {
        if (i >= source.length) throw new ExpressionError(`Unclosed string literal in the expression: ${source}`);
        if (source[i] === "'") {
          if (source[i + 1] === "'") {
            text += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        text += source[i++];
      }
      tokens.push({ kind: "string", text });
    } else {
      const match = /^[A-Za-z0-9_\-*]+/.exec(source.slice(i));
      if (!match) throw new ExpressionError(`Unexpected symbol '${c}' in the expression: ${source}`);
      // A number keeps its decimal point: "1.5" is one word, but "a.b" is a property access.
      let text = match[0];
      if (/^-?\d+$/.test(text) && /^\.\d/.test(source.slice(i + text.length))) {
        text += /^\.\d+/.exec(source.slice(i + text.length))![0];
      }
      tokens.push({ kind: "word", text });
      i += text.length;
    }
  }
  return tokens;
}

/** Parses an expression (the text between `${{` and `}}`, or a condition). */
export function parseExpression(source: string): Ast {
  const tokens = tokenize(source);
  let pos = 0;
  const peek = () => tokens[pos];
  const expect = (text: string) => {
    const t = tokens[pos];
    if (!t || t.kind !== "punct" || t.text !== text)
      throw new ExpressionError(
        `Expected '${text}' ${t ? `before '${t.text}'` : "at the end"} in the expression: ${source}`,
      );
    pos++;
  };
  const primary = (): Ast => {
    const t = tokens[pos++];
    if (!t) throw new ExpressionError(`Unexpected end of the expression: ${source}`);
    if (t.kind === "string") return { kind: "literal", value: t.text };
    if (t.kind === "punct") throw new ExpressionError(`Unexpected '${t.text}' in the expression: ${source}`);
    const lower = t.text.toLowerCase();
    if (lower === "true" || lower === "false") return { kind: "literal", value: lower === "true" };
    if (lower === "null") return { kind: "literal", value: null };
    if (/^-?\d+(\.\d+)?$/.test(t.text)) return { kind: "literal", value: Number(t.text) };
    if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(t.text))
      throw new ExpressionError(`Unexpected symbol '${t.text}' in the expression: ${source}`);
    const next = peek();
    if (next?.kind === "punct" && next.text === "(") {
      pos++;
      const args: Ast[] = [];
      if (!(peek()?.kind === "punct" && peek()!.text === ")")) {
        for (;;) {
          args.push(postfix());
          if (peek()?.kind === "punct" && peek()!.text === ",") {
            pos++;
            continue;
          }
          break;
        }
      }
      expect(")");
      return { kind: "call", name: t.text, args };
    }
    return { kind: "named", name: t.text };
  };
  const postfix = (): Ast => {
    let node = primary();
    for (;;) {
      const t = peek();
      if (t?.kind === "punct" && t.text === ".") {
        pos++;
        const name = tokens[pos++];
        if (!name || name.kind !== "word" || !/^[A-Za-z_*][A-Za-z0-9_-]*$/.test(name.text))
          throw new ExpressionError(`Expected a property name after '.' in the expression: ${source}`);
        node = { kind: "index", target: node, key: { kind: "literal", value: name.text } };
      } else if (t?.kind === "punct" && t.text === "[") {
        pos++;
        const key = postfix();
        expect("]");
        node = { kind: "index", target: node, key };
      } else {
        return node;
      }
    }
  };
  const ast = postfix();
  if (pos < tokens.length) throw new ExpressionError(`Unexpected '${tokens[pos].text}' in the expression: ${source}`);
  return ast;
}

// ---- conversions, as the service documents them ----

export function toBoolean(v: Value): boolean {
  if (v === null) return false;
  if (typeof v === "boolean") return v;
  if (typeof v === "number") return v !== 0 && !Number.isNaN(v);
  if (typeof v === "string") return v.length > 0;
  return true;
}

export function toStringValue(v: Value): string {
  if (v === null) return "";
  if (typeof v === "boolean") return v ? "True" : "False";
  if (typeof v === "number") return String(v);
  if (typeof v === "string") return v;
  throw new ExpressionError(`An ${Array.isArray(v) ? "array" : "object"} cannot be converted to a string`);
}

export function toNumber(v: Value): number {
  if (v === null) return 0;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "number") return v;
  if (typeof v === "string") {
    const t = v.trim();
    if (t === "") return 0;
    return /^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(t) ? Number(t) : NaN;
  }
  return NaN;
}

const isCollection = (v: Value): v is Value[] | { [key: string]: Value } => v !== null && typeof v === "object";

/** -1, 0, 1, or undefined when the right side does not convert to the left side's type. */
function compare(left: Value, right: Value): number | undefined {
  if (isCollection(left) || isCollection(right)) return left === right ? 0 : undefined;
  if (left === null) return right === null ? 0 : undefined;
  if (typeof left === "string") {
    const a = left.toUpperCase();
    const b = toStringValue(right).toUpperCase();
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (typeof left === "number") {
    const b = toNumber(right);
    if (Number.isNaN(b) || Number.isNaN(left)) return undefined;
    return left < b ? -1 : left > b ? 1 : 0;
  }
  const b = toBoolean(right);
  return left === b ? 0 : left ? 1 : -1;
}

export function valuesEqual(left: Value, right: Value): boolean {
  return compare(left, right) === 0;
}

/** Case-insensitive property lookup, as the service reads named values. */
export function property(target: Value, key: Value): Value {
  if (Array.isArray(target)) {
    const i = toNumber(key);
    return Number.isInteger(i) && i >= 0 && i < target.length ? target[i] : null;
  }
  if (target === null || typeof target !== "object") return null;
  const name = toStringValue(key);
  if (Object.prototype.hasOwnProperty.call(target, name)) return target[name];
  const match = Object.keys(target).find((k) => k.toLowerCase() === name.toLowerCase());
  return match === undefined ? null : target[match];
}

const common: Record<string, { min: number; max: number; fn: ExpressionFunction }> = {
  and: { min: 2, max: Infinity, fn: (a) => a.every((x) => toBoolean(x())) },
  or: { min: 2, max: Infinity, fn: (a) => a.some((x) => toBoolean(x())) },
  not: { min: 1, max: 1, fn: (a) => !toBoolean(a[0]()) },
  xor: { min: 2, max: 2, fn: (a) => toBoolean(a[0]()) !== toBoolean(a[1]()) },
  iif: { min: 3, max: 3, fn: (a) => (toBoolean(a[0]()) ? a[1]() : a[2]()) },
  eq: { min: 2, max: 2, fn: (a) => valuesEqual(a[0](), a[1]()) },
  ne: { min: 2, max: 2, fn: (a) => !valuesEqual(a[0](), a[1]()) },
  gt: { min: 2, max: 2, fn: (a) => compare(a[0](), a[1]()) === 1 },
  lt: { min: 2, max: 2, fn: (a) => compare(a[0](), a[1]()) === -1 },
  ge: { min: 2, max: 2, fn: (a) => [0, 1].includes(compare(a[0](), a[1]()) ?? -2) },
  le: { min: 2, max: 2, fn: (a) => [0, -1].includes(compare(a[0](), a[1]()) ?? 2) },
  in: {
    min: 1,
    max: Infinity,
    fn: (a) => {
      const needle = a[0]();
      return a.slice(1).some((x) => valuesEqual(needle, x()));
    },
  },
  notIn: {
    min: 1,
    max: Infinity,
    fn: (a) => {
      const needle = a[0]();
      return !a.slice(1).some((x) => valuesEqual(needle, x()));
    },
  },
  contains: {
    min: 2,
    max: 2,
    fn: (a) => {
      const haystack = a[0]();
      const needle = a[1]();
      if (Array.isArray(haystack)) return haystack.some((x) => valuesEqual(x, needle));
      return toStringValue(haystack).toUpperCase().includes(toStringValue(needle).toUpperCase());
    },
  },
  containsValue: {
    min: 2,
    max: 2,
    fn: (a) => {
      const haystack = a[0]();
      const needle = a[1]();
      const items = Array.isArray(haystack) ? haystack : isCollection(haystack) ? Object.values(haystack) : [];
      return items.some((x) => valuesEqual(x, needle));
    },
  },
  startsWith: {
    min: 2,
    max: 2,
    fn: (a) => toStringValue(a[0]()).toUpperCase().startsWith(toStringValue(a[1]()).toUpperCase()),
  },
  endsWith: {
    min: 2,
    max: 2,
    fn: (a) => toStringValue(a[0]()).toUpperCase().endsWith(toStringValue(a[1]()).toUpperCase()),
  },
  lower: { min: 1, max: 1, fn: (a) => toStringValue(a[0]()).toLowerCase() },
  upper: { min: 1, max: 1, fn: (a) => toStringValue(a[0]()).toUpperCase() },
  replace: {
    min: 3,
    max: 3,
    fn: (a) => toStringValue(a[0]()).split(toStringValue(a[1]())).join(toStringValue(a[2]())),
  },
  length: {
    min: 1,
    max: 1,
    fn: (a) => {
      const v = a[0]();
      if (Array.isArray(v)) return v.length;
      if (isCollection(v)) return Object.keys(v).length;
      return toStringValue(v).length;
    },
  },
  join: {
    min: 2,
    max: 2,
    fn: (a) => {
      const separator = toStringValue(a[0]());
      const items = a[1]();
      return Array.isArray(items) ? items.map(toStringValue).join(separator) : toStringValue(items);
    },
  },
  coalesce: {
    min: 1,
    max: Infinity,
    fn: (a) => {
      for (const x of a) {
        const v = x();
        if (v !== null && v !== "") return v;
      }
      return null;
    },
  },
  format: {
    min: 1,
    max: Infinity,
    fn: (a) => {
      const template = toStringValue(a[0]());
      return template.replace(/\{\{|\}\}|\{(\d+)\}/g, (m: string, index?: string) => {
        if (m === "{{") return "{";
        if (m === "}}") return "}";
        const i = Number(index) + 1;
        if (i >= a.length) throw new ExpressionError(`format('${template}'): there is no argument ${index}`);
        return toStringValue(a[i]());
      });
    },
  },
};

export function evaluate(ast: Ast, context: ExpressionContext): Value {
  switch (ast.kind) {
    case "literal":
      return ast.value;
    case "named": {
      const value = context.named(ast.name);
      if (value === undefined) throw new ExpressionError(`Unrecognized value: '${ast.name}'`);
      return value;
    }
    case "index":
      return property(evaluate(ast.target, context), evaluate(ast.key, context));
    case "call": {
      const key = (name: string) => name.toLowerCase() === ast.name.toLowerCase();
      const extra = Object.keys(context.functions ?? {}).find(key);
      const builtIn = Object.keys(common).find(key);
      const definition = extra ? context.functions![extra] : builtIn ? common[builtIn] : undefined;
      if (!definition) throw new ExpressionError(`Unrecognized function: '${ast.name}'`);
      if (ast.args.length < definition.min || ast.args.length > definition.max)
        throw new ExpressionError(
          `The function '${ast.name}' takes ${definition.min === definition.max ? definition.min : `${definition.min} or more`} argument(s), not ${ast.args.length}`,
        );
      return definition.fn(
        ast.args.map((arg) => () => evaluate(arg, context)),
        ast.name,
      );
    }
  }
}

/** Names of the functions a parsed expression calls (to refuse status functions where they mean nothing). */
export function calledFunctions(ast: Ast): string[] {
  if (ast.kind === "call") return [ast.name, ...ast.args.flatMap(calledFunctions)];
  if (ast.kind === "index") return [...calledFunctions(ast.target), ...calledFunctions(ast.key)];
  return [];
}

export function evaluateText(source: string, context: ExpressionContext): Value {
  return evaluate(parseExpression(source), context);
}
