/**
 * azdo-emulator — starts an Azure DevOps emulator for a test over real HTTPS on loopback, trusting
 * the CA the test runner set up, with helpers for its control API (builds, service connections,
 * tokens) and for calling its REST API.
 */
import {
  AzureDevOpsEmulator,
  type AzureDevOpsEmulatorOptions,
  type AzureDevOpsReadyInfo,
} from "../../emulators/azdo/server";

/** What POST /_emulator/builds answers. */
export interface EmulatedBuild {
  id: number;
  buildNumber: string;
  projectId: string;
  definition: { id: number; name: string; path: string };
  planId: string;
  jobId: string;
  status: string;
  accessToken: string;
  oidcRequestUri: string;
  /** The job's variables as the agent sets them (SYSTEM_COLLECTIONURI, BUILD_BUILDID, ENDPOINT_AUTH_SYSTEMVSSCONNECTION, …). */
  agentVariables: Record<string, string>;
}

/** What POST /_emulator/serviceconnections answers. */
export interface EmulatedServiceConnection {
  id: string;
  name: string;
  projectId: string;
  issuer: string;
  subject: string;
  audience: string;
}

export interface TestAzdoEmulator {
  emulator: AzureDevOpsEmulator;
  info: AzureDevOpsReadyInfo;
  control: (method: string, path: string, body?: unknown) => Promise<{ status: number; body: any }>;
  createBuild: (body: {
    definition?: string | number;
    tenant?: string;
    project?: string;
    status?: string;
    result?: string;
  }) => Promise<EmulatedBuild>;
  addServiceConnection: (body: {
    name: string;
    id?: string;
    project?: string;
    tenantId?: string;
    clientId?: string;
  }) => Promise<EmulatedServiceConnection>;
  userToken: () => Promise<string>;
  /** A REST call relative to the collection URI ("{projectId}/_apis/…"), JSON in and out. */
  rest: (
    method: string,
    path: string,
    options?: { token?: string; body?: unknown; contentType?: string; accept?: string },
  ) => Promise<{ status: number; body: any; headers: Headers }>;
}

export async function startTestAzdoEmulator(options: AzureDevOpsEmulatorOptions = {}): Promise<TestAzdoEmulator> {
  const emulator = new AzureDevOpsEmulator({ caDir: process.env.TENANT_SYNC_CA_DIR, ...options });
  const info = await emulator.start();
  const control = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${info.controlUrl}${path}`, {
      method,
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  const created = async <T>(path: string, body: unknown): Promise<T> => {
    const res = await control("POST", path, body);
    if (res.status !== 201) throw new Error(`POST ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body as T;
  };
  const rest: TestAzdoEmulator["rest"] = async (method, path, o = {}) => {
    const headers: Record<string, string> = { accept: o.accept ?? "application/json" };
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    if (o.body !== undefined) headers["content-type"] = o.contentType ?? "application/json";
    const res = await fetch(`${info.collectionUri}${path}`, {
      method,
      headers,
      body: o.body === undefined ? undefined : JSON.stringify(o.body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
  };
  return {
    emulator,
    info,
    control,
    rest,
    createBuild: (body) => created<EmulatedBuild>("/builds", body),
    addServiceConnection: (body) => created<EmulatedServiceConnection>("/serviceconnections", body),
    userToken: async () => (await created<{ accessToken: string }>("/tokens", { name: "test user" })).accessToken,
  };
}
