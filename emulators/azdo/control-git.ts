/**
 * control-git — the control API's Git routes, for seeding scenarios: a repository for a project,
 * empty, holding given files or a local directory's files as its first commit, or a copy of an
 * existing repository's branches and tags; its refs; its build service's Contribute and Create
 * branch, kept as an access control entry on the repository like the Security REST area's.
 */
import { fail, json, type HttpResponse } from "../http/response";
import type { AzdoContext } from "./context";
import { projectNotFound, vssError } from "./errors";
import { remoteUrl } from "./routes/git";
import { zeroId, type GitIdentity, type Repository } from "./state/git";
import { buildServiceDescriptor, gitNamespaceId, gitPermissions, gitRepositoryToken } from "./state/security";

type Json = Record<string, unknown>;

const seeder: GitIdentity = { name: "Tenant Sync emulator", email: "emulator@tenant-sync.invalid" };

function text(v: unknown): string | undefined {
  return typeof v === "string" && v.length > 0 ? v : undefined;
}

function repositoryFor(ctx: AzdoContext, idOrName: string): Repository {
  const key = idOrName.toLowerCase();
  const repository = ctx.store.git.list.find((r) => r.id === key || r.name.toLowerCase() === key);
  return (
    repository ??
    fail(
      vssError(404, "GitRepositoryNotFoundException", `No Git repository ${idOrName} in any project of the emulator.`),
    )
  );
}

const pushBits = gitPermissions.GenericContribute | gitPermissions.CreateBranch;

function buildServiceEntry(ctx: AzdoContext, repository: Repository) {
  return {
    token: gitRepositoryToken(repository.projectId, repository.id),
    descriptor: buildServiceDescriptor(ctx.store.organization.id, repository.projectId),
  };
}

/** Allows the build service Contribute and Create branch on the repository, or takes them away (not set). */
function setJobTokenMayPush(ctx: AzdoContext, repository: Repository, may: boolean): void {
  const { token, descriptor } = buildServiceEntry(ctx, repository);
  const security = ctx.store.security;
  const old = security.entry(gitNamespaceId, token, descriptor) ?? { descriptor, allow: 0, deny: 0 };
  const entry = may
    ? { descriptor, allow: old.allow | pushBits, deny: old.deny & ~pushBits }
    : { descriptor, allow: old.allow & ~pushBits, deny: old.deny & ~pushBits };
  security.setEntries(gitNamespaceId, token, [entry], false);
}

function jobTokenMayPush(ctx: AzdoContext, repository: Repository): boolean {
  const { token, descriptor } = buildServiceEntry(ctx, repository);
  return ctx.store.security.has(gitNamespaceId, token, descriptor, pushBits);
}

async function summary(ctx: AzdoContext, repository: Repository) {
  const project = ctx.store.projects.find(repository.projectId)!;
  return {
    id: repository.id,
    name: repository.name,
    projectId: project.id,
    project: project.name,
    remoteUrl: remoteUrl(ctx, project, repository),
    defaultBranch: repository.defaultBranch,
    jobTokenMayPush: jobTokenMayPush(ctx, repository),
    /** The bare repository on disk, for tests that look with git itself. */
    path: repository.dir,
    refs: await refMap(ctx, repository),
  };
}

async function refMap(ctx: AzdoContext, repository: Repository): Promise<Record<string, string>> {
  return Object.fromEntries((await ctx.store.git.refs(repository)).map((r) => [r.name, r.objectId]));
}

/**
 * POST /_emulator/repositories {name, project?, id?, files?: {path: content}, fromDirectory?, importFrom?,
 * branch? (main), message?, jobTokenMayPush? (true)}
 */
async function createRepository(ctx: AzdoContext, _: Record<string, string>, b: Json): Promise<HttpResponse> {
  const { store, clock } = ctx;
  const projectName = text(b.project) ?? ctx.defaultProject.id;
  const project = store.projects.find(projectName) ?? fail(projectNotFound(projectName));
  const name = text(b.name) ?? "tenant-config";
  const repository = await store.git.create(project, name, { id: text(b.id) });
  // Scenarios seed a project already set up for Tenant Sync: its build service may push unless told otherwise.
  setJobTokenMayPush(ctx, repository, b.jobTokenMayPush === undefined || b.jobTokenMayPush === true);
  const branch = text(b.branch) ?? "main";
  const message = text(b.message) ?? "Initial commit";
  if (typeof b.files === "object" && b.files !== null) {
    const changes = Object.entries(b.files as Json).map(([path, content]) => ({
      changeType: "add" as const,
      path,
      content: Buffer.from(String(content), "utf8"),
    }));
    await store.git.push(
      repository,
      `refs/heads/${branch}`,
      zeroId,
      [{ comment: message, changes }],
      seeder,
      clock.now(),
    );
  }
  if (text(b.fromDirectory))
    await store.git.importDirectory(repository, text(b.fromDirectory)!, {
      branch,
      message,
      author: seeder,
      now: clock.now(),
    });
  if (text(b.importFrom)) await store.git.importRepository(repository, text(b.importFrom)!, seeder, clock.now());
  return json(await summary(ctx, repository), 201);
}

export const gitControlRoutes = [
  { method: "POST", path: "/repositories", handle: createRepository },
  {
    method: "GET",
    path: "/repositories",
    handle: async (ctx: AzdoContext) => json(await Promise.all(ctx.store.git.list.map((r) => summary(ctx, r)))),
  },
  {
    method: "GET",
    path: "/repositories/{repositoryId}",
    handle: async (ctx: AzdoContext, p: Record<string, string>) =>
      json(await summary(ctx, repositoryFor(ctx, p.repositoryId))),
  },
  {
    method: "GET",
    path: "/repositories/{repositoryId}/refs",
    handle: async (ctx: AzdoContext, p: Record<string, string>) =>
      json(await refMap(ctx, repositoryFor(ctx, p.repositoryId))),
  },
  {
    method: "PATCH",
    path: "/repositories/{repositoryId}",
    handle: async (ctx: AzdoContext, p: Record<string, string>, b: Json) => {
      const repository = repositoryFor(ctx, p.repositoryId);
      if (typeof b.jobTokenMayPush === "boolean") setJobTokenMayPush(ctx, repository, b.jobTokenMayPush);
      return json(await summary(ctx, repository));
    },
  },
];
