/**
 * https — certificates for the local emulators.
 *
 * A local certificate authority lives in a folder (ca.pem + ca-key.pem), made once and reused, so a
 * client process can trust it through NODE_EXTRA_CA_CERTS, which Node reads only at start-up. Every
 * emulator start issues a fresh server certificate for localhost / 127.0.0.1 / ::1 signed by it.
 * The listeners themselves are in http/listener.ts.
 */
import { createHash, generateKeyPairSync, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import forge from "node-forge";

export interface LocalCa {
  dir: string;
  certPath: string;
  certPem: string;
  keyPem: string;
}

export interface ServerCertificate {
  certPem: string;
  keyPem: string;
}

/** Where the CA lives unless told otherwise: TENANT_SYNC_CA_DIR, else ~/.tenant-sync/emulator-ca. */
export function defaultCaDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.TENANT_SYNC_CA_DIR || join(homedir(), ".tenant-sync", "emulator-ca");
}

function newRsaKeyPair(): { publicKeyPem: string; privateKeyPem: string } {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return {
    publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
    privateKeyPem: privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
  };
}

function serialNumber(): string {
  // Positive, non-zero serial: clear the top bit.
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] & 0x7f) | 0x01;
  return bytes.toString("hex");
}

function signCertificate(options: {
  subjectCn: string;
  issuer?: { cert: forge.pki.Certificate; key: forge.pki.rsa.PrivateKey };
  publicKeyPem: string;
  privateKeyPem: string;
  days: number;
  extensions: object[];
}): string {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(options.publicKeyPem);
  cert.serialNumber = serialNumber();
  const now = new Date();
  cert.validity.notBefore = new Date(now.getTime() - 60 * 60 * 1000);
  cert.validity.notAfter = new Date(now.getTime() + options.days * 24 * 60 * 60 * 1000);
  const subject = [
    { name: "commonName", value: options.subjectCn },
    { name: "organizationName", value: "Tenant Sync emulator" },
  ];
  cert.setSubject(subject);
  cert.setIssuer(options.issuer ? options.issuer.cert.subject.attributes : subject);
  cert.setExtensions(options.extensions);
  const signingKey =
    options.issuer?.key ?? (forge.pki.privateKeyFromPem(options.privateKeyPem) as forge.pki.rsa.PrivateKey);
  cert.sign(signingKey, forge.md.sha256.create());
  return forge.pki.certificateToPem(cert);
}

/** Loads the CA in `dir`, creating it if missing. Safe against two processes creating it at once. */
export function ensureLocalCa(folder: string = defaultCaDir()): LocalCa {
  const dir = resolve(folder);
  const certPath = join(dir, "ca.pem");
  const keyPath = join(dir, "ca-key.pem");
  if (!existsSync(certPath) || !existsSync(keyPath)) {
    mkdirSync(dir, { recursive: true });
    const keys = newRsaKeyPair();
    const certPem = signCertificate({
      subjectCn: "Tenant Sync local emulator CA",
      publicKeyPem: keys.publicKeyPem,
      privateKeyPem: keys.privateKeyPem,
      days: 3650,
      extensions: [
        { name: "basicConstraints", cA: true, critical: true },
        { name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true },
        { name: "subjectKeyIdentifier" },
      ],
    });
    const suffix = `.${process.pid}.${randomBytes(4).toString("hex")}`;
    writeFileSync(keyPath + suffix, keys.privateKeyPem, { mode: 0o600 });
    writeFileSync(certPath + suffix, certPem);
    // Key first: a reader that sees ca.pem always finds its key.
    renameSync(keyPath + suffix, keyPath);
    renameSync(certPath + suffix, certPath);
  }
  return { dir, certPath, certPem: readFileSync(certPath, "utf8"), keyPem: readFileSync(keyPath, "utf8") };
}

/** A server certificate for the loopback names, signed by the local CA. */
export function issueServerCertificate(ca: LocalCa, hostnames: string[] = ["localhost"]): ServerCertificate {
  const keys = newRsaKeyPair();
  const caCert = forge.pki.certificateFromPem(ca.certPem);
  const caKey = forge.pki.privateKeyFromPem(ca.keyPem) as forge.pki.rsa.PrivateKey;
  const altNames = [
    ...hostnames.map((value) => ({ type: 2, value })),
    { type: 7, ip: "127.0.0.1" },
    { type: 7, ip: "::1" },
  ];
  const certPem = signCertificate({
    subjectCn: hostnames[0] ?? "localhost",
    issuer: { cert: caCert, key: caKey },
    publicKeyPem: keys.publicKeyPem,
    privateKeyPem: keys.privateKeyPem,
    days: 30,
    extensions: [
      { name: "basicConstraints", cA: false },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
      { name: "extKeyUsage", serverAuth: true },
      { name: "subjectAltName", altNames },
    ],
  });
  return { certPem, keyPem: keys.privateKeyPem };
}

/**
 * The file to put in NODE_EXTRA_CA_CERTS so the local CA is trusted along with any CA file the
 * variable already names; undefined when `current` already trusts it.
 */
export function trustBundleFor(ca: LocalCa, current: string | undefined): string | undefined {
  if (!current) return ca.certPath;
  let existing: string;
  try {
    existing = readFileSync(current, "utf8");
  } catch {
    return ca.certPath;
  }
  if (existing.includes(ca.certPem.trim())) return undefined;
  const bundle = join(ca.dir, `bundle-${createHash("sha256").update(current).digest("hex").slice(0, 12)}.pem`);
  writeFileSync(bundle, `${existing.trimEnd()}\n${ca.certPem}`);
  return bundle;
}
