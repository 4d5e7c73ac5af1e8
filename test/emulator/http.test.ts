/**
 * http — the plumbing both emulators share: route templates with URL-decoded parameters (also inside
 * a segment) and 405s, the table-driven control router, CORS answers, counters by route template and
 * the clock.
 */
import assert from "node:assert/strict";
import { EmulatorClock } from "../../emulators/http/clock";
import { routeControl, type ControlRoute } from "../../emulators/http/control";
import { countRoute, newRouteCounters, requestsTo } from "../../emulators/http/counters";
import { isPreflight, withCors } from "../../emulators/http/cors";
import { json } from "../../emulators/http/response";
import { resolveRoute } from "../../emulators/http/routes";

describe("emulators/http", function () {
  const table = [
    { method: "GET", template: "/{project}/_apis/build/builds/{buildId}/timeline" },
    { method: "PUT", template: "/{project}/_apis/build/builds/{buildId}/tags/{tag}" },
  ];

  it("matches templates without regard to the case of literal segments and decodes parameters", function () {
    const hit = resolveRoute(table, "PUT", "/My%20Project/_APIS/build/builds/7/tags/a%2Fb");
    assert.ok(hit && "route" in hit);
    assert.deepEqual(hit.params, { project: "My Project", buildId: "7", tag: "a/b" });
  });

  it("prefers a literal segment to a parameter at the same place, whatever the table's order", function () {
    const routes = [
      { method: "GET", template: "/{project}/_apis/pipelines/{pipelineId}", handle: "pipeline" },
      { method: "GET", template: "/{project}/_apis/pipelines/approvals", handle: "approvals" },
    ];
    const hit = resolveRoute(routes, "GET", "/p/_apis/pipelines/approvals");
    assert.ok(hit && "route" in hit);
    assert.equal(hit.route.handle, "approvals");
    const other = resolveRoute(routes, "GET", "/p/_apis/pipelines/12");
    assert.ok(other && "route" in other);
    assert.deepEqual([other.route.handle, other.params.pipelineId], ["pipeline", "12"]);
  });

  it("answers the allowed methods when only the method differs, nothing for an unknown path", function () {
    assert.deepEqual(resolveRoute(table, "POST", "/p/_apis/build/builds/7/timeline"), { allowed: ["GET"] });
    assert.equal(resolveRoute(table, "GET", "/p/_apis/build/builds"), undefined);
    assert.equal(resolveRoute(table, "GET", "/%E0%A4%A/_apis/build/builds/7/timeline"), undefined);
  });

  it("matches a parameter inside a segment, as an OData function's argument", function () {
    const fn = [{ method: "GET", template: "/configs/{id}/getValue(ref='{ref}')" }];
    const hit = resolveRoute(fn, "GET", "/configs/7/GETVALUE(ref='a%27b')");
    assert.ok(hit && "route" in hit);
    assert.deepEqual(hit.params, { id: "7", ref: "a'b" });
    assert.equal(resolveRoute(fn, "GET", "/configs/7/getValue(other='x')"), undefined);
  });

  it("routes control calls by method and path template, '*' after the specific methods", function () {
    const routes: ControlRoute<string, string>[] = [
      { method: "GET", path: "/", handle: (ctx) => `${ctx}:state` },
      { method: "POST", path: "/builds/{id}/tokens", handle: (_, p, b) => `token ${p.id} ${String(b.ttl)}` },
      { method: "*", path: "/builds/{id}/tokens", handle: (_, p, __, m) => `405 ${m} ${p.id}` },
    ];
    assert.equal(routeControl(routes, "x", "GET", "/_emulator", undefined), "x:state");
    assert.equal(routeControl(routes, "x", "POST", "/_emulator/builds/3/tokens", { ttl: 5 }), "token 3 5");
    assert.equal(routeControl(routes, "x", "DELETE", "/_emulator/builds/3/tokens", [1]), "405 DELETE 3");
    assert.equal(routeControl(routes, "x", "GET", "/_emulator/builds", undefined), undefined);
    assert.equal(routeControl(routes, "x", "GET", "/elsewhere", undefined), undefined);
  });

  it("allows the requesting origin with credentials, and answers preflights with the allowed headers", function () {
    const origin = "https://publisher.gallerycdn.vsassets.io";
    const plain = withCors({ method: "GET", headers: { origin } }, json({ a: 1 }));
    assert.equal(plain.headers["access-control-allow-origin"], origin);
    assert.equal(plain.headers["access-control-allow-credentials"], "true");
    assert.equal(plain.headers["access-control-allow-headers"], undefined);
    const req = { method: "OPTIONS", headers: { origin, "access-control-request-method": "PATCH" } };
    assert.ok(isPreflight(req));
    const preflight = withCors(req, { status: 204, headers: {} });
    assert.match(preflight.headers["access-control-allow-headers"], /Authorization/);
    assert.match(preflight.headers["access-control-allow-headers"], /Content-Type/);
    assert.match(preflight.headers["access-control-allow-methods"], /PATCH/);
    assert.deepEqual(withCors({ method: "GET", headers: {} }, json({})).headers, json({}).headers);
  });

  it("counts by route template and status; the clock moves only when told", function () {
    const counters = newRouteCounters();
    countRoute(counters, "GET /{org}/_apis/build/builds", 200);
    countRoute(counters, "GET /{org}/_apis/build/builds", 404);
    countRoute(counters, "PATCH /{org}/_apis/build/builds", 200);
    assert.equal(requestsTo(counters, "GET", "/build/builds"), 2);
    assert.equal(requestsTo(counters, "GET", "/BUILD/builds"), 0);
    assert.equal(requestsTo(counters, "GET", "/BUILD/builds", { ignoreCase: true }), 2);
    assert.deepEqual(counters.byStatus, { 200: 2, 404: 1 });
    let t = 1000;
    const clock = new EmulatorClock(0, { now: () => t, sleep: () => Promise.resolve() });
    t = 2000;
    assert.equal(clock.now(), 2000);
    assert.equal(clock.advance(500), 2500);
    assert.equal(clock.iso(), new Date(2500).toISOString());
  });
});
