/**
 * safe-text — what makes text from a tenant or a repository safe to print: no Azure Pipelines logging
 * or formatting command (##vso[…], ##[…]) and no terminal control (C0/C1 controls, ANSI CSI, OSC and
 * other escape sequences, carriage returns, bidi overrides). safeText() is for one untrusted piece
 * inside a line; safeOutput() is the last pass over a whole text we print or write; safeJson() prints
 * JSON whose parsed values stay exactly the tenant's, with every dangerous character \u-escaped.
 */

/** ESC or 8-bit sequences whose parameters would otherwise show as text: CSI, string commands (OSC, DCS, SOS, PM, APC), two-byte ESC. */
const escapeSequence = new RegExp(
  [
    "(?:\\x1b\\[|\\x9b)[\\x30-\\x3f]*[\\x20-\\x2f]*[\\x40-\\x7e]",
    "(?:\\x1b[\\]PX^_]|[\\x90\\x98\\x9d\\x9e\\x9f])[^\\x07\\x1b\\x9c]*(?:\\x07|\\x1b\\\\|\\x9c)",
    "\\x1b[\\x21-\\x2f]*[\\x30-\\x7e]",
  ].join("|"),
  "g",
);

/** Controls other than tab and newline (C0, DEL, C1), and the bidi embeddings, overrides and isolates ("Trojan source"). */
// eslint-disable-next-line no-control-regex -- control characters are exactly what must go
const unprintable = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;

/** What the agent reads as a command: "##vso[" anywhere in a line, "##[" at its start. Both are broken everywhere. */
const command = /#(?=#(?:vso)?\[)/gi;

/** Shown where an unprintable character was, so a reader sees that something was there. */
const replacement = "\ufffd";

function clean(text: string): string {
  return text
    .replace(/\r\n?|[\u2028\u2029]/g, "\n")
    .replace(escapeSequence, "")
    .replace(unprintable, replacement);
}

/** A zero-width joiner between the two hashes keeps the text readable and breaks the command. */
function breakCommands(text: string): string {
  return text.replace(command, "#\u200d");
}

/** One untrusted piece of a line (a name, a value, a key, a message): on one line, printable, no command. */
export function safeText(text: string): string {
  return breakCommands(clean(text).replace(/\n+/g, " ").replace(/\t/g, " "));
}

/** The last pass over a whole text we print or write (it keeps its own newlines and tabs). */
export function safeOutput(text: string): string {
  return breakCommands(clean(text));
}

/** JSON.stringify whose text is safe to print: dangerous characters inside strings become \u escapes, so JSON.parse gives the values back unchanged. */
export function safeJson(value: unknown, space?: number): string {
  const escape = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
  return (JSON.stringify(value, null, space) ?? "null")
    .replace(/[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, escape)
    .replace(command, "\\u0023");
}
