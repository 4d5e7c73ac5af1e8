import assert from "node:assert/strict";
import { FakeClock } from "../clock";
import { familyOf, GraphBudget, type BudgetOptions, type ServiceFamily } from "./budget";

/** Lets every settled promise's continuation run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Starts `count` acquires at once and records when each resolves, in simulated time. Each caller
 * "gets its answer" `answerAfterMs` after it was let through (then releases); `done()` is how many
 * have been let through so far.
 */
function startMany(
  budget: GraphBudget,
  clock: FakeClock,
  family: ServiceFamily,
  isWrite: boolean,
  count: number,
  answerAfterMs = 0,
) {
  const resolvedAt: number[] = [];
  for (let i = 0; i < count; i++) {
    void budget.acquire(family, isWrite).then(async (release) => {
      resolvedAt.push(clock.now());
      if (answerAfterMs > 0) await clock.sleep(answerAfterMs);
      release();
    });
  }
  return { resolvedAt, done: () => resolvedAt.length };
}

function setUp(options: BudgetOptions = {}) {
  const clock = new FakeClock(0);
  return { clock, budget: new GraphBudget(clock, options) };
}

describe("familyOf", () => {
  const cases: Record<string, { path: string; want: ServiceFamily }> = {
    "puts /beta/deviceManagement in intune": { path: "/beta/deviceManagement/deviceConfigurations", want: "intune" },
    "puts /v1.0/deviceManagement in intune": {
      path: "/v1.0/deviceManagement/deviceCompliancePolicies/abc/assign",
      want: "intune",
    },
    "puts /deviceAppManagement in intune": { path: "/deviceAppManagement/managedAppPolicies", want: "intune" },
    "puts a path without version in intune": { path: "/deviceManagement/roleScopeTags", want: "intune" },
    "ignores case": { path: "/BETA/DEVICEMANAGEMENT/x", want: "intune" },
    "puts /identity/conditionalAccess in conditionalAccess": {
      path: "/identity/conditionalAccess/policies",
      want: "conditionalAccess",
    },
    "puts /v1.0/identity/conditionalAccess/namedLocations in conditionalAccess": {
      path: "/v1.0/identity/conditionalAccess/namedLocations/x",
      want: "conditionalAccess",
    },
    "puts /groups in entra": { path: "/groups", want: "entra" },
    "puts /beta/groups with a query in entra": { path: "/beta/groups?$select=id,displayName", want: "entra" },
    "puts other identity paths in entra": { path: "/policies/crossTenantAccessPolicy/default", want: "entra" },
    "puts /$batch in entra": { path: "/$batch", want: "entra" },
  };
  for (const [name, c] of Object.entries(cases)) {
    it(name, () => assert.equal(familyOf(c.path), c.want));
  }
});

describe("GraphBudget", () => {
  describe("Intune writes", () => {
    it("lets a burst of 98 writes through at once", async () => {
      const { clock, budget } = setUp();
      const writes = startMany(budget, clock, "intune", true, 300);
      await settle();
      assert.equal(writes.done(), 98);
      await clock.advance(200);
      assert.equal(writes.done(), 98);
    });

    it("paces writes after the burst to about 98 per 20 s", async () => {
      const { clock, budget } = setUp();
      const writes = startMany(budget, clock, "intune", true, 500);
      await settle();
      const counts: number[] = [];
      for (let window = 1; window <= 3; window++) {
        await clock.advance(20_000);
        counts.push(writes.done());
      }
      const perWindow = counts.map((n, i) => n - (i === 0 ? 98 : counts[i - 1]));
      for (const n of perWindow) assert.ok(n >= 97 && n <= 99, `${n} writes in a 20 s window (${counts.join(", ")})`);
    });

    it("spaces the writes after the burst evenly, about 204 ms apart", async () => {
      const { clock, budget } = setUp();
      const writes = startMany(budget, clock, "intune", true, 120);
      await settle();
      await clock.advance(60_000);
      const gaps = writes.resolvedAt.slice(98).map((t, i) => t - writes.resolvedAt[97 + i]);
      for (const gap of gaps) assert.ok(gap > 199 && gap < 210, `gap of ${gap} ms`);
    });

    it("does not hold Intune reads to the write limit", async () => {
      const { clock, budget } = setUp();
      const reads = startMany(budget, clock, "intune", false, 300);
      await settle();
      assert.equal(reads.done(), 300);
    });

    it("makes writes wait when reads have used the shared budget", async () => {
      const { clock, budget } = setUp();
      const reads = startMany(budget, clock, "intune", false, 980);
      await settle();
      assert.equal(reads.done(), 980);
      const write = startMany(budget, clock, "intune", true, 1);
      await settle();
      assert.equal(write.done(), 0);
      await clock.advance(100);
      assert.equal(write.done(), 1);
    });
  });

  describe("conditional access", () => {
    it("sends one request at a time, each a second after the previous answer: one per ~1.05 s with 50 ms answers", async () => {
      const { clock, budget } = setUp();
      const calls = startMany(budget, clock, "conditionalAccess", false, 10, 50);
      await settle();
      assert.equal(calls.done(), 1);
      await clock.advance(1049);
      assert.equal(calls.done(), 1);
      await clock.advance(1);
      assert.equal(calls.done(), 2);
      await clock.advance(20_000);
      const gaps = calls.resolvedAt.slice(1).map((t, i) => t - calls.resolvedAt[i]);
      assert.equal(gaps.length, 9);
      for (const gap of gaps) assert.equal(gap, 1050);
    });

    it("lets at most 11 requests through in 10 s even when answers come at once", async () => {
      const { clock, budget } = setUp();
      const calls = startMany(budget, clock, "conditionalAccess", true, 30);
      await settle();
      await clock.advance(10_000);
      assert.ok(calls.done() <= 11, `${calls.done()} requests in 10 s`);
      assert.ok(calls.done() >= 10, `${calls.done()} requests in 10 s`);
    });

    it("holds the next request until the previous one has its answer", async () => {
      const { clock, budget } = setUp();
      const first = await budget.acquire("conditionalAccess", true);
      let secondAt: number | undefined;
      void budget.acquire("conditionalAccess", true).then(() => (secondAt = clock.now()));
      await clock.advance(30_000);
      assert.equal(secondAt, undefined);
      first();
      await settle();
      await clock.advance(999);
      assert.equal(secondAt, undefined);
      await clock.advance(1);
      assert.equal(secondAt, 31_000);
    });

    it("ignores a second release of the same request", async () => {
      const { clock, budget } = setUp();
      const first = await budget.acquire("conditionalAccess", false);
      first();
      await clock.advance(5000);
      first();
      const calls = startMany(budget, clock, "conditionalAccess", false, 1);
      await settle();
      assert.deepEqual(calls.resolvedAt, [5000]);
    });
  });

  describe("scale", () => {
    it("makes Intune writes 10× faster with scale 10: about 98 per 2 s after the burst", async () => {
      const { clock, budget } = setUp({ scale: 10 });
      const writes = startMany(budget, clock, "intune", true, 400);
      await settle();
      assert.equal(writes.done(), 98);
      await clock.advance(2000);
      const after = writes.done() - 98;
      assert.ok(after >= 97 && after <= 99, `${after} writes in 2 s`);
    });

    it("makes conditional access 10× faster with scale 10: one per ~105 ms with 5 ms answers", async () => {
      const { clock, budget } = setUp({ scale: 10 });
      const calls = startMany(budget, clock, "conditionalAccess", false, 5, 5);
      await settle();
      await clock.advance(1000);
      const gaps = calls.resolvedAt.slice(1).map((t, i) => t - calls.resolvedAt[i]);
      assert.equal(gaps.length, 4);
      for (const gap of gaps) assert.equal(gap, 105);
    });
  });

  describe("pause", () => {
    it("holds every acquire of the family until the pause is over", async () => {
      const { clock, budget } = setUp();
      budget.pause("intune", 5000);
      const reads = startMany(budget, clock, "intune", false, 3);
      await clock.advance(4999);
      assert.equal(reads.done(), 0);
      await clock.advance(1);
      assert.equal(reads.done(), 3);
      assert.deepEqual(reads.resolvedAt, [5000, 5000, 5000]);
    });

    it("holds an acquire made during the pause only for the rest of it", async () => {
      const { clock, budget } = setUp();
      budget.pause("intune", 5000);
      await clock.advance(3000);
      const read = startMany(budget, clock, "intune", false, 1);
      await clock.advance(1999);
      assert.equal(read.done(), 0);
      await clock.advance(1);
      assert.deepEqual(read.resolvedAt, [5000]);
    });

    it("holds conditional access requests too", async () => {
      const { clock, budget } = setUp();
      budget.pause("conditionalAccess", 5000);
      const calls = startMany(budget, clock, "conditionalAccess", false, 1);
      await settle();
      await clock.advance(4999);
      assert.equal(calls.done(), 0);
      await clock.advance(1);
      assert.deepEqual(calls.resolvedAt, [5000]);
    });

    it("does not hold other families", async () => {
      const { clock, budget } = setUp();
      budget.pause("intune", 5000);
      const entra = startMany(budget, clock, "entra", false, 1);
      const ca = startMany(budget, clock, "conditionalAccess", false, 1);
      await settle();
      assert.equal(entra.done(), 1);
      assert.equal(ca.done(), 1);
    });

    it("keeps the later end when paused twice", async () => {
      const { clock, budget } = setUp();
      budget.pause("entra", 5000);
      budget.pause("entra", 1000);
      const reads = startMany(budget, clock, "entra", false, 1);
      await clock.advance(4000);
      assert.equal(reads.done(), 0);
      await clock.advance(1000);
      assert.deepEqual(reads.resolvedAt, [5000]);
    });

    it("lets acquires through at once after the pause has passed", async () => {
      const { clock, budget } = setUp();
      budget.pause("intune", 1000);
      await clock.advance(1500);
      const reads = startMany(budget, clock, "intune", false, 1);
      await settle();
      assert.deepEqual(reads.resolvedAt, [1500]);
    });
  });

  it("lets everything through at once when disabled", async () => {
    const { clock, budget } = setUp({ disabled: true });
    budget.pause("conditionalAccess", 60_000);
    const calls = startMany(budget, clock, "conditionalAccess", true, 50);
    await settle();
    assert.equal(calls.done(), 50);
  });
});
