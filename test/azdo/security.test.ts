/**
 * security — the emulator's access control entries and lists for the Git Repositories namespace,
 * and the build service's pushes decided from them: a new project lets its build service read, a
 * repository inherits that, merged entries add and take away bits, Contribute moves existing
 * branches and Create branch makes new ones, a deny wins, and only someone who may manage
 * permissions changes them.
 */
import assert from "node:assert/strict";
import { startTestAzdoEmulator, type EmulatedBuild, type TestAzdoEmulator } from "../helpers/azdo-emulator";

const gitNamespace = "2e9eb7ed-3c0a-47d4-87c1-0ffdd275fd87";
const zeros = "0".repeat(40);
const [read, contribute, createBranch] = [2, 4, 16];

describe("azdo emulator: security (Git repositories' access control)", function () {
  let t: TestAzdoEmulator;
  let user: string;
  let build: EmulatedBuild;
  let repositoryId: string;
  let buildService: string;
  const repoToken = () => `repoV2/${t.info.projectId}/${repositoryId}`;
  const git = (path: string) => `${t.info.projectId}/_apis/git/repositories/${repositoryId}/${path}?api-version=7.1`;
  const setEntries = (body: unknown, token = user) =>
    t.rest("POST", `_apis/accesscontrolentries/${gitNamespace}?api-version=7.1`, { token, body });
  const entryOf = async (token: string) => {
    const res = await t.rest(
      "GET",
      `_apis/accesscontrollists/${gitNamespace}?token=${encodeURIComponent(token)}&descriptors=${encodeURIComponent(buildService)}&includeExtendedInfo=true&api-version=7.1`,
      { token: user },
    );
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.value[0]?.acesDictionary[buildService];
  };
  const pushAsJob = async (name: string, oldObjectId: string) =>
    t.rest("POST", git("pushes"), {
      token: build.accessToken,
      body: {
        refUpdates: [{ name, oldObjectId }],
        commits: [
          {
            comment: `Backup on ${name}`,
            changes: [
              {
                changeType: "add",
                item: { path: `/${oldObjectId.slice(0, 6)}-${name.split("/").pop()}.txt` },
                newContent: { content: "x", contentType: "rawtext" },
              },
            ],
          },
        ],
      },
    });
  const main = async () =>
    (await t.rest("GET", git("refs") + "&filter=heads/main", { token: user })).body.value[0].objectId as string;

  before(async () => {
    t = await startTestAzdoEmulator();
    user = await t.userToken();
    build = await t.createBuild({ definition: "tenant-sync" });
    const created = await t.rest("POST", `${t.info.projectId}/_apis/git/repositories?api-version=7.1`, {
      token: user,
      body: { name: "tenant-sync-contoso", project: { id: t.info.projectId } },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    repositoryId = created.body.id;
    const seeded = await t.rest("POST", git("pushes"), {
      token: user,
      body: {
        refUpdates: [{ name: "refs/heads/main", oldObjectId: zeros }],
        commits: [
          {
            comment: "First",
            changes: [{ changeType: "add", item: { path: "/a.txt" }, newContent: { content: "a" } }],
          },
        ],
      },
    });
    assert.equal(seeded.status, 201, JSON.stringify(seeded.body));
  });

  after(async () => {
    await t?.emulator.stop();
  });

  it("answers a job token's connectionData with the project's build service descriptor", async () => {
    const res = await t.rest("GET", "_apis/connectionData", { token: build.accessToken });
    buildService = res.body.authenticatedUser.descriptor;
    assert.equal(
      buildService,
      `Microsoft.TeamFoundation.ServiceIdentity;${t.emulator.store.organization.id}:Build:${t.info.projectId}`,
    );
  });

  it("gives a new project's build service Read, which its repositories inherit, and refuses its pushes", async () => {
    const project = await entryOf(`repoV2/${t.info.projectId}`);
    assert.deepEqual([project.allow, project.deny], [read, 0]);
    const repo = await entryOf(repoToken());
    assert.deepEqual(repo, {
      descriptor: buildService,
      allow: 0,
      deny: 0,
      extendedInfo: { effectiveAllow: read, effectiveDeny: 0, inheritedAllow: read, inheritedDeny: 0 },
    });
    const refused = await pushAsJob("refs/heads/main", await main());
    assert.equal(refused.status, 403);
    assert.equal(refused.body.typeKey, "AccessCheckException");
    assert.match(refused.body.message, /^TF401027: You need the Git 'GenericContribute' permission/);
  });

  it("Create branch lets it make new branches only; Contribute lets it move existing ones", async () => {
    const set = await setEntries({
      token: repoToken(),
      merge: true,
      accessControlEntries: [{ descriptor: buildService, allow: createBranch, deny: 0, extendedInfo: {} }],
    });
    assert.equal(set.status, 200, JSON.stringify(set.body));
    assert.deepEqual(set.body, { count: 1, value: [{ descriptor: buildService, allow: createBranch, deny: 0 }] });
    assert.equal((await pushAsJob("refs/heads/backup-1", zeros)).status, 201);
    const onMain = await pushAsJob("refs/heads/main", await main());
    assert.match(onMain.body.message, /'GenericContribute' permission/);

    const replaced = await setEntries({
      token: repoToken(),
      merge: false,
      accessControlEntries: [{ descriptor: buildService, allow: contribute, deny: 0 }],
    });
    assert.deepEqual(replaced.body.value[0], { descriptor: buildService, allow: contribute, deny: 0 });
    assert.equal((await pushAsJob("refs/heads/main", await main())).status, 201);
    const newBranch = await pushAsJob("refs/heads/backup-2", zeros);
    assert.equal(newBranch.status, 403);
    assert.match(newBranch.body.message, /'CreateBranch' permission/);
  });

  it("merges bits; a deny on the repository beats an allow inherited from the project", async () => {
    await setEntries({
      token: `repoV2/${t.info.projectId}`,
      merge: true,
      accessControlEntries: [{ descriptor: buildService, allow: contribute | createBranch, deny: 0 }],
    });
    const denied = await setEntries({
      token: repoToken(),
      merge: true,
      accessControlEntries: [{ descriptor: buildService, allow: 0, deny: contribute }],
    });
    assert.deepEqual(denied.body.value[0], { descriptor: buildService, allow: 0, deny: contribute });
    const entry = await entryOf(repoToken());
    assert.deepEqual(entry.extendedInfo, {
      effectiveAllow: read | createBranch,
      effectiveDeny: contribute,
      inheritedAllow: read | contribute | createBranch,
      inheritedDeny: 0,
    });
    assert.equal((await pushAsJob("refs/heads/main", await main())).status, 403);
    assert.equal((await pushAsJob("refs/heads/backup-3", zeros)).status, 201, "Create branch is still inherited");

    const lists = await t.rest(
      "GET",
      `_apis/accesscontrollists/${gitNamespace}?token=${encodeURIComponent(`repoV2/${t.info.projectId}`)}&recurse=true&api-version=7.1`,
      { token: user },
    );
    assert.deepEqual(
      lists.body.value.map((l: any) => [l.token, l.inheritPermissions, Object.keys(l.acesDictionary).length]),
      [
        [`repoV2/${t.info.projectId}`, true, 1],
        [repoToken(), true, 1],
      ],
    );
    assert.equal(
      lists.body.value[0].acesDictionary[buildService].extendedInfo,
      undefined,
      "only with includeExtendedInfo",
    );
  });

  it("lets only those who may manage permissions set entries, and says what is wrong with a request", async () => {
    const asJob = await setEntries(
      {
        token: repoToken(),
        merge: true,
        accessControlEntries: [{ descriptor: buildService, allow: contribute, deny: 0 }],
      },
      build.accessToken,
    );
    assert.equal(asJob.status, 403);
    assert.match(
      asJob.body.message,
      /needs the following permission\(s\) on the resource repoV2\/.* Manage permissions/,
    );
    assert.equal((await entryOf(repoToken())).deny, contribute, "unchanged");

    const noToken = await setEntries({ merge: true, accessControlEntries: [] });
    assert.equal(noToken.status, 400);
    assert.match(noToken.body.message, /token/);
    const badBits = await setEntries({
      token: repoToken(),
      accessControlEntries: [{ descriptor: buildService, allow: "4" }],
    });
    assert.equal(badBits.status, 400);
    const otherNamespace = await t.rest(
      "GET",
      "_apis/accesscontrollists/52d39943-cb85-4d7f-8fa8-c6baac873819?api-version=7.1",
      {
        token: user,
      },
    );
    assert.equal(otherNamespace.status, 404);
  });

  it("publishes the two routes for location discovery", async () => {
    const res = await t.rest("OPTIONS", "_apis/Security", { token: user });
    assert.deepEqual(res.body.value.map((l: any) => [l.id, l.resourceName, l.routeTemplate]).sort(), [
      ["18a2ad18-7571-46ae-bec7-0c7da1495885", "AccessControlLists", "_apis/{resource}/{securityNamespaceId}"],
      ["ac08c8ff-4323-4b08-af90-bcd018d380ce", "AccessControlEntries", "_apis/{resource}/{securityNamespaceId}"],
    ]);
  });
});
