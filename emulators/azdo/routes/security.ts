/**
 * security — the Security REST area's access control entries and lists (7.1), for the Git
 * Repositories namespace: set entries on a token (merged or replacing), and query a token's list
 * (for some descriptors, with what each inherits and ends up with, and the lists below it). The
 * build service's pushes are decided from these lists (./git pushRefusal).
 */
import { fail, json, type HttpResponse } from "../../http/response";
import { ga, type AzdoRoute, type RequestContext, type ResourceLocation } from "../context";
import { badRequest, vssError } from "../errors";
import {
  buildServiceDescriptor,
  gitNamespaceId,
  gitPermissions,
  type AccessControlEntry,
  type EffectiveEntry,
} from "../state/security";
import { listBody } from "../wire";
import { isObject, parseBody } from "./common";

const entriesLocation: ResourceLocation = {
  id: "ac08c8ff-4323-4b08-af90-bcd018d380ce",
  area: "Security",
  resourceName: "AccessControlEntries",
  resourceVersion: 1,
};
const listsLocation: ResourceLocation = {
  id: "18a2ad18-7571-46ae-bec7-0c7da1495885",
  area: "Security",
  resourceName: "AccessControlLists",
  resourceVersion: 1,
};

function namespaceOf(ctx: RequestContext): string {
  const id = ctx.params.securityNamespaceId.toLowerCase();
  if (id === gitNamespaceId) return id;
  return fail(
    vssError(
      404,
      "InvalidSecurityNamespaceException",
      `The security namespace ${ctx.params.securityNamespaceId} is not served by the emulator: only Git Repositories (${gitNamespaceId}).`,
    ),
  );
}

/** A job token speaks for its project's build service, which needs Manage permissions to change a list. */
function checkManage(ctx: RequestContext, namespaceId: string, token: string): void {
  const caller = ctx.caller;
  if (caller?.kind !== "job") return;
  const descriptor = buildServiceDescriptor(ctx.store.organization.id, caller.projectId);
  if (ctx.store.security.has(namespaceId, token, descriptor, gitPermissions.ManagePermissions)) return;
  fail(
    vssError(
      403,
      "AccessCheckException",
      `Access Denied: Build\\${caller.projectId} needs the following permission(s) on the resource ${token} to perform this action: Manage permissions`,
      "Microsoft.VisualStudio.Services.Security.AccessCheckException, Microsoft.VisualStudio.Services.WebApi",
    ),
  );
}

function bits(v: unknown, where: string): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === "number" && Number.isInteger(v) && v >= 0) return v;
  return fail(
    badRequest(`${where} must be a whole number of permission bits (GenericContribute = 4, CreateBranch = 16).`),
  );
}

function renderEntry(e: AccessControlEntry, extended?: EffectiveEntry): Record<string, unknown> {
  return {
    descriptor: e.descriptor,
    allow: e.allow,
    deny: e.deny,
    ...(extended
      ? {
          extendedInfo: {
            effectiveAllow: extended.effectiveAllow,
            effectiveDeny: extended.effectiveDeny,
            inheritedAllow: extended.inheritedAllow,
            inheritedDeny: extended.inheritedDeny,
          },
        }
      : {}),
  };
}

/** POST {org}/_apis/accesscontrolentries/{securityNamespaceId} {token, merge, accessControlEntries} */
function setEntries(ctx: RequestContext): HttpResponse {
  const namespaceId = namespaceOf(ctx);
  const body = parseBody(ctx);
  if (!isObject(body) || typeof body.token !== "string" || !body.token || !Array.isArray(body.accessControlEntries))
    return badRequest(
      "The body must be {token, merge, accessControlEntries: [{descriptor, allow, deny}]}, token like repoV2/<projectId>/<repositoryId>.",
    );
  const token = body.token;
  const entries = body.accessControlEntries.map((raw: unknown, i: number) => {
    if (!isObject(raw) || typeof raw.descriptor !== "string" || !raw.descriptor)
      return fail(badRequest(`accessControlEntries[${i}] needs a descriptor (the identity's, "Microsoft…;…").`));
    return {
      descriptor: raw.descriptor,
      allow: bits(raw.allow, `accessControlEntries[${i}].allow`),
      deny: bits(raw.deny, `accessControlEntries[${i}].deny`),
    };
  });
  checkManage(ctx, namespaceId, token);
  const set = ctx.store.security.setEntries(namespaceId, token, entries, body.merge === true);
  return json(
    listBody(
      set.map((e) => renderEntry(e)),
      ctx.format,
    ),
  );
}

/** GET {org}/_apis/accesscontrollists/{securityNamespaceId}?token=&descriptors=&includeExtendedInfo=&recurse= */
function queryLists(ctx: RequestContext): HttpResponse {
  const namespaceId = namespaceOf(ctx);
  const q = ctx.url.searchParams;
  const token = q.get("token") ?? undefined;
  const descriptors = (q.get("descriptors") ?? "")
    .split(",")
    .map((d) => d.trim())
    .filter(Boolean);
  const extended = q.get("includeExtendedInfo")?.toLowerCase() === "true";
  const recurse = q.get("recurse")?.toLowerCase() === "true";
  const security = ctx.store.security;
  const lists = security.query(namespaceId, token, recurse);
  // Asked what given identities hold on a token: the answer has their entries even where none is explicit.
  if (
    token !== undefined &&
    extended &&
    descriptors.length &&
    !lists.some((l) => l.token.toLowerCase() === token.toLowerCase())
  )
    lists.unshift({ token, inheritPermissions: true, entries: [] });
  const wanted = (d: string) =>
    descriptors.length === 0 || descriptors.some((x) => x.toLowerCase() === d.toLowerCase());
  const value = lists.map((list) => {
    const entries = list.entries.filter((e) => wanted(e.descriptor));
    if (extended && token !== undefined && list.token.toLowerCase() === token.toLowerCase())
      for (const d of descriptors)
        if (!entries.some((e) => e.descriptor.toLowerCase() === d.toLowerCase()))
          entries.push({ descriptor: d, allow: 0, deny: 0 });
    const acesDictionary = Object.fromEntries(
      entries.map((e) => [
        e.descriptor,
        renderEntry(e, extended ? security.effective(namespaceId, list.token, e.descriptor) : undefined),
      ]),
    );
    return {
      inheritPermissions: list.inheritPermissions,
      token: list.token,
      acesDictionary,
      includeExtendedInfo: extended,
    };
  });
  return json(listBody(value, ctx.format));
}

export const securityRoutes: AzdoRoute[] = [
  {
    method: "POST",
    template: "/{org}/_apis/accesscontrolentries/{securityNamespaceId}",
    handle: setEntries,
    location: entriesLocation,
  },
  {
    method: "GET",
    template: "/{org}/_apis/accesscontrollists/{securityNamespaceId}",
    handle: queryLists,
    location: listsLocation,
  },
].map((r) => ({ ...r, isAuthenticated: true, version: ga }));
