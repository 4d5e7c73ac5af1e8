import assert from "node:assert/strict";
import { isSyncError } from "../core/index";
import { type GetInput, parseBackupInputs, parseDeployInputs, parsePlanInputs } from "./task-inputs";

const signIn = {
  authentication: "clientSecret",
  tenantId: "contoso.onmicrosoft.com",
  clientId: "11111111-2222-3333-4444-555555555555",
  clientSecret: "s3cret",
};
const backupBase = {
  tenant: "contoso",
  ...signIn,
  repositoryPath: "/repo",
  artifactFolder: "/a",
  artifactName: "tenant-sync-backup",
};
const from =
  (values: Record<string, string>): GetInput =>
  (name) =>
    values[name];

function failure(parse: () => unknown): { code: string; message: string } {
  try {
    parse();
  } catch (e) {
    assert.ok(isSyncError(e), `a SyncError, not ${String(e)}`);
    return { code: e.code, message: e.message };
  }
  assert.fail("parsed without error");
}

describe("task inputs", () => {
  it("parses the backup inputs with their defaults", () => {
    assert.deepEqual(parseBackupInputs(from(backupBase)), {
      tenant: "contoso",
      connection: {
        authentication: "clientSecret",
        tenantId: "contoso.onmicrosoft.com",
        clientId: "11111111-2222-3333-4444-555555555555",
        clientSecret: "s3cret",
        authorityHost: undefined,
        graphUrl: "https://graph.microsoft.com",
        deviceCodeTimeoutMs: 180_000,
      },
      include: undefined,
      exclude: undefined,
      git: { pushChanges: true, gitRemote: "origin", repositoryBranch: undefined },
      artifactFolder: "/a",
      artifactName: "tenant-sync-backup",
      repositoryPath: "/repo",
    });
  });

  it("reads a service connection, resource type lists, a threshold, a branch ref and confirmations", () => {
    const plan = parsePlanInputs(
      from({
        tenant: "contoso",
        authentication: "serviceConnection",
        serviceConnection: "0f0e0d0c-0000-0000-0000-000000000001",
        repositoryPath: "/repo",
        includeTypes: "intune.compliancePolicy,\nentra.group",
        excludeTypes: "entra.namedLocation",
        massChangeThreshold: "12.5%",
        conflictPolicy: "repo-wins",
        repositoryBranch: "refs/heads/main",
        pushChanges: "False",
        artifactFolder: "/a",
        artifactName: "tenant-sync-plan",
        operation: "revert",
        confirmations: "secrets,deletes",
      }),
    );
    assert.deepEqual(plan.confirmations, ["secrets", "deletes"]);
    assert.equal(plan.connection.serviceConnection, "0f0e0d0c-0000-0000-0000-000000000001");
    assert.deepEqual(
      [plan.include, plan.exclude],
      [["intune.compliancePolicy", "entra.group"], ["entra.namedLocation"]],
    );
    assert.deepEqual([plan.massChangeThreshold, plan.conflictPolicy, plan.operation], [0.125, "repo-wins", "revert"]);
    assert.deepEqual(plan.git, { pushChanges: false, gitRemote: "origin", repositoryBranch: "main" });
    const deploy = parseDeployInputs(
      from({ ...backupBase, planPath: "/p", confirmations: "deletes\n\nmass, deletes", repositoryPath: "" }),
    );
    assert.deepEqual([deploy.confirmations, deploy.repositoryPath], [["deletes", "mass"], undefined]);
    assert.equal(parsePlanInputs(from({ ...backupBase, conflictPolicy: "config" })).conflictPolicy, undefined);
  });

  const bad: Record<string, { inputs: Record<string, string>; parse?: (getInput: GetInput) => unknown; says: RegExp }> =
    {
      "a missing tenant": { inputs: { ...backupBase, tenant: "" }, says: /^The input "tenant" is required: / },
      "an unknown sign-in": {
        inputs: { ...backupBase, authentication: "password" },
        says: /"authentication" is "password", which is not one of "serviceConnection", "clientSecret", "deviceCode"/,
      },
      "no service connection": {
        inputs: { ...backupBase, authentication: "serviceConnection" },
        says: /"serviceConnection" is required/,
      },
      "no client secret": {
        inputs: { ...backupBase, clientSecret: " " },
        says: /"clientSecret" is required: .*secret variable/,
      },
      "a client id that is not a GUID": {
        inputs: { ...backupBase, clientId: "my-app" },
        says: /"clientId" is "my-app", which is not an Application \(client\) ID/,
      },
      "a tenant id that is neither GUID nor domain": {
        inputs: { ...backupBase, tenantId: "contoso" },
        says: /"tenantId" is "contoso", which is neither/,
      },
      "a plain-http Graph URL": {
        inputs: { ...backupBase, graphUrl: "http://graph.local" },
        says: /"graphUrl" .* must be an https:\/\/ URL/,
      },
      "a misspelt resource type": {
        inputs: { ...backupBase, includeTypes: "intune.compliancePolicies" },
        says: /"includeTypes" names "intune.compliancePolicies", which is not a resource type \(did you mean "intune.compliancePolicy"\?\)/,
      },
      "a boolean that is not one": {
        inputs: { ...backupBase, pushChanges: "yes" },
        says: /"pushChanges" is "yes", which is not true or false/,
      },
      "a device-code timeout out of range": {
        inputs: { ...backupBase, authentication: "deviceCode", deviceCodeTimeout: "5" },
        says: /"deviceCodeTimeout" is "5", which is not a whole number from 10 to 3600/,
      },
      "a pull-request ref as the branch": {
        inputs: { ...backupBase, repositoryBranch: "refs/pull/7/merge" },
        says: /"repositoryBranch" is "refs\/pull\/7\/merge", which is not a branch/,
      },
      "an artifact name with a slash": {
        inputs: { ...backupBase, artifactName: "a/b" },
        says: /"artifactName" is "a\/b"/,
      },
      "an unknown confirmation on the plan task": {
        inputs: { ...backupBase, confirmations: "everything" },
        parse: parsePlanInputs,
        says: /"confirmations" names "everything"/,
      },
      "a threshold over 100%": {
        inputs: { ...backupBase, massChangeThreshold: "150" },
        parse: parsePlanInputs,
        says: /"massChangeThreshold" is "150", which is not a percentage/,
      },
      "an unknown confirmation": {
        inputs: { ...backupBase, planPath: "/p", confirmations: "deletes,everything" },
        parse: parseDeployInputs,
        says: /"confirmations" names "everything", which is not one of "deletes", "mass", "secrets"/,
      },
      "a missing plan path": { inputs: backupBase, parse: parseDeployInputs, says: /"planPath" is required/ },
    };
  for (const [name, c] of Object.entries(bad)) {
    it(`refuses ${name}, naming the input`, () => {
      const { code, message } = failure(() => (c.parse ?? parseBackupInputs)(from(c.inputs)));
      assert.equal(code, "config.invalid");
      assert.match(message, c.says);
    });
  }
});
