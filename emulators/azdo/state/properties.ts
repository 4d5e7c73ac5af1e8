/**
 * properties — a build's property bag as the property service keeps it: names are matched without
 * regard to case, values keep their type ({$type, $value}: String, Int32, Double; other primitives
 * come back as strings). Updated by a JSON-patch document (add / replace / remove at "/<name>");
 * the document is checked whole before anything changes.
 */
import { fail } from "../../http/response";
import { badRequest } from "../errors";

export interface PropertyValue {
  $type: "System.String" | "System.Int32" | "System.Double";
  $value: string | number;
}

/** Keyed by the lower-cased name; keeps the name as first written. */
export type PropertyBag = Map<string, { name: string; value: PropertyValue }>;

type Operation = { op: "set"; name: string; value: PropertyValue } | { op: "remove"; name: string };

function typedValue(name: string, value: unknown): PropertyValue {
  if (typeof value === "string") return { $type: "System.String", $value: value };
  if (typeof value === "number" && Number.isInteger(value) && Math.abs(value) <= 2 ** 31 - 1)
    return { $type: "System.Int32", $value: value };
  if (typeof value === "number" && Number.isFinite(value)) return { $type: "System.Double", $value: value };
  if (typeof value === "boolean") return { $type: "System.String", $value: value ? "True" : "False" };
  return fail(
    badRequest(
      `The value of property '${name}' is not a primitive value (string, number or boolean). Property values of type ${Array.isArray(value) ? "Array" : typeof value} are not supported.`,
      "InvalidPropertyValueException",
      "Microsoft.VisualStudio.Services.WebApi.InvalidPropertyValueException, Microsoft.VisualStudio.Services.WebApi",
    ),
  );
}

function propertyName(path: unknown): string {
  if (typeof path !== "string" || !path.startsWith("/") || path.length < 2) {
    fail(badRequest(`The path '${String(path)}' of a JSON-patch operation must be '/' followed by a property name.`));
  }
  return path.slice(1).replace(/~1/g, "/").replace(/~0/g, "~");
}

function parseOperation(raw: unknown, index: number): Operation {
  if (!raw || typeof raw !== "object" || Array.isArray(raw))
    fail(badRequest(`Operation ${index} of the JSON-patch document is not an object.`));
  const { op, path, value } = raw as Record<string, unknown>;
  const name = propertyName(path);
  switch (op) {
    case "add":
    case "replace":
      return value === null || value === undefined
        ? { op: "remove", name }
        : { op: "set", name, value: typedValue(name, value) };
    case "remove":
      return { op: "remove", name };
    default:
      return fail(
        badRequest(
          `The JSON-patch operation '${String(op)}' is not supported for properties. Use add, replace or remove.`,
        ),
      );
  }
}

/** Applies a JSON-patch document; refuses it whole (400) if any operation is invalid. */
export function applyPropertyPatch(bag: PropertyBag, document: unknown): void {
  if (!Array.isArray(document)) {
    fail(
      badRequest(
        "Value cannot be null.\r\nParameter name: document (the body must be a JSON-patch array)",
        "ArgumentNullException",
        "System.ArgumentNullException, mscorlib",
      ),
    );
  }
  const operations = document.map(parseOperation);
  for (const operation of operations) {
    const key = operation.name.toLowerCase();
    if (operation.op === "remove") bag.delete(key);
    else bag.set(key, { name: bag.get(key)?.name ?? operation.name, value: operation.value });
  }
}

/** "a,b,Tenant.*" → name patterns; undefined when there is no filter. */
export function parseFilter(text: string | null): string[] | undefined {
  if (text === null) return undefined;
  const names = text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  return names.length > 0 ? names : undefined;
}

function matches(name: string, pattern: string): boolean {
  const n = name.toLowerCase();
  const p = pattern.toLowerCase();
  return p.endsWith("*") ? n.startsWith(p.slice(0, -1)) : n === p;
}

/** The properties whose names match the filter (all without one), as {Name: {$type, $value}}. */
export function selectProperties(bag: PropertyBag, filter: string[] | undefined): Record<string, PropertyValue> {
  const entries = [...bag.values()].filter((p) => !filter || filter.some((f) => matches(p.name, f)));
  return Object.fromEntries(entries.map((p) => [p.name, { ...p.value }]));
}

/** The properties as plain values, for the control API. */
export function plainProperties(bag: PropertyBag): Record<string, string | number> {
  return Object.fromEntries([...bag.values()].map((p) => [p.name, p.value.$value]));
}
