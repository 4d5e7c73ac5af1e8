/**
 * listener — the HTTPS listener pair every emulator starts (a service port and a control port, so
 * no service token reaches the control API), both with one fresh certificate from the local CA in
 * ../https; plus reading a request body, the listening port and stopping.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { ensureLocalCa, issueServerCertificate, type LocalCa } from "../https";

export interface ListenerPair {
  ca: LocalCa;
  server: Server;
  controlServer: Server;
}

export interface ListenerOptions {
  caDir?: string;
  host?: string;
  port?: number;
  controlPort?: number;
}

/** Starts listening; rejects when the port cannot be had. */
export function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
}

/** The service listener and the control listener, both HTTPS, both on `host` (127.0.0.1). */
export async function startListenerPair(
  o: ListenerOptions,
  handle: (req: IncomingMessage, res: ServerResponse, isControl: boolean) => void,
): Promise<ListenerPair> {
  const ca = ensureLocalCa(o.caDir);
  const cert = issueServerCertificate(ca);
  const server = createServer({ key: cert.keyPem, cert: cert.certPem }, (req, res) => handle(req, res, false));
  const controlServer = createServer({ key: cert.keyPem, cert: cert.certPem }, (req, res) => handle(req, res, true));
  const host = o.host ?? "127.0.0.1";
  await listen(server, o.port ?? 0, host);
  await listen(controlServer, o.controlPort ?? 0, host);
  return { ca, server, controlServer };
}

/** Closes the listeners, dropping open connections; servers never started or already closed are skipped. */
export async function stopServers(servers: (Server | undefined)[]): Promise<void> {
  await Promise.all(
    servers.map(
      (s) =>
        new Promise<void>((resolve) => {
          if (!s || !s.listening) return resolve();
          s.close(() => resolve());
          s.closeAllConnections();
        }),
    ),
  );
}

/** The port a started server listens on. */
export function portOf(server: Server | undefined): number {
  const address = server?.address() as AddressInfo | null | undefined;
  if (!address) throw new Error("emulator not started");
  return address.port;
}

/** The whole request body. */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A request body as JSON; undefined when empty or not JSON. */
export function parseJson(raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  try {
    return JSON.parse(raw.toString("utf8"));
  } catch {
    return undefined;
  }
}
