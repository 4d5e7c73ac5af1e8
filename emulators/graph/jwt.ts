/**
 * jwt — compact JWS (RS256) signing and verification with node:crypto, for the emulator's access
 * tokens and for checking client assertions. Only what the identity platform uses.
 */
import {
  constants,
  createHash,
  createPublicKey,
  createSign,
  createVerify,
  type KeyObject,
  X509Certificate,
} from "node:crypto";

export type JwtPayload = Record<string, unknown>;
export interface DecodedJwt {
  header: Record<string, unknown>;
  payload: JwtPayload;
  signingInput: string;
  signature: Buffer;
}

export function base64url(input: Buffer | string): string {
  return Buffer.from(input).toString("base64url");
}

export function signJwt(payload: JwtPayload, privateKeyPem: string, header: Record<string, unknown> = {}): string {
  const head = base64url(JSON.stringify({ typ: "JWT", alg: "RS256", ...header }));
  const body = base64url(JSON.stringify(payload));
  const signer = createSign("RSA-SHA256");
  signer.update(`${head}.${body}`);
  return `${head}.${body}.${signer.sign(privateKeyPem).toString("base64url")}`;
}

/** Splits and parses a JWT; undefined when it is not one. */
export function decodeJwt(token: string): DecodedJwt | undefined {
  const parts = token.split(".");
  if (parts.length !== 3) return undefined;
  try {
    const header = JSON.parse(Buffer.from(parts[0], "base64url").toString("utf8")) as Record<string, unknown>;
    const payload = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8")) as JwtPayload;
    if (typeof header !== "object" || typeof payload !== "object" || !header || !payload) return undefined;
    return { header, payload, signingInput: `${parts[0]}.${parts[1]}`, signature: Buffer.from(parts[2], "base64url") };
  } catch {
    return undefined;
  }
}

export function verifySignature(jwt: DecodedJwt, key: KeyObject): boolean {
  const alg = jwt.header.alg;
  const algorithm = alg === "RS256" || alg === "PS256" ? "RSA-SHA256" : undefined;
  if (!algorithm) return false;
  const verifier = createVerify(algorithm);
  verifier.update(jwt.signingInput);
  try {
    if (alg === "PS256") {
      return verifier.verify(
        { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO },
        jwt.signature,
      );
    }
    return verifier.verify(key, jwt.signature);
  } catch {
    return false;
  }
}

/** Thumbprints the identity platform matches client certificates by (x5t = SHA-1, x5t#S256). */
export function certificateThumbprints(certPem: string): { x5t: string; x5tS256: string; publicKey: KeyObject } {
  const cert = new X509Certificate(certPem);
  return {
    x5t: createHash("sha1").update(cert.raw).digest("base64url"),
    x5tS256: createHash("sha256").update(cert.raw).digest("base64url"),
    publicKey: cert.publicKey,
  };
}

export function publicKeyFromJwk(jwk: Record<string, unknown>): KeyObject {
  return createPublicKey({ key: jwk as never, format: "jwk" });
}
