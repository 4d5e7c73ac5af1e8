/**
 * git — the Git REST area (git 7.2): repositories (list, get, create, delete), refs (list with
 * filter / filterContains / $top + continuationToken, update), pushes (create with commits of
 * add / edit / delete changes, list, get) and one item's metadata or content. The repositories
 * themselves are bare git repositories (../state/git); the smart HTTP side is ./git-smart.
 */
import { createHash } from "node:crypto";
import { bytes, fail, json, noContent, type HttpResponse } from "../../http/response";
import { ga, type AzdoContext, type AzdoRoute, type RequestContext, type ResourceLocation } from "../context";
import { accessDenied, vssError } from "../errors";
import {
  GitError,
  zeroId,
  type CommitSpec,
  type FileChange,
  type GitIdentity,
  type PushRecord,
  type Repository,
} from "../state/git";
import type { Project } from "../state/projects";
import {
  buildServiceDescriptor,
  gitNamespaceId,
  gitPermissions,
  gitRepositoryToken,
  type GitPermission,
} from "../state/security";
import { listBody } from "../wire";
import { projectReference } from "./builds";
import { parseBody, projectOf } from "./common";

export const repositoriesTemplate = "/{org}/{project}/_apis/git/repositories";
const repositoryTemplate = `${repositoriesTemplate}/{repositoryId}`;

const gitServer = "Microsoft.TeamFoundation.Git.Server";
const sourceControl = "Microsoft.TeamFoundation.SourceControl.WebServer";

function gitServerError(status: number, typeKey: string, message: string): HttpResponse {
  return vssError(status, typeKey, message, `${gitServer}.${typeKey}, ${gitServer}`);
}

function invalidArgument(message: string): HttpResponse {
  return vssError(
    400,
    "InvalidArgumentValueException",
    message,
    `${sourceControl}.InvalidArgumentValueException, ${sourceControl}`,
  );
}

export function repositoryNotFound(idOrName: string): HttpResponse {
  return gitServerError(
    404,
    "GitRepositoryNotFoundException",
    `TF401019: The Git repository with name or identifier ${idOrName} does not exist or you do not have permissions for the operation you are attempting.`,
  );
}

/** The service's answer to a refusal of the git state. */
export function gitErrorResponse(e: GitError): HttpResponse {
  switch (e.kind) {
    case "nameTaken":
      return gitServerError(409, "GitRepositoryNameAlreadyExistsException", e.message);
    case "stale":
      return gitServerError(409, "GitReferenceStaleException", e.message);
    case "itemMissing":
      return gitServerError(404, "GitItemNotFoundException", e.message);
    default:
      return invalidArgument(e.message);
  }
}

/** Runs a state operation, answering its refusals as the service does. */
async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof GitError) fail(gitErrorResponse(e));
    throw e;
  }
}

export function repositoryOf(ctx: RequestContext, param = "repositoryId"): Repository {
  const idOrName = ctx.params[param];
  return ctx.store.git.find(projectOf(ctx), idOrName) ?? fail(repositoryNotFound(idOrName));
}

/** Who the caller is as git records it: the user, or the project's build service for a job token. */
export function callerIdentity(ctx: RequestContext): GitIdentity {
  const caller = ctx.caller;
  if (caller?.kind === "user")
    return { name: caller.name, email: `${caller.name.replace(/[^A-Za-z0-9.-]+/g, ".")}@tenant-sync.invalid` };
  return {
    name: `${projectOf(ctx).name} Build Service (${ctx.store.organization.name})`,
    email: "build-service@tenant-sync.invalid",
  };
}

/** A ref a push moves: a new branch (old = zeros) needs Create branch, any other change Contribute. */
export interface PushedRef {
  name: string;
  oldObjectId: string;
}

/**
 * Whether the caller may push these refs: user tokens may; a job token only in its own project
 * (the request pipeline checks that) and as the build service's permissions on the repository
 * allow (its access control entries, inherited from the project's). Without refs (git asking
 * where it may push), either permission lets it on.
 */
export function pushRefusal(ctx: RequestContext, repository: Repository, refs?: PushedRef[]): string | undefined {
  if (ctx.caller?.kind !== "job") return undefined;
  const descriptor = buildServiceDescriptor(ctx.store.organization.id, repository.projectId);
  const token = gitRepositoryToken(repository.projectId, repository.id);
  const holds = (p: GitPermission) => ctx.store.security.has(gitNamespaceId, token, descriptor, gitPermissions[p]);
  const needed: GitPermission[] = refs
    ? refs.map((r) =>
        r.oldObjectId === zeroId && r.name.startsWith("refs/heads/") ? "CreateBranch" : "GenericContribute",
      )
    : holds("CreateBranch")
      ? []
      : ["GenericContribute"];
  const missing = needed.find((p) => !holds(p));
  return (
    missing &&
    `TF401027: You need the Git '${missing}' permission to perform this action. Details: identity 'Build\\${repository.projectId}', scope 'repository'.`
  );
}

function checkPush(ctx: RequestContext, repository: Repository, refs: PushedRef[]): void {
  const refusal = pushRefusal(ctx, repository, refs);
  if (refusal) fail(accessDenied(refusal));
}

/** A stable GUID for an identity's name (identities are not stored). */
function identityId(name: string): string {
  const h = createHash("sha1").update(name).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function identityRef(identity: GitIdentity): Record<string, unknown> {
  return { displayName: identity.name, uniqueName: identity.email, id: identityId(identity.name) };
}

export function remoteUrl(ctx: Pick<AzdoContext, "urls">, project: Project, repository: Repository): string {
  return `${ctx.urls.collectionUri}${encodeURIComponent(project.name)}/_git/${encodeURIComponent(repository.name)}`;
}

function apiUrl(ctx: RequestContext, repository: Repository): string {
  return `${ctx.urls.collectionUri}${repository.projectId}/_apis/git/repositories/${repository.id}`;
}

/** A GitRepository as the service renders it. */
async function renderRepository(ctx: RequestContext, repository: Repository): Promise<Record<string, unknown>> {
  const project = ctx.store.projects.find(repository.projectId)!;
  const web = remoteUrl(ctx, project, repository);
  return {
    id: repository.id,
    name: repository.name,
    url: apiUrl(ctx, repository),
    project: projectReference(project, ctx),
    ...(repository.defaultBranch ? { defaultBranch: repository.defaultBranch } : {}),
    size: await ctx.store.git.size(repository),
    remoteUrl: web,
    webUrl: web,
    isDisabled: repository.isDisabled,
    isInMaintenance: false,
  };
}

/** GET {project}/_apis/git/repositories */
async function listRepositories(ctx: RequestContext): Promise<HttpResponse> {
  const project = projectOf(ctx);
  const repositories = ctx.store.git.list.filter((r) => r.projectId === project.id);
  const rendered = await Promise.all(repositories.map((r) => renderRepository(ctx, r)));
  return json(listBody(rendered, ctx.format));
}

/** POST {project}/_apis/git/repositories {name, project: {id}} */
async function createRepository(ctx: RequestContext): Promise<HttpResponse> {
  const body = parseBody(ctx) as { name?: unknown; project?: { id?: unknown; name?: unknown } } | undefined;
  if (!body || typeof body.name !== "string" || !body.name.trim())
    return invalidArgument('The repository to create needs a name: {"name": "…", "project": {"id": "…"}}.');
  if (ctx.caller?.kind === "job")
    return accessDenied(
      `TF401027: You need the Git 'CreateRepository' permission to perform this action. Details: identity 'Build\\${projectOf(ctx).id}', scope 'project'.`,
    );
  const named = body.project?.id ?? body.project?.name;
  const project = typeof named === "string" ? ctx.store.projects.find(named) : projectOf(ctx);
  if (!project || project.id !== projectOf(ctx).id)
    return invalidArgument(
      `The project of the repository (${String(named)}) must be the project of the request URL (${projectOf(ctx).name}).`,
    );
  if (/[\\/:*?"<>|;#$`,]|^\.|\.$/.test(body.name) || body.name.length > 64)
    return invalidArgument(`TF401025: '${body.name}' is not a valid name. Try a different name.`);
  const repository = await guarded(() => ctx.store.git.create(project, body.name as string));
  return json(await renderRepository(ctx, repository), 201);
}

/** GET / DELETE {project}/_apis/git/repositories/{repositoryId} */
async function repository(ctx: RequestContext): Promise<HttpResponse> {
  const repo = repositoryOf(ctx);
  if (ctx.method === "GET") return json(await renderRepository(ctx, repo));
  if (ctx.caller?.kind === "job")
    return accessDenied(
      `TF401027: You need the Git 'DeleteRepository' permission to perform this action. Details: identity 'Build\\${repo.projectId}', scope 'repository'.`,
    );
  ctx.store.git.remove(repo);
  return noContent();
}

/** GET {project}/_apis/git/repositories/{repositoryId}/refs */
async function listRefs(ctx: RequestContext): Promise<HttpResponse> {
  const repo = repositoryOf(ctx);
  const q = ctx.url.searchParams;
  const filter = q.get("filter");
  const contains = q.get("filterContains")?.toLowerCase();
  const peel = q.get("peelTags") === "true";
  let refs = (await ctx.store.git.refs(repo)).filter(
    (r) =>
      (!filter || r.name.startsWith(`refs/${filter.replace(/^refs\//, "")}`)) &&
      (!contains || r.name.toLowerCase().includes(contains)),
  );
  const token = q.get("continuationToken");
  if (token) {
    const from = Buffer.from(token, "base64url").toString("utf8");
    refs = refs.filter((r) => r.name >= from);
  }
  const top = q.get("$top") !== null ? Math.max(0, Number(q.get("$top")) || 0) : refs.length;
  const page = refs.slice(0, top);
  const headers: Record<string, string> =
    refs.length > top ? { "x-ms-continuationtoken": Buffer.from(refs[top].name).toString("base64url") } : {};
  const base = apiUrl(ctx, repo);
  const value = page.map((r) => ({
    name: r.name,
    objectId: r.objectId,
    ...(peel && r.peeledObjectId ? { peeledObjectId: r.peeledObjectId } : {}),
    url: `${base}/refs?filter=${encodeURIComponent(r.name.slice("refs/".length))}`,
  }));
  return json(listBody(value, ctx.format), 200, headers);
}

const objectId = /^[0-9a-f]{40}$/i;

/** POST {project}/_apis/git/repositories/{repositoryId}/refs [{name, oldObjectId, newObjectId}] */
async function updateRefs(ctx: RequestContext): Promise<HttpResponse> {
  const repo = repositoryOf(ctx);
  const body = parseBody(ctx);
  if (!Array.isArray(body) || body.length === 0)
    return invalidArgument("The body must be a non-empty array of ref updates: [{name, oldObjectId, newObjectId}].");
  const updates = body.map((u: Record<string, unknown>, i) => {
    if (
      typeof u?.name !== "string" ||
      ![u.oldObjectId, u.newObjectId].every((v) => typeof v === "string" && objectId.test(v))
    )
      fail(invalidArgument(`Ref update ${i} needs a name and 40-hex-digit oldObjectId and newObjectId (zeros: none).`));
    return {
      name: u.name as string,
      oldObjectId: (u.oldObjectId as string).toLowerCase(),
      newObjectId: (u.newObjectId as string).toLowerCase(),
    };
  });
  checkPush(ctx, repo, updates);
  const results = [];
  for (const update of updates) {
    const status = await ctx.store.git.updateRef(repo, update, callerIdentity(ctx), ctx.clock.now());
    results.push({
      repositoryId: repo.id,
      name: update.name,
      oldObjectId: update.oldObjectId,
      newObjectId: update.newObjectId,
      isLocked: false,
      rejectedBy: null,
      customMessage: null,
      updateStatus: status,
      success: status === "succeeded",
    });
  }
  return json(listBody(results, ctx.format));
}

function parseChange(raw: unknown, where: string): FileChange {
  const c = (raw ?? {}) as {
    changeType?: unknown;
    item?: { path?: unknown };
    newContent?: { content?: unknown; contentType?: unknown };
  };
  const type = typeof c.changeType === "string" ? c.changeType.toLowerCase() : "";
  const path = c.item?.path;
  if (typeof path !== "string" || !path.replace(/\//g, ""))
    fail(
      invalidArgument(`${where} needs item.path, the file's path from the repository root ("/azure-pipelines.yml").`),
    );
  if (type === "delete") return { changeType: "delete", path };
  if (type !== "add" && type !== "edit")
    fail(
      invalidArgument(`${where} has changeType '${String(c.changeType)}'; the emulator supports add, edit and delete.`),
    );
  const content = c.newContent?.content;
  if (typeof content !== "string") fail(invalidArgument(`${where} (${type} ${path}) needs newContent.content.`));
  const contentType = String(c.newContent?.contentType ?? "rawtext").toLowerCase();
  if (contentType !== "rawtext" && contentType !== "base64encoded")
    fail(invalidArgument(`${where} has newContent.contentType '${contentType}'; use rawtext or base64encoded.`));
  return {
    changeType: type,
    path,
    content: Buffer.from(content, contentType === "base64encoded" ? "base64" : "utf8"),
  };
}

function renderPush(
  ctx: RequestContext,
  repo: Repository,
  push: PushRecord,
  detail: { commits: boolean; refUpdates: boolean },
) {
  const base = apiUrl(ctx, repo);
  return {
    ...(detail.commits
      ? {
          commits: push.commits.map((c) => {
            const who = { name: c.author.name, email: c.author.email, date: c.date };
            return {
              commitId: c.commitId,
              author: who,
              committer: who,
              comment: c.comment,
              url: `${base}/commits/${c.commitId}`,
            };
          }),
        }
      : {}),
    ...(detail.refUpdates ? { refUpdates: push.refUpdates.map((r) => ({ repositoryId: repo.id, ...r })) } : {}),
    repository: {
      id: repo.id,
      name: repo.name,
      url: base,
      project: projectReference(ctx.store.projects.find(repo.projectId)!, ctx),
    },
    pushedBy: identityRef(push.pushedBy),
    pushId: push.pushId,
    date: push.date,
    url: `${base}/pushes/${push.pushId}`,
  };
}

/** POST {project}/_apis/git/repositories/{repositoryId}/pushes {refUpdates: [{name, oldObjectId}], commits} */
async function createPush(ctx: RequestContext): Promise<HttpResponse> {
  const repo = repositoryOf(ctx);
  const body = (parseBody(ctx) ?? {}) as { refUpdates?: unknown; commits?: unknown };
  const refUpdates = Array.isArray(body.refUpdates) ? body.refUpdates : [];
  const commits = Array.isArray(body.commits) ? body.commits : [];
  const ref = refUpdates[0] as { name?: unknown; oldObjectId?: unknown } | undefined;
  if (refUpdates.length !== 1 || typeof ref?.name !== "string")
    return invalidArgument(
      "A push needs exactly one refUpdate {name, oldObjectId} naming the branch its commits go on.",
    );
  const oldObjectId = typeof ref.oldObjectId === "string" ? ref.oldObjectId.toLowerCase() : zeroId;
  if (!objectId.test(oldObjectId))
    return invalidArgument(
      `The oldObjectId '${oldObjectId}' is not a 40-hex-digit object id (zeros for a new branch).`,
    );
  checkPush(ctx, repo, [{ name: ref.name, oldObjectId }]);
  if (commits.length === 0) return invalidArgument("A push needs at least one commit {comment, changes}.");
  const specs: CommitSpec[] = commits.map((raw: { comment?: unknown; changes?: unknown }, i) => {
    const changes = Array.isArray(raw?.changes) ? raw.changes : [];
    if (changes.length === 0) fail(invalidArgument(`Commit ${i} of the push has no changes.`));
    return {
      comment: typeof raw.comment === "string" ? raw.comment : "",
      changes: changes.map((c, j) => parseChange(c, `Change ${j} of commit ${i}`)),
    };
  });
  const push = await guarded(() =>
    ctx.store.git.push(repo, ref.name as string, oldObjectId, specs, callerIdentity(ctx), ctx.clock.now()),
  );
  return json(renderPush(ctx, repo, push, { commits: true, refUpdates: true }), 201);
}

/** GET {project}/_apis/git/repositories/{repositoryId}/pushes — newest first, $skip / $top */
function listPushes(ctx: RequestContext): HttpResponse {
  const repo = repositoryOf(ctx);
  const q = ctx.url.searchParams;
  const skip = Math.max(0, Number(q.get("$skip")) || 0);
  const top = q.get("$top") !== null ? Math.max(0, Number(q.get("$top")) || 0) : 100;
  const refName = q.get("searchCriteria.refName");
  const detail = { commits: false, refUpdates: q.get("searchCriteria.includeRefUpdates") === "true" };
  const pushes = [...repo.pushes]
    .reverse()
    .filter((p) => !refName || p.refUpdates.some((r) => r.name === refName))
    .slice(skip, skip + top);
  return json(
    listBody(
      pushes.map((p) => renderPush(ctx, repo, p, detail)),
      ctx.format,
    ),
  );
}

/** GET {project}/_apis/git/repositories/{repositoryId}/pushes/{pushId} */
function getPush(ctx: RequestContext): HttpResponse {
  const repo = repositoryOf(ctx);
  const push = repo.pushes.find((p) => String(p.pushId) === ctx.params.pushId);
  if (!push)
    return gitServerError(
      404,
      "GitPushNotFoundException",
      `TF401180: The requested push ${ctx.params.pushId} could not be found.`,
    );
  return json(renderPush(ctx, repo, push, { commits: true, refUpdates: true }));
}

/** The commit a versionDescriptor names (branch by default, else tag or commit); the default branch without one. */
async function versionCommit(ctx: RequestContext, repo: Repository): Promise<{ commitId: string; label: string }> {
  const q = ctx.url.searchParams;
  const version = q.get("versionDescriptor.version") ?? q.get("version");
  const type = (q.get("versionDescriptor.versionType") ?? q.get("versionType") ?? "branch").toLowerCase();
  const branch = repo.defaultBranch?.replace(/^refs\/heads\//, "");
  const name = version ?? branch;
  const label = `<${type === "commit" ? "Commit" : type === "tag" ? "Tag" : "Branch"}: ${name ?? "(default)"} >`;
  const spec = type === "commit" ? name : type === "tag" ? `refs/tags/${name}` : `refs/heads/${name}`;
  const commitId = name ? await ctx.store.git.resolveCommit(repo, spec!) : undefined;
  if (!commitId)
    fail(
      gitServerError(
        404,
        "GitUnresolvableToCommitException",
        `TF401175: The version descriptor ${label} could not be resolved to a version in the repository ${repo.name}.`,
      ),
    );
  return { commitId, label };
}

function wantsRawContent(ctx: RequestContext): boolean {
  const format = ctx.url.searchParams.get("$format")?.toLowerCase();
  if (format) return format === "text" || format === "octetstream";
  const accept = (ctx.headers.accept ?? "").toLowerCase();
  return !accept.includes("application/json") && /text\/plain|application\/octet-stream/.test(accept);
}

/** GET {project}/_apis/git/repositories/{repositoryId}/items?path=&versionDescriptor.version=&includeContent= */
async function getItem(ctx: RequestContext): Promise<HttpResponse> {
  const repo = repositoryOf(ctx);
  const q = ctx.url.searchParams;
  const path = `/${(q.get("path") ?? q.get("scopePath") ?? "/").replace(/^\/+/, "")}`;
  const { commitId, label } = await versionCommit(ctx, repo);
  const item = await guarded(() => ctx.store.git.item(repo, commitId, path));
  if (!item)
    return gitServerError(
      404,
      "GitItemNotFoundException",
      `TF401174: The item '${path}' could not be found in the repository '${repo.name}' at the version specified by '${label}' (resolved to commit '${commitId}').`,
    );
  if (wantsRawContent(ctx) && !item.isFolder) {
    const download: Record<string, string> =
      q.get("download") === "true" ? { "content-disposition": `attachment; filename=${path.split("/").pop()}` } : {};
    const type =
      (ctx.headers.accept ?? "").includes("text/plain") || q.get("$format") === "text"
        ? "text/plain; charset=utf-8"
        : "application/octet-stream";
    return bytes(item.content!, type, 200, download);
  }
  return json({
    objectId: item.objectId,
    gitObjectType: item.isFolder ? "tree" : "blob",
    commitId,
    path,
    ...(item.isFolder ? { isFolder: true } : {}),
    ...(q.get("includeContent") === "true" && item.content ? { content: item.content.toString("utf8") } : {}),
    url: `${apiUrl(ctx, repo)}/items?path=${encodeURIComponent(path)}&versionType=Commit&version=${commitId}`,
  });
}

const locations: Record<string, ResourceLocation> = {
  repositories: {
    id: "225f7195-f9c7-4d14-ab28-a83f7ff77e1f",
    area: "git",
    resourceName: "repositories",
    resourceVersion: 2,
  },
  refs: { id: "2d874a60-a811-4f62-9c9f-963a6ea0a55b", area: "git", resourceName: "refs", resourceVersion: 2 },
  pushes: { id: "ea98d07b-3c87-4971-8ede-a613694ffb55", area: "git", resourceName: "pushes", resourceVersion: 3 },
  items: { id: "fb93c0db-47ed-4a31-8c20-47552878fb44", area: "git", resourceName: "items", resourceVersion: 1 },
};

const rest = (
  method: string,
  template: string,
  location: ResourceLocation,
  handle: AzdoRoute["handle"],
): AzdoRoute => ({ method, template, isAuthenticated: true, version: ga, location, handle });

export const gitRestRoutes: AzdoRoute[] = [
  rest("GET", repositoriesTemplate, locations.repositories, listRepositories),
  rest("POST", repositoriesTemplate, locations.repositories, createRepository),
  rest("GET", repositoryTemplate, locations.repositories, repository),
  rest("DELETE", repositoryTemplate, locations.repositories, repository),
  rest("GET", `${repositoryTemplate}/refs`, locations.refs, listRefs),
  rest("POST", `${repositoryTemplate}/refs`, locations.refs, updateRefs),
  rest("GET", `${repositoryTemplate}/pushes`, locations.pushes, listPushes),
  rest("POST", `${repositoryTemplate}/pushes`, locations.pushes, createPush),
  rest("GET", `${repositoryTemplate}/pushes/{pushId}`, locations.pushes, getPush),
  rest("GET", `${repositoryTemplate}/items`, locations.items, getItem),
];
