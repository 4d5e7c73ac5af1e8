/**
 * signer — an RSA key that signs RS256 JWTs (kid and x5t in the header) and publishes itself as a
 * JWK: the OIDC issuer's key, and the key of the job and user access tokens.
 */
import { generateKeyPairSync, randomBytes, type KeyObject } from "node:crypto";
import { signJwt } from "../../graph/jwt";

export class JwtSigner {
  readonly kid = randomBytes(20).toString("base64url");
  private readonly privateKeyPem: string;
  private readonly publicKey: KeyObject;

  constructor() {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    this.privateKeyPem = privateKey.export({ type: "pkcs1", format: "pem" }).toString();
    this.publicKey = publicKey;
  }

  sign(payload: Record<string, unknown>): string {
    return signJwt(payload, this.privateKeyPem, { kid: this.kid, x5t: this.kid });
  }

  jwk(): Record<string, unknown> {
    const { n, e } = this.publicKey.export({ format: "jwk" }) as { n: string; e: string };
    return { kty: "RSA", use: "sig", alg: "RS256", kid: this.kid, x5t: this.kid, n, e };
  }
}
