/**
 * connection-data — GET {org}/_apis/connectionData: who the caller's token speaks for (the
 * authenticated user, with the sign-in name in properties.Account as the service returns it) and the
 * organisation's instance id. azure-devops-node-api's WebApi.connect() reads it; onboarding takes the
 * caller as the default approver from it.
 */
import { json, type HttpResponse } from "../../http/response";
import type { AzdoRoute, RequestContext } from "../context";
import { identityOf } from "../state/approvals";

function connectionData(ctx: RequestContext): HttpResponse {
  const me = identityOf(ctx.caller!);
  const user = {
    id: me.id,
    descriptor: me.descriptor ?? `aad.${me.id}`,
    subjectDescriptor: me.descriptor ?? `aad.${me.id}`,
    providerDisplayName: me.displayName,
    isActive: true,
    properties: { Account: { $type: "System.String", $value: me.uniqueName ?? "" } },
    resourceVersion: 2,
    metaTypeId: 0,
  };
  return json({
    authenticatedUser: user,
    authorizedUser: user,
    instanceId: ctx.store.organization.id,
    deploymentId: ctx.store.organization.id,
    deploymentType: "hosted",
    locationServiceData: {
      serviceOwner: "00025394-6065-48ca-87d9-7f5672854ef7",
      defaultAccessMappingMoniker: "PublicAccessMapping",
      lastChangeId: 1,
      lastChangeId64: 1,
    },
  });
}

export const connectionDataRoutes: AzdoRoute[] = [
  { method: "GET", template: "/{org}/_apis/connectionData", isAuthenticated: true, handle: connectionData },
];
