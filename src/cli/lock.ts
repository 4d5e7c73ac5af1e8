/**
 * lock — the command line's side of the repository lock: the --lock-wait option, and a wrapper that
 * runs a command holding the lock of its repository (then of its plan file) for the whole command.
 * A run that finds a lock busy past the wait ends with exit code 6, naming the holder.
 */
import { existsSync } from "node:fs";
import { describeError, isSyncError } from "../core/errors";
import {
  acquireLock,
  acquireRepositoryLock,
  type HeldLock,
  type LockOptions,
  planLockPath,
} from "../core/sync/repo-lock";
import { createCliLogger } from "./cli-logger";
import { type Command, numberOption, type OptionSpec } from "./command";
import { authorityHostOf, graphUrlOf, isLoopbackUrl } from "./connection";
import { rerunTrustingLocalCa } from "./local-ca";

type Values = Record<string, string | boolean | undefined>;

/** Exit code of a command that could not get the lock: another run holds the repository or plan. */
export const lockedExitCode = 6;

export const lockWaitOption: Record<string, OptionSpec> = {
  "lock-wait": {
    type: "string",
    value: "SECONDS",
    description: "How long to wait while another run holds the repository (or plan) lock; 0 fails at once.",
    default: "60",
  },
};

/** What a command locks: its repository, and the plan file it writes or applies. */
export interface LockTargets {
  repo?: string;
  plan?: string;
}

/**
 * The command, taking its locks before its body runs and releasing them after. A command that
 * re-runs itself trusting the emulator's CA does so before locking, so only the re-run holds them.
 */
export function lockedCommand(command: Command, targets: (values: Values) => LockTargets): Command {
  return {
    ...command,
    options: { ...command.options, ...lockWaitOption },
    async run(values, positionals) {
      if (isLoopbackUrl(graphUrlOf(values)) || isLoopbackUrl(authorityHostOf(values))) {
        const rerun = rerunTrustingLocalCa(undefined, false);
        if (rerun !== undefined) return rerun;
      }
      const waitMs = (numberOption(values["lock-wait"], "lock-wait", { min: 0, max: 86_400 }) ?? 60) * 1000;
      const options: LockOptions = {
        command: `tenant-sync ${command.name}`,
        waitMs,
        log: createCliLogger({ verbose: Boolean(values.verbose) }),
      };
      const held: HeldLock[] = [];
      try {
        const { repo, plan } = targets(values);
        if (repo) held.push(await acquireRepositoryLock(repo, options));
        if (plan) held.push(await acquireLock(planLockPath(plan), `The plan ${plan}`, options));
      } catch (e) {
        for (const h of held.reverse()) h.release();
        if (!isSyncError(e) || e.code !== "repo.locked") throw e;
        if (values.json)
          process.stdout.write(`${JSON.stringify({ error: describeError(e), code: e.code, lock: e.detail.object })}\n`);
        process.stderr.write(`tenant-sync: ${describeError(e)}\n`);
        return lockedExitCode;
      }
      try {
        return await command.run(values, positionals);
      } finally {
        for (const h of held.reverse()) h.release();
      }
    },
  };
}

/** The repository option's value, when given. */
export function repoOf(values: Values): string | undefined {
  return typeof values.repo === "string" && values.repo ? values.repo : undefined;
}

/** A plan file to apply: locked only when it exists (a missing one fails in the command, not here). */
export function existingPlanOf(values: Values): string | undefined {
  return typeof values.plan === "string" && values.plan && existsSync(values.plan) ? values.plan : undefined;
}

/** A plan file the command writes (--out). */
export function outPlanOf(values: Values): string | undefined {
  return typeof values.out === "string" && values.out ? values.out : undefined;
}
