/**
 * entra-more — the local Graph's custom security attributes (attribute sets named by the id given,
 * definitions whose id the service makes from set and name, predefined values, what may change
 * after create, no deletes, only the CustomSecAttributeDefinition permissions open them) and app
 * registrations' configuration (redirect URIs, API scopes, app roles, optional claims, federated
 * credentials); and a sync of both: backed up, created and changed from the repository, create-only
 * changes stopped, and what the service refuses (deleting a definition, changing an app registration
 * the pipeline does not own, its own included) left as it is.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../helpers/cli";
import { commitAll } from "../helpers/commit";
import { appCaller, type GraphSession, startGraphSession } from "./graph-session";

const sets = "/v1.0/directory/attributeSets";
const definitions = "/v1.0/directory/customSecurityAttributeDefinitions";

describe("Graph emulator: custom security attributes", function () {
  this.timeout(30_000);
  let s: GraphSession;
  before(async () => (s = await startGraphSession({ throttle: { mode: "off" } })));
  after(async () => s?.t.emulator.stop());

  it("lists the demo tenant's sets and definitions, the predefined values from their own collection", async () => {
    const listed = await s.call("GET", sets);
    assert.equal(listed.status, 200);
    assert.deepEqual(listed.body.value.map((v: { id: string }) => v.id).sort(), ["Compliance", "Finance"]);
    const defs = (await s.call("GET", definitions)).body.value;
    const classification = defs.find((d: { id: string }) => d.id === "Compliance_DataClassification");
    assert.equal(classification.attributeSet, "Compliance");
    assert.equal(classification.name, "DataClassification");
    assert.equal(classification.usePreDefinedValuesOnly, true);
    assert.equal(classification.allowedValues, undefined, "a navigation property is not in the list");
    assert.equal(defs.find((d: { id: string }) => d.id === "Compliance_LegacyRegion").status, "Deprecated");
    const values = await s.call("GET", `${definitions}/Compliance_DataClassification/allowedValues`);
    assert.deepEqual(
      values.body.value.map((v: { id: string; isActive: boolean }) => [v.id, v.isActive]),
      [
        ["Public", true],
        ["Internal", true],
        ["Confidential", true],
        ["HighlyConfidential", true],
      ],
    );
  });

  it("creates an attribute set with the id given, once; changes its description; never deletes it", async () => {
    const created = await s.call("POST", sets, { id: "Projects", description: "Project membership" });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.id, "Projects");
    assert.match(created.body["@odata.context"], /\$metadata#directory\/attributeSets\/\$entity$/);
    assert.equal((await s.call("POST", sets, { id: "projects" })).status, 400, "ids are case insensitive");
    assert.equal((await s.call("POST", sets, { id: "Two words" })).status, 400);
    assert.equal((await s.call("POST", sets, { description: "no id" })).status, 400);
    assert.equal((await s.call("POST", sets, { id: "Big", maxAttributesPerSet: 501 })).status, 400);
    assert.equal((await s.call("PATCH", `${sets}/Projects`, { description: "Projects people work on" })).status, 204);
    assert.equal((await s.call("GET", `${sets}/Projects`)).body.description, "Projects people work on");
    assert.equal((await s.call("PATCH", `${sets}/Projects`, { id: "Renamed" })).status, 400);
    const deleted = await s.call("DELETE", `${sets}/Projects`);
    assert.equal(deleted.status, 405);
    assert.equal(deleted.body.error.code, "Request_BadRequest");
    assert.equal((await s.call("GET", `${sets}/Projects`)).status, 200);
  });

  it("makes a definition's id from its set and name, deep-inserts predefined values, and refuses what cannot be", async () => {
    const body = {
      attributeSet: "Finance",
      name: "Region",
      description: "Sales region",
      type: "String",
      status: "Available",
      isCollection: false,
      isSearchable: true,
      usePreDefinedValuesOnly: true,
      allowedValues: [
        { id: "North", isActive: true },
        { id: "South", isActive: true },
      ],
    };
    assert.equal((await s.call("POST", definitions, { ...body, attributeSet: "Nowhere" })).status, 400);
    assert.equal((await s.call("POST", definitions, { ...body, id: "Finance_Other" })).status, 400);
    const { isSearchable: _omitted, ...withoutFlag } = body;
    assert.equal((await s.call("POST", definitions, withoutFlag)).status, 400, "isSearchable is required");
    const boolCollection = { ...body, name: "Flag", type: "Boolean", isCollection: true, allowedValues: undefined };
    assert.equal((await s.call("POST", definitions, boolCollection)).status, 400);
    const created = await s.call("POST", definitions, { ...body, id: "Finance_Region" });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.id, "Finance_Region");
    assert.equal((await s.call("POST", definitions, body)).status, 400, "one definition per set and name");
    const values = (await s.call("GET", `${definitions}/Finance_Region/allowedValues`)).body.value;
    assert.deepEqual(
      values.map((v: { id: string }) => v.id),
      ["North", "South"],
    );

    const path = `${definitions}/Finance_Region`;
    assert.equal((await s.call("PATCH", path, { type: "Integer" })).status, 400, "type is fixed at create");
    assert.equal((await s.call("PATCH", path, { status: "Retired" })).status, 400);
    assert.equal((await s.call("PATCH", path, { usePreDefinedValuesOnly: false })).status, 204);
    const back = await s.call("PATCH", path, { usePreDefinedValuesOnly: true });
    assert.equal(back.status, 400, "free-form values cannot be taken back");
    assert.match(back.body.error.message, /usePreDefinedValuesOnly/);
    assert.equal((await s.call("PATCH", path, { status: "Deprecated" })).status, 204);
    assert.equal((await s.call("GET", path)).body.status, "Deprecated");
    assert.equal((await s.call("DELETE", path)).status, 405);
  });

  it("keeps a set to its maxAttributesPerSet", async () => {
    assert.equal((await s.call("POST", sets, { id: "Small", maxAttributesPerSet: 1 })).status, 201);
    const def = (name: string) => ({
      attributeSet: "Small",
      name,
      type: "Integer",
      status: "Available",
      isCollection: false,
      isSearchable: false,
      usePreDefinedValuesOnly: false,
    });
    assert.equal((await s.call("POST", definitions, def("First"))).status, 201);
    const full = await s.call("POST", definitions, def("Second"));
    assert.equal(full.status, 400);
    assert.match(full.body.error.message, /at most 1/);
    assert.equal((await s.call("PATCH", `${sets}/Small`, { maxAttributesPerSet: 2 })).status, 204);
    assert.equal((await s.call("POST", definitions, def("Second"))).status, 201);
    assert.equal((await s.call("PATCH", `${sets}/Small`, { maxAttributesPerSet: 1 })).status, 400);
  });

  it("adds and deactivates predefined values, and never deletes one", async () => {
    const base = `${definitions}/Compliance_DataClassification/allowedValues`;
    const added = await s.call("POST", base, { id: "Restricted", isActive: true });
    assert.equal(added.status, 201, JSON.stringify(added.body));
    assert.deepEqual({ id: added.body.id, isActive: added.body.isActive }, { id: "Restricted", isActive: true });
    assert.equal((await s.call("POST", base, { id: "Restricted", isActive: true })).status, 400);
    assert.equal((await s.call("POST", base, { id: "NoFlag" })).status, 400);
    assert.equal((await s.call("PATCH", `${base}/Public`, { isActive: false })).status, 204);
    assert.equal((await s.call("GET", `${base}/Public`)).body.isActive, false);
    assert.equal((await s.call("PATCH", `${base}/Public`, { id: "Open" })).status, 400);
    assert.equal((await s.call("DELETE", `${base}/Public`)).status, 405);
  });

  it("needs the CustomSecAttributeDefinition permissions: Directory.ReadWrite.All does not open them", async () => {
    const asApp = async (roles: string[]) => {
      const { call } = await appCaller(s.t, roles);
      return async (method: string, path: string, body?: unknown) => (await call(method, path, body)).status;
    };
    const directory = await asApp(["Directory.ReadWrite.All"]);
    assert.equal(await directory("GET", definitions), 403);
    const reader = await asApp(["CustomSecAttributeDefinition.Read.All"]);
    assert.equal(await reader("GET", definitions), 200);
    assert.equal(await reader("GET", sets), 200);
    assert.equal(await reader("POST", sets, { id: "ReadersSet" }), 403);
  });
});

describe("tenant-sync and custom security attributes", function () {
  this.timeout(120_000);
  let g: GraphSession;
  let work: string;
  let repo: string;
  const cli = (...args: string[]) => runCli(g.t.info, args);
  const definitionsFolder = () => join(repo, "entra.customSecurityAttributeDefinition");
  const read = (file: string) => JSON.parse(readFileSync(join(definitionsFolder(), file), "utf8"));
  const write = (folder: string, file: string, doc: unknown) => {
    mkdirSync(join(repo, folder), { recursive: true });
    writeFileSync(join(repo, folder, file), `${JSON.stringify(doc, null, 2)}\n`);
  };
  /** A plan and its exit code: 0 deployable, 5 blocked by a finding. */
  const plan = async (name: string, code = 0) => {
    const path = join(work, `${name}.json`);
    const r = await cli("plan", "--repo", repo, "--out", path, "--json");
    assert.equal(r.code, code, r.stderr + r.stdout);
    return { path, summary: JSON.parse(r.stdout.trim()) };
  };
  const stored = async (key: string) => (await g.t.control("GET", `/tenants/${g.t.info.tenantId}/objects/${key}`)).body;

  before(async () => {
    g = await startGraphSession({ throttle: { mode: "off" } });
    work = mkdtempSync(join(tmpdir(), "tenant-sync-csa-test-"));
    repo = join(work, "repo");
    const r = await cli("sync", "--repo", repo, "--out", join(work, "plan-0.json"));
    assert.equal(r.code, 0, r.stderr);
  });
  after(async () => g?.t.emulator.stop());

  it("backs definitions up by their id, the set as a reference and the predefined values inside", () => {
    const doc = read("Compliance_DataClassification.json");
    assert.equal(doc.id, "Compliance_DataClassification");
    assert.deepEqual(doc.object.attributeSet, { $ref: 'entra.attributeSet["Compliance"]', id: "Compliance" });
    assert.deepEqual(
      doc.object.allowedValues.map((v: { id: string }) => v.id),
      ["Confidential", "HighlyConfidential", "Internal", "Public"],
    );
  });

  it("creates a set and its definition (set first) and retires a definition through its status", async () => {
    write("entra.attributeSet", "Projects.json", { object: { id: "Projects", description: "Projects" } });
    write("entra.customSecurityAttributeDefinition", "Projects_Code.json", {
      object: {
        id: "Projects_Code",
        attributeSet: { $ref: 'entra.attributeSet["Projects"]' },
        name: "Code",
        description: "Project code",
        type: "String",
        status: "Available",
        isCollection: true,
        isSearchable: true,
        usePreDefinedValuesOnly: true,
        allowedValues: [
          { id: "P100", isActive: true },
          { id: "P200", isActive: true },
        ],
      },
    });
    const legacy = read("Finance_CostCenter.json");
    legacy.object.status = "Deprecated";
    write("entra.customSecurityAttributeDefinition", "Finance_CostCenter.json", legacy);
    await commitAll(repo, "Projects attributes; retire the cost centre");
    const { path, summary } = await plan("plan-1");
    assert.equal(summary.summary, "2 to add, 1 to change, 0 to delete.");
    const deployed = await cli("deploy", "--plan", path, "--repo", repo);
    assert.equal(deployed.code, 0, deployed.stderr + deployed.stdout);
    assert.ok((await stored("attributeSet")).some((s: { id: string }) => s.id === "Projects"));
    const defs = await stored("customSecurityAttributeDefinition");
    assert.equal(defs.find((d: { id: string }) => d.id === "Finance_CostCenter").status, "Deprecated");
    assert.ok(defs.some((d: { id: string }) => d.id === "Projects_Code"));
    const values = await g.call(
      "GET",
      "/v1.0/directory/customSecurityAttributeDefinitions/Projects_Code/allowedValues",
    );
    assert.deepEqual(
      values.body.value.map((v: { id: string }) => v.id),
      ["P100", "P200"],
    );
    const again = await cli("sync", "--repo", repo, "--out", join(work, "plan-2.json"));
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /In sync: nothing to deploy\./);
  });

  it("stops a plan that changes what is fixed at create (the type, the predefined values)", async () => {
    const doc = read("Compliance_DataClassification.json");
    doc.object.allowedValues.push({ id: "Secret", isActive: true });
    doc.object.type = "Integer";
    write("entra.customSecurityAttributeDefinition", "Compliance_DataClassification.json", doc);
    await commitAll(repo, "More classifications");
    const { summary } = await plan("plan-3", 5);
    const finding = summary.findings.find((f: { kind: string }) => f.kind === "createOnlyChange");
    assert.ok(finding, JSON.stringify(summary.findings));
    assert.match(finding.message, /allowedValues/);
    assert.match(finding.message, /\/type/);
    assert.equal((await cli("revert", "--repo", repo)).code, 0);
  });

  it("plans a removed definition as a delete, which the service refuses: the object stays", async () => {
    rmSync(join(definitionsFolder(), "Compliance_AccessReviewRequired.json"));
    await commitAll(repo, "Drop the review attribute");
    const { path, summary } = await plan("plan-4");
    assert.equal(summary.summary, "0 to add, 0 to change, 1 to delete (1 finding to confirm).");
    const deployed = await cli("deploy", "--plan", path, "--repo", repo, "--confirm", "deletes");
    assert.notEqual(deployed.code, 0);
    assert.match(deployed.stdout + deployed.stderr, /Compliance_AccessReviewRequired/);
    assert.match(deployed.stdout + deployed.stderr, /does not support http method 'DELETE'/);
    assert.ok(
      (await stored("customSecurityAttributeDefinition")).some(
        (d: { id: string }) => d.id === "Compliance_AccessReviewRequired",
      ),
    );
  });
});

const apps = "/v1.0/applications";
const githubIssuer = "https://token.actions.githubusercontent.com";

describe("Graph emulator: app registration configuration", function () {
  this.timeout(30_000);
  let s: GraphSession;
  before(async () => (s = await startGraphSession({ throttle: { mode: "off" } })));
  after(async () => s?.t.emulator.stop());
  const role = (id: string, value: string, isEnabled = true) => ({
    allowedMemberTypes: ["User"],
    description: value,
    displayName: value,
    id,
    isEnabled,
    value,
  });
  const roleA = "0b6f3c2a-1d4e-4f5a-9b8c-7d6e5f4a3b21";
  const roleB = "1c7a4d3b-2e5f-4a6b-8c9d-0e1f2a3b4c32";

  it("keeps the configuration it is given and shows a new registration's defaults for the rest", async () => {
    const created = await s.call("POST", apps, {
      displayName: "Timesheets",
      web: { redirectUris: ["https://timesheets.contoso.com/signin-oidc", "http://localhost:5000/signin-oidc"] },
      publicClient: { redirectUris: ["msauth.com.contoso.timesheets://auth"] },
      appRoles: [role(roleA, "Timesheets.Approve")],
      optionalClaims: { idToken: [{ name: "upn", essential: false, source: null, additionalProperties: [] }] },
      tags: ["Timesheets"],
      notes: "Pilot",
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const got = (await s.call("GET", `${apps}/${created.body.id}`)).body;
    assert.deepEqual(got.web.redirectUris, [
      "https://timesheets.contoso.com/signin-oidc",
      "http://localhost:5000/signin-oidc",
    ]);
    assert.deepEqual(got.web.implicitGrantSettings, { enableAccessTokenIssuance: false, enableIdTokenIssuance: false });
    assert.deepEqual(got.spa, { redirectUris: [] });
    assert.deepEqual(got.tags, ["Timesheets"]);
    assert.equal(got.notes, "Pilot");
    assert.equal(got.appRoles[0].value, "Timesheets.Approve");
    assert.deepEqual(got.api.oauth2PermissionScopes, []);
  });

  it("refuses redirect URIs of the wrong scheme, duplicate app roles, and an identifier URI another app has", async () => {
    const http = await s.call("POST", apps, {
      displayName: "x",
      web: { redirectUris: ["http://intranet.contoso.com/"] },
    });
    assert.equal(http.status, 400);
    assert.match(http.body.error.message, /redirectUris/);
    const spa = await s.call("POST", apps, { displayName: "x", spa: { redirectUris: ["msauth://x"] } });
    assert.equal(spa.status, 400);
    const twice = await s.call("POST", apps, {
      displayName: "x",
      appRoles: [role(roleA, "Same"), role(roleB, "Same")],
    });
    assert.equal(twice.status, 400);
    assert.match(twice.body.error.message, /Same/);
    const first = await s.call("POST", apps, { displayName: "First API", identifierUris: ["api://contoso-first"] });
    assert.equal(first.status, 201);
    const clash = await s.call("POST", apps, { displayName: "Second API", identifierUris: ["api://contoso-first"] });
    assert.equal(clash.status, 400);
    assert.match(clash.body.error.message, /identifierUris/);
  });

  it("removes an app role only once it is disabled", async () => {
    const { id } = (
      await s.call("POST", apps, { displayName: "Roles", appRoles: [role(roleA, "A"), role(roleB, "B")] })
    ).body;
    const removed = await s.call("PATCH", `${apps}/${id}`, { appRoles: [role(roleA, "A")] });
    assert.equal(removed.status, 400);
    assert.equal(removed.body.error.code, "CannotDeleteOrUpdateEnabledEntitlement");
    assert.equal((await s.call("GET", `${apps}/${id}`)).body.appRoles.length, 2, "nothing changed");
    assert.equal(
      (await s.call("PATCH", `${apps}/${id}`, { appRoles: [role(roleA, "A"), role(roleB, "B", false)] })).status,
      204,
    );
    assert.equal((await s.call("PATCH", `${apps}/${id}`, { appRoles: [role(roleA, "A")] })).status, 204);
    assert.deepEqual(
      (await s.call("GET", `${apps}/${id}`)).body.appRoles.map((r: { value: string }) => r.value),
      ["A"],
    );
  });

  it("changes a federated credential's subject with PATCH, never its name", async () => {
    const { id } = (await s.call("POST", apps, { displayName: "Deployer" })).body;
    const base = `${apps}/${id}/federatedIdentityCredentials`;
    const fic = {
      name: "main",
      issuer: githubIssuer,
      subject: "repo:contoso/app:ref:refs/heads/main",
      audiences: ["api://AzureADTokenExchange"],
    };
    const added = await s.call("POST", base, fic);
    assert.equal(added.status, 201);
    const subject = "repo:contoso/app:environment:production";
    assert.equal((await s.call("PATCH", `${base}/${added.body.id}`, { subject })).status, 204);
    assert.equal((await s.call("GET", `${base}/${added.body.id}`)).body.subject, subject);
    assert.equal((await s.call("PATCH", `${base}/${added.body.id}`, { name: "renamed" })).status, 400);
  });
});

describe("tenant-sync and app registrations", function () {
  this.timeout(120_000);
  let g: GraphSession;
  let work: string;
  let repo: string;
  const cli = (...args: string[]) => runCli(g.t.info, args);
  const folder = () => join(repo, "entra.application");
  const read = (name: string) => JSON.parse(readFileSync(join(folder(), `${name}.json`), "utf8"));
  const write = (name: string, doc: unknown) =>
    writeFileSync(join(folder(), `${name}.json`), `${JSON.stringify(doc, null, 2)}\n`);
  const plan = async (name: string) => {
    const path = join(work, `${name}.json`);
    const r = await cli("plan", "--repo", repo, "--out", path, "--json");
    assert.equal(r.code, 0, r.stderr + r.stdout);
    return { path, summary: JSON.parse(r.stdout.trim()) };
  };
  const app = async (displayName: string) =>
    (await g.call("GET", `${apps}?$filter=${encodeURIComponent(`displayName eq '${displayName}'`)}`)).body.value[0];

  before(async () => {
    g = await startGraphSession({ throttle: { mode: "off" } });
    work = mkdtempSync(join(tmpdir(), "tenant-sync-apps-test-"));
    repo = join(work, "repo");
    const r = await cli("sync", "--repo", repo, "--out", join(work, "plan-0.json"));
    assert.equal(r.code, 0, r.stderr);
  });
  after(async () => g?.t.emulator.stop());

  it("backs every registration up with its federated credentials and without credentials' metadata", () => {
    const orders = read("Contoso Orders API");
    assert.deepEqual(
      orders.object.federatedIdentityCredentials.map((c: { name: string; subject: string }) => [c.name, c.subject]),
      [["github-production", "repo:contoso/orders-api:environment:production"]],
    );
    assert.equal(orders.object.appId, undefined);
    assert.equal(orders.object.passwordCredentials, undefined);
    assert.equal(
      read("Tenant Sync").object.keyCredentials,
      undefined,
      "the pipeline's own registration is backed up too",
    );
  });

  it("creates and changes the registrations the pipeline owns, federated credentials included", async () => {
    const orders = read("Contoso Orders API");
    orders.object.web.redirectUris = ["https://orders.contoso.com/signin-oidc"];
    orders.object.federatedIdentityCredentials[0].subject = "repo:contoso/orders-api:environment:prod";
    orders.object.federatedIdentityCredentials.push({
      name: "github-staging",
      issuer: githubIssuer,
      subject: "repo:contoso/orders-api:environment:staging",
      audiences: ["api://AzureADTokenExchange"],
      description: null,
    });
    write("Contoso Orders API", orders);
    const copy = read("Contoso HR portal");
    copy.object.displayName = "Contoso HR portal (test)";
    copy.object.web.redirectUris = ["https://hr-test.contoso.com/signin-oidc"];
    write("Contoso HR portal (test)", { object: copy.object });
    await commitAll(repo, "Orders API sign-in and staging deployments; an HR portal for testing");
    const { path, summary } = await plan("plan-1");
    assert.equal(summary.summary, "1 to add, 1 to change, 0 to delete.");
    const deployed = await cli("deploy", "--plan", path, "--repo", repo);
    assert.equal(deployed.code, 0, deployed.stderr + deployed.stdout);
    const live = await app("Contoso Orders API");
    assert.deepEqual(live.web.redirectUris, ["https://orders.contoso.com/signin-oidc"]);
    const fics = (await g.call("GET", `${apps}/${live.id}/federatedIdentityCredentials`)).body.value;
    assert.deepEqual(fics.map((c: { name: string; subject: string }) => [c.name, c.subject]).sort(), [
      ["github-production", "repo:contoso/orders-api:environment:prod"],
      ["github-staging", "repo:contoso/orders-api:environment:staging"],
    ]);
    const test = await app("Contoso HR portal (test)");
    assert.deepEqual(test.appRoles.map((r: { value: string }) => r.value).sort(), ["HR.Admin", "HR.Reader"]);
    const again = await cli("sync", "--repo", repo, "--out", join(work, "plan-2.json"));
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /In sync: nothing to deploy\./);
  });

  it("leaves alone what it does not own: a change to another team's app, deleting its own registration", async () => {
    const field = read("Contoso field app");
    field.object.notes = "Taken over";
    write("Contoso field app", field);
    rmSync(join(folder(), "Tenant Sync.json"));
    await commitAll(repo, "Take over the field app; drop the pipeline's own registration");
    const { path, summary } = await plan("plan-3");
    assert.equal(summary.summary, "0 to add, 1 to change, 1 to delete (1 finding to confirm).");
    const deployed = await cli("deploy", "--plan", path, "--repo", repo, "--confirm", "deletes");
    assert.notEqual(deployed.code, 0);
    assert.match(deployed.stdout + deployed.stderr, /Insufficient privileges/);
    assert.equal((await app("Contoso field app")).notes, "Registered by the mobile team.");
    assert.ok(await app("Tenant Sync"), "the pipeline's own registration is still there");
  });
});
