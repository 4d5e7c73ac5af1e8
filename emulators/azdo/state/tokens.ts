/**
 * tokens — access tokens: a job token (System.AccessToken of one build's job) reaches only its
 * build's project; a user token (the hub's) reaches the whole organization. Tokens are signed JWTs
 * but are checked by lookup, as issued here and not expired.
 */
import { randomUUID } from "node:crypto";
import type { Clock } from "../../../src/core/clock";
import type { Build } from "./builds";
import { JwtSigner } from "./signer";

export type AccessToken =
  | { kind: "job"; token: string; buildId: number; projectId: string; expiresAt: number }
  | { kind: "user"; token: string; name: string; expiresAt: number; id: string; uniqueName: string };

/** Who a user token speaks for; id and uniqueName default to a fresh GUID and <name>@tenant-sync.invalid. */
export interface UserIdentity {
  id?: string;
  uniqueName?: string;
}

export class TokenState {
  private readonly tokens = new Map<string, AccessToken>();
  private readonly signer = new JwtSigner();

  constructor(
    private readonly organizationId: string,
    private readonly clock: Clock,
    private readonly jobTokenLifetimeSeconds = 3600,
    /** Told of each user a token is issued to (the organisation's identities). */
    private readonly onUser: (user: { id: string; displayName: string; uniqueName: string }) => void = () => undefined,
  ) {}

  /** A job access token for the build's job; reaches the build's project only. */
  issueJobToken(build: Build, lifetimeSeconds = this.jobTokenLifetimeSeconds): AccessToken {
    const expiresAt = this.clock.now() + lifetimeSeconds * 1000;
    const token = this.mint(
      { nameid: `Build\\${build.projectId}`, "Build.BuildId": String(build.id), scp: "app_token" },
      expiresAt,
    );
    return this.keep({ kind: "job", token, buildId: build.id, projectId: build.projectId, expiresAt });
  }

  /** A user token that reaches every project (what the hub gets from SDK.getAccessToken()). */
  issueUserToken(name: string, lifetimeSeconds = 3600, identity: UserIdentity = {}): AccessToken {
    const expiresAt = this.clock.now() + lifetimeSeconds * 1000;
    const id = identity.id ?? randomUUID();
    const uniqueName = identity.uniqueName ?? `${name.toLowerCase().replace(/[^a-z0-9.]+/g, ".")}@tenant-sync.invalid`;
    const token = this.mint({ nameid: id, name, unique_name: uniqueName, scp: "vso.build_execute" }, expiresAt);
    this.onUser({ id, displayName: name, uniqueName });
    return this.keep({ kind: "user", token, name, expiresAt, id, uniqueName });
  }

  /** The token's record if it was issued here and has not expired. */
  find(token: string): AccessToken | undefined {
    const entry = this.tokens.get(token);
    return entry && entry.expiresAt > this.clock.now() ? entry : undefined;
  }

  revoke(token: string): boolean {
    return this.tokens.delete(token);
  }

  private keep(entry: AccessToken): AccessToken {
    this.tokens.set(entry.token, entry);
    return entry;
  }

  private mint(claims: Record<string, unknown>, expiresAt: number): string {
    const now = Math.floor(this.clock.now() / 1000);
    return this.signer.sign({
      ...claims,
      aui: randomUUID(),
      sid: randomUUID(),
      iss: "app.vstoken.visualstudio.com",
      aud: `app.vstoken.visualstudio.com|vso:${this.organizationId}`,
      nbf: now,
      exp: Math.floor(expiresAt / 1000),
    });
  }
}
