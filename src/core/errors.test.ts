import assert from "node:assert/strict";
import { describeError, GraphError, isGraphError, isSyncError, redact, SyncError } from "./errors";

const jwt =
  "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJhdWQiOiJodHRwczovL2dyYXBoLm1pY3Jvc29mdC5jb20ifQ.c2lnbmF0dXJlLXBhcnQ";

describe("redact", () => {
  const cases: Record<string, { text: string; want: string }> = {
    "removes a bearer token": {
      text: "Authorization: Bearer abc.DEF-ghi_jkl~mno+pq/rs==",
      want: "Authorization: Bearer [redacted]",
    },
    "removes a JWT-looking string anywhere in the text": {
      text: `token ${jwt} expired`,
      want: "token [redacted-token] expired",
    },
    "removes a JWT after Bearer": { text: `Bearer ${jwt}`, want: "Bearer [redacted]" },
    "removes a client_secret query value": {
      text: "https://login.example/token?client_id=app&client_secret=s3cr3t~value&scope=x",
      want: "https://login.example/token?client_id=app&client_secret=[redacted]&scope=x",
    },
    "removes a client_assertion query value": {
      text: "?client_assertion=abc.def.ghi&grant_type=client_credentials",
      want: "?client_assertion=[redacted]&grant_type=client_credentials",
    },
    "removes a $skiptoken query value": {
      text: "https://graph.microsoft.com/beta/groups?$top=5&$skiptoken=RFNwdAIAAQAAACE6&$select=id",
      want: "https://graph.microsoft.com/beta/groups?$top=5&$skiptoken=[redacted]&$select=id",
    },
    "removes a $skiptoken that comes first": { text: "/groups?$skiptoken=X1Y2", want: "/groups?$skiptoken=[redacted]" },
    "removes access_token, code, sig and token query values": {
      text: "/a?access_token=1&code=2&sig=3&token=4",
      want: "/a?access_token=[redacted]&code=[redacted]&sig=[redacted]&token=[redacted]",
    },
    "matches query names in any case": {
      text: "/t?Client_Secret=abc&$SkipToken=def",
      want: "/t?Client_Secret=[redacted]&$SkipToken=[redacted]",
    },
    "stops a query value at a fragment": {
      text: "/t?client_secret=abc#frag",
      want: "/t?client_secret=[redacted]#frag",
    },
    "leaves other query values alone": {
      text: "/groups?$top=5&$filter=displayName eq 'x'&zipcode=1&token_type=Bearer",
      want: "/groups?$top=5&$filter=displayName eq 'x'&zipcode=1&token_type=Bearer",
    },
    "leaves ordinary text alone": {
      text: "Graph refused to update the object: 403 Forbidden.",
      want: "Graph refused to update the object: 403 Forbidden.",
    },
  };
  for (const [name, c] of Object.entries(cases)) {
    it(name, () => assert.equal(redact(c.text), c.want));
  }

  it("gives the same text when applied twice", () => {
    for (const c of Object.values(cases)) assert.equal(redact(redact(c.text)), redact(c.text));
  });
});

describe("SyncError", () => {
  it("carries its code, object, hint and cause", () => {
    const cause = new Error("socket hang up");
    const error = new SyncError("export.failed", "The export failed.", {
      object: 'entra.group["Admins"]',
      hint: "Run again.",
      cause,
    });
    assert.equal(error.name, "SyncError");
    assert.equal(error.code, "export.failed");
    assert.equal(error.message, "The export failed.");
    assert.equal(error.detail.object, 'entra.group["Admins"]');
    assert.equal(error.detail.hint, "Run again.");
    assert.equal(error.cause, cause);
    assert.ok(error instanceof Error);
  });
});

describe("GraphError", () => {
  const init = {
    status: 403,
    graphCode: "Authorization_RequestDenied",
    message: `Insufficient privileges for Bearer ${jwt}`,
    requestId: "req-1",
    method: "GET",
    url: "https://graph.microsoft.com/beta/groups?$skiptoken=RFNwdAIAAQ&client_secret=abc",
    object: 'entra.group["Admins"]',
  };

  it("redacts its url when it is made", () => {
    const error = new GraphError(init);
    assert.equal(error.url, "https://graph.microsoft.com/beta/groups?$skiptoken=[redacted]&client_secret=[redacted]");
  });

  it("says what failed, with method, redacted url, status and Graph's code, and names the object", () => {
    const error = new GraphError(init);
    assert.equal(
      error.message,
      'GET https://graph.microsoft.com/beta/groups?$skiptoken=[redacted]&client_secret=[redacted] failed: 403 Authorization_RequestDenied: Insufficient privileges for Bearer [redacted] (entra.group["Admins"])',
    );
  });

  it("keeps no secret anywhere in the error", () => {
    const text = JSON.stringify({ ...new GraphError(init), message: new GraphError(init).message });
    for (const secret of ["RFNwdAIAAQ", "client_secret=abc", jwt])
      assert.ok(!text.includes(secret), `${secret} leaked: ${text}`);
  });

  it("leaves out the parentheses when no object is named", () => {
    const error = new GraphError({ status: 500, message: "oops", method: "POST", url: "/$batch" });
    assert.equal(error.message, "POST /$batch failed: 500: oops");
  });

  it("carries status, Graph's code, request id, method, object, Retry-After and cause", () => {
    const cause = new Error("inner");
    const error = new GraphError({ ...init, status: 429, retryAfterMs: 2000, cause });
    assert.deepEqual(
      {
        name: error.name,
        status: error.status,
        graphCode: error.graphCode,
        requestId: error.requestId,
        method: error.method,
        object: error.object,
        retryAfterMs: error.retryAfterMs,
        cause: error.cause,
      },
      {
        name: "GraphError",
        status: 429,
        graphCode: "Authorization_RequestDenied",
        requestId: "req-1",
        method: "GET",
        object: 'entra.group["Admins"]',
        retryAfterMs: 2000,
        cause,
      },
    );
  });
});

describe("isSyncError and isGraphError", () => {
  // Another copy of the classes, as a second bundle or a duplicate node_modules would load them.
  class OtherSyncError extends Error {
    override readonly name = "SyncError";
    readonly code = "plan.stale";
  }
  class OtherGraphError extends Error {
    override readonly name = "GraphError";
    readonly status = 429;
  }

  const cases: Record<string, { value: unknown; sync: boolean; graph: boolean }> = {
    "a SyncError": { value: new SyncError("plan.stale", "stale"), sync: true, graph: false },
    "a GraphError": {
      value: new GraphError({ status: 404, message: "gone", method: "GET", url: "/x" }),
      sync: false,
      graph: true,
    },
    "a SyncError from another copy of the class": { value: new OtherSyncError("stale"), sync: true, graph: false },
    "a GraphError from another copy of the class": {
      value: new OtherGraphError("throttled"),
      sync: false,
      graph: true,
    },
    "an Error whose name was set to GraphError": {
      value: Object.assign(new Error("x"), { name: "GraphError", status: 500 }),
      sync: false,
      graph: true,
    },
    "a plain Error": { value: new Error("x"), sync: false, graph: false },
    "a TypeError": { value: new TypeError("x"), sync: false, graph: false },
    "a string": { value: "SyncError", sync: false, graph: false },
    undefined: { value: undefined, sync: false, graph: false },
    null: { value: null, sync: false, graph: false },
  };
  for (const [what, c] of Object.entries(cases)) {
    it(`recognises ${what} ${c.sync ? "as a SyncError" : c.graph ? "as a GraphError" : "as neither"}`, () => {
      assert.equal(isSyncError(c.value), c.sync);
      assert.equal(isGraphError(c.value), c.graph);
    });
  }
});

describe("describeError", () => {
  const cases: Record<string, { error: unknown; want: string }> = {
    "gives a SyncError's message and hint": {
      error: new SyncError("plan.stale", "The tenant changed.", { hint: "Run the pipeline again." }),
      want: "The tenant changed. Run the pipeline again.",
    },
    "gives a SyncError's message alone when it has no hint": {
      error: new SyncError("plan.stale", "The tenant changed."),
      want: "The tenant changed.",
    },
    "redacts another error's message": {
      error: new Error(`failed with Bearer ${jwt}`),
      want: "failed with Bearer [redacted]",
    },
    "redacts a thrown string": {
      error: "GET /groups?$skiptoken=abc failed",
      want: "GET /groups?$skiptoken=[redacted] failed",
    },
  };
  for (const [name, c] of Object.entries(cases)) {
    it(name, () => assert.equal(describeError(c.error), c.want));
  }
});
