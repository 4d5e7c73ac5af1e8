/**
 * logs — what a run stores never holds a secret: a secret variable given when the run is queued,
 * the job's access token (persisted in the checkout's git config) and the tokens of the sign-in
 * (the OIDC token the job asks for, the Graph token it gets for it) are masked or never written.
 * Checked on every line of the logs zip and on the timeline's issues, as anyone with read access gets them.
 */
import assert from "node:assert/strict";
import AdmZip from "adm-zip";
import { BuildResult } from "azure-devops-node-api/interfaces/BuildInterfaces";
import { runPipeline, startTestDevOps, timeline, waitForCompletion, type TestDevOps } from "../helpers/local-devops";

/** A JSON web token: the job token, the OIDC token and Graph's access tokens all have this shape. */
const jwt = /eyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]{8,}/;

describe("local devops: secrets in a run's logs", function () {
  this.timeout(120_000);
  let t: TestDevOps;

  before(async () => {
    t = await startTestDevOps();
  });

  after(async () => {
    await t?.stop();
  });

  it("masks a secret variable and writes no token in any stored log line", async () => {
    const tenant = await t.devops.addTenant("masked");
    // A secret the run prints unless masked: the tasks name the tenant they sign in to.
    const secret = tenant.tenantId;
    const buildId = await runPipeline(t, "masked", { variables: { tenantKey: { value: secret, isSecret: true } } });
    const build = await waitForCompletion(t, buildId);
    assert.equal(build.result, BuildResult.Succeeded);

    const zip = new AdmZip(Buffer.from(await t.builds.getBuildLogsZip(t.info.project, buildId)));
    const logs = await t.buildApi.getBuildLogs(t.info.project, buildId);
    assert.equal(zip.getEntries().length, logs.length, "the zip holds every log");
    const lines = zip.getEntries().flatMap((e) =>
      e
        .getData()
        .toString("utf8")
        .split("\n")
        .map((line) => ({ entry: e.entryName, line })),
    );
    const leaks = lines.filter(({ line }) => line.includes(secret) || jwt.test(line));
    assert.deepEqual(leaks, [], "no line holds the secret or a token");
    assert.ok(
      lines.some(({ line }) => line.includes("Signing in to tenant *** ")),
      "the secret was met and masked where the task printed it",
    );
    assert.ok(
      lines.some(({ line }) => line.includes("http.extraheader=AUTHORIZATION: bearer ***")),
      "the job token was masked in the checkout",
    );
    const issues = (await timeline(t, buildId)).flatMap((r) => r.issues ?? []).map((i) => i.message ?? "");
    assert.deepEqual(
      issues.filter((m) => m.includes(secret) || jwt.test(m)),
      [],
    );

    // The pattern would catch a job token: one minted as the job's is.
    const another = await fetch(`${t.info.controlUrl}/builds/${buildId}/tokens`, { method: "POST" });
    assert.match(((await another.json()) as { accessToken: string }).accessToken, jwt);
  });
});
