/**
 * identities — GET {org}/_apis/identities: the organisation's people and groups, found by a search
 * (`searchFilter` General, AccountName, DisplayName or MailAddress with `filterValue`) or by
 * `identityIds`, as the identities service (vssps.dev.azure.com on the real service, the collection's
 * own host here) answers: `{count, value: [Identity]}` with the sign-in name in properties.Account
 * and SchemaClassName User or Group. Install looks approvers up through it.
 */
import { fail, json, type HttpResponse } from "../../http/response";
import { ga, type AzdoRoute, type RequestContext } from "../context";
import { badRequest } from "../errors";
import type { DirectoryIdentity } from "../state/identities";
import { listBody } from "../wire";

const searchFilters = ["General", "AccountName", "DisplayName", "MailAddress"];

function render(i: DirectoryIdentity) {
  const text = (value: string) => ({ $type: "System.String", $value: value });
  const descriptor =
    i.kind === "group"
      ? `Microsoft.TeamFoundation.Identity;${i.id}`
      : `Microsoft.IdentityModel.Claims.ClaimsIdentity;${i.uniqueName}`;
  return {
    id: i.id,
    descriptor,
    subjectDescriptor: i.kind === "group" ? `vssgp.${i.id}` : `aad.${i.id}`,
    providerDisplayName: i.displayName,
    isActive: true,
    isContainer: i.kind === "group",
    members: [],
    memberOf: [],
    memberIds: i.kind === "group" ? i.members : [],
    properties: {
      SchemaClassName: text(i.kind === "group" ? "Group" : "User"),
      Account: text(i.uniqueName),
      ...(i.kind === "user" ? { Mail: text(i.uniqueName) } : {}),
    },
    resourceVersion: 2,
    metaTypeId: i.kind === "group" ? 255 : 0,
  };
}

function readIdentities(ctx: RequestContext): HttpResponse {
  const q = ctx.url.searchParams;
  const ids = q.get("identityIds");
  if (ids !== null) {
    const found = ids
      .split(",")
      .map((id) => ctx.store.identities.find(id.trim()))
      .filter((i): i is DirectoryIdentity => !!i);
    return json(listBody(found.map(render), ctx.format));
  }
  const filter = q.get("searchFilter");
  const value = q.get("filterValue");
  if (!filter || value === null)
    fail(badRequest("Give searchFilter and filterValue, identityIds or descriptors to read identities."));
  const kind = searchFilters.find((f) => f.toLowerCase() === filter.toLowerCase());
  if (!kind)
    fail(badRequest(`The value '${filter}' is not valid for searchFilter: use one of ${searchFilters.join(", ")}.`));
  const found = ctx.store.identities.search(value).filter((i) => {
    if (kind === "AccountName" || kind === "MailAddress") return i.uniqueName.toLowerCase() === value.toLowerCase();
    if (kind === "DisplayName") return i.displayName.toLowerCase() === value.toLowerCase();
    return true;
  });
  return json(listBody(found.map(render), ctx.format));
}

export const identityRoutes: AzdoRoute[] = [
  { method: "GET", template: "/{org}/_apis/identities", isAuthenticated: true, version: ga, handle: readIdentities },
];
