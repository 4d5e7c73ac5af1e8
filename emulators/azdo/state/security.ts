/**
 * security — access control lists of security namespaces, as the Security REST area keeps them:
 * per namespace, one list per token, holding one entry (allow and deny bits) per identity
 * descriptor. Only the Git Repositories namespace is evaluated: its tokens form a hierarchy
 * (repoV2, repoV2/{projectId}, repoV2/{projectId}/{repositoryId}), an entry on a token applies
 * below it, an explicit bit on the lower token wins over an inherited one, and on the same token
 * deny wins over allow. Nothing here speaks HTTP.
 */

/** The Git Repositories namespace and the bits of its permissions. */
export const gitNamespaceId = "2e9eb7ed-3c0a-47d4-87c1-0ffdd275fd87";
export const gitPermissions = {
  Administer: 1,
  GenericRead: 2,
  GenericContribute: 4,
  ForcePush: 8,
  CreateBranch: 16,
  CreateTag: 32,
  ManageNote: 64,
  PolicyExempt: 128,
  CreateRepository: 256,
  DeleteRepository: 512,
  RenameRepository: 1024,
  EditPolicies: 2048,
  RemoveOthersLocks: 4096,
  ManagePermissions: 8192,
  PullRequestContribute: 16384,
  PullRequestBypassPolicy: 32768,
} as const;
export type GitPermission = keyof typeof gitPermissions;

/** The project-scoped build service ("<project> Build Service (<org>)"), as job tokens speak for it. */
export function buildServiceDescriptor(organizationId: string, projectId: string): string {
  return `Microsoft.TeamFoundation.ServiceIdentity;${organizationId}:Build:${projectId}`;
}

export function gitProjectToken(projectId: string): string {
  return `repoV2/${projectId}`;
}

export function gitRepositoryToken(projectId: string, repositoryId: string): string {
  return `repoV2/${projectId}/${repositoryId}`;
}

export interface AccessControlEntry {
  descriptor: string;
  allow: number;
  deny: number;
}

export interface AccessControlList {
  token: string;
  inheritPermissions: boolean;
  entries: AccessControlEntry[];
}

/** What applies to one identity on one token: its own bits and what it inherits from the tokens above. */
export interface EffectiveEntry extends AccessControlEntry {
  inheritedAllow: number;
  inheritedDeny: number;
  effectiveAllow: number;
  effectiveDeny: number;
}

const key = (s: string) => s.toLowerCase();

export class SecurityState {
  private readonly namespaces = new Map<string, Map<string, AccessControlList>>();

  private lists(namespaceId: string): Map<string, AccessControlList> {
    let lists = this.namespaces.get(key(namespaceId));
    if (!lists) this.namespaces.set(key(namespaceId), (lists = new Map()));
    return lists;
  }

  /**
   * Sets entries on a token's list. With merge an existing entry for the descriptor keeps its bits
   * except those the new one names (allow or deny), which take the new state; without, it is replaced.
   */
  setEntries(namespaceId: string, token: string, entries: AccessControlEntry[], merge: boolean): AccessControlEntry[] {
    const lists = this.lists(namespaceId);
    let list = lists.get(key(token));
    if (!list) lists.set(key(token), (list = { token, inheritPermissions: true, entries: [] }));
    return entries.map((e) => {
      const at = list.entries.findIndex((x) => key(x.descriptor) === key(e.descriptor));
      const old = at >= 0 ? list.entries[at] : undefined;
      const named = e.allow | e.deny;
      const next: AccessControlEntry =
        old && merge
          ? {
              descriptor: old.descriptor,
              allow: ((old.allow & ~named) | e.allow) & ~e.deny,
              deny: (old.deny & ~named) | e.deny,
            }
          : { descriptor: e.descriptor, allow: e.allow & ~e.deny, deny: e.deny };
      if (at >= 0) list.entries[at] = next;
      else list.entries.push(next);
      return { ...next };
    });
  }

  /** The lists of a namespace: all, the token's, or with recurse also those below it. */
  query(namespaceId: string, token?: string, recurse = false): AccessControlList[] {
    const all = [...this.lists(namespaceId).values()];
    if (token === undefined) return all;
    const t = key(token);
    return all.filter((l) => key(l.token) === t || (recurse && key(l.token).startsWith(`${t}/`)));
  }

  entry(namespaceId: string, token: string, descriptor: string): AccessControlEntry | undefined {
    const list = this.lists(namespaceId).get(key(token));
    return list?.entries.find((e) => key(e.descriptor) === key(descriptor));
  }

  /** The identity's bits on the token, with what the tokens above give it (Git Repositories' hierarchy). */
  effective(namespaceId: string, token: string, descriptor: string): EffectiveEntry {
    const parts = token.split("/");
    let allow = 0;
    let deny = 0;
    let inheritedAllow = 0;
    let inheritedDeny = 0;
    for (let i = 1; i <= parts.length; i++) {
      const at = parts.slice(0, i).join("/");
      const list = this.lists(namespaceId).get(key(at));
      if (list && !list.inheritPermissions) [allow, deny] = [0, 0];
      if (i === parts.length) [inheritedAllow, inheritedDeny] = [allow, deny];
      const own = this.entry(namespaceId, at, descriptor);
      if (!own) continue;
      const explicit = own.allow | own.deny;
      deny = own.deny | (deny & ~explicit);
      allow = (own.allow & ~own.deny) | (allow & ~explicit);
    }
    const own = this.entry(namespaceId, token, descriptor);
    return {
      descriptor: own?.descriptor ?? descriptor,
      allow: own?.allow ?? 0,
      deny: own?.deny ?? 0,
      inheritedAllow,
      inheritedDeny,
      effectiveAllow: allow,
      effectiveDeny: deny,
    };
  }

  /**
   * A new project's Git Repositories list: its build service may read (clone, fetch) every
   * repository of the project, and nothing more until someone grants it.
   */
  seedProject(organizationId: string, projectId: string): void {
    const descriptor = buildServiceDescriptor(organizationId, projectId);
    this.setEntries(
      gitNamespaceId,
      gitProjectToken(projectId),
      [{ descriptor, allow: gitPermissions.GenericRead, deny: 0 }],
      true,
    );
  }

  /** Whether the identity holds every one of the bits on the token. */
  has(namespaceId: string, token: string, descriptor: string, bits: number): boolean {
    const e = this.effective(namespaceId, token, descriptor);
    return (e.effectiveAllow & bits) === bits && (e.effectiveDeny & bits) === 0;
  }
}
