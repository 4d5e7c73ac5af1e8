/**
 * permissions — which permissions a Graph call needs, from spec/permissions.json (per method and
 * path of each resource type), with the rules the published data gets wrong corrected
 * as the service behaves: a *.Read.* permission never authorises a write, a *.ReadWrite.*
 * permission satisfies the matching read, and conditional access writes also need Policy.Read.All
 * and Application.Read.All.
 */
import { permissionsSpec } from "./spec";

export interface RequiredPermissions {
  /** At least one of these. */
  anyOf: string[];
  /** And every one of these. */
  allOf: string[];
}

const isReadOnlyPermission = (p: string) => /\.Read\./.test(p) || p.endsWith(".Read");

function candidates(resourceKey: string, kind: "read" | "write", method: string, template: string): string[] {
  const entries = permissionsSpec().resources[resourceKey]?.[kind] ?? {};
  const exact = entries[`${method} ${template.toLowerCase()}`];
  const chosen = exact ? [exact] : Object.values(entries);
  return [...new Set(chosen.flatMap((perms) => Object.keys(perms)))];
}

/** `template` is the version-less path with {id} placeholders, e.g. /devicemanagement/x/{id}/assign. */
export function requiredPermissions(resourceKey: string, method: string, template: string): RequiredPermissions {
  const isWrite = method !== "GET";
  if (!isWrite) {
    const read = candidates(resourceKey, "read", method, template);
    const write = candidates(resourceKey, "write", "POST", "").filter((p) => !isReadOnlyPermission(p));
    return { anyOf: [...new Set([...read, ...write])], allOf: [] };
  }
  const anyOf = candidates(resourceKey, "write", method, template).filter((p) => !isReadOnlyPermission(p));
  let allOf: string[] = [];
  if (resourceKey === "conditionalAccessPolicy" && method !== "DELETE")
    allOf = ["Policy.Read.All", "Application.Read.All"];
  if (resourceKey === "namedLocation") allOf = ["Policy.Read.All"];
  return { anyOf, allOf };
}

export function grantedBy(granted: Set<string>, wanted: string): boolean {
  if (granted.has(wanted)) return true;
  // A ReadWrite permission includes the matching Read.
  return isReadOnlyPermission(wanted) && granted.has(wanted.replace(".Read.", ".ReadWrite."));
}

export function isAllowed(granted: Set<string>, required: RequiredPermissions): boolean {
  const any = required.anyOf.length === 0 || required.anyOf.some((p) => grantedBy(granted, p));
  return any && required.allOf.every((p) => grantedBy(granted, p));
}

/** The read and write permission sets an app needs for everything the emulator serves. */
export function allPermissionNames(): string[] {
  return Object.keys(permissionsSpec().appRoleIds).sort();
}
