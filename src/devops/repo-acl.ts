/**
 * repo-acl — the build service's right to push to a tenant's repository. The runs push their
 * backups as "<project> Build Service (<org>)", which a new project lets read but not push, so
 * install reads the repository's access control list in the Git Repositories security namespace
 * and, where the build service's effective permissions lack Contribute or Create branch, allows
 * them with a merged entry. A deny (on the repository or inherited) is someone's decision: it is
 * reported, never overridden. Without the right to manage permissions, the step says what to
 * click instead. azure-devops-node-api has no Security client, so this uses its REST client.
 */
import { callFailed, statusOf, type DevOpsSession } from "./connect";

export const gitNamespaceId = "2e9eb7ed-3c0a-47d4-87c1-0ffdd275fd87";
const contribute = 4;
const createBranch = 16;
const pushBits = contribute | createBranch;
const securityVersion = "7.1";

/** The project-scoped build service's descriptor, as job tokens speak for it. */
export function buildServiceDescriptor(collectionId: string, projectId: string): string {
  return `Microsoft.TeamFoundation.ServiceIdentity;${collectionId}:Build:${projectId}`;
}

export interface RepoGrantTarget {
  org: string;
  projectId: string;
  projectName: string;
  repositoryId?: string;
  repositoryName: string;
  /** The organisation's id (connectionData's instanceId), which the descriptor names. */
  collectionId?: string;
}

interface AclEntry {
  allow?: number;
  deny?: number;
  extendedInfo?: { effectiveAllow?: number; effectiveDeny?: number };
}

const names = (bits: number) =>
  [bits & contribute && "Contribute", bits & createBranch && "Create branch"].filter(Boolean).join(" and ");

/** Gives the build service Contribute and Create branch on the repository unless it has them (or is denied them). */
export async function ensureBuildServicePush(
  s: DevOpsSession,
  t: RepoGrantTarget,
  dryRun: boolean | undefined,
  step: (mark: "+" | "=" | "!" | "i", resource: string, text: string) => void,
): Promise<void> {
  const who = `"${t.projectName} Build Service (${t.org})"`;
  const resource = `repository ${t.repositoryName}: push by the runs`;
  const byHand = `Project settings → Repositories → ${t.repositoryName} → Security → ${who}: allow Contribute and Create branch`;
  if (!t.repositoryId) {
    step("+", resource, `would allow ${who} Contribute and Create branch (once the repository exists)`);
    return;
  }
  if (!t.collectionId) {
    step(
      "i",
      resource,
      `could not tell the organisation's id (connectionData), so the grant is left to you: ${byHand}.`,
    );
    return;
  }
  const token = `repoV2/${t.projectId}/${t.repositoryId}`;
  const descriptor = buildServiceDescriptor(t.collectionId, t.projectId);
  const forbidden = (e: unknown, doing: string) => {
    if (statusOf(e) !== 403)
      throw callFailed(`${doing} of ${resource.replace(/: .*/, "")}`, e, "Manage permissions (Git repositories)");
    step(
      "!",
      resource,
      `not granted: you lack 'Manage permissions' on Git repositories (${doing.toLowerCase()} answered 403). Ask a project administrator, or do it by hand: ${byHand}.`,
    );
  };
  const base = `${s.org}_apis`;
  const query = `token=${encodeURIComponent(token)}&descriptors=${encodeURIComponent(descriptor)}&includeExtendedInfo=true`;
  let lists: { acesDictionary?: Record<string, AclEntry> }[];
  try {
    const res = await s.api.rest.get<{ value?: typeof lists }>(
      `${base}/accesscontrollists/${gitNamespaceId}?${query}&api-version=${securityVersion}`,
    );
    lists = res.result?.value ?? [];
  } catch (e) {
    forbidden(e, "Reading the permissions");
    return;
  }
  const entry = lists
    .flatMap((l) => Object.entries(l.acesDictionary ?? {}))
    .find(([d]) => d.toLowerCase() === descriptor.toLowerCase())?.[1];
  const allowed = entry?.extendedInfo?.effectiveAllow ?? entry?.allow ?? 0;
  const denied = (entry?.extendedInfo?.effectiveDeny ?? entry?.deny ?? 0) & pushBits;
  if (denied) {
    step(
      "!",
      resource,
      `${who} is denied ${names(denied)} (on the repository or inherited from the project): left as is, and the runs cannot push their backups. Remove the deny if they should: ${byHand}.`,
    );
    return;
  }
  const missing = pushBits & ~allowed;
  if (!missing) {
    step("=", resource, `${who} may push (Contribute and Create branch)`);
    return;
  }
  if (!dryRun)
    try {
      await s.api.rest.create(`${base}/accesscontrolentries/${gitNamespaceId}?api-version=${securityVersion}`, {
        token,
        merge: true,
        accessControlEntries: [{ descriptor, allow: missing, deny: 0, extendedInfo: {} }],
      });
    } catch (e) {
      forbidden(e, "Granting them");
      return;
    }
  step("+", resource, `${dryRun ? "would allow" : "allowed"} ${who} ${names(missing)} (the runs push their backups)`);
}
