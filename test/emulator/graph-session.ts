/**
 * graph-session — a Graph emulator for one describe block with an app-only token, and a `call`
 * that sends one JSON request with it (extra headers, e.g. Origin, override the defaults); and
 * `appCaller`, a new app in the tenant with the consented roles given, signed in for its own calls.
 */
import { ClientSecretCredential } from "@azure/identity";
import type { GraphEmulatorOptions } from "../../emulators/graph/server";
import { startTestEmulator, type TestEmulator } from "../helpers/graph-emulator";

export interface GraphAnswer {
  status: number;
  headers: Headers;
  body: any;
}

export interface GraphSession {
  t: TestEmulator;
  call: (method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<GraphAnswer>;
}

/** An app-only token for the app in the emulator's tenant. */
async function tokenFor(t: TestEmulator, clientId: string, clientSecret: string): Promise<string> {
  const credential = new ClientSecretCredential(t.info.tenantId, clientId, clientSecret, {
    authorityHost: t.info.authorityHost,
    disableInstanceDiscovery: true,
  });
  return (await credential.getToken("https://graph.microsoft.com/.default")).token;
}

export async function startGraphSession(options: GraphEmulatorOptions = {}): Promise<GraphSession> {
  const t = await startTestEmulator(options);
  const token = await tokenFor(t, t.info.clientId, t.info.clientSecret);
  const call: GraphSession["call"] = async (method, path, body, headers = {}) => {
    const res = await fetch(`${t.info.graphUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
  };
  return { t, call };
}

/** A new app in the emulator's tenant with these consented roles, and a `call` signed in as it (full URLs too). */
export async function appCaller(t: TestEmulator, roles: string[]) {
  const made = await t.control("POST", `/tenants/${t.info.tenantId}/apps`, { displayName: roles.join(" "), roles });
  if (made.status !== 201) throw new Error(`the control API did not add the app: ${made.status}`);
  const token = await tokenFor(t, made.body.clientId, made.body.clientSecret);
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(path.startsWith("https:") ? path : `${t.info.graphUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  return { clientId: made.body.clientId as string, call };
}
