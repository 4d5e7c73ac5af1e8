import assert from "node:assert/strict";
import { retryDelayMs, serverRetryDelayMs, type RetryInput, type RetryOptions } from "./retry-policy";

const now = Date.parse("2026-03-02T10:00:00Z");
const inSeconds = (s: number) => new Date(now + s * 1000).toUTCString();

/** Fixed options: `random` is injected so the jitter is known. */
function options(overrides: Partial<RetryOptions> = {}): RetryOptions {
  return { maxAttempts: 8, baseDelayMs: 1000, maxDelayMs: 60_000, random: () => 0.5, now, ...overrides };
}

describe("serverRetryDelayMs", () => {
  const cases: Record<string, { headers: RetryInput["headers"]; want: number | undefined }> = {
    "reads Retry-After in whole seconds": { headers: { "retry-after": "2" }, want: 2000 },
    "reads Retry-After in fractional seconds": { headers: { "retry-after": "2.128" }, want: 2128 },
    "reads Retry-After of zero as no wait": { headers: { "retry-after": "0" }, want: 0 },
    "ignores spaces around Retry-After": { headers: { "retry-after": " 3 " }, want: 3000 },
    "reads Retry-After as an HTTP date relative to now": { headers: { "retry-after": inSeconds(5) }, want: 5000 },
    "treats an HTTP date in the past as no wait": { headers: { "retry-after": inSeconds(-30) }, want: 0 },
    "reads retry-after-ms": { headers: { "retry-after-ms": "1500" }, want: 1500 },
    "reads x-ms-retry-after-ms": { headers: { "x-ms-retry-after-ms": "250" }, want: 250 },
    "prefers retry-after-ms over Retry-After": { headers: { "retry-after": "9", "retry-after-ms": "40" }, want: 40 },
    "prefers retry-after-ms over x-ms-retry-after-ms": {
      headers: { "x-ms-retry-after-ms": "70", "retry-after-ms": "40" },
      want: 40,
    },
    "falls back to Retry-After when retry-after-ms is not a number": {
      headers: { "retry-after-ms": "soon", "retry-after": "1" },
      want: 1000,
    },
    "falls back to Retry-After when retry-after-ms is empty": {
      headers: { "retry-after-ms": " ", "retry-after": "1" },
      want: 1000,
    },
    "clamps a negative retry-after-ms to no wait": { headers: { "retry-after-ms": "-5" }, want: 0 },
    "looks up a plain record case-insensitively (Retry-After)": { headers: { "Retry-After": "4" }, want: 4000 },
    "looks up a plain record case-insensitively (RETRY-AFTER-MS)": { headers: { "RETRY-AFTER-MS": "10" }, want: 10 },
    "looks up a plain record case-insensitively (X-Ms-Retry-After-Ms)": {
      headers: { "X-Ms-Retry-After-Ms": "20" },
      want: 20,
    },
    "reads Retry-After from a Headers object": { headers: new Headers({ "Retry-After": "2" }), want: 2000 },
    "reads an HTTP date from a Headers object": { headers: new Headers({ "Retry-After": inSeconds(7) }), want: 7000 },
    "reads retry-after-ms from a Headers object": { headers: new Headers({ "Retry-After-Ms": "300" }), want: 300 },
    "reads x-ms-retry-after-ms from a Headers object": {
      headers: new Headers({ "x-ms-retry-after-ms": "301" }),
      want: 301,
    },
    "names no delay for an unreadable Retry-After": { headers: { "retry-after": "soon" }, want: undefined },
    "names no delay for an empty Retry-After": { headers: { "retry-after": "" }, want: undefined },
    "names no delay when a record has no such header": {
      headers: { "content-type": "application/json" },
      want: undefined,
    },
    "names no delay when a Headers object has no such header": { headers: new Headers(), want: undefined },
    "names no delay without headers": { headers: undefined, want: undefined },
  };
  for (const [name, c] of Object.entries(cases)) {
    it(name, () => assert.equal(serverRetryDelayMs(c.headers, now), c.want));
  }
});

describe("retryDelayMs", () => {
  describe("honouring the server's delay", () => {
    const cases: Record<string, { input: RetryInput; want: number }> = {
      "waits the Retry-After seconds of a 429": { input: { status: 429, headers: { "Retry-After": "2" } }, want: 2000 },
      "waits the fractional Retry-After of a 429": {
        input: { status: 429, headers: { "retry-after": "2.128" } },
        want: 2128,
      },
      "waits until the Retry-After date of a 429": {
        input: { status: 429, headers: { "retry-after": inSeconds(3) } },
        want: 3000,
      },
      "waits the retry-after-ms of a 429": { input: { status: 429, headers: { "retry-after-ms": "750" } }, want: 750 },
      "waits the x-ms-retry-after-ms of a 429": {
        input: { status: 429, headers: new Headers({ "x-ms-retry-after-ms": "125" }) },
        want: 125,
      },
      "waits the Retry-After of a 503": { input: { status: 503, headers: { "Retry-After": "5" } }, want: 5000 },
      "waits the Retry-After of a 504": {
        input: { status: 504, headers: new Headers({ "Retry-After": "6" }) },
        want: 6000,
      },
      "retries a 429 at once when Retry-After is 0": {
        input: { status: 429, headers: { "retry-after": "0" } },
        want: 0,
      },
      "caps a long Retry-After at maxDelayMs": {
        input: { status: 429, headers: { "retry-after": "600" } },
        want: 60_000,
      },
      "caps a far Retry-After date at maxDelayMs": {
        input: { status: 503, headers: { "retry-after": inSeconds(3600) } },
        want: 60_000,
      },
    };
    for (const [name, c] of Object.entries(cases)) {
      it(name, () => assert.equal(retryDelayMs(c.input, 0, options()), c.want));
    }

    it("honours Retry-After on a later attempt without adding back-off", () => {
      assert.equal(retryDelayMs({ status: 429, headers: { "retry-after": "2" } }, 5, options()), 2000);
    });

    it("ignores Retry-After on a 500 and 502 and backs off instead", () => {
      const backoff = retryDelayMs({ status: 500 }, 0, options());
      assert.equal(retryDelayMs({ status: 500, headers: { "retry-after": "30" } }, 0, options()), backoff);
      assert.equal(retryDelayMs({ status: 502, headers: { "retry-after": "30" } }, 0, options()), backoff);
    });
  });

  describe("backing off", () => {
    // ceiling = min(maxDelayMs, baseDelayMs × 2^attempt); the delay is ceiling/2 + random × ceiling/2.
    const cases: Record<string, { input: RetryInput; attempt: number; random: number; want: number }> = {
      "waits half the ceiling for a 429 without headers when random is 0": {
        input: { status: 429 },
        attempt: 0,
        random: 0,
        want: 500,
      },
      "waits three quarters of the ceiling for a 429 when random is 0.5": {
        input: { status: 429 },
        attempt: 0,
        random: 0.5,
        want: 750,
      },
      "doubles the ceiling with each attempt": { input: { status: 429 }, attempt: 3, random: 0, want: 4000 },
      "backs off a 429 whose Retry-After cannot be read": {
        input: { status: 429, headers: { "retry-after": "later" } },
        attempt: 1,
        random: 0,
        want: 1000,
      },
      "backs off a 503 without headers": { input: { status: 503 }, attempt: 1, random: 0.5, want: 1500 },
      "backs off a 504 without headers": { input: { status: 504 }, attempt: 2, random: 0, want: 2000 },
      "backs off a 500": { input: { status: 500 }, attempt: 0, random: 0, want: 500 },
      "backs off a 502": { input: { status: 502 }, attempt: 2, random: 0.5, want: 3000 },
      "backs off a network error": { input: { networkError: true }, attempt: 0, random: 0, want: 500 },
      "backs off a network error on later attempts too": {
        input: { networkError: true },
        attempt: 4,
        random: 0.5,
        want: 12_000,
      },
      "caps the ceiling at maxDelayMs": { input: { status: 500 }, attempt: 6, random: 0.5, want: 45_000 },
    };
    for (const [name, c] of Object.entries(cases)) {
      it(name, () => assert.equal(retryDelayMs(c.input, c.attempt, options({ random: () => c.random })), c.want));
    }

    it("keeps the jittered delay of a 429 without headers inside [ceiling/2, ceiling]", () => {
      for (let attempt = 0; attempt < 7; attempt++) {
        const ceiling = Math.min(60_000, 1000 * 2 ** attempt);
        for (const random of [0, 0.001, 0.25, 0.5, 0.75, 0.999, 0.999999]) {
          const delay = retryDelayMs({ status: 429 }, attempt, options({ random: () => random }));
          assert.ok(
            delay !== undefined && delay >= ceiling / 2 && delay <= ceiling,
            `attempt ${attempt}, random ${random}: ${delay} outside [${ceiling / 2}, ${ceiling}]`,
          );
        }
      }
    });

    it("never waits longer than maxDelayMs however many attempts were made", () => {
      const opts = options({ maxAttempts: 100, maxDelayMs: 5000, random: () => 0.999999 });
      for (let attempt = 0; attempt < 60; attempt++) {
        const delay = retryDelayMs({ status: 503 }, attempt, opts);
        assert.ok(delay !== undefined && delay <= 5000, `attempt ${attempt}: ${delay}`);
      }
    });
  });

  describe("not retrying", () => {
    const statuses = [200, 201, 204, 400, 401, 403, 404, 405, 409, 412, 422];
    for (const status of statuses) {
      it(`never retries a ${status}, even with Retry-After`, () => {
        assert.equal(retryDelayMs({ status }, 0, options()), undefined);
        assert.equal(retryDelayMs({ status, headers: { "Retry-After": "1" } }, 0, options()), undefined);
      });
    }

    it("does not retry an answer with neither a status nor a network error", () => {
      assert.equal(retryDelayMs({}, 0, options()), undefined);
    });

    it("stops retrying once maxAttempts attempts have been made", () => {
      const opts = options({ maxAttempts: 3 });
      const delays = [0, 1, 2, 3].map((attempt) => retryDelayMs({ status: 503 }, attempt, opts));
      assert.deepEqual(
        delays.map((d) => d !== undefined),
        [true, true, false, false],
      );
    });

    it("stops retrying at maxAttempts even when the server named a delay", () => {
      assert.equal(
        retryDelayMs({ status: 429, headers: { "retry-after": "1" } }, 7, options({ maxAttempts: 8 })),
        undefined,
      );
      assert.equal(retryDelayMs({ networkError: true }, 7, options({ maxAttempts: 8 })), undefined);
    });

    it("never retries when maxAttempts is 1", () => {
      assert.equal(
        retryDelayMs({ status: 429, headers: { "retry-after": "1" } }, 0, options({ maxAttempts: 1 })),
        undefined,
      );
    });
  });
});
