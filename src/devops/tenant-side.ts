/**
 * tenant-side — what the tenant's Entra administrator must do for a tenant pipeline, with the values
 * to paste: the app registration, its federated credential (the service connection's issuer and
 * subject), the Microsoft Graph application permissions the resource types need, and the
 * admin-consent link. Azure DevOps credentials cannot create app registrations, and consent stays
 * a person's act, so `install` prints this rather than doing it (with --tenant-admin it does all but
 * the consent itself, and prints this only when the tenant refused it).
 */
import { allResourceTypes } from "../core/resources/registry";
import { auditPermissions } from "../core/sync/attribution";

export const federationAudience = "api://AzureADTokenExchange";
export const publicAuthority = "https://login.microsoftonline.com";

/**
 * Every application permission the template's pipeline needs (it backs up and deploys; ReadWrite
 * covers Read), and those the audit logs need to name who changed what in drift imports.
 */
export function graphPermissions(): string[] {
  const write = new Set(allResourceTypes.flatMap((t) => t.permissions.write));
  const read = [
    ...allResourceTypes.flatMap((t) => t.permissions.read),
    ...Object.values(auditPermissions).flat(),
  ].filter((p) => !write.has(p) && !write.has(p.replace(".Read.", ".ReadWrite.")));
  return [...new Set([...write, ...read])].sort();
}

export function adminConsentUrl(tenantId: string, clientId: string, authorityHost = publicAuthority): string {
  return `${authorityHost.replace(/\/$/, "")}/${encodeURIComponent(tenantId)}/adminconsent?client_id=${encodeURIComponent(clientId)}`;
}

export interface TenantSideValues {
  tenant: string;
  tenantId: string;
  clientId?: string;
  issuer: string;
  subject: string;
  org: string;
  authorityHost?: string;
}

/** The administrator's steps, numbered, with each value on its own line to copy. */
export function adminSteps(v: TenantSideValues): string {
  const permissions = graphPermissions();
  const lines = [
    `For an Entra administrator of tenant ${v.tenantId}:`,
    v.clientId
      ? `  1. The app registration ${v.clientId} (Entra admin center → App registrations) is the one the service connection names.`
      : `  1. Register an app: Entra admin center → App registrations → New registration "Tenant Sync – ${v.org} – ${v.tenant}", single tenant. Then run this install again with --client-id <its Application (client) ID>.`,
    "  2. Certificates & secrets → Federated credentials → Add credential → Other issuer, with:",
    `       Issuer:    ${v.issuer}`,
    `       Subject:   ${v.subject}`,
    `       Audience:  ${federationAudience}`,
    `  3. API permissions → Add a permission → Microsoft Graph → Application permissions (${permissions.length}):`,
    ...permissions.map((p) => `       ${p}`),
    v.clientId
      ? `  4. Grant admin consent: ${adminConsentUrl(v.tenantId, v.clientId, v.authorityHost)}`
      : `  4. Grant admin consent: ${adminConsentUrl(v.tenantId, "<client-id>", v.authorityHost)}`,
    "  The app needs no secret and no Azure role: the pipeline signs in with the federated credential and calls only Microsoft Graph.",
  ];
  return lines.join("\n");
}
