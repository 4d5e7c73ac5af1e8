/**
 * template — the compile-time half of a pipeline: the YAML read as strings with the line of every
 * node, the `parameters` block checked against the run's values, and template expressions expanded
 * (`${{ expr }}` in values and keys, `${{ if }}` / `${{ elseif }}` / `${{ else }}` and `${{ each }}`
 * insertions in mappings and sequences). The result is the same tree with no `${{` left, for the
 * compiler to turn into stages, jobs and steps.
 */
import { LineCounter, parseDocument, isAlias, isMap, isScalar, isSeq, type Node as YamlNode } from "yaml";
import {
  evaluate,
  ExpressionError,
  parseExpression,
  toBoolean,
  toNumber,
  toStringValue,
  type ExpressionContext,
  type Value,
} from "./expressions";

export type TreeNode = TreeScalar | TreeMap | TreeSeq;
export interface TreeScalar {
  kind: "scalar";
  value: string | number | boolean | null;
  line: number;
}
export interface TreeEntry {
  key: string;
  line: number;
  value: TreeNode;
}
export interface TreeMap {
  kind: "map";
  entries: TreeEntry[];
  line: number;
}
export interface TreeSeq {
  kind: "seq";
  items: TreeNode[];
  line: number;
}

/** One problem that stops the run before it starts: what, and the line of the YAML it is on. */
export interface CompileIssue {
  line: number;
  message: string;
}

export class CompileErrors extends Error {
  constructor(public readonly issues: CompileIssue[]) {
    super(issues.map((i) => `line ${i.line}: ${i.message}`).join("\n"));
  }
}

/** The YAML as a tree of strings (the service reads every literal as a string) with 1-based lines. */
export function readYaml(text: string): TreeNode {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, schema: "failsafe", uniqueKeys: true });
  const lineOf = (offset: number | undefined) => (offset === undefined ? 1 : lineCounter.linePos(offset).line);
  if (doc.errors.length)
    throw new CompileErrors(
      doc.errors.map((e) => ({
        line: lineOf(e.pos[0]),
        message: `The YAML is not valid: ${e.message.split("\n")[0]}`,
      })),
    );
  const convert = (node: YamlNode | null | undefined, fallbackLine: number): TreeNode => {
    if (!node) return { kind: "scalar", value: null, line: fallbackLine };
    const line = lineOf(node.range?.[0]);
    if (isAlias(node))
      throw new CompileErrors([{ line, message: "YAML anchors and aliases are not supported by this runner" }]);
    if (isScalar(node)) {
      const value = node.value;
      return { kind: "scalar", value: value === null || value === undefined ? null : String(value), line };
    }
    if (isMap(node)) {
      return {
        kind: "map",
        line,
        entries: node.items.map((pair) => {
          const keyNode = pair.key as YamlNode | null;
          const keyLine = keyNode ? lineOf(keyNode.range?.[0]) : line;
          if (!keyNode || !isScalar(keyNode))
            throw new CompileErrors([{ line: keyLine, message: "A mapping key must be a plain string" }]);
          return { key: String(keyNode.value), line: keyLine, value: convert(pair.value as YamlNode | null, keyLine) };
        }),
      };
    }
    if (isSeq(node)) return { kind: "seq", line, items: node.items.map((item) => convert(item as YamlNode, line)) };
    throw new CompileErrors([{ line, message: "Unsupported YAML node" }]);
  };
  return convert(doc.contents as YamlNode | null, 1);
}

export function scalarText(node: TreeNode): string | undefined {
  return node.kind === "scalar" ? toStringValue(node.value) : undefined;
}

// ---- parameters ----

export type ParameterValue = string | number | boolean;
const supportedParameterTypes = ["string", "boolean", "number"];

/**
 * The run's parameter values from the `parameters` block and the values the run was queued with.
 * The service's own messages name the parameter: an unknown one, a value outside `values`, a
 * boolean or number that is not one, a missing value.
 */
export function resolveParameters(
  block: TreeNode | undefined,
  given: Record<string, string | number | boolean>,
): Record<string, ParameterValue> {
  const issues: CompileIssue[] = [];
  const resolved: Record<string, ParameterValue> = {};
  const declared = new Map<string, number>();
  if (block && block.kind !== "seq") {
    throw new CompileErrors([
      {
        line: block.line,
        message:
          "parameters must be a list of {name, type, default, values} (the mapping form is not supported by this runner)",
      },
    ]);
  }
  for (const item of block?.kind === "seq" ? block.items : []) {
    if (item.kind !== "map") {
      issues.push({ line: item.line, message: "A parameter must be a mapping with name, type and default" });
      continue;
    }
    const field = (k: string) => item.entries.find((e) => e.key === k);
    for (const entry of item.entries) {
      if (!["name", "displayName", "type", "default", "values"].includes(entry.key))
        issues.push({
          line: entry.line,
          message: `The parameter property '${entry.key}' is not supported by this runner`,
        });
    }
    const name = field("name") && scalarText(field("name")!.value);
    if (!name) {
      issues.push({ line: item.line, message: "A parameter needs a name" });
      continue;
    }
    declared.set(name.toLowerCase(), item.line);
    const type = (field("type") && scalarText(field("type")!.value)) || "string";
    if (!supportedParameterTypes.includes(type)) {
      issues.push({
        line: field("type")!.line,
        message: `The parameter '${name}' has type '${type}', which this runner does not support (string, boolean, number)`,
      });
      continue;
    }
    const valuesNode = field("values")?.value;
    const values = valuesNode?.kind === "seq" ? valuesNode.items.map((v) => scalarText(v) ?? "") : undefined;
    const givenKey = Object.keys(given).find((k) => k.toLowerCase() === name.toLowerCase());
    const raw: string | number | boolean | undefined =
      givenKey !== undefined ? given[givenKey] : field("default") ? scalarText(field("default")!.value) : undefined;
    const line = givenKey !== undefined ? item.line : (field("default")?.line ?? item.line);
    if (raw === undefined) {
      issues.push({ line, message: `A value for the '${name}' parameter must be provided.` });
      continue;
    }
    let value: ParameterValue;
    if (type === "boolean") {
      const text = String(raw).trim().toLowerCase();
      if (text !== "true" && text !== "false") {
        issues.push({ line, message: `The '${name}' parameter is not a valid Boolean.` });
        continue;
      }
      value = text === "true";
    } else if (type === "number") {
      const n = typeof raw === "number" ? raw : toNumber(String(raw));
      if (Number.isNaN(n) || String(raw).trim() === "") {
        issues.push({ line, message: `The '${name}' parameter is not a valid Number.` });
        continue;
      }
      value = n;
    } else {
      value = typeof raw === "boolean" ? toStringValue(raw) : String(raw);
    }
    if (values && !values.some((v) => v.toLowerCase() === toStringValue(value).toLowerCase())) {
      issues.push({ line, message: `The '${name}' parameter value '${toStringValue(value)}' is not a valid value.` });
      continue;
    }
    resolved[name] = value;
  }
  for (const key of Object.keys(given)) {
    if (!declared.has(key.toLowerCase()))
      issues.push({ line: block?.line ?? 1, message: `Unexpected parameter '${key}'` });
  }
  if (issues.length) throw new CompileErrors(issues);
  return resolved;
}

// ---- template expressions ----

export interface TemplateScope {
  parameters: Record<string, Value>;
  variables: Record<string, Value>;
  /** `${{ each x in … }}` bindings. */
  locals?: Record<string, Value>;
}

interface Piece {
  text?: string;
  expression?: string;
}

/** Splits a string into literal text and `${{ … }}` expressions (quotes inside an expression may hold `}}`). */
function splitTemplate(text: string): Piece[] {
  const pieces: Piece[] = [];
  let i = 0;
  while (i < text.length) {
    const start = text.indexOf("${{", i);
    if (start < 0) {
      pieces.push({ text: text.slice(i) });
      break;
    }
    if (start > i) pieces.push({ text: text.slice(i, start) });
    let j = start + 3;
    let quoted = false;
    for (; j < text.length; j++) {
      if (text[j] === "'") quoted = !quoted;
      else if (!quoted && text.startsWith("}}", j)) break;
    }
    if (j >= text.length)
      throw new ExpressionError(`The template expression is not closed with '}}': ${text.slice(start)}`);
    pieces.push({ expression: text.slice(start + 3, j).trim() });
    i = j + 2;
  }
  return pieces;
}

function templateContext(scope: TemplateScope): ExpressionContext {
  return {
    named: (name) => {
      const lower = name.toLowerCase();
      const local = Object.keys(scope.locals ?? {}).find((k) => k.toLowerCase() === lower);
      if (local !== undefined) return scope.locals![local];
      if (lower === "parameters") return scope.parameters;
      if (lower === "variables") return scope.variables;
      return undefined;
    },
  };
}

function evaluateTemplate(expression: string, scope: TemplateScope): Value {
  return evaluate(parseExpression(expression), templateContext(scope));
}

function valueToNode(value: Value, line: number): TreeNode {
  if (Array.isArray(value)) return { kind: "seq", line, items: value.map((v) => valueToNode(v, line)) };
  if (value !== null && typeof value === "object")
    return {
      kind: "map",
      line,
      entries: Object.entries(value).map(([key, v]) => ({ key, line, value: valueToNode(v, line) })),
    };
  return { kind: "scalar", value, line };
}

function nodeToValue(node: TreeNode): Value {
  if (node.kind === "scalar") return node.value;
  if (node.kind === "seq") return node.items.map(nodeToValue);
  return Object.fromEntries(node.entries.map((e) => [e.key, nodeToValue(e.value)]));
}

/** `if`, `elseif`, `else`, `each` keys (`${{ if cond }}`), or undefined for any other key. */
function directive(key: string): { kind: "if" | "elseif" | "else" | "each" | "other"; rest: string } | undefined {
  const match = /^\$\{\{\s*([\s\S]*?)\s*\}\}$/.exec(key.trim());
  if (!match) return undefined;
  const body = match[1];
  const word = /^(if|elseif|else|each|insert)\b\s*([\s\S]*)$/.exec(body);
  if (!word) return undefined;
  if (word[1] === "insert") return { kind: "other", rest: "insert" };
  return { kind: word[1] as "if" | "elseif" | "else" | "each", rest: word[2] };
}

/** Expands every template expression in the tree; problems are gathered with their lines. */
export function expandTemplate(node: TreeNode, scope: TemplateScope, issues: CompileIssue[]): TreeNode {
  const guard = <T>(line: number, fallback: T, f: () => T): T => {
    try {
      return f();
    } catch (e) {
      if (e instanceof ExpressionError) {
        issues.push({ line, message: e.message });
        return fallback;
      }
      throw e;
    }
  };

  const expandString = (text: string, line: number): TreeNode => {
    if (!text.includes("${{")) return { kind: "scalar", value: text, line };
    return guard<TreeNode>(line, { kind: "scalar", value: "", line }, () => {
      const pieces = splitTemplate(text);
      const whole = pieces.filter((p) => p.expression !== undefined || p.text!.trim() !== "");
      if (whole.length === 1 && whole[0].expression !== undefined)
        return valueToNode(evaluateTemplate(whole[0].expression, scope), line);
      return {
        kind: "scalar",
        value: pieces
          .map((p) => (p.expression !== undefined ? toStringValue(evaluateTemplate(p.expression, scope)) : p.text))
          .join(""),
        line,
      };
    });
  };

  /** Walks a chain of conditional keys/items: `state.done` once a branch was taken. */
  type Chain = { open: boolean; done: boolean };
  const branch = (kind: string, rest: string, line: number, chain: Chain): boolean => {
    if (kind === "if") {
      chain.open = true;
      chain.done = guard(line, false, () => toBoolean(evaluateTemplate(rest, scope)));
      return chain.done;
    }
    if (!chain.open) {
      issues.push({ line, message: `'${kind}' must follow an 'if' or 'elseif' at the same level` });
      return false;
    }
    if (chain.done) {
      if (kind === "else") chain.open = false;
      return false;
    }
    if (kind === "else") {
      chain.open = false;
      return true;
    }
    chain.done = guard(line, false, () => toBoolean(evaluateTemplate(rest, scope)));
    return chain.done;
  };

  const eachItems = (rest: string, line: number): { name: string; items: Value[] } | undefined => {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)\s+in\s+([\s\S]+)$/.exec(rest);
    if (!match) {
      issues.push({ line, message: `'each' must read \${{ each <name> in <expression> }}` });
      return undefined;
    }
    const collection = guard<Value>(line, [], () => evaluateTemplate(match[2], scope));
    const items = Array.isArray(collection)
      ? collection
      : collection !== null && typeof collection === "object"
        ? Object.entries(collection).map(([key, value]) => ({ key, value }))
        : [];
    return { name: match[1], items };
  };

  const withLocal = (name: string, value: Value) =>
    ({ ...scope, locals: { ...(scope.locals ?? {}), [name]: value } }) satisfies TemplateScope;

  /** Inserts what an `if`/`elseif`/`else`/`each` key holds, through `insert`, when its branch is taken. */
  const applyDirective = (
    d: NonNullable<ReturnType<typeof directive>>,
    entry: TreeEntry,
    chain: Chain,
    insert: (inserted: TreeNode) => void,
  ): void => {
    if (d.kind === "other") {
      issues.push({
        line: entry.line,
        message: `The template directive '\${{ ${d.rest} }}' is not supported by this runner`,
      });
    } else if (d.kind === "each") {
      chain.open = false;
      const each = eachItems(d.rest, entry.line);
      for (const value of each?.items ?? []) insert(expandTemplate(entry.value, withLocal(each!.name, value), issues));
    } else if (branch(d.kind, d.rest, entry.line, chain)) {
      insert(expandTemplate(entry.value, scope, issues));
    }
  };

  const expandMap = (map: TreeMap): TreeNode => {
    const entries: TreeEntry[] = [];
    const chain: Chain = { open: false, done: false };
    for (const entry of map.entries) {
      const d = directive(entry.key);
      if (!d) {
        chain.open = false;
        const key = entry.key.includes("${{") ? (scalarText(expandString(entry.key, entry.line)) ?? "") : entry.key;
        entries.push({ key, line: entry.line, value: expandTemplate(entry.value, scope, issues) });
        continue;
      }
      applyDirective(d, entry, chain, (inserted) => {
        if (inserted.kind === "map") entries.push(...inserted.entries);
        else if (!(inserted.kind === "scalar" && inserted.value === null))
          issues.push({ line: entry.line, message: "A conditional insertion into a mapping must hold a mapping" });
      });
    }
    return { kind: "map", line: map.line, entries };
  };

  const expandSeq = (seq: TreeSeq): TreeNode => {
    const items: TreeNode[] = [];
    const chain: Chain = { open: false, done: false };
    const splice = (inserted: TreeNode) => {
      if (inserted.kind === "seq") items.push(...inserted.items);
      else if (!(inserted.kind === "scalar" && inserted.value === null)) items.push(inserted);
    };
    for (const item of seq.items) {
      const d = item.kind === "map" && item.entries.length === 1 ? directive(item.entries[0].key) : undefined;
      if (!d || item.kind !== "map") {
        chain.open = false;
        items.push(expandTemplate(item, scope, issues));
        continue;
      }
      applyDirective(d, item.entries[0], chain, splice);
    }
    return { kind: "seq", line: seq.line, items };
  };

  if (node.kind === "scalar") return typeof node.value === "string" ? expandString(node.value, node.line) : node;
  if (node.kind === "map") return expandMap(node);
  return expandSeq(node);
}

export { nodeToValue };
