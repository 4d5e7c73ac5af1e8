/**
 * permissions — what the token grants against what the enabled resource types need, known before
 * any Graph call: app-only tokens carry `roles`, delegated ones `scp`. A ReadWrite permission
 * satisfies the matching Read. Missing permissions come with the admin-consent URL.
 */
import { tokenClaims } from "./credentials";

export interface ConsentCheck {
  granted: string[];
  missing: string[];
  consentUrl?: string;
}

export function grantedPermissions(accessToken: string): string[] {
  const claims = tokenClaims(accessToken);
  const roles = Array.isArray(claims.roles) ? claims.roles : [];
  const scopes = typeof claims.scp === "string" ? claims.scp.split(" ").filter(Boolean) : [];
  return [...new Set([...roles, ...scopes])].sort();
}

export function isGranted(granted: Set<string>, wanted: string): boolean {
  return granted.has(wanted) || (wanted.includes(".Read.") && granted.has(wanted.replace(".Read.", ".ReadWrite.")));
}

export function adminConsentUrl(authorityHost: string, tenantId: string, clientId: string): string {
  const url = new URL(`${authorityHost.replace(/\/$/, "")}/${encodeURIComponent(tenantId)}/v2.0/adminconsent`);
  url.searchParams.set("client_id", clientId);
  url.searchParams.set("scope", "https://graph.microsoft.com/.default");
  return url.toString();
}

/** `required` as one list; missing ones sorted. */
export function checkConsent(
  accessToken: string,
  required: string[],
  consent: { authorityHost: string; tenantId: string; clientId: string },
): ConsentCheck {
  const granted = grantedPermissions(accessToken);
  const set = new Set(granted);
  const missing = [...new Set(required)].filter((p) => !isGranted(set, p)).sort();
  return {
    granted,
    missing,
    consentUrl: missing.length ? adminConsentUrl(consent.authorityHost, consent.tenantId, consent.clientId) : undefined,
  };
}
