/**
 * token-endpoint — the identity platform part of the emulator (login.microsoftonline.com):
 * OpenID metadata, JWKS, the v2.0 token endpoint (client secret, client certificate assertion,
 * federated assertion, device code, refresh token) and the device-code endpoint. Tokens are RS256
 * JWTs whose `roles` / `scp` come from the tenant's consented permissions.
 */
import { generateKeyPairSync, randomBytes, randomUUID, type KeyObject } from "node:crypto";
import { certificateThumbprints, decodeJwt, publicKeyFromJwk, signJwt, verifySignature, type JwtPayload } from "./jwt";
import type { AppRegistration, Tenant, TenantStore } from "./tenant-store";
import type { GraphResponse } from "./errors";

export const graphAudience = "https://graph.microsoft.com";
export const graphAppId = "00000003-0000-0000-c000-000000000000";
const federationAudience = "api://AzureADTokenExchange";

export interface IdentityOptions {
  baseUrl: () => string;
  now: () => number;
  tokenLifetimeSeconds: number;
  deviceCodeIntervalSeconds: number;
  deviceCodeLifetimeSeconds: number;
  fetchJson: (url: string) => Promise<unknown>;
}

export interface DeviceCodeEntry {
  deviceCode: string;
  userCode: string;
  tenantId: string;
  clientId: string;
  scopes: string[];
  expiresAt: number;
  state: "pending" | "approved" | "declined";
  userPrincipalName?: string;
  polls: number;
}

interface TokenError {
  error: string;
  code: number;
  description: string;
  status?: number;
}

function tokenError(e: TokenError, now: number): GraphResponse {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  return {
    status: e.status ?? 400,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store, no-cache" },
    body: {
      error: e.error,
      error_description: `AADSTS${e.code}: ${e.description}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${new Date(now).toISOString().replace("T", " ").slice(0, 19)}Z`,
      error_codes: [e.code],
      timestamp: new Date(now).toISOString().replace("T", " ").slice(0, 19) + "Z",
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `https://login.microsoftonline.com/error?code=${e.code}`,
    },
  };
}

function json(body: unknown, status = 200): GraphResponse {
  return {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store, no-cache" },
    body,
  };
}

class TokenRequestError extends Error {
  constructor(readonly detail: TokenError) {
    super(detail.description);
  }
}

function reject(error: string, code: number, description: string, status?: number): never {
  throw new TokenRequestError({ error, code, description, status });
}

export class IdentityEndpoint {
  readonly signingKey: { privateKeyPem: string; publicKey: KeyObject; kid: string };
  readonly deviceCodes = new Map<string, DeviceCodeEntry>();
  private readonly refreshTokens = new Map<
    string,
    { tenantId: string; clientId: string; upn: string; scopes: string[] }
  >();
  private readonly jwksCache = new Map<string, { keys: Record<string, unknown>[] }>();

  constructor(
    private readonly store: TenantStore,
    private readonly options: IdentityOptions,
  ) {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    this.signingKey = {
      privateKeyPem: privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
      publicKey,
      kid: randomBytes(8).toString("hex"),
    };
  }

  /** Handles identity routes; undefined when the path is not one of them. */
  async handle(method: string, url: URL, form: URLSearchParams): Promise<GraphResponse | undefined> {
    const m =
      /^\/([^/]+)\/(v2\.0\/\.well-known\/openid-configuration|discovery\/v2\.0\/keys|oauth2\/v2\.0\/token|oauth2\/v2\.0\/devicecode|discovery\/instance)$/.exec(
        url.pathname,
      );
    if (!m) return undefined;
    const [, tenantSegment, route] = m;
    const now = this.options.now();
    try {
      if (route === "discovery/instance") return this.instanceDiscovery();
      if (route === "discovery/v2.0/keys") return json(this.jwks());
      // The service answers an unknown tenant's metadata with invalid_tenant, its endpoints with invalid_request.
      const tenant = this.tenantFor(
        tenantSegment,
        route === "v2.0/.well-known/openid-configuration" ? "invalid_tenant" : "invalid_request",
      );
      if (route === "v2.0/.well-known/openid-configuration") return json(this.openIdConfiguration(tenant.id));
      if (method !== "POST") return reject("invalid_request", 900561, "The endpoint only accepts POST requests.");
      if (route === "oauth2/v2.0/devicecode") return json(this.startDeviceCode(tenant, form));
      return json(await this.token(tenant, form, url));
    } catch (e) {
      if (e instanceof TokenRequestError) return tokenError(e.detail, now);
      throw e;
    }
  }

  private tenantFor(segment: string, error: string): Tenant {
    const tenant = this.store.find(segment);
    if (!tenant)
      reject(
        error,
        90002,
        `Tenant '${segment}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
      );
    return tenant;
  }

  openIdConfiguration(tenantId: string): Record<string, unknown> {
    const base = this.options.baseUrl();
    return {
      token_endpoint: `${base}/${tenantId}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
      jwks_uri: `${base}/${tenantId}/discovery/v2.0/keys`,
      response_modes_supported: ["query", "fragment", "form_post"],
      subject_types_supported: ["pairwise"],
      id_token_signing_alg_values_supported: ["RS256"],
      response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
      scopes_supported: ["openid", "profile", "email", "offline_access"],
      issuer: `${base}/${tenantId}/v2.0`,
      request_uri_parameter_supported: false,
      userinfo_endpoint: `${base}/oidc/userinfo`,
      authorization_endpoint: `${base}/${tenantId}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${base}/${tenantId}/oauth2/v2.0/devicecode`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${base}/${tenantId}/oauth2/v2.0/logout`,
      claims_supported: [
        "sub",
        "iss",
        "aud",
        "exp",
        "iat",
        "auth_time",
        "acr",
        "nonce",
        "tid",
        "ver",
        "oid",
        "roles",
        "scp",
      ],
      kerberos_endpoint: `${base}/${tenantId}/kerberos`,
      tenant_region_scope: "EU",
      cloud_instance_name: new URL(base).host,
      cloud_graph_host_name: new URL(base).host,
      msgraph_host: new URL(base).host,
      rbac_url: base,
    };
  }

  private instanceDiscovery(): GraphResponse {
    const host = new URL(this.options.baseUrl()).host;
    return json({
      tenant_discovery_endpoint: `${this.options.baseUrl()}/{tenant}/v2.0/.well-known/openid-configuration`,
      "api-version": "1.1",
      metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
    });
  }

  jwks(): { keys: Record<string, unknown>[] } {
    const jwk = this.signingKey.publicKey.export({ format: "jwk" }) as Record<string, unknown>;
    return { keys: [{ kty: "RSA", use: "sig", kid: this.signingKey.kid, n: jwk.n, e: jwk.e }] };
  }

  private checkScope(scopeParam: string | null, appOnly: boolean): string[] {
    const scopes = (scopeParam ?? "").split(" ").filter(Boolean);
    if (scopes.length === 0)
      reject("invalid_request", 900144, "The request body must contain the following parameter: 'scope'.");
    if (appOnly) {
      const resource = scopes.find((s) => s.endsWith("/.default"));
      if (!resource || scopes.filter((s) => !["openid", "profile", "offline_access"].includes(s)).length !== 1) {
        reject(
          "invalid_scope",
          1002012,
          `The provided value for scope ${scopes.join(" ")} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
        );
      }
      this.checkResource(resource.slice(0, -"/.default".length));
    }
    return scopes;
  }

  private checkResource(resource: string): void {
    const known = [graphAudience, graphAppId, this.options.baseUrl(), `${graphAudience}/`];
    if (!known.includes(resource)) {
      reject(
        "invalid_resource",
        500011,
        `The resource principal named ${resource} was not found in the tenant. This can happen if the application has not been installed by the administrator of the tenant.`,
      );
    }
  }

  private appFor(tenant: Tenant, clientId: string | null): AppRegistration {
    if (!clientId)
      reject("invalid_request", 900144, "The request body must contain the following parameter: 'client_id'.");
    const app = tenant.app(clientId);
    if (!app)
      reject(
        "unauthorized_client",
        700016,
        `Application with identifier '${clientId}' was not found in the directory '${tenant.state.domain}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`,
      );
    return app;
  }

  private async token(tenant: Tenant, form: URLSearchParams, url: URL): Promise<Record<string, unknown>> {
    const grant = form.get("grant_type");
    const app = this.appFor(tenant, form.get("client_id"));
    switch (grant) {
      case "client_credentials": {
        this.checkScope(form.get("scope"), true);
        await this.authenticateClient(tenant, app, form, url);
        return this.appTokenResponse(tenant, app);
      }
      case "urn:ietf:params:oauth:grant-type:device_code":
      case "device_code": // MSAL sends the short form; the identity platform accepts both.
        return this.redeemDeviceCode(tenant, app, form.get("device_code"));
      case "refresh_token":
        return this.redeemRefreshToken(tenant, app, form.get("refresh_token"), form.get("scope"));
      default:
        return reject("unsupported_grant_type", 70003, `The app requested an unsupported grant type '${grant ?? ""}'.`);
    }
  }

  private async authenticateClient(
    tenant: Tenant,
    app: AppRegistration,
    form: URLSearchParams,
    url: URL,
  ): Promise<void> {
    const secret = form.get("client_secret");
    if (secret !== null) {
      if (!app.secrets.includes(secret))
        reject(
          "invalid_client",
          7000215,
          `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${app.clientId}'.`,
          401,
        );
      return;
    }
    const assertion = form.get("client_assertion");
    if (assertion === null)
      reject(
        "invalid_client",
        7000218,
        "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
        401,
      );
    if (form.get("client_assertion_type") !== "urn:ietf:params:oauth:client-assertion-type:jwt-bearer") {
      reject(
        "invalid_request",
        50027,
        "Invalid client_assertion_type; expected urn:ietf:params:oauth:client-assertion-type:jwt-bearer.",
      );
    }
    const jwt = decodeJwt(assertion);
    if (!jwt) reject("invalid_client", 50027, "JWT token is invalid or malformed.", 401);
    const nowSeconds = Math.floor(this.options.now() / 1000);
    if (typeof jwt.payload.exp === "number" && jwt.payload.exp < nowSeconds - 300) {
      reject("invalid_client", 700024, "Client assertion is not within its valid time range.", 401);
    }
    // A certificate assertion is the app speaking for itself (iss = client id). Workload identity
    // tokens (Azure DevOps, GitHub) carry x5t / kid headers too, but another issuer.
    if ((jwt.header.x5t || jwt.header["x5t#S256"]) && jwt.payload.iss === app.clientId) {
      this.verifyCertificateAssertion(tenant, app, jwt, url);
    } else {
      await this.verifyFederatedAssertion(app, jwt);
    }
  }

  private verifyCertificateAssertion(
    tenant: Tenant,
    app: AppRegistration,
    jwt: NonNullable<ReturnType<typeof decodeJwt>>,
    url: URL,
  ): void {
    const match = app.certificates
      .map(certificateThumbprints)
      .find((c) => c.x5t === jwt.header.x5t || c.x5tS256 === jwt.header["x5t#S256"]);
    if (!match)
      reject(
        "invalid_client",
        700027,
        `The certificate with identifier used to sign the client assertion is not registered on application ${app.clientId}.`,
        401,
      );
    if (!verifySignature(jwt, match.publicKey))
      reject("invalid_client", 700027, "Client assertion contains an invalid signature.", 401);
    if (jwt.payload.iss !== app.clientId || jwt.payload.sub !== app.clientId) {
      reject(
        "invalid_client",
        700023,
        "Client assertion audience claim does not match Realm issuer or subject is not the client id.",
        401,
      );
    }
    const expectedAud = `${this.options.baseUrl()}${url.pathname}`;
    const aud = jwt.payload.aud;
    const audiences = Array.isArray(aud) ? aud : [aud];
    if (
      !audiences.some(
        (a) =>
          typeof a === "string" &&
          (a === expectedAud ||
            a.startsWith(`${this.options.baseUrl()}/${tenant.id}`) ||
            a.startsWith(`${this.options.baseUrl()}/${tenant.state.domain}`)),
      )
    ) {
      reject(
        "invalid_client",
        700021,
        `Client assertion audience claim does not match Realm issuer. Expected ${expectedAud}.`,
        401,
      );
    }
  }

  private async verifyFederatedAssertion(
    app: AppRegistration,
    jwt: NonNullable<ReturnType<typeof decodeJwt>>,
  ): Promise<void> {
    const { iss, sub, aud } = jwt.payload;
    const credential = app.federatedCredentials.find((f) => f.issuer === iss && f.subject === sub);
    if (!credential) {
      reject(
        "invalid_client",
        70021,
        `No matching federated identity record found for presented assertion. Assertion Issuer: '${String(iss)}'. Assertion Subject: '${String(sub)}'. Assertion Audience: '${String(aud)}'.`,
        401,
      );
    }
    const audiences = Array.isArray(aud) ? aud : [aud];
    if (!audiences.some((a) => credential.audiences.includes(String(a)) || a === federationAudience)) {
      reject(
        "invalid_client",
        700212,
        `No matching federated identity record found for presented assertion audience '${String(aud)}'.`,
        401,
      );
    }
    const keys = credential.jwks ?? (await this.discoverIssuerKeys(credential.issuer));
    const key = keys.keys.find((k) => !jwt.header.kid || k.kid === jwt.header.kid);
    if (!key || !verifySignature(jwt, publicKeyFromJwk(key))) {
      reject(
        "invalid_client",
        700213,
        `The signature of the federated assertion from issuer '${credential.issuer}' could not be verified with its published keys.`,
        401,
      );
    }
  }

  private async discoverIssuerKeys(issuer: string): Promise<{ keys: Record<string, unknown>[] }> {
    const cached = this.jwksCache.get(issuer);
    if (cached) return cached;
    try {
      const metadata = (await this.options.fetchJson(
        `${issuer.replace(/\/$/, "")}/.well-known/openid-configuration`,
      )) as { jwks_uri?: string };
      if (!metadata.jwks_uri) throw new Error("no jwks_uri");
      const keys = (await this.options.fetchJson(metadata.jwks_uri)) as { keys: Record<string, unknown>[] };
      this.jwksCache.set(issuer, keys);
      return keys;
    } catch (e) {
      return reject(
        "invalid_client",
        700211,
        `Could not read the signing keys of issuer '${issuer}': ${(e as Error).message}.`,
        401,
      );
    }
  }

  private baseClaims(tenant: Tenant, app: AppRegistration): JwtPayload {
    const now = Math.floor(this.options.now() / 1000);
    return {
      aud: graphAudience,
      iss: `https://sts.windows.net/${tenant.id}/`,
      iat: now,
      nbf: now,
      exp: now + this.options.tokenLifetimeSeconds,
      appid: app.clientId,
      azp: app.clientId,
      app_displayname: app.displayName,
      tid: tenant.id,
      uti: randomBytes(16).toString("base64url"),
      ver: "1.0",
      xms_tcdt: 1600000000,
    };
  }

  private sign(claims: JwtPayload): string {
    return signJwt(claims, this.signingKey.privateKeyPem, { kid: this.signingKey.kid, x5t: this.signingKey.kid });
  }

  private appTokenResponse(tenant: Tenant, app: AppRegistration): Record<string, unknown> {
    const claims = {
      ...this.baseClaims(tenant, app),
      idtyp: "app",
      oid: app.clientId,
      sub: app.clientId,
      roles: [...app.roles].sort(),
    };
    if (app.roles.length === 0) delete (claims as Record<string, unknown>).roles;
    return {
      token_type: "Bearer",
      expires_in: this.options.tokenLifetimeSeconds,
      ext_expires_in: this.options.tokenLifetimeSeconds,
      access_token: this.sign(claims),
    };
  }

  private userTokenResponse(
    tenant: Tenant,
    app: AppRegistration,
    upn: string,
    requested: string[],
  ): Record<string, unknown> {
    const user =
      tenant.state.users.find((u) => u.userPrincipalName.toLowerCase() === upn.toLowerCase()) ?? tenant.state.users[0];
    const scp = [...app.scopes].sort().join(" ");
    const claims = {
      ...this.baseClaims(tenant, app),
      idtyp: "user",
      oid: user.id,
      sub: user.id,
      upn: user.userPrincipalName,
      name: user.displayName,
      scp,
    };
    const refreshToken = randomBytes(32).toString("base64url");
    this.refreshTokens.set(refreshToken, {
      tenantId: tenant.id,
      clientId: app.clientId,
      upn: user.userPrincipalName,
      scopes: requested,
    });
    const now = Math.floor(this.options.now() / 1000);
    const idToken = this.sign({
      aud: app.clientId,
      iss: `${this.options.baseUrl()}/${tenant.id}/v2.0`,
      iat: now,
      nbf: now,
      exp: now + 3600,
      name: user.displayName,
      oid: user.id,
      preferred_username: user.userPrincipalName,
      sub: user.id,
      tid: tenant.id,
      ver: "2.0",
    });
    return {
      token_type: "Bearer",
      scope: scp,
      expires_in: this.options.tokenLifetimeSeconds,
      ext_expires_in: this.options.tokenLifetimeSeconds,
      access_token: this.sign(claims),
      refresh_token: refreshToken,
      id_token: idToken,
      client_info: Buffer.from(JSON.stringify({ uid: user.id, utid: tenant.id })).toString("base64url"),
    };
  }

  private startDeviceCode(tenant: Tenant, form: URLSearchParams): Record<string, unknown> {
    const app = this.appFor(tenant, form.get("client_id"));
    if (!app.isPublicClient) {
      reject(
        "invalid_client",
        7000218,
        "The request body must contain the following parameter: 'client_assertion' or 'client_secret'. (Public client flows are not enabled on this app registration: set 'Allow public client flows' to Yes.)",
        401,
      );
    }
    const scopes = this.checkScope(form.get("scope"), false);
    const letters = "BCDFGHJKLMNPQRSTVWXZ";
    const userCode = Array.from(randomBytes(9), (b) => letters[b % letters.length]).join("");
    const deviceCode = randomBytes(48).toString("base64url");
    const expiresIn = this.options.deviceCodeLifetimeSeconds;
    this.deviceCodes.set(deviceCode, {
      deviceCode,
      userCode,
      tenantId: tenant.id,
      clientId: app.clientId,
      scopes,
      expiresAt: this.options.now() + expiresIn * 1000,
      state: "pending",
      polls: 0,
    });
    const verificationUri = `${this.options.baseUrl()}/devicelogin`;
    return {
      user_code: userCode,
      device_code: deviceCode,
      verification_uri: verificationUri,
      expires_in: expiresIn,
      interval: this.options.deviceCodeIntervalSeconds,
      message: `To sign in, use a web browser to open the page ${verificationUri} and enter the code ${userCode} to authenticate.`,
    };
  }

  private redeemDeviceCode(tenant: Tenant, app: AppRegistration, deviceCode: string | null): Record<string, unknown> {
    const entry = deviceCode ? this.deviceCodes.get(deviceCode) : undefined;
    if (!entry || entry.tenantId !== tenant.id || entry.clientId !== app.clientId) {
      reject(
        "bad_verification_code",
        70019,
        "Verification code expired or the device code is not recognised. Start a new sign-in.",
      );
    }
    entry.polls += 1;
    if (this.options.now() > entry.expiresAt) {
      this.deviceCodes.delete(entry.deviceCode);
      reject(
        "expired_token",
        70020,
        "The provided value for the input parameter 'device_code' is not valid. This device code has expired.",
      );
    }
    if (entry.state === "declined") {
      this.deviceCodes.delete(entry.deviceCode);
      reject("authorization_declined", 70000, "The user declined the sign-in request.");
    }
    if (entry.state === "pending")
      reject(
        "authorization_pending",
        70016,
        "OAuth 2.0 device flow error. Authorization is pending. Continue polling.",
      );
    this.deviceCodes.delete(entry.deviceCode);
    return this.userTokenResponse(tenant, app, entry.userPrincipalName ?? "", entry.scopes);
  }

  private redeemRefreshToken(
    tenant: Tenant,
    app: AppRegistration,
    token: string | null,
    scope: string | null,
  ): Record<string, unknown> {
    const entry = token ? this.refreshTokens.get(token) : undefined;
    if (!entry || entry.tenantId !== tenant.id || entry.clientId !== app.clientId) {
      reject(
        "invalid_grant",
        9002313,
        "Invalid request. Request is malformed or invalid: the refresh token is not recognised.",
      );
    }
    this.refreshTokens.delete(token as string);
    return this.userTokenResponse(tenant, app, entry.upn, (scope ?? "").split(" ").filter(Boolean));
  }

  /** Control: find a pending sign-in by its user code and complete or decline it. */
  settleDeviceCode(
    userCode: string,
    outcome: "approved" | "declined",
    userPrincipalName?: string,
  ): DeviceCodeEntry | undefined {
    const entry = [...this.deviceCodes.values()].find(
      (d) => d.userCode === userCode.toUpperCase().replace(/[^A-Z]/g, ""),
    );
    if (!entry) return undefined;
    entry.state = outcome;
    entry.userPrincipalName = userPrincipalName;
    return entry;
  }

  /** Verifies a Graph access token; returns its claims or a reason it is not valid. */
  verifyAccessToken(token: string): { claims: JwtPayload } | { reason: string } {
    const jwt = decodeJwt(token);
    if (!jwt)
      return {
        reason:
          token.split(".").length === 3
            ? "IDX14102: Unable to decode the header or payload of the JWT as Base64Url encoded JSON."
            : "IDX14100: JWT is not well formed, there are no dots (.).\nThe token needs to be in JWS or JWE Compact Serialization Format.",
      };
    if (jwt.header.kid !== this.signingKey.kid || !verifySignature(jwt, this.signingKey.publicKey))
      return { reason: "Access token validation failure. Invalid signature." };
    const aud = jwt.payload.aud;
    if (aud !== graphAudience && aud !== graphAppId && aud !== `${graphAudience}/`)
      return { reason: "Access token validation failure. Invalid audience." };
    const now = Math.floor(this.options.now() / 1000);
    if (typeof jwt.payload.exp !== "number" || jwt.payload.exp <= now)
      return { reason: "Lifetime validation failed, the token is expired." };
    if (typeof jwt.payload.nbf === "number" && jwt.payload.nbf > now + 300)
      return { reason: "Lifetime validation failed, the token is not yet valid." };
    return { claims: jwt.payload };
  }
}
