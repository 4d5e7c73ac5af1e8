/**
 * connections — service connections (workload identity federation to a Microsoft Entra app) and the
 * subject and audience Azure DevOps puts in their OIDC tokens. Nothing here speaks HTTP.
 */

export interface ServiceConnection {
  id: string;
  name: string;
  projectId: string;
  tenantId?: string;
  clientId?: string;
  /** "AzureRM" unless created otherwise over REST. */
  type?: string;
  url?: string;
  description?: string;
  /** authorization.scheme; "WorkloadIdentityFederation" unless created otherwise over REST. */
  scheme?: string;
  /** authorization.parameters other than the federation ones the service fills in. */
  parameters?: Record<string, string>;
  data?: Record<string, string>;
  createdBy?: { id: string; displayName: string; uniqueName?: string };
}

export const federationAudience = "api://AzureADTokenExchange";

/** The subject Azure DevOps puts in a service connection's OIDC token. */
export function subjectOf(organization: string, project: string, connection: string): string {
  return `sc://${organization}/${project}/${connection}`;
}

export class ConnectionState {
  readonly list: ServiceConnection[] = [];

  add(connection: ServiceConnection): ServiceConnection {
    if (this.find(connection.id)) throw new Error(`A service connection with id ${connection.id} already exists.`);
    this.list.push(connection);
    return connection;
  }

  find(id: string): ServiceConnection | undefined {
    return this.list.find((c) => c.id.toLowerCase() === id.toLowerCase());
  }

  byName(projectId: string, name: string): ServiceConnection | undefined {
    return this.list.find((c) => c.projectId === projectId && c.name.toLowerCase() === name.toLowerCase());
  }

  remove(connection: ServiceConnection): void {
    this.list.splice(this.list.indexOf(connection), 1);
  }
}
