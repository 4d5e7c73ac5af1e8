/**
 * graph-session — a Graph emulator for one describe block with an app-only token, and a `call`
 * that sends one JSON request with it (extra headers, e.g. Origin, override the defaults).
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

export async function startGraphSession(options: GraphEmulatorOptions = {}): Promise<GraphSession> {
  const t = await startTestEmulator(options);
  const token = (
    await new ClientSecretCredential(t.info.tenantId, t.info.clientId, t.info.clientSecret, {
      authorityHost: t.info.authorityHost,
      disableInstanceDiscovery: true,
    }).getToken("https://graph.microsoft.com/.default")
  ).token;
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
