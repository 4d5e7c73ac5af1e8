/**
 * graph-emulator — starts a Graph emulator for a test over real HTTPS on loopback, trusting the
 * CA the test runner set up, with a few helpers for the control API.
 */
import { GraphEmulator, type GraphEmulatorOptions, type ReadyInfo } from "../../emulators/graph/server";

export interface TestEmulator {
  emulator: GraphEmulator;
  info: ReadyInfo;
  control: (method: string, path: string, body?: unknown) => Promise<{ status: number; body: any }>;
}

export async function startTestEmulator(options: GraphEmulatorOptions = {}): Promise<TestEmulator> {
  const emulator = new GraphEmulator({ caDir: process.env.TENANT_SYNC_CA_DIR, seed: "demo", ...options });
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
  return { emulator, info, control };
}
