/**
 * control — the emulator's control API under /_emulator on its own port (no Graph token reaches
 * it): reset and seed tenants, set consented permissions and licences, register apps, inject faults,
 * tune throttling and paging, settle device-code sign-ins, edit objects "as in the portal" (drift),
 * move the clock, and read counters.
 */
import { childObject, isObject, type Json, stampModified } from "./entities";
import { errorResponse, type GraphResponse } from "./errors";
import type { FaultSettings, ScriptedFault } from "./faults";
import { newCounters } from "./counters";
import { resourceModel } from "./service-model";
import type { GraphEmulator } from "./server";
import type { AppRegistration } from "./tenant-store";
import { newSecret } from "./tenant-store";
import { randomUUID } from "node:crypto";

function ok(body?: unknown, status = 200): GraphResponse {
  return body === undefined
    ? { status: 204, headers: {} }
    : { status, headers: { "content-type": "application/json" }, body };
}

function problem(emulator: GraphEmulator, status: number, message: string): GraphResponse {
  return errorResponse(status, status === 404 ? "NotFound" : "BadRequest", message, emulator.now());
}

function tenantSummary(emulator: GraphEmulator) {
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

export async function handleControl(
  emulator: GraphEmulator,
  method: string,
  url: URL,
  body: unknown,
): Promise<GraphResponse> {
  const parts = url.pathname
    .replace(/^\/_emulator\/?/, "")
    .split("/")
    .filter(Boolean)
    .map(decodeURIComponent);
  const b: Json = isObject(body) ? body : {};
  const route = `${method} ${parts[0] ?? ""}`;
  switch (route) {
    case "GET ":
    case "GET state":
      return ok({ graphUrl: emulator.graphUrl, tenants: tenantSummary(emulator) });
    case "POST reset": {
      emulator.store.clear();
      emulator.counters = newCounters();
      emulator.throttler.reset();
      emulator.faults.clear();
      emulator.clockOffsetMs = 0;
      const tenant = emulator.seed(typeof b.seed === "string" ? b.seed : "demo", {
        tenantId: b.tenantId as string | undefined,
        clientId: b.clientId as string | undefined,
        clientSecret: b.clientSecret as string | undefined,
      });
      return ok(credentialsOf(emulator, tenant.state.apps[0], tenant.id));
    }
    case "POST save":
      emulator.persist();
      return ok();
    case "GET counters":
      return ok(emulator.counters);
    case "DELETE counters":
      emulator.counters = newCounters();
      return ok();
    case "PUT throttle":
      emulator.throttler.settings = { ...emulator.throttler.settings, ...(b as object) };
      emulator.throttler.reset();
      return ok(emulator.throttler.settings);
    case "PUT paging":
      emulator.paging = { ...emulator.paging, ...(b as object) };
      return ok(emulator.paging);
    case "POST clock":
      emulator.clockOffsetMs += Number(b.advanceMs ?? 0);
      return ok({ now: new Date(emulator.now()).toISOString() });
    case "GET faults":
      return ok({ settings: emulator.faults.settings, scripted: emulator.faults.scripted });
    case "PUT faults":
      emulator.faults.update(b as Partial<FaultSettings>);
      return ok(emulator.faults.settings);
    case "DELETE faults":
      emulator.faults.clear();
      return ok();
    case "POST faults":
      return addScriptedFault(emulator, b);
    case "GET devicecodes":
      return ok(
        [...emulator.identity.deviceCodes.values()].map((d) => ({
          userCode: d.userCode,
          tenantId: d.tenantId,
          clientId: d.clientId,
          state: d.state,
          polls: d.polls,
          expiresAt: new Date(d.expiresAt).toISOString(),
        })),
      );
    case "POST devicecodes": {
      const outcome = parts[2] === "complete" ? "approved" : parts[2] === "decline" ? "declined" : undefined;
      if (!outcome || !parts[1])
        return problem(emulator, 400, "Use POST /_emulator/devicecodes/{userCode}/complete or /decline.");
      const entry = emulator.identity.settleDeviceCode(parts[1], outcome, b.userPrincipalName as string | undefined);
      return entry
        ? ok({ userCode: entry.userCode, state: entry.state })
        : problem(emulator, 404, `No pending sign-in has the code ${parts[1]}.`);
    }
    default:
      if (parts[0] === "tenants") return tenantRoute(emulator, method, parts.slice(1), b);
      return problem(
        emulator,
        404,
        `Unknown control route ${method} ${url.pathname}. See emulators/README.md for the control API.`,
      );
  }
}

function addScriptedFault(emulator: GraphEmulator, b: Json): GraphResponse {
  const count = Number(b.count ?? 1);
  const action = isObject(b.action)
    ? b.action
    : { kind: "status", status: Number(b.status ?? 429), retryAfterSeconds: b.retryAfterSeconds };
  if (!["status", "reset", "slowBody"].includes(String(action.kind)))
    return problem(emulator, 400, "action.kind must be status, reset or slowBody.");
  const fault: ScriptedFault = {
    method: b.method as string | undefined,
    pathContains: b.pathContains as string | undefined,
    remaining: count,
    action: action as ScriptedFault["action"],
  };
  emulator.faults.scripted.push(fault);
  return ok(fault, 201);
}

function credentialsOf(emulator: GraphEmulator, app: AppRegistration, tenantId: string) {
  return {
    graphUrl: emulator.graphUrl,
    authorityHost: emulator.graphUrl,
    tenantId,
    clientId: app.clientId,
    clientSecret: app.secrets[0] ?? "",
  };
}

function tenantRoute(emulator: GraphEmulator, method: string, parts: string[], b: Json): GraphResponse {
  if (parts.length === 0) {
    if (method === "GET") return ok(tenantSummary(emulator));
    if (method !== "POST") return problem(emulator, 405, "Use GET or POST on /_emulator/tenants.");
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
  const tenant = emulator.store.find(parts[0]);
  if (!tenant) return problem(emulator, 404, `No tenant ${parts[0]} in the emulator.`);
  if (parts.length === 1) {
    if (method === "DELETE") return emulator.store.remove(tenant.id) ? ok() : problem(emulator, 404, "gone");
    if (method === "PATCH") {
      if (isObject(b.licences))
        tenant.state.licences = { ...tenant.state.licences, ...(b.licences as { intune: boolean }) };
      if (typeof b.size === "string") tenant.state.size = b.size as "S" | "M" | "L";
      return ok({ tenantId: tenant.id, licences: tenant.state.licences, size: tenant.state.size });
    }
    return ok(tenant.toJSON());
  }
  if (parts[1] === "apps") return appRoute(emulator, tenant, method, parts.slice(2), b);
  if (parts[1] === "objects") return objectRoute(emulator, tenant, method, parts.slice(2), b);
  return problem(emulator, 404, "Unknown tenant route.");
}

function appRoute(
  emulator: GraphEmulator,
  tenant: ReturnType<GraphEmulator["store"]["all"]>[number],
  method: string,
  parts: string[],
  b: Json,
): GraphResponse {
  if (parts.length === 0 && method === "POST") {
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
  const app = tenant.app(parts[0] ?? "");
  if (!app) return problem(emulator, 404, `No app ${parts[0]} in tenant ${tenant.id}.`);
  if (parts[1] === "permissions" && method === "PUT") {
    if (Array.isArray(b.roles)) app.roles = b.roles.map(String);
    if (Array.isArray(b.scopes)) app.scopes = b.scopes.map(String);
    return ok({ roles: app.roles, scopes: app.scopes });
  }
  if (parts.length === 1 && method === "PATCH") {
    for (const k of ["certificates", "federatedCredentials", "secrets", "isPublicClient", "displayName"] as const)
      if (k in b) (app as unknown as Json)[k] = b[k];
    return ok({ clientId: app.clientId });
  }
  return problem(emulator, 404, "Unknown app route.");
}

/** Edits "as in the portal": no validation beyond the object existing, stamps the change time. */
function objectRoute(
  emulator: GraphEmulator,
  tenant: ReturnType<GraphEmulator["store"]["all"]>[number],
  method: string,
  parts: string[],
  b: Json,
): GraphResponse {
  const key = parts[0];
  if (!key) return problem(emulator, 400, "Name a resource key: /_emulator/tenants/{id}/objects/{resourceKey}.");
  const model = (() => {
    try {
      return resourceModel(key);
    } catch {
      return undefined;
    }
  })();
  if (parts.length === 1) {
    if (method === "GET") return ok(tenant.list(key).map((o) => ({ id: o.id, ...o.props, nav: o.nav })));
    if (method !== "POST") return problem(emulator, 405, "Use GET or POST.");
    const { nav, ...props } = b;
    const object = {
      id: tenant.newId(key),
      props: props as Json,
      nav: Object.fromEntries(
        Object.entries(isObject(nav) ? nav : {}).map(([k, v]) => [k, (v as Json[]).map((x) => childObject(x))]),
      ),
    };
    tenant.put(key, object);
    return ok({ id: object.id }, 201);
  }
  const object = tenant.get(key, parts[1]);
  if (!object) return problem(emulator, 404, `No ${key} ${parts[1]} in tenant ${tenant.id}.`);
  if (method === "DELETE") {
    tenant.remove(key, object.id);
    return ok();
  }
  if (method === "GET") return ok({ id: object.id, ...object.props, nav: object.nav });
  if (method !== "PATCH") return problem(emulator, 405, "Use GET, PATCH or DELETE.");
  const { nav, ...props } = b;
  Object.assign(object.props, props);
  if (isObject(nav)) for (const [k, v] of Object.entries(nav)) object.nav[k] = (v as Json[]).map((x) => childObject(x));
  if (model) stampModified(model, object, emulator.now());
  return ok({ id: object.id, ...object.props });
}
