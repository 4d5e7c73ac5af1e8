/**
 * connection-data — GET {org}/_apis/connectionData: who the caller's token speaks for (the
 * authenticated user, with the sign-in name in properties.Account as the service returns it) and the
 * organisation's instance id; for a job token, the project's build service with its descriptor
 * (Microsoft.TeamFoundation.ServiceIdentity;<organisation id>:Build:<project id>). azure-devops-node-api's WebApi.connect() reads it; onboarding takes the
 * caller as the default approver from it.
 */
import { json, type HttpResponse } from "../../http/response";
import type { AzdoRoute, RequestContext } from "../context";
import { identityOf } from "../state/approvals";
import { buildServiceDescriptor } from "../state/security";

function connectionData(ctx: RequestContext): HttpResponse {
  const caller = ctx.caller!;
  const me = identityOf(caller);
  // A job token speaks for its project's build service, by the descriptor its access control entries name.
  const descriptor =
    caller.kind === "job"
      ? buildServiceDescriptor(ctx.store.organization.id, caller.projectId)
      : (me.descriptor ?? `aad.${me.id}`);
  const user = {
    id: me.id,
    descriptor,
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
