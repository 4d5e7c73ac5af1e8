/**
 * control — the emulator's control API under /_emulator on its own port (no Graph token reaches
 * it), as a table of method + path template → handler (../http/control): reset and seed tenants,
 * set consented permissions and licences, register apps, inject faults, tune throttling and paging,
 * settle device-code sign-ins, edit objects "as in the portal" (drift, logged in the tenant's audit log
 * with the person who made it), move the clock, read counters.
 */
import { randomUUID } from "node:crypto";
import { routeControl, type ControlRoute } from "../http/control";
import type { ControlTarget } from "./context";
import { childObject, isObject, type Json, stampModified } from "./entities";
import { errorResponse, GraphHttpError, type GraphResponse } from "./errors";
import type { FaultSettings, ScriptedFault } from "./faults";
import { newCounters } from "./counters";
import { portalActor, recordChange } from "./audit-log";
import { resourceModel } from "./service-model";
import type { AppRegistration, StoredObject, Tenant } from "./tenant-store";
import { newSecret } from "./tenant-store";

type Route = ControlRoute<ControlTarget, GraphResponse>;
type Params = Record<string, string>;

function ok(body?: unknown, status = 200): GraphResponse {
  return body === undefined
    ? { status: 204, headers: {} }
    : { status, headers: { "content-type": "application/json" }, body };
}

function problem(emulator: ControlTarget, status: number, message: string): GraphResponse {
  return errorResponse(status, status === 404 ? "NotFound" : "BadRequest", message, emulator.now());
}

function tenantSummary(emulator: ControlTarget) {
  return emulator.store.all().map((t) => ({
    tenantId: t.id,
    name: t.state.name,
    domain: t.state.domain,
    licences: t.state.licences,
    size: t.state.size,
    apps: t.state.apps.map((a) => ({
      clientId: a.clientId,
      displayName: a.displayName,
      roles: a.roles,
      scopes: a.scopes,
    })),
    objects: Object.fromEntries(
      Object.keys(t.state.collections)
        .concat([...new Set(t.toJSON() && Object.keys(t.toJSON().collections))])
        .map((k) => [k, t.list(k).length]),
    ),
  }));
}

function tenantOf(emulator: ControlTarget, p: Params): Tenant {
  const tenant = emulator.store.find(p.tenantId);
  if (!tenant) throw new GraphHttpError(problem(emulator, 404, `No tenant ${p.tenantId} in the emulator.`));
  return tenant;
}

function appOf(emulator: ControlTarget, tenant: Tenant, clientId: string): AppRegistration {
  const app = tenant.app(clientId);
  if (!app) throw new GraphHttpError(problem(emulator, 404, `No app ${clientId} in tenant ${tenant.id}.`));
  return app;
}

const state: Route["handle"] = (emulator) => ok({ graphUrl: emulator.graphUrl, tenants: tenantSummary(emulator) });

const settleDeviceCode: Route["handle"] = (emulator, p, b) => {
  const outcome = p.action === "complete" ? "approved" : p.action === "decline" ? "declined" : undefined;
  if (!outcome || !p.userCode)
    return problem(emulator, 400, "Use POST /_emulator/devicecodes/{userCode}/complete or /decline.");
  const entry = emulator.identity.settleDeviceCode(p.userCode, outcome, b.userPrincipalName as string | undefined);
  return entry
    ? ok({ userCode: entry.userCode, state: entry.state })
    : problem(emulator, 404, `No pending sign-in has the code ${p.userCode}.`);
};

const controlRoutes: Route[] = [
  { method: "GET", path: "/", handle: state },
  { method: "GET", path: "/state", handle: state },
  {
    method: "POST",
    path: "/reset",
    handle: (emulator, _, b) => {
      emulator.store.clear();
      emulator.counters = newCounters();
      emulator.throttler.reset();
      emulator.faults.clear();
      emulator.clock.offsetMs = 0;
      const tenant = emulator.seed(typeof b.seed === "string" ? b.seed : "demo", {
        tenantId: b.tenantId as string | undefined,
        clientId: b.clientId as string | undefined,
        clientSecret: b.clientSecret as string | undefined,
      });
      return ok(credentialsOf(emulator, tenant.state.apps[0], tenant.id));
    },
  },
  {
    method: "POST",
    path: "/save",
    handle: (emulator) => {
      emulator.persist();
      return ok();
    },
  },
  { method: "GET", path: "/counters", handle: (emulator) => ok(emulator.counters) },
  {
    method: "DELETE",
    path: "/counters",
    handle: (emulator) => {
      emulator.counters = newCounters();
      return ok();
    },
  },
  {
    method: "PUT",
    path: "/throttle",
    handle: (emulator, _, b) => {
      emulator.throttler.settings = { ...emulator.throttler.settings, ...(b as object) };
      emulator.throttler.reset();
      return ok(emulator.throttler.settings);
    },
  },
  {
    method: "PUT",
    path: "/paging",
    handle: (emulator, _, b) => {
      emulator.paging = { ...emulator.paging, ...(b as object) };
      return ok(emulator.paging);
    },
  },
  {
    method: "POST",
    path: "/clock",
    handle: (emulator, _, b) => ok({ now: new Date(emulator.clock.advance(Number(b.advanceMs ?? 0))).toISOString() }),
  },
  {
    method: "GET",
    path: "/faults",
    handle: (emulator) =>
      ok({ settings: emulator.faults.settings, scripted: emulator.faults.scripted, holding: emulator.faults.holding }),
  },
  {
    method: "PUT",
    path: "/faults",
    handle: (emulator, _, b) => {
      emulator.faults.update(b as Partial<FaultSettings>);
      return ok(emulator.faults.settings);
    },
  },
  {
    method: "DELETE",
    path: "/faults",
    handle: (emulator) => {
      emulator.faults.clear();
      return ok();
    },
  },
  { method: "POST", path: "/faults", handle: (emulator, _, b) => addScriptedFault(emulator, b) },
  {
    method: "GET",
    path: "/devicecodes",
    handle: (emulator) =>
      ok(
        [...emulator.identity.deviceCodes.values()].map((d) => ({
          userCode: d.userCode,
          tenantId: d.tenantId,
          clientId: d.clientId,
          state: d.state,
          polls: d.polls,
          expiresAt: new Date(d.expiresAt).toISOString(),
        })),
      ),
  },
  { method: "POST", path: "/devicecodes", handle: settleDeviceCode },
  { method: "POST", path: "/devicecodes/{userCode}", handle: settleDeviceCode },
  { method: "POST", path: "/devicecodes/{userCode}/{action}", handle: settleDeviceCode },
  { method: "GET", path: "/tenants", handle: (emulator) => ok(tenantSummary(emulator)) },
  { method: "POST", path: "/tenants", handle: (emulator, _, b) => addTenant(emulator, b) },
  {
    method: "*",
    path: "/tenants",
    handle: (emulator) => problem(emulator, 405, "Use GET or POST on /_emulator/tenants."),
  },
  {
    method: "DELETE",
    path: "/tenants/{tenantId}",
    handle: (emulator, p) => (emulator.store.remove(tenantOf(emulator, p).id) ? ok() : problem(emulator, 404, "gone")),
  },
  {
    method: "PATCH",
    path: "/tenants/{tenantId}",
    handle: (emulator, p, b) => {
      const tenant = tenantOf(emulator, p);
      if (isObject(b.licences))
        tenant.state.licences = { ...tenant.state.licences, ...(b.licences as { intune: boolean }) };
      if (typeof b.size === "string") tenant.state.size = b.size as "S" | "M" | "L";
      return ok({ tenantId: tenant.id, licences: tenant.state.licences, size: tenant.state.size });
    },
  },
  { method: "*", path: "/tenants/{tenantId}", handle: (emulator, p) => ok(tenantOf(emulator, p).toJSON()) },
  {
    method: "POST",
    path: "/tenants/{tenantId}/apps",
    handle: (emulator, p, b) => addApp(emulator, tenantOf(emulator, p), b),
  },
  {
    method: "PATCH",
    path: "/tenants/{tenantId}/apps/{clientId}",
    handle: (emulator, p, b) => {
      const app = appOf(emulator, tenantOf(emulator, p), p.clientId);
      for (const k of ["certificates", "federatedCredentials", "secrets", "isPublicClient", "displayName"] as const)
        if (k in b) (app as unknown as Json)[k] = b[k];
      return ok({ clientId: app.clientId });
    },
  },
  {
    method: "PUT",
    path: "/tenants/{tenantId}/apps/{clientId}/permissions",
    handle: (emulator, p, b) => {
      const app = appOf(emulator, tenantOf(emulator, p), p.clientId);
      if (Array.isArray(b.roles)) app.roles = b.roles.map(String);
      if (Array.isArray(b.scopes)) app.scopes = b.scopes.map(String);
      return ok({ roles: app.roles, scopes: app.scopes });
    },
  },
  {
    method: "*",
    path: "/tenants/{tenantId}/objects",
    handle: (emulator, p) => {
      tenantOf(emulator, p);
      return problem(emulator, 400, "Name a resource key: /_emulator/tenants/{id}/objects/{resourceKey}.");
    },
  },
  {
    method: "*",
    path: "/tenants/{tenantId}/objects/{key}",
    handle: (emulator, p, b, method) => objectRoute(emulator, tenantOf(emulator, p), method, [p.key], b),
  },
  {
    method: "*",
    path: "/tenants/{tenantId}/objects/{key}/{objectId}",
    handle: (emulator, p, b, method) => objectRoute(emulator, tenantOf(emulator, p), method, [p.key, p.objectId], b),
  },
];

export async function handleControl(
  emulator: ControlTarget,
  method: string,
  url: URL,
  body: unknown,
): Promise<GraphResponse> {
  try {
    return (
      routeControl(controlRoutes, emulator, method, url.pathname, body) ??
      problem(
        emulator,
        404,
        `Unknown control route ${method} ${url.pathname}. See emulators/README.md for the control API.`,
      )
    );
  } catch (e) {
    if (e instanceof GraphHttpError) return e.response;
    throw e;
  }
}

function addTenant(emulator: ControlTarget, b: Json): GraphResponse {
  try {
    const tenant = emulator.seed(typeof b.seed === "string" ? b.seed : "empty", {
      tenantId: b.tenantId as string | undefined,
      name: b.name as string | undefined,
      licences: b.licences as { intune: boolean } | undefined,
      clientId: b.clientId as string | undefined,
      clientSecret: b.clientSecret as string | undefined,
    });
    return ok(credentialsOf(emulator, tenant.state.apps[0], tenant.id), 201);
  } catch (e) {
    return problem(emulator, 400, (e as Error).message);
  }
}

function addApp(emulator: ControlTarget, tenant: Tenant, b: Json): GraphResponse {
  const app: AppRegistration = {
    clientId: (b.clientId as string) ?? randomUUID(),
    displayName: (b.displayName as string) ?? "App",
    secrets: Array.isArray(b.secrets) ? (b.secrets as string[]) : [newSecret()],
    certificates: (b.certificates as string[]) ?? [],
    federatedCredentials: (b.federatedCredentials as AppRegistration["federatedCredentials"]) ?? [],
    isPublicClient: b.isPublicClient !== false,
    roles: (b.roles as string[]) ?? [],
    scopes: (b.scopes as string[]) ?? [],
  };
  tenant.state.apps.push(app);
  return ok(credentialsOf(emulator, app, tenant.id), 201);
}

function addScriptedFault(emulator: ControlTarget, b: Json): GraphResponse {
  const count = Number(b.count ?? 1);
  const action = isObject(b.action)
    ? b.action
    : { kind: "status", status: Number(b.status ?? 429), retryAfterSeconds: b.retryAfterSeconds };
  if (!["status", "reset", "slowBody", "hold"].includes(String(action.kind)))
    return problem(emulator, 400, "action.kind must be status, reset, slowBody or hold.");
  const retryAfter = (action as Json).retryAfterSeconds;
  if (retryAfter !== undefined && retryAfter !== null && !(typeof retryAfter === "number" && retryAfter >= 0))
    return problem(
      emulator,
      400,
      "action.retryAfterSeconds must be a number of seconds (0 or more), or null for none.",
    );
  if (b.outer !== undefined && typeof b.outer !== "boolean")
    return problem(emulator, 400, "outer must be true or false.");
  const pathContains = b.pathContains as string | undefined;
  const fault: ScriptedFault = {
    method: b.method as string | undefined,
    pathContains,
    tenantId: b.tenantId as string | undefined,
    ...((b.outer ?? pathContains?.includes("$batch")) ? { outer: true } : {}),
    remaining: count,
    action: action as ScriptedFault["action"],
  };
  emulator.faults.scripted.push(fault);
  return ok(fault, 201);
}

function credentialsOf(emulator: ControlTarget, app: AppRegistration, tenantId: string) {
  return {
    graphUrl: emulator.graphUrl,
    authorityHost: emulator.graphUrl,
    tenantId,
    clientId: app.clientId,
    clientSecret: app.secrets[0] ?? "",
  };
}

/**
 * Edits "as in the portal": no validation beyond the object existing, stamps the change time, and
 * logs the change with the person in `@emulator.actor` ({userPrincipalName, displayName}) as its
 * initiator (the tenant's admin when there is none).
 */
function objectRoute(emulator: ControlTarget, tenant: Tenant, method: string, parts: string[], b: Json): GraphResponse {
  const key = parts[0];
  if (!key) return problem(emulator, 400, "Name a resource key: /_emulator/tenants/{id}/objects/{resourceKey}.");
  const model = (() => {
    try {
      return resourceModel(key);
    } catch {
      return undefined;
    }
  })();
  const { "@emulator.actor": actor, ...body } = b ?? {};
  const user = portalActor(tenant, actor);
  if (!user)
    return problem(
      emulator,
      400,
      "@emulator.actor must be an object with the person's userPrincipalName (name@domain) and, optionally, displayName.",
    );
  const audit = (
    operation: "Create" | "Update" | "Delete",
    objectId: string,
    before?: StoredObject,
    after?: StoredObject,
  ) => {
    if (model)
      recordChange(tenant, { model, operation, objectId, before, after, initiatedBy: { user }, now: emulator.now() });
  };
  if (parts.length === 1) {
    if (method === "GET") return ok(tenant.list(key).map((o) => ({ id: o.id, ...o.props, nav: o.nav })));
    if (method !== "POST") return problem(emulator, 405, "Use GET or POST.");
    const { nav, ...props } = body;
    const object = {
      id: tenant.newId(key),
      props: props as Json,
      nav: Object.fromEntries(
        Object.entries(isObject(nav) ? nav : {}).map(([k, v]) => [k, (v as Json[]).map((x) => childObject(x))]),
      ),
    };
    tenant.put(key, object);
    audit("Create", object.id, undefined, object);
    return ok({ id: object.id }, 201);
  }
  const object = tenant.get(key, parts[1]);
  if (!object) return problem(emulator, 404, `No ${key} ${parts[1]} in tenant ${tenant.id}.`);
  if (method === "DELETE") {
    tenant.remove(key, object.id);
    audit("Delete", object.id, object);
    return ok();
  }
  if (method === "GET") return ok({ id: object.id, ...object.props, nav: object.nav });
  if (method !== "PATCH") return problem(emulator, 405, "Use GET, PATCH or DELETE.");
  const before = JSON.parse(JSON.stringify(object)) as StoredObject;
  const { nav, ...props } = body;
  Object.assign(object.props, props);
  if (isObject(nav)) for (const [k, v] of Object.entries(nav)) object.nav[k] = (v as Json[]).map((x) => childObject(x));
  if (model) stampModified(model, object, emulator.now());
  audit("Update", object.id, before, object);
  return ok({ id: object.id, ...object.props });
}
