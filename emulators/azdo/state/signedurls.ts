/**
 * signedurls — links that work without a token until they expire, as the service hands out for a
 * run's logs and artifacts (signedContent): an HMAC over the path and the expiry with a secret
 * that lives only in this emulator, so a link cannot be altered or extended. Nothing here speaks HTTP.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

export type SignatureCheck = "valid" | "expired" | "invalid";

export class UrlSigner {
  private readonly secret = randomBytes(32);

  constructor(
    /** How long a signed link works; the service's last about an hour. */
    readonly lifetimeMs = 60 * 60 * 1000,
  ) {}

  /** The query that signs `path` until now + lifetime: {expires (ISO), signature (base64url)}. */
  sign(path: string, now: number): { expires: string; signature: string } {
    const expires = new Date(now + this.lifetimeMs).toISOString();
    return { expires, signature: this.mac(path, expires) };
  }

  check(path: string, expires: string | null, signature: string | null, now: number): SignatureCheck {
    if (!expires || !signature) return "invalid";
    const expected = Buffer.from(this.mac(path, expires));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return "invalid";
    const at = Date.parse(expires);
    return Number.isNaN(at) || now >= at ? "expired" : "valid";
  }

  private mac(path: string, expires: string): string {
    // Paths compare without regard to case, as the routes match them.
    return createHmac("sha256", this.secret).update(`${path.toLowerCase()}\n${expires}`).digest("base64url");
  }
}
