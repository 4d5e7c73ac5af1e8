/**
 * commit — commits everything in a test's working tree (`git add -A`, then a commit as "Test"
 * <test@example.com>), as a user does between Tenant Sync runs.
 */
import { git } from "../../src/core/snapshot/git";

/** Stages every change in `repo` and commits it with `message` (`allowEmpty`: even with nothing staged). */
export async function commitAll(repo: string, message: string, options: { allowEmpty?: boolean } = {}): Promise<void> {
  await git(["add", "-A"], { cwd: repo });
  await git(
    [
      "-c",
      "user.name=Test",
      "-c",
      "user.email=test@example.com",
      "commit",
      "-q",
      ...(options.allowEmpty ? ["--allow-empty"] : []),
      "-m",
      message,
    ],
    { cwd: repo },
  );
}
