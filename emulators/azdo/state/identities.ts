/**
 * identities — the organisation's people and groups as the identities API (vssps) knows them: every
 * user a token was issued to, and the groups made through the control API with their members. The
 * approvals use it to let any member of a group that is an assigned approver decide for the group, as
 * the service does; install finds approvers (people by sign-in or display name, a group by name)
 * through GET {org}/_apis/identities.
 */
import { randomUUID } from "node:crypto";

export interface DirectoryIdentity {
  id: string;
  displayName: string;
  /** The sign-in name of a user; `[<scope>]\<name>` of a group. */
  uniqueName: string;
  kind: "user" | "group";
  /** A group's members' ids (users or groups). */
  members: string[];
}

const same = (x?: string, y?: string) => !!x && !!y && x.toLowerCase() === y.toLowerCase();

export class IdentityState {
  readonly list: DirectoryIdentity[] = [];

  /** Records a user (once per id; a later token for the same id keeps the first names). */
  addUser(user: { id: string; displayName: string; uniqueName: string }): DirectoryIdentity {
    const known = this.list.find((i) => same(i.id, user.id));
    if (known) return known;
    const identity: DirectoryIdentity = { ...user, kind: "user", members: [] };
    this.list.push(identity);
    return identity;
  }

  /**
   * A group named `[scope]\name` whose members are the identities named (id or sign-in name); a name
   * that is no known identity is refused with the name, so a test never builds a group it did not mean.
   */
  addGroup(scope: string, name: string, members: string[]): DirectoryIdentity | { unknown: string } {
    const ids: string[] = [];
    for (const m of members) {
      const found = this.list.find((i) => same(i.id, m) || same(i.uniqueName, m));
      if (!found) return { unknown: m };
      ids.push(found.id);
    }
    const uniqueName = `[${scope}]\\${name}`;
    const existing = this.list.find((i) => i.kind === "group" && same(i.uniqueName, uniqueName));
    if (existing) {
      existing.members = [...new Set([...existing.members, ...ids])];
      return existing;
    }
    const group: DirectoryIdentity = {
      id: randomUUID(),
      displayName: uniqueName,
      uniqueName,
      kind: "group",
      members: ids,
    };
    this.list.push(group);
    return group;
  }

  /**
   * The identities a General search finds for `value`: an exact (case-insensitive) match on the
   * display name or the sign-in name, or, for a group, on its name without the `[scope]\` part.
   */
  search(value: string): DirectoryIdentity[] {
    return this.list.filter(
      (i) =>
        same(i.displayName, value) ||
        same(i.uniqueName, value) ||
        (i.kind === "group" && same(i.uniqueName.replace(/^\[[^\]]*\]\\/, ""), value)),
    );
  }

  find(id: string): DirectoryIdentity | undefined {
    return this.list.find((i) => same(i.id, id));
  }

  /** Whether `member` (by id or sign-in name) belongs to the group `groupId`, directly or through groups in it. */
  isMember(groupId: string, member: { id?: string; uniqueName?: string }, seen = new Set<string>()): boolean {
    const group = this.find(groupId);
    if (!group || group.kind !== "group" || seen.has(group.id)) return false;
    seen.add(group.id);
    return group.members.some((m) => {
      const identity = this.find(m);
      if (!identity) return false;
      if (same(identity.id, member.id) || same(identity.uniqueName, member.uniqueName)) return true;
      return identity.kind === "group" && this.isMember(identity.id, member, seen);
    });
  }
}
