/**
 * main — the `tenant-sync` command line: dispatches to a command, prints its --help, and turns
 * errors into a message and an exit code (1 failed, 2 bad usage).
 */
import { safeOutput } from "../core/safe-text";
import { describeError } from "../core/errors";
import { type Command, helpText, parseCommand, UsageError } from "./command";
import { backupCommand } from "./backup";
import { demoCommand } from "./demo";
import { devopsCommand } from "./devops";
import { emulateCommand } from "./emulate";
import { typesCommand } from "./types";
import { deployCommand, planCommand, revertCommand, syncCommand } from "./sync-commands";

const commands: Command[] = [
  demoCommand,
  syncCommand,
  backupCommand,
  planCommand,
  deployCommand,
  revertCommand,
  typesCommand,
  emulateCommand,
  devopsCommand,
];

function overview(): string {
  const width = Math.max(...commands.map((c) => c.name.length)) + 2;
  return [
    "Usage: tenant-sync <command> [options]",
    "",
    "Microsoft 365 tenant configuration as code: back up, plan and deploy Entra ID and Intune through Microsoft Graph.",
    "",
    "Commands:",
    ...commands.map((c) => `  ${c.name.padEnd(width)}${c.summary.split(". ")[0].replace(/\.$/, "")}.`),
    "",
    "Run 'tenant-sync <command> --help' for a command's options.",
  ].join("\n");
}

export async function main(argv: string[]): Promise<void> {
  // Output piped into `head` and the like: stop quietly when the reader goes away.
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw e;
  });
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(safeOutput(`${overview()}\n`));
    process.exitCode = name ? 0 : 2;
    return;
  }
  const command = commands.find((c) => c.name === name);
  try {
    if (!command) throw new UsageError(`Unknown command '${name}'.\n\n${overview()}`);
    const { values, positionals } = parseCommand(command, rest);
    if (values.help) {
      process.stdout.write(safeOutput(`${helpText(command)}\n`));
      return;
    }
    process.exitCode = await command.run(values as Record<string, string | boolean | undefined>, positionals);
  } catch (e) {
    const usage = e instanceof Error && e.name === "UsageError";
    process.stderr.write(safeOutput(`tenant-sync: ${usage ? (e as Error).message : describeError(e)}\n`));
    process.exitCode = usage ? 2 : 1;
  }
}
