/**
 * logging-commands — the agent's reading of a task's output: `##vso[area.event k=v;…]message`
 * lines parsed with the agent's unescaping, and the masker that replaces every secret value in a
 * log line with `***` before the line is stored.
 */

export interface LoggingCommand {
  /** e.g. "task.setvariable" (lower case). */
  command: string;
  properties: Record<string, string>;
  message: string;
}

const commandPrefix = "##vso[";

function unescapeProperty(value: string): string {
  return value
    .replace(/%3B/gi, ";")
    .replace(/%0D/gi, "\r")
    .replace(/%0A/gi, "\n")
    .replace(/%5D/gi, "]")
    .replace(/%AZP25/gi, "%");
}

function unescapeMessage(value: string): string {
  return value
    .replace(/%0D/gi, "\r")
    .replace(/%0A/gi, "\n")
    .replace(/%AZP25/gi, "%");
}

/**
 * A logging command, undefined for an ordinary line, or an Error for a line that starts like a
 * command but is not one (the agent warns about those and keeps going).
 */
export function parseLoggingCommand(line: string): LoggingCommand | Error | undefined {
  const start = line.indexOf(commandPrefix);
  if (start < 0) return undefined;
  const end = line.indexOf("]", start);
  if (end < 0) return new Error("the command has no closing ']'");
  const header = line.slice(start + commandPrefix.length, end).trim();
  const space = header.search(/\s/);
  const name = (space < 0 ? header : header.slice(0, space)).toLowerCase();
  if (!/^[a-z]+\.[a-z]+$/.test(name)) return new Error(`'${name}' is not an area.event command name`);
  const properties: Record<string, string> = {};
  if (space >= 0) {
    for (const pair of header.slice(space + 1).split(";")) {
      if (!pair.trim()) continue;
      const eq = pair.indexOf("=");
      if (eq <= 0) continue;
      properties[pair.slice(0, eq).trim().toLowerCase()] = unescapeProperty(pair.slice(eq + 1));
    }
  }
  return { command: name, properties, message: unescapeMessage(line.slice(end + 1)) };
}

/** Replaces every secret in a line with ***, longest secret first so a secret's prefix never leaks it. */
export class SecretMasker {
  private readonly values = new Set<string>();

  add(value: string | undefined): void {
    if (!value) return;
    for (const part of [value, ...value.split(/\r?\n/)]) {
      const trimmed = part.trim();
      if (trimmed.length > 0) this.values.add(part.length > 0 && part === trimmed ? part : trimmed);
    }
  }

  mask(line: string, extra: readonly string[] = []): string {
    const all = [...this.values, ...extra.filter((v) => v.length > 0)].sort((a, b) => b.length - a.length);
    let out = line;
    for (const secret of all) if (out.includes(secret)) out = out.split(secret).join("***");
    return out;
  }
}
