/**
 * git — the organization's Git repositories. Each one is a real bare repository under the
 * emulator's data directory (a temporary directory by default, removed with the emulator), so
 * what a REST push writes a git clone reads, and what git pushes the REST API lists. Commits made
 * through the REST API are written with git's plumbing (hash-object, update-index on a private
 * index, write-tree, commit-tree) and land with update-ref and the expected old value, so a ref
 * only moves from the commit the caller saw. Nothing here speaks HTTP.
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gitText, runGit } from "../git-process";
import type { Project } from "./projects";

export const zeroId = "0".repeat(40);

export interface GitIdentity {
  name: string;
  email: string;
}

export interface RefChange {
  name: string;
  oldObjectId: string;
  newObjectId: string;
}

export interface CommitRecord {
  commitId: string;
  comment: string;
  author: GitIdentity;
  date: string;
  parents: string[];
}

export interface PushRecord {
  pushId: number;
  date: string;
  pushedBy: GitIdentity;
  refUpdates: RefChange[];
  commits: CommitRecord[];
}

export interface Repository {
  id: string;
  name: string;
  projectId: string;
  /** The bare repository on disk. */
  dir: string;
  /** Set when the first branch appears (the service's rule: the first branch pushed). */
  defaultBranch?: string;
  isDisabled: boolean;
  pushes: PushRecord[];
}

export interface GitRefRecord {
  name: string;
  objectId: string;
  /** The commit an annotated tag points at. */
  peeledObjectId?: string;
}

export type FileChange =
  { changeType: "add" | "edit"; path: string; content: Buffer } | { changeType: "delete"; path: string };

export interface CommitSpec {
  comment: string;
  changes: FileChange[];
}

export type RefUpdateStatus = "succeeded" | "staleOldObjectId" | "invalidRefName" | "unresolvableToCommit";

export type GitErrorKind = "nameTaken" | "stale" | "itemExists" | "itemMissing" | "badPath" | "badRefName";

/** A refusal the routes turn into the service's error. */
export class GitError extends Error {
  constructor(
    readonly kind: GitErrorKind,
    message: string,
  ) {
    super(message);
  }
}

export class GitState {
  readonly list: Repository[] = [];
  private root?: string;
  private ownsRoot = false;

  /** Keeps the bare repositories under `dir` (left in place on dispose). */
  useDataDir(dir: string): void {
    this.root = dir;
    this.ownsRoot = false;
  }

  /** Where the bare repositories live: the given directory, or a temporary one made on first use. */
  get dataDir(): string {
    if (!this.root) {
      this.root = mkdtempSync(join(tmpdir(), "tenant-sync-azdo-git-"));
      this.ownsRoot = true;
    }
    return this.root;
  }

  /** Removes the temporary data directory, if this state made it. */
  dispose(): void {
    if (this.root && this.ownsRoot) rmSync(this.root, { recursive: true, force: true });
    if (this.ownsRoot) this.root = undefined;
  }

  /** A repository of the project by id or by name (without regard to case, as the service resolves it). */
  find(project: Project, idOrName: string): Repository | undefined {
    const key = idOrName.replace(/\.git$/i, "").toLowerCase();
    return this.list.find((r) => r.projectId === project.id && (r.id === key || r.name.toLowerCase() === key));
  }

  async create(project: Project, name: string, o: { id?: string } = {}): Promise<Repository> {
    if (this.list.some((r) => r.projectId === project.id && r.name.toLowerCase() === name.toLowerCase()))
      throw new GitError("nameTaken", `TF400948: A Git repository with the name ${name} already exists.`);
    const id = (o.id ?? randomUUID()).toLowerCase();
    const dir = join(this.dataDir, `${id}.git`);
    await gitText(["init", "-q", "--bare", "-b", "main", dir]);
    const repository: Repository = {
      id,
      name,
      projectId: project.id,
      dir,
      isDisabled: false,
      pushes: [],
    };
    this.list.push(repository);
    return repository;
  }

  remove(repository: Repository): void {
    this.list.splice(this.list.indexOf(repository), 1);
    rmSync(repository.dir, { recursive: true, force: true });
  }

  /** All refs, sorted by name; annotated tags with the commit they point at. */
  async refs(repository: Repository): Promise<GitRefRecord[]> {
    const text = await this.git(repository, [
      "for-each-ref",
      "--sort=refname",
      "--format=%(refname)%00%(objectname)%00%(*objectname)",
    ]);
    return text
      .split("\n")
      .filter(Boolean)
      .map((line) => {
        const [name, objectId, peeled] = line.split("\0");
        return peeled ? { name, objectId, peeledObjectId: peeled } : { name, objectId };
      });
  }

  /** The commit a branch, tag, ref or commit id names; undefined when it names none. */
  async resolveCommit(repository: Repository, version: string): Promise<string | undefined> {
    const run = await runGit(["rev-parse", "-q", "--verify", `${version}^{commit}`], { cwd: repository.dir });
    return run.code === 0 ? run.stdout.toString("utf8").trim() : undefined;
  }

  /** Moves, creates (old = zeros) or deletes (new = zeros) one ref, only from the value the caller saw. */
  async updateRef(
    repository: Repository,
    change: RefChange,
    pushedBy: GitIdentity,
    now: number,
  ): Promise<RefUpdateStatus> {
    const { name, oldObjectId, newObjectId } = change;
    if (!name.startsWith("refs/") || (await runGit(["check-ref-format", name])).code !== 0) return "invalidRefName";
    const isDelete = newObjectId === zeroId;
    if (!isDelete && (await this.resolveCommit(repository, newObjectId)) !== newObjectId.toLowerCase())
      return "unresolvableToCommit";
    const args = isDelete ? ["update-ref", "-d", name, oldObjectId] : ["update-ref", name, newObjectId, oldObjectId];
    const run = await runGit(args, { cwd: repository.dir });
    if (run.code !== 0) return "staleOldObjectId";
    await this.refsChanged(repository, pushedBy, [change], [], now);
    return "succeeded";
  }

  /**
   * A push as the REST API makes it: the commits one after the other on top of `oldObjectId`
   * (zeros: a new branch), then the ref moved from `oldObjectId` to the last one — refused with
   * `stale` when the ref is no longer at `oldObjectId`.
   */
  async push(
    repository: Repository,
    refName: string,
    oldObjectId: string,
    commits: CommitSpec[],
    pushedBy: GitIdentity,
    now: number,
  ): Promise<PushRecord> {
    if (!refName.startsWith("refs/") || (await runGit(["check-ref-format", refName])).code !== 0)
      throw new GitError("badRefName", `The ref name '${refName}' is not valid: use a full name like refs/heads/main.`);
    const current = (await this.resolveCommit(repository, refName)) ?? zeroId;
    if (current !== oldObjectId.toLowerCase()) throw staleRef(refName);
    const made: CommitRecord[] = [];
    let parent = oldObjectId === zeroId ? undefined : oldObjectId.toLowerCase();
    for (const spec of commits) {
      const record = await this.commit(repository, parent, spec, pushedBy, now);
      made.push(record);
      parent = record.commitId;
    }
    const newObjectId = parent ?? zeroId;
    const moved = await runGit(["update-ref", refName, newObjectId, oldObjectId], { cwd: repository.dir });
    if (moved.code !== 0) throw staleRef(refName);
    return this.refsChanged(repository, pushedBy, [{ name: refName, oldObjectId, newObjectId }], made, now);
  }

  /** Records a push (REST or git) that changed refs and sets the default branch once one exists. */
  async refsChanged(
    repository: Repository,
    pushedBy: GitIdentity,
    refUpdates: RefChange[],
    commits: CommitRecord[],
    now: number,
  ): Promise<PushRecord> {
    const record: PushRecord = {
      pushId: repository.pushes.length + 1,
      date: new Date(now).toISOString(),
      pushedBy,
      refUpdates,
      commits,
    };
    repository.pushes.push(record);
    await this.settleDefaultBranch(repository);
    return record;
  }

  /** The first branch becomes the default (main when there is one) and the bare repository's HEAD. */
  async settleDefaultBranch(repository: Repository): Promise<void> {
    const heads = (await this.refs(repository)).filter((r) => r.name.startsWith("refs/heads/")).map((r) => r.name);
    if (repository.defaultBranch && heads.includes(repository.defaultBranch)) return;
    const chosen = heads.includes("refs/heads/main") ? "refs/heads/main" : heads[0];
    repository.defaultBranch = chosen;
    if (chosen) await this.git(repository, ["symbolic-ref", "HEAD", chosen]);
  }

  /** A file's or folder's object at a commit; undefined when the path is not there. */
  async item(
    repository: Repository,
    commitId: string,
    path: string,
  ): Promise<{ objectId: string; isFolder: boolean; content?: Buffer } | undefined> {
    const relative = normalizePath(path);
    const spec = `${commitId}:${relative}`;
    const type = await runGit(["cat-file", "-t", spec], { cwd: repository.dir });
    if (type.code !== 0) return undefined;
    const objectId = await this.git(repository, ["rev-parse", spec]);
    if (type.stdout.toString("utf8").trim() === "tree") return { objectId, isFolder: true };
    const blob = await runGit(["cat-file", "blob", objectId], { cwd: repository.dir });
    return { objectId, isFolder: false, content: blob.stdout };
  }

  /** The repository's size on disk in bytes, as git counts its objects. */
  async size(repository: Repository): Promise<number> {
    const text = await this.git(repository, ["count-objects", "-v"]);
    const kib = (key: string) => Number(new RegExp(`^${key}: (\\d+)`, "m").exec(text)?.[1] ?? 0);
    return (kib("size") + kib("size-pack")) * 1024;
  }

  /** One commit on `branch` holding a directory's files (git's ignore rules apply; .git is skipped). */
  async importDirectory(
    repository: Repository,
    directory: string,
    o: { branch: string; message: string; author: GitIdentity; now: number },
  ): Promise<PushRecord> {
    const refName = `refs/heads/${o.branch}`;
    const oldObjectId = (await this.resolveCommit(repository, refName)) ?? zeroId;
    const parent = oldObjectId === zeroId ? undefined : oldObjectId;
    const commit = await this.withIndex(repository, parent, async (env) => {
      await gitText(["--git-dir", repository.dir, "--work-tree", directory, "add", "-A", "."], { cwd: directory, env });
      return this.commitIndex(repository, env, parent, o.message, o.author, o.now);
    });
    await gitText(["update-ref", refName, commit.commitId, oldObjectId], { cwd: repository.dir });
    return this.refsChanged(
      repository,
      o.author,
      [{ name: refName, oldObjectId, newObjectId: commit.commitId }],
      [commit],
      o.now,
    );
  }

  /** Fetches every branch and tag of an existing repository (a path or a URL git can read). */
  async importRepository(
    repository: Repository,
    source: string,
    pushedBy: GitIdentity,
    now: number,
  ): Promise<PushRecord> {
    const before = await this.refs(repository);
    await gitText(["fetch", "-q", source, "+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"], {
      cwd: repository.dir,
    });
    const sourceHead = await runGit(["ls-remote", "--symref", source, "HEAD"], { cwd: repository.dir });
    const head = /^ref: (refs\/heads\/\S+)\s+HEAD/m.exec(sourceHead.stdout.toString("utf8"))?.[1];
    if (head && !repository.defaultBranch) repository.defaultBranch = head;
    return this.refsChanged(repository, pushedBy, diffRefs(before, await this.refs(repository)), [], now);
  }

  private async commit(
    repository: Repository,
    parent: string | undefined,
    spec: CommitSpec,
    author: GitIdentity,
    now: number,
  ): Promise<CommitRecord> {
    return this.withIndex(repository, parent, async (env) => {
      const present = new Set((await gitText(["ls-files", "-z"], { cwd: repository.dir, env })).split("\0"));
      for (const change of spec.changes) {
        const path = normalizePath(change.path);
        if (change.changeType === "add" && present.has(path))
          throw new GitError(
            "itemExists",
            `The item '/${path}' already exists in the target branch; use an edit change.`,
          );
        if (change.changeType !== "add" && !present.has(path))
          throw new GitError(
            "itemMissing",
            `The item '/${path}' does not exist in the target branch, so it cannot be ${change.changeType === "edit" ? "edited" : "deleted"}.`,
          );
        if (change.changeType === "delete") {
          await gitText(["update-index", "--force-remove", "--", path], { cwd: repository.dir, env });
          present.delete(path);
        } else {
          const blob = await gitText(["hash-object", "-w", "--stdin"], { cwd: repository.dir, input: change.content });
          await gitText(["update-index", "--add", "--cacheinfo", `100644,${blob},${path}`], {
            cwd: repository.dir,
            env,
          });
          present.add(path);
        }
      }
      return this.commitIndex(repository, env, parent, spec.comment, author, now);
    });
  }

  /** Runs `work` with a private index (GIT_INDEX_FILE) holding the parent's tree, or empty. */
  private async withIndex<T>(
    repository: Repository,
    parent: string | undefined,
    work: (env: Record<string, string>) => Promise<T>,
  ): Promise<T> {
    const index = join(repository.dir, `emulator-index-${randomUUID()}`);
    const env = { GIT_INDEX_FILE: index };
    try {
      await gitText(parent ? ["read-tree", parent] : ["read-tree", "--empty"], { cwd: repository.dir, env });
      return await work(env);
    } finally {
      rmSync(index, { force: true });
    }
  }

  private async commitIndex(
    repository: Repository,
    env: Record<string, string>,
    parent: string | undefined,
    message: string,
    author: GitIdentity,
    now: number,
  ): Promise<CommitRecord> {
    const tree = await gitText(["write-tree"], { cwd: repository.dir, env });
    const date = `${Math.floor(now / 1000)} +0000`;
    const commitId = await gitText(["commit-tree", tree, ...(parent ? ["-p", parent] : [])], {
      cwd: repository.dir,
      input: message,
      env: {
        GIT_AUTHOR_NAME: author.name,
        GIT_AUTHOR_EMAIL: author.email,
        GIT_AUTHOR_DATE: date,
        GIT_COMMITTER_NAME: author.name,
        GIT_COMMITTER_EMAIL: author.email,
        GIT_COMMITTER_DATE: date,
      },
    });
    return { commitId, comment: message, author, date: new Date(now).toISOString(), parents: parent ? [parent] : [] };
  }

  private git(repository: Repository, args: string[]): Promise<string> {
    return gitText(args, { cwd: repository.dir });
  }
}

/** What changed between two listings of a repository's refs. */
export function diffRefs(before: GitRefRecord[], after: GitRefRecord[]): RefChange[] {
  const was = new Map(before.map((r) => [r.name, r.objectId]));
  const now = new Map(after.map((r) => [r.name, r.objectId]));
  const names = [...new Set([...was.keys(), ...now.keys()])].sort();
  return names
    .filter((n) => was.get(n) !== now.get(n))
    .map((name) => ({ name, oldObjectId: was.get(name) ?? zeroId, newObjectId: now.get(name) ?? zeroId }));
}

function staleRef(refName: string): GitError {
  return new GitError(
    "stale",
    `TF401028: The reference '${refName}' has already been updated by another client, so you cannot update it. Please try again.`,
  );
}

/** "/folder/file.yml" → "folder/file.yml"; refuses paths that climb out or reach into .git. */
function normalizePath(path: string): string {
  const parts = path.replace(/\\/g, "/").split("/").filter(Boolean);
  if (parts.some((p) => p === ".." || p === "." || p.toLowerCase() === ".git"))
    throw new GitError("badPath", `The path '${path}' is not valid: it may not contain '.', '..' or '.git' segments.`);
  return parts.join("/");
}
