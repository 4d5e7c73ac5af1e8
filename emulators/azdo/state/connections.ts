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
}
