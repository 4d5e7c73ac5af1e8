/**
 * git — the emulator's Git area: repositories, refs, pushes and items over REST, and real git
 * clones, fetches and pushes over smart HTTP with a user token (Basic) and a job token (bearer),
 * with the service's refusals (no token, another project's job token, a stale oldObjectId, no
 * Contribute for the build service).
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { getPersonalAccessTokenHandler, WebApi } from "azure-devops-node-api";
import { startTestAzdoEmulator, type EmulatedBuild, type TestAzdoEmulator } from "../helpers/azdo-emulator";
import { gitAgainstEmulator, gitOk, type GitAuth } from "../helpers/azdo-git";
import { checkoutWithOrigin, git } from "../helpers/git-remote";

const zeros = "0".repeat(40);
const pipelineYaml = "trigger: none\nsteps:\n  - script: echo hello\n";

describe("azdo emulator: git", function () {
  let t: TestAzdoEmulator;
  let userToken: string;
  let build: EmulatedBuild;
  let work: string;
  let repoApi: string;

  const api = (path: string, version = "7.1") =>
    `${t.info.projectId}/_apis/git/${path}${path.includes("?") ? "&" : "?"}api-version=${version}`;
  const cloneUrl = (name: string, project = t.info.project) => `${t.info.collectionUri}${project}/_git/${name}`;
  const runGit = (cwd: string, args: string[], auth?: GitAuth) =>
    gitAgainstEmulator(t.info.caCertPath, cwd, args, auth);
  const okGit = (cwd: string, args: string[], auth?: GitAuth) => gitOk(t.info.caCertPath, cwd, args, auth);
  const mainOf = async (name: string) =>
    (await t.control("GET", `/repositories/${name}/refs`)).body["refs/heads/main"] as string | undefined;

  const pushFile = (repository: string, oldObjectId: string, path: string, content: string, changeType = "add") =>
    t.rest("POST", api(`repositories/${repository}/pushes`), {
      token: userToken,
      body: {
        refUpdates: [{ name: "refs/heads/main", oldObjectId }],
        commits: [
          {
            comment: `Change ${path}`,
            changes: [{ changeType, item: { path }, newContent: { content, contentType: "rawtext" } }],
          },
        ],
      },
    });

  before(async () => {
    t = await startTestAzdoEmulator();
    userToken = await t.userToken();
    build = await t.createBuild({ definition: "tenant-sync" });
    work = mkdtempSync(join(tmpdir(), "tenant-sync-azdo-git-test-"));
    const created = await t.rest("POST", api("repositories"), {
      token: userToken,
      body: { name: "tenant-config", project: { id: t.info.projectId } },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    repoApi = `repositories/${created.body.id}`;
  });

  after(async () => {
    await t?.emulator.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("creates a repository over REST as the service renders it, empty and without a default branch", async () => {
    const res = await t.rest("GET", api("repositories/TENANT-CONFIG"), { token: userToken });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.name, "tenant-config");
    assert.equal(res.body.project.id, t.info.projectId);
    assert.equal(res.body.remoteUrl, cloneUrl("tenant-config"));
    assert.equal(res.body.url, `${t.info.collectionUri}${t.info.projectId}/_apis/git/repositories/${res.body.id}`);
    assert.equal(res.body.isDisabled, false);
    assert.equal(typeof res.body.size, "number");
    const list = await t.rest("GET", api("repositories"), { token: build.accessToken });
    assert.deepEqual(
      list.body.value.map((r: { name: string }) => r.name),
      ["tenant-config"],
    );
    const again = await t.rest("POST", api("repositories"), { token: userToken, body: { name: "Tenant-Config" } });
    assert.equal(again.status, 409);
    assert.match(again.body.message, /TF400948/);
  });

  it("pushes a commit over REST, lists it in refs and pushes, sets the default branch and serves the item", async () => {
    const res = await t.rest("POST", api(`${repoApi}/pushes`), {
      token: userToken,
      body: {
        refUpdates: [{ name: "refs/heads/main", oldObjectId: zeros }],
        commits: [
          {
            comment: "Add the pipeline",
            changes: [
              {
                changeType: "add",
                item: { path: "/azure-pipelines.yml" },
                newContent: { content: pipelineYaml, contentType: "rawtext" },
              },
              {
                changeType: "add",
                item: { path: "/tenants/contoso/README.md" },
                newContent: { content: Buffer.from("Contoso\n").toString("base64"), contentType: "base64encoded" },
              },
            ],
          },
        ],
      },
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const commitId = res.body.commits[0].commitId;
    assert.match(commitId, /^[0-9a-f]{40}$/);
    assert.deepEqual(res.body.refUpdates[0], {
      repositoryId: res.body.repository.id,
      name: "refs/heads/main",
      oldObjectId: zeros,
      newObjectId: commitId,
    });
    const refs = await t.rest("GET", api(`${repoApi}/refs?filter=heads/`), { token: userToken });
    assert.deepEqual(
      refs.body.value.map((r: { name: string; objectId: string }) => [r.name, r.objectId]),
      [["refs/heads/main", commitId]],
    );
    const repo = await t.rest("GET", api(repoApi), { token: userToken });
    assert.equal(repo.body.defaultBranch, "refs/heads/main");
    const item = await t.rest("GET", api(`${repoApi}/items?path=/azure-pipelines.yml&includeContent=true`), {
      token: userToken,
    });
    assert.equal(item.status, 200, JSON.stringify(item.body));
    assert.equal(item.body.content, pipelineYaml);
    assert.equal(item.body.commitId, commitId);
    const raw = await fetch(
      `${t.info.collectionUri}${api(`${repoApi}/items?path=tenants/contoso/README.md&versionDescriptor.version=${commitId}&versionDescriptor.versionType=commit`)}`,
      { headers: { authorization: `Bearer ${userToken}`, accept: "text/plain" } },
    );
    assert.equal(await raw.text(), "Contoso\n");
    const pushes = await t.rest("GET", api(`${repoApi}/pushes`), { token: userToken });
    assert.equal(pushes.body.count, 1);
    const missing = await t.rest("GET", api(`${repoApi}/items?path=/nope.yml`), { token: userToken });
    assert.equal(missing.status, 404);
    assert.match(missing.body.message, /TF401174/);
  });

  it("refuses a push whose oldObjectId is not the branch's commit (409, TF401028) and leaves the branch", async () => {
    const before = await mainOf("tenant-config");
    const res = await pushFile("tenant-config", zeros, "/other.txt", "x\n");
    assert.equal(res.status, 409, JSON.stringify(res.body));
    assert.equal(res.body.typeKey, "GitReferenceStaleException");
    assert.match(res.body.message, /TF401028: The reference 'refs\/heads\/main' has already been updated/);
    assert.equal(await mainOf("tenant-config"), before);
    const added = await pushFile("tenant-config", before!, "/azure-pipelines.yml", "again", "add");
    assert.equal(added.status, 400, "adding a file that exists is refused");
    const edited = await pushFile("tenant-config", before!, "/missing.yml", "x", "edit");
    assert.equal(edited.status, 404, "editing a file that does not exist is refused");
    assert.equal(await mainOf("tenant-config"), before);
  });

  it("clones with a user token answered to the Basic challenge, and git push lands on the branch", async () => {
    const dir = join(work, "basic");
    await okGit(work, ["clone", "-q", cloneUrl("tenant-config"), dir], { basic: userToken });
    assert.equal(readFileSync(join(dir, "azure-pipelines.yml"), "utf8"), pipelineYaml);
    writeFileSync(join(dir, "backup.json"), "{}\n");
    await okGit(dir, ["add", "backup.json"]);
    await okGit(dir, ["commit", "-q", "-m", "Backup"]);
    await okGit(dir, ["push", "-q", "origin", "main"], { basic: userToken });
    const head = (await okGit(dir, ["rev-parse", "HEAD"])).trim();
    assert.equal(await mainOf("tenant-config"), head);
    const pushes = await t.rest("GET", api(`${repoApi}/pushes?searchCriteria.includeRefUpdates=true`), {
      token: userToken,
    });
    assert.equal(pushes.body.value[0].refUpdates[0].newObjectId, head);
    assert.equal(pushes.body.value[0].pushedBy.displayName, "test user");
  });

  it("clones, fetches and, once granted Contribute, pushes with a job token in http.extraheader (persistCredentials), as the build service", async () => {
    const auth = { bearer: build.accessToken };
    const dir = join(work, "job");
    await okGit(work, ["clone", "-q", cloneUrl("tenant-config"), dir], auth);
    writeFileSync(join(dir, "job.txt"), "from the pipeline\n");
    await okGit(dir, ["add", "job.txt"]);
    await okGit(dir, ["commit", "-q", "-m", "From the job"]);
    // A repository made over REST lets its project's build service read, not push, until it is granted.
    const refused = await runGit(dir, ["push", "-q", "origin", "HEAD:refs/heads/backup"], auth);
    assert.match(refused.stderr, /TF401027: You need the Git 'GenericContribute' permission/);
    const me = await t.rest("GET", "_apis/connectionData", { token: build.accessToken });
    const granted = await t.rest(
      "POST",
      "_apis/accesscontrolentries/2e9eb7ed-3c0a-47d4-87c1-0ffdd275fd87?api-version=7.1",
      {
        token: userToken,
        body: {
          token: `repoV2/${t.info.projectId}/${repoApi.split("/")[1]}`,
          merge: true,
          accessControlEntries: [{ descriptor: me.body.authenticatedUser.descriptor, allow: 4 | 16, deny: 0 }],
        },
      },
    );
    assert.equal(granted.status, 200, JSON.stringify(granted.body));
    await okGit(dir, ["push", "-q", "origin", "HEAD:refs/heads/backup"], auth);
    const head = (await okGit(dir, ["rev-parse", "HEAD"])).trim();
    const refs = await t.rest("GET", api(`${repoApi}/refs?filter=heads/backup`), { token: build.accessToken });
    assert.equal(refs.body.value[0].objectId, head);
    const pushes = await t.rest("GET", api(`${repoApi}/pushes`), { token: userToken });
    assert.equal(pushes.body.value[0].pushedBy.displayName, `${t.info.project} Build Service (${t.info.organization})`);
    await okGit(dir, ["fetch", "-q", "origin"], auth);
  });

  it("answers a request without a token with 401 and a Basic challenge, so git fails without prompting", async () => {
    const res = await fetch(`${cloneUrl("tenant-config")}/info/refs?service=git-upload-pack`);
    assert.equal(res.status, 401);
    assert.match(res.headers.get("www-authenticate") ?? "", /Basic realm=/);
    const clone = await runGit(work, ["clone", "-q", cloneUrl("tenant-config"), join(work, "anonymous")]);
    assert.notEqual(clone.code, 0);
    assert.match(clone.stderr, /terminal prompts disabled|Authentication failed/);
  });

  it("refuses a job token on another project's repository, and a push when the build service lacks Contribute", async () => {
    await t.control("POST", "/projects", { name: "other" });
    const other = await t.control("POST", "/repositories", {
      name: "elsewhere",
      project: "other",
      files: { "a.txt": "a\n" },
    });
    assert.equal(other.status, 201, JSON.stringify(other.body));
    const auth = { bearer: build.accessToken };
    const foreign = await runGit(work, ["ls-remote", cloneUrl("elsewhere", "other")], auth);
    assert.notEqual(foreign.code, 0);
    assert.equal((await runGit(work, ["ls-remote", cloneUrl("elsewhere", "other")], { basic: userToken })).code, 0);

    await t.control("PATCH", "/repositories/tenant-config", { jobTokenMayPush: false });
    const dir = join(work, "job");
    writeFileSync(join(dir, "job.txt"), "changed\n");
    await okGit(dir, ["commit", "-q", "-am", "Refused"]);
    const push = await runGit(dir, ["push", "origin", "HEAD:refs/heads/backup"], auth);
    assert.notEqual(push.code, 0);
    assert.match(push.stderr, /TF401027: You need the Git 'GenericContribute' permission/);
    const rest = await pushFile("tenant-config", (await mainOf("tenant-config"))!, "/x.txt", "x");
    assert.equal(rest.status, 201, "a user token still may push");
    await t.control("PATCH", "/repositories/tenant-config", { jobTokenMayPush: true });
  });

  it("updates refs over REST: creates, refuses a stale one per ref, deletes", async () => {
    const main = (await mainOf("tenant-config"))!;
    const res = await t.rest("POST", api(`${repoApi}/refs`), {
      token: userToken,
      body: [
        { name: "refs/heads/feature", oldObjectId: zeros, newObjectId: main },
        { name: "refs/heads/main", oldObjectId: zeros, newObjectId: main },
        { name: "refs/heads/bad..name", oldObjectId: zeros, newObjectId: main },
      ],
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(
      res.body.value.map((r: { updateStatus: string; success: boolean }) => [r.updateStatus, r.success]),
      [
        ["succeeded", true],
        ["staleOldObjectId", false],
        ["invalidRefName", false],
      ],
    );
    const deleted = await t.rest("POST", api(`${repoApi}/refs`), {
      token: userToken,
      body: [{ name: "refs/heads/feature", oldObjectId: main, newObjectId: zeros }],
    });
    assert.equal(deleted.body.value[0].success, true);
    const refs = (await t.control("GET", "/repositories/tenant-config/refs")).body;
    assert.equal(refs["refs/heads/feature"], undefined);
  });

  it("lists refs with filterContains and pages them with $top and a continuation token", async () => {
    const main = (await mainOf("tenant-config"))!;
    await t.rest("POST", api(`${repoApi}/refs`), {
      token: userToken,
      body: ["a", "b", "c"].map((n) => ({ name: `refs/heads/topic/${n}`, oldObjectId: zeros, newObjectId: main })),
    });
    const names: string[] = [];
    let token: string | null = null;
    do {
      const query: string = `${repoApi}/refs?filter=heads/topic/&$top=2${token ? `&continuationToken=${token}` : ""}`;
      const page = await t.rest("GET", api(query), { token: userToken });
      names.push(...page.body.value.map((r: { name: string }) => r.name));
      token = page.headers.get("x-ms-continuationtoken");
    } while (token);
    assert.deepEqual(names, ["refs/heads/topic/a", "refs/heads/topic/b", "refs/heads/topic/c"]);
    const contains = await t.rest("GET", api(`${repoApi}/refs?filterContains=PIC/B`), { token: userToken });
    assert.deepEqual(
      contains.body.value.map((r: { name: string }) => r.name),
      ["refs/heads/topic/b"],
    );
  });

  it("seeds repositories from a directory's files and from an existing repository (control API)", async () => {
    const files = join(work, "seed");
    mkdirSync(join(files, "tenants"), { recursive: true });
    writeFileSync(join(files, "azure-pipelines.yml"), pipelineYaml);
    writeFileSync(join(files, "tenants", "contoso.yml"), "name: contoso\n");
    const seeded = await t.control("POST", "/repositories", { name: "from-files", fromDirectory: files });
    assert.equal(seeded.status, 201, JSON.stringify(seeded.body));
    assert.equal(seeded.body.defaultBranch, "refs/heads/main");
    const tree = execFileSync("git", ["ls-tree", "-r", "--name-only", "main"], {
      cwd: seeded.body.path,
      encoding: "utf8",
    });
    assert.deepEqual(tree.trim().split("\n"), ["azure-pipelines.yml", "tenants/contoso.yml"]);

    const source = checkoutWithOrigin();
    try {
      git(source.work, "checkout", "-q", "-b", "develop");
      writeFileSync(join(source.work, "dev.txt"), "dev\n");
      git(source.work, "add", "dev.txt");
      git(source.work, "commit", "-q", "-m", "Dev");
      git(source.work, "push", "-q", "origin", "develop");
      const imported = await t.control("POST", "/repositories", { name: "imported", importFrom: source.origin });
      assert.equal(imported.status, 201, JSON.stringify(imported.body));
      const originRefs = execFileSync("git", ["for-each-ref", "--format=%(refname) %(objectname)", "refs/heads"], {
        cwd: source.origin,
        encoding: "utf8",
      });
      assert.deepEqual(
        imported.body.refs,
        Object.fromEntries(
          originRefs
            .trim()
            .split("\n")
            .map((l) => l.split(" ")),
        ),
      );
      const dir = join(work, "imported");
      await okGit(work, ["clone", "-q", cloneUrl("imported"), dir], { bearer: build.accessToken });
      assert.equal(readFileSync(join(dir, "README.md"), "utf8"), "Tenant configuration\n");
    } finally {
      rmSync(source.root, { recursive: true, force: true });
    }
  });

  it("inflates a gzip request body, as git sends large fetch negotiations", async () => {
    const main = (await mainOf("tenant-config"))!;
    const pkt = (line: string) => `${(line.length + 4).toString(16).padStart(4, "0")}${line}`;
    const negotiation = `${pkt(`want ${main} no-progress\n`)}0000${pkt("done\n")}`;
    const res = await fetch(`${cloneUrl("tenant-config")}/git-upload-pack`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${build.accessToken}`,
        "content-type": "application/x-git-upload-pack-request",
        "content-encoding": "gzip",
      },
      body: gzipSync(negotiation),
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "application/x-git-upload-pack-result");
    const body = Buffer.from(await res.arrayBuffer());
    assert.equal(body.subarray(0, 8).toString("latin1"), "0008NAK\n");
    assert.equal(body.subarray(8, 12).toString("latin1"), "PACK");
  });

  it("serves azure-devops-node-api's GitApi (once the emulator answers location discovery)", async function () {
    // GitApi looks up each resource's route with OPTIONS {collection}/_apis/git before its first call.
    const discovery = await fetch(`${t.info.collectionUri}_apis/git`, {
      method: "OPTIONS",
      headers: { authorization: `Bearer ${userToken}` },
    });
    if (discovery.status !== 200) return this.skip();
    const gitApi = await new WebApi(t.info.collectionUri, getPersonalAccessTokenHandler(userToken)).getGitApi();
    const repositories = await gitApi.getRepositories(t.info.project);
    const repository = repositories.find((r) => r.name === "tenant-config")!;
    assert.equal(repository.defaultBranch, "refs/heads/main");
    const refs = await gitApi.getRefs(repository.id!, t.info.project, "heads/main");
    assert.equal(refs[0].objectId, await mainOf("tenant-config"));
    const stream = await gitApi.getItemText(repository.id!, "/azure-pipelines.yml", t.info.project);
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
    assert.equal(Buffer.concat(chunks).toString("utf8"), pipelineYaml);
  });

  it("deletes a repository (204) and then answers 404 TF401019 for it, also to git", async () => {
    const res = await t.rest("DELETE", api("repositories/from-files"), { token: userToken });
    assert.equal(res.status, 204);
    const gone = await t.rest("GET", api("repositories/from-files"), { token: userToken });
    assert.equal(gone.status, 404);
    assert.equal(gone.body.typeKey, "GitRepositoryNotFoundException");
    const clone = await runGit(work, ["ls-remote", cloneUrl("from-files")], { basic: userToken });
    assert.notEqual(clone.code, 0);
    assert.match(clone.stderr, /TF401019/);
  });
});

describe("azdo emulator: git data directory", function () {
  it("keeps bare repositories in a temporary directory that stop() removes", async () => {
    const t = await startTestAzdoEmulator();
    try {
      const created = await t.control("POST", "/repositories", { name: "scratch", files: { "a.txt": "a\n" } });
      assert.equal(created.status, 201);
      assert.ok(existsSync(created.body.path));
      assert.ok(created.body.path.startsWith(t.emulator.store.git.dataDir));
      await t.emulator.stop();
      assert.equal(existsSync(created.body.path), false);
    } finally {
      await t.emulator.stop();
    }
  });

  it("leaves a given gitDataDir in place on stop()", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tenant-sync-azdo-git-data-"));
    const t = await startTestAzdoEmulator({ gitDataDir: dir });
    try {
      const created = await t.control("POST", "/repositories", { name: "kept" });
      await t.emulator.stop();
      assert.ok(existsSync(join(created.body.path, "HEAD")));
      assert.ok(created.body.path.startsWith(dir));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
