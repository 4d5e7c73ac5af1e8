/**
 * fidelity — where other Graph clients differ from the engine, the emulator answers as the service
 * does: $batch request ids given as JSON numbers (answered as strings), Retry-After in whole
 * seconds under any throttle scale, the service's @odata.context for expanded navigation
 * properties, scripted faults on the outer $batch (and the engine retrying through them), and a
 * demo tenant without documentation placeholders.
 */
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createCredential } from "../../src/core/graph/credentials";
import { GraphClient } from "../../src/core/graph/graph-client";
import { git, gitStatus } from "../../src/core/snapshot/git";
import { backup } from "../../src/core/sync/backup";
import { type GraphAnswer, type GraphSession, startGraphSession } from "./graph-session";

const compliancePolicyType = "#microsoft.graph.windows10CompliancePolicy";

interface BatchItemAnswer {
  id: unknown;
  status: number;
  headers: Record<string, string>;
  body?: any;
}

async function ids(s: GraphSession, resourceKey: string): Promise<string[]> {
  const res = await s.t.control("GET", `/tenants/${s.t.info.tenantId}/objects/${resourceKey}`);
  assert.equal(res.status, 200);
  return (res.body as { id: string }[]).map((o) => o.id);
}

function graphClient(s: GraphSession): GraphClient {
  const { t } = s;
  const credential = createCredential(
    { kind: "clientSecret", tenantId: t.info.tenantId, clientId: t.info.clientId, clientSecret: t.info.clientSecret },
    { authorityHost: t.info.authorityHost },
  );
  return new GraphClient({ graphUrl: t.info.graphUrl, credential, retry: { baseDelayMs: 20, maxDelayMs: 2000 } });
}

describe("Graph emulator fidelity to the service", function () {
  this.timeout(60_000);
  let s: GraphSession;
  let policyId: string;

  before(async () => {
    s = await startGraphSession({ throttle: { mode: "off" } });
    [policyId] = await ids(s, "deviceCompliancePolicy");
  });
  after(async () => s?.t.emulator.stop());
  afterEach(async () => {
    await s.t.control("PUT", "/throttle", { mode: "off" });
    await s.t.control("DELETE", "/faults");
  });

  describe("$batch request ids", () => {
    it("accepts ids given as JSON numbers, dependsOn naming them, and answers with string ids", async () => {
      const batch = await s.call("POST", "/beta/$batch", {
        requests: [
          { id: 1, method: "GET", url: "/deviceManagement/deviceCompliancePolicies" },
          { id: 2, method: "GET", url: `/deviceManagement/deviceCompliancePolicies/${policyId}`, dependsOn: [1] },
          { id: "three", method: "GET", url: "/deviceManagement/roleScopeTags", dependsOn: ["2"] },
        ],
      });
      assert.equal(batch.status, 200);
      const items = batch.body.responses as BatchItemAnswer[];
      assert.deepEqual(items.map((i) => i.id).sort(), ["1", "2", "three"]);
      for (const item of items) {
        assert.equal(typeof item.id, "string", `id ${String(item.id)} is answered as a string`);
        assert.equal(item.status, 200);
      }
      assert.equal(items.find((i) => i.id === "2")?.body.id, policyId);
    });

    it('refuses a batch in which "1" and 1 both appear, as duplicate ids', async () => {
      const batch = await s.call("POST", "/beta/$batch", {
        requests: [
          { id: "1", method: "GET", url: "/deviceManagement/roleScopeTags" },
          { id: 1, method: "GET", url: "/deviceManagement/assignmentFilters" },
        ],
      });
      assert.equal(batch.status, 400);
      assert.match(batch.body.error.message, /duplicate request ids/);
    });

    it("keeps the other batch rules for numeric ids: dependsOn must name a request, ids must be strings or numbers", async () => {
      const missing = await s.call("POST", "/beta/$batch", {
        requests: [{ id: 1, method: "GET", url: "/deviceManagement/roleScopeTags", dependsOn: [7] }],
      });
      assert.equal(missing.status, 400);
      assert.match(missing.body.error.message, /depends on '7'/);
      const objectId = await s.call("POST", "/beta/$batch", {
        requests: [{ id: { n: 1 }, method: "GET", url: "/deviceManagement/roleScopeTags" }],
      });
      assert.equal(objectId.status, 400);
      const tooMany = await s.call("POST", "/beta/$batch", {
        requests: Array.from({ length: 21 }, (_, i) => ({
          id: i,
          method: "GET",
          url: "/deviceManagement/roleScopeTags",
        })),
      });
      assert.equal(tooMany.status, 400);
      assert.match(tooMany.body.error.message, /at most 20/);
    });
  });

  describe("Retry-After", () => {
    const patchPolicy = (): Promise<GraphAnswer> =>
      s.call("PATCH", `/beta/deviceManagement/deviceCompliancePolicies/${policyId}`, {
        "@odata.type": compliancePolicyType,
        description: "touched",
      });
    const patchBatch = () =>
      s.call("POST", "/beta/$batch", {
        requests: Array.from({ length: 20 }, (_, i) => ({
          id: i + 1,
          method: "PATCH",
          url: `/deviceManagement/deviceCompliancePolicies/${policyId}`,
          headers: { "Content-Type": "application/json" },
          body: { "@odata.type": compliancePolicyType, description: `batch ${i}` },
        })),
      });

    for (const scale of [10, 0.3]) {
      it(`is whole seconds, at least 1, on throttled requests and batch items under throttle scale ${scale}`, async () => {
        await s.t.control("PUT", "/throttle", { mode: "realistic", scale });
        const values: string[] = [];
        // 100 Intune writes per app per 20 s: batches of 20 run past the bucket at either scale; at
        // scale 10 it refills 50 per second, so keep sending until items are throttled.
        for (let i = 0; i < 50 && values.length === 0; i++) {
          const batch = await patchBatch();
          assert.equal(batch.status, 200);
          for (const item of batch.body.responses as BatchItemAnswer[])
            if (item.status === 429) values.push(item.headers["Retry-After"]);
        }
        assert.ok(values.length > 0, "some batch items were throttled");
        let direct = await patchPolicy();
        for (let i = 0; i < 200 && direct.status !== 429; i++) direct = await patchPolicy();
        assert.equal(direct.status, 429);
        values.push(direct.headers.get("retry-after") ?? "(none)");
        for (const v of values) assert.match(v, /^[1-9]\d*$/, `Retry-After "${v}" is delay-seconds`);
        // The whole seconds cover the bucket's wait: after them the write passes.
        await s.t.control("POST", "/clock", { advanceMs: Number(values[values.length - 1]) * 1000 });
        assert.equal((await patchPolicy()).status, 204);
      });
    }

    it("rounds a scripted fault's fractional Retry-After up, adds the service's 1 s to a 503, and sends none where the service does not", async () => {
      await s.t.control("POST", "/faults", {
        pathContains: "/deviceCompliancePolicies",
        count: 1,
        action: { kind: "status", status: 429, retryAfterSeconds: 0.2 },
      });
      await s.t.control("POST", "/faults", {
        pathContains: "/roleScopeTags",
        count: 1,
        action: { kind: "status", status: 503 },
      });
      await s.t.control("POST", "/faults", {
        pathContains: "/identity/conditionalAccess",
        count: 1,
        action: { kind: "status", status: 429 },
      });
      const throttled = await s.call("GET", "/beta/deviceManagement/deviceCompliancePolicies");
      assert.equal(throttled.status, 429);
      assert.equal(throttled.headers.get("retry-after"), "1");
      const unavailable = await s.call("GET", "/beta/deviceManagement/roleScopeTags");
      assert.equal(unavailable.status, 503);
      assert.equal(unavailable.headers.get("retry-after"), "1");
      const ca = await s.call("GET", "/v1.0/identity/conditionalAccess/policies");
      assert.equal(ca.status, 429);
      assert.equal(ca.headers.get("retry-after"), null, "conditional access answers 429 without Retry-After");
    });
  });

  describe("@odata.context of expanded navigation properties", () => {
    const metadata = () => `${s.t.info.graphUrl}/beta/$metadata#`;

    it("names the entity set, the parent's key and its derived type on a list with $expand=assignments", async () => {
      const list = await s.call("GET", "/beta/deviceManagement/deviceCompliancePolicies?$expand=assignments");
      assert.equal(list.status, 200);
      assert.ok(list.body.value.length > 0);
      for (const item of list.body.value) {
        const cast = String(item["@odata.type"]).replace(/^#/, "");
        assert.equal(
          item["assignments@odata.context"],
          `${metadata()}deviceManagement/deviceCompliancePolicies('${item.id}')/${cast}/assignments`,
        );
        assert.ok(Array.isArray(item.assignments));
      }
    });

    it("has no cast segment where the object is of the set's own type, also when read by id", async () => {
      const [id] = await ids(s, "configurationPolicy");
      const one = await s.call(
        "GET",
        `/beta/deviceManagement/configurationPolicies/${id}?$expand=settings,assignments`,
      );
      assert.equal(one.status, 200);
      const own = `${metadata()}deviceManagement/configurationPolicies('${id}')`;
      assert.equal(one.body["settings@odata.context"], `${own}/settings`);
      assert.equal(one.body["assignments@odata.context"], `${own}/assignments`);
    });

    it("names nested expansions as the service does for compliance scheduled actions", async () => {
      const one = await s.call(
        "GET",
        `/beta/deviceManagement/deviceCompliancePolicies/${policyId}?$expand=scheduledActionsForRule($expand=scheduledActionConfigurations)`,
      );
      assert.equal(one.status, 200);
      const own = `${metadata()}deviceManagement/deviceCompliancePolicies('${policyId}')/microsoft.graph.windows10CompliancePolicy`;
      assert.equal(
        one.body["scheduledActionsForRule@odata.context"],
        `${own}/scheduledActionsForRule(scheduledActionConfigurations())`,
      );
      const rule = one.body.scheduledActionsForRule[0];
      assert.equal(
        rule["scheduledActionConfigurations@odata.context"],
        `${own}/scheduledActionsForRule('${rule.id}')/scheduledActionConfigurations`,
      );
    });
  });

  describe("faults on the outer $batch", () => {
    const batchOfTwo = {
      requests: [
        { id: 1, method: "GET", url: "/deviceManagement/roleScopeTags" },
        { id: 2, method: "GET", url: "/deviceManagement/assignmentFilters" },
      ],
    };

    it("answers the whole POST $batch with a scripted 429 and Retry-After, leaving single requests alone", async () => {
      await s.t.control("POST", "/faults", {
        pathContains: "/$batch",
        count: 1,
        action: { kind: "status", status: 429, retryAfterSeconds: 2 },
      });
      const itemsBefore = s.t.emulator.counters.batchItems;
      assert.equal((await s.call("GET", "/beta/deviceManagement/roleScopeTags")).status, 200, "not a single request");
      const refused = await s.call("POST", "/beta/$batch", batchOfTwo);
      assert.equal(refused.status, 429);
      assert.equal(refused.headers.get("retry-after"), "2");
      assert.equal(refused.body.error.code, "TooManyRequests");
      assert.equal(s.t.emulator.counters.batchItems, itemsBefore, "no item ran");
      const again = await s.call("POST", "/beta/$batch", batchOfTwo);
      assert.equal(again.status, 200);
      assert.deepEqual(
        (again.body.responses as BatchItemAnswer[]).map((r) => r.status),
        [200, 200],
      );
    });

    it("scripts a 503 for the outer $batch with outer: true, and item faults do not hit the outer request", async () => {
      await s.t.control("POST", "/faults", { outer: true, count: 1, action: { kind: "status", status: 503 } });
      const unavailable = await s.call("POST", "/beta/$batch", batchOfTwo);
      assert.equal(unavailable.status, 503);
      assert.equal(unavailable.headers.get("retry-after"), "1");
      assert.equal(unavailable.body.error.code, "serviceNotAvailable");
      await s.t.control("POST", "/faults", {
        pathContains: "/roleScopeTags",
        count: 1,
        action: { kind: "status", status: 429, retryAfterSeconds: 1 },
      });
      const answered = await s.call("POST", "/beta/$batch", batchOfTwo);
      assert.equal(answered.status, 200, "an item fault answers the item, not the batch");
      const statuses = Object.fromEntries(
        (answered.body.responses as BatchItemAnswer[]).map((r) => [r.id, r.status] as const),
      );
      assert.deepEqual(statuses, { "1": 429, "2": 200 });
    });

    it("is retried by the engine's GraphClient after the Retry-After", async () => {
      await s.t.control("POST", "/faults", {
        pathContains: "/$batch",
        count: 2,
        action: { kind: "status", status: 429, retryAfterSeconds: 1 },
      });
      const client = graphClient(s);
      const results = await client.batch("beta", [
        { id: "a", method: "GET", url: "/deviceManagement/roleScopeTags" },
        { id: "b", method: "GET", url: "/deviceManagement/assignmentFilters" },
      ]);
      assert.deepEqual(
        [...results.values()].map((r) => r.status),
        [200, 200],
      );
      assert.equal(client.stats.throttled, 2);
      assert.ok(client.stats.retries >= 2, `retried (${client.stats.retries})`);
      assert.deepEqual((await s.t.control("GET", "/faults")).body.scripted, []);
    });

    it("pauses the budget of the batch items' family when the outer $batch is throttled, not another's", async () => {
      await s.t.control("POST", "/faults", {
        pathContains: "/$batch",
        count: 1,
        action: { kind: "status", status: 429, retryAfterSeconds: 5 },
      });
      // Waits are recorded, not slept: the pause shows as the wait the budget asks for next.
      const sleeps: number[] = [];
      const clock = { now: () => Date.now(), sleep: async (ms: number) => void sleeps.push(ms) };
      const { t } = s;
      const credential = createCredential(
        {
          kind: "clientSecret",
          tenantId: t.info.tenantId,
          clientId: t.info.clientId,
          clientSecret: t.info.clientSecret,
        },
        { authorityHost: t.info.authorityHost },
      );
      const client = new GraphClient({ graphUrl: t.info.graphUrl, credential, clock });
      await client.batch("beta", [
        { id: "a", method: "GET", url: "/deviceManagement/roleScopeTags" },
        { id: "b", method: "GET", url: "/deviceManagement/assignmentFilters" },
      ]);
      assert.equal(client.stats.throttled, 1);
      sleeps.length = 0;
      await client.budget.acquire("entra", false, 1).then((release) => release());
      assert.ok(
        sleeps.every((ms) => ms < 1000),
        `Entra is not held back: ${sleeps.join(", ")}`,
      );
      await client.budget.acquire("intune", false, 1).then((release) => release());
      assert.ok(
        sleeps.some((ms) => ms > 3000),
        `Intune waits out the Retry-After: ${sleeps.join(", ")}`,
      );
    });

    it("lets a backup complete, with the same tree, when its first $batch POST is answered 429", async () => {
      const identity = {
        authorityHost: s.t.info.authorityHost,
        tenantId: s.t.info.tenantId,
        clientId: s.t.info.clientId,
      };
      const repo = () => join(mkdtempSync(join(tmpdir(), "tenant-sync-fidelity-")), "repo");
      const clean = await backup({ repoDir: repo(), graph: graphClient(s), identity });
      await s.t.control("POST", "/faults", {
        pathContains: "/$batch",
        count: 1,
        action: { kind: "status", status: 429, retryAfterSeconds: 1 },
      });
      const client = graphClient(s);
      const faulty = await backup({ repoDir: repo(), graph: client, identity });
      assert.deepEqual((await s.t.control("GET", "/faults")).body.scripted, [], "the backup met the fault");
      assert.ok(client.stats.batchEnvelopes > 0, "the backup batches its reads");
      assert.equal(faulty.partial, false);
      const tree = async (dir: string) => (await git(["rev-parse", "tenant-sync/backup^{tree}"], { cwd: dir })).trim();
      assert.equal(await tree(faulty.repo), await tree(clean.repo));
      // The engine normalises the expanded @odata.context away: none reaches the backup.
      const found = await gitStatus(["grep", "-l", "@odata.context", "tenant-sync/backup"], { cwd: faulty.repo }, [1]);
      assert.equal(found.code, 1, `no @odata.context in the backup: ${found.stdout}`);
    });
  });

  describe("demo tenant seeds", () => {
    /** Every string of every seeded object, with its path. */
    function strings(): { path: string; value: string }[] {
      const out: { path: string; value: string }[] = [];
      const walk = (v: unknown, path: string): void => {
        if (typeof v === "string") out.push({ path, value: v });
        else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}/${i}`));
        else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) walk(x, `${path}/${k}`);
      };
      const tenant = s.t.emulator.store.find(s.t.info.tenantId);
      assert.ok(tenant);
      walk(tenant.state.collections, "");
      walk(tenant.state.singletons, "");
      return out;
    }

    it("holds no documentation placeholders such as 'Description value' or 'Highest Version value'", () => {
      const all = strings();
      assert.ok(all.length > 300, `the demo tenant has content (${all.length} strings)`);
      const placeholders = all.filter((s) => /^[A-Z][A-Za-z0-9]*( [A-Z][A-Za-z0-9]*)* [Vv]alue$/.test(s.value));
      assert.deepEqual(placeholders, []);
    });

    it("holds no base64 value that is only its property's own name (the examples' script placeholders)", () => {
      const echoes = strings().filter(({ path, value }) => {
        const property = path.split("/").pop() ?? "";
        return /^[A-Za-z0-9+/]+=*$/.test(value) && Buffer.from(value, "base64").toString("utf8") === property;
      });
      assert.deepEqual(echoes, []);
    });

    it("answers the empty GUID for a compliance action without a notification template", async () => {
      const one = await s.call(
        "GET",
        `/beta/deviceManagement/deviceCompliancePolicies/${policyId}?$expand=scheduledActionsForRule($expand=scheduledActionConfigurations)`,
      );
      const block = (one.body.scheduledActionsForRule[0].scheduledActionConfigurations as any[]).find(
        (c) => c.actionType === "block",
      );
      assert.equal(block.notificationTemplateId, "00000000-0000-0000-0000-000000000000");
    });
  });
});
