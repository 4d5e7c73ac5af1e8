/**
 * base — the last state repo and tenant agreed on, kept in git as the branch "tenant-sync/base"
 * (its own history: one commit per settle, each tree a full snapshot). Settling replaces only the
 * objects a sync actually agreed on, so a change made in the tenant meanwhile stays drift instead
 * of silently becoming the agreement.
 */
import type { ResourceType, ResourceTypeId } from "../resources/resource-type";
import { addressOf } from "../snapshot/normalize";
import { readCommitFiles, snapshotFromFiles } from "../snapshot/read-snapshot";
import { branchHead, commitSnapshot } from "../snapshot/git-store";
import { Snapshot, type SnapshotEntry, snapshotFiles } from "../snapshot/snapshot";
import { carryRecordedHashes } from "./repo-secrets";

export const baseBranch = "tenant-sync/base";

export async function readSnapshotAt(
  repo: string,
  branch: string,
  types: readonly ResourceType[],
): Promise<{ snapshot: Snapshot; commit?: string }> {
  const commit = await branchHead(repo, branch);
  if (!commit) return { snapshot: new Snapshot() };
  const { snapshot } = snapshotFromFiles(await readCommitFiles(repo, commit), types, { strict: false });
  return { snapshot, commit };
}

export function keyOf(e: Pick<SnapshotEntry, "type" | "name">): string {
  return addressOf(e.type, e.name);
}

/**
 * The new base: the old one, with `agreed` objects taken from `tenant` (present there: that
 * version; absent: removed). Types in `replaceTypes` are taken whole from `tenant` except the
 * objects listed in `keepOld`.
 */
export function composeBase(
  old: Snapshot,
  tenant: Snapshot,
  agreed: { replaceTypes: ResourceTypeId[]; keepOld?: Set<string>; addresses?: Set<string>; ids?: Set<string> },
): Snapshot {
  const replace = new Set(agreed.replaceTypes);
  const fromTenant = (e: SnapshotEntry) =>
    (replace.has(e.type) && !agreed.keepOld?.has(keyOf(e))) || Boolean(agreed.addresses?.has(keyOf(e)));
  const next = new Snapshot();
  // An object agreed on under a new name (a rename) replaces its old entry too: match by tenant id.
  for (const e of old.entries.values()) if (!fromTenant(e) && !(e.id && agreed.ids?.has(e.id))) next.add(e);
  // The hashes of secrets deployed from the repository stay recorded while the tenant shows the same placeholder.
  const oldByKey = new Map([...old.entries.values()].map((e) => [keyOf(e), e]));
  const oldById = new Map([...old.entries.values()].filter((e) => e.id).map((e) => [`${e.type}#${e.id}`, e]));
  for (const e of tenant.entries.values())
    if (fromTenant(e)) next.add(carryRecordedHashes(oldById.get(`${e.type}#${e.id}`) ?? oldByKey.get(keyOf(e)), e));
  return next;
}

export async function commitBase(
  repo: string,
  snapshot: Snapshot,
  allTypes: readonly ResourceType[],
  message: string,
): Promise<string> {
  const result = await commitSnapshot({
    repo,
    branch: baseBranch,
    files: snapshotFiles(
      snapshot,
      allTypes.map((t) => t.id),
    ),
    replaceFolders: allTypes.map((t) => t.id),
    message,
  });
  return result.commit;
}
