/**
 * command — a small, dependency-free command framework over node:util parseArgs: every command
 * declares its options once, and `--help` is generated from that declaration.
 */
import { parseArgs } from "node:util";

export interface OptionSpec {
  type: "string" | "boolean";
  description: string;
  /** Shown as --name VALUE in help. */
  value?: string;
  default?: string | boolean;
  short?: string;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  options: Record<string, OptionSpec>;
  run: (values: Record<string, string | boolean | undefined>, positionals: string[]) => Promise<number>;
}

export class UsageError extends Error {
  override readonly name = "UsageError";
}

export function helpText(command: Command): string {
  const lines = [`Usage: ${command.usage}`, "", command.summary, "", "Options:"];
  const entries = Object.entries({
    ...command.options,
    help: { type: "boolean", description: "Show this help." } as OptionSpec,
  });
  const left = entries.map(
    ([name, o]) => `  ${o.short ? `-${o.short}, ` : ""}--${name}${o.type === "string" ? ` ${o.value ?? "VALUE"}` : ""}`,
  );
  const width = Math.max(...left.map((l) => l.length)) + 2;
  entries.forEach(([, o], i) => {
    const def = o.default !== undefined && o.default !== false ? ` (default: ${String(o.default)})` : "";
    lines.push(`${left[i].padEnd(width)}${o.description}${def}`);
  });
  return lines.join("\n");
}

export function parseCommand(command: Command, args: string[]) {
  try {
    const options = Object.fromEntries(
      Object.entries(command.options).map(([k, o]) => [
        k,
        {
          type: o.type,
          ...(o.short ? { short: o.short } : {}),
          ...(o.default !== undefined ? { default: o.default } : {}),
        },
      ]),
    );
    return parseArgs({
      args,
      options: { ...options, help: { type: "boolean", short: "h" } } as Parameters<typeof parseArgs>[0] extends infer P
        ? P extends { options?: infer O }
          ? O
          : never
        : never,
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    throw new UsageError(`${(e as Error).message}\nRun 'tenant-sync ${command.name} --help' for the options.`);
  }
}

export function numberOption(
  value: string | boolean | undefined,
  name: string,
  { min = -Infinity, max = Infinity } = {},
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (typeof value !== "string" || value.trim() === "" || !Number.isFinite(n) || n < min || n > max) {
    throw new UsageError(
      `--${name} must be a number${Number.isFinite(min) ? ` ≥ ${min}` : ""}${Number.isFinite(max) ? ` and ≤ ${max}` : ""}; got '${String(value)}'.`,
    );
  }
  return n;
}
