/**
 * three-way — pairs the objects of base, repo and tenant, and decides for each what kind of
 * difference it is (DESIGN §2): the same, changed in the repo (to deploy), changed in the tenant
 * since base (drift, to import), or changed on both sides differently (a conflict). Pairing uses the
 * recorded tenant id first and the natural key second, so a rename is an update; one tenant id in
 * two repository files is reported, naming both. Pure.
 */
import type { ResourceTypeId } from "../resources/resource-type";
import type { SnapshotEntry } from "../snapshot/snapshot";
import { sameObject } from "./diff";
import type { PlannedObject } from "./plan";

export type Classification = "same" | "repoChanged" | "drift" | "conflict";

export interface Triple {
  type: ResourceTypeId;
  base?: SnapshotEntry;
  repo?: SnapshotEntry;
  tenant?: SnapshotEntry;
}

export interface PairingProblem {
  type: ResourceTypeId;
  kind: "duplicateName" | "duplicateId";
  name: string;
  message: string;
  /** duplicateId: the names of the objects whose files carry the id. */
  names?: string[];
}

function repoFileOf(type: ResourceTypeId, e: SnapshotEntry): string {
  return e.file ? `${type}/${e.file}.json` : `the file of ${type}[${JSON.stringify(e.name)}]`;
}

/** Repository files that carry the same tenant id: pairing would pick one of them silently. */
function duplicateIds(type: ResourceTypeId, repo: SnapshotEntry[]): PairingProblem[] {
  const byId = new Map<string, SnapshotEntry[]>();
  for (const e of repo) if (e.id) byId.set(e.id, [...(byId.get(e.id) ?? []), e]);
  return [...byId]
    .filter(([, entries]) => entries.length > 1)
    .map(([id, entries]) => ({
      type,
      kind: "duplicateId" as const,
      name: entries[0].name,
      names: entries.map((e) => e.name),
      message: `${entries.map((e) => repoFileOf(type, e)).join(" and ")} carry the same tenant id ${id}: only one file can stand for that object. Keep the id in the file of the object it belongs to and remove it from the other (which then creates a new object), or remove the copy.`,
    }));
}

export function planned(entry: SnapshotEntry | undefined): PlannedObject | undefined {
  return entry ? { object: entry.object, files: entry.files } : undefined;
}

/** What the difference is, from the three versions of one object (absent = does not exist there). */
export function classify(t: Pick<Triple, "base" | "repo" | "tenant">): Classification {
  const base = planned(t.base);
  const repo = planned(t.repo);
  const tenant = planned(t.tenant);
  if (sameObject(repo, tenant)) return "same";
  if (sameObject(repo, base)) return "drift";
  if (sameObject(tenant, base)) return "repoChanged";
  return "conflict";
}

function byName(entries: SnapshotEntry[]): Map<string, SnapshotEntry[]> {
  const map = new Map<string, SnapshotEntry[]>();
  for (const e of entries) map.set(e.name, [...(map.get(e.name) ?? []), e]);
  return map;
}

/**
 * Pairs one type's objects. An object pairs with the one holding the same tenant id; failing that,
 * with the only unpaired object of the same name. Two candidates of one name are reported, not
 * guessed, and those objects stay unpaired.
 */
export function pairObjects(
  type: ResourceTypeId,
  base: SnapshotEntry[],
  repo: SnapshotEntry[],
  tenant: SnapshotEntry[],
): { triples: Triple[]; problems: PairingProblem[] } {
  const problems: PairingProblem[] = duplicateIds(type, repo);
  const triples: Triple[] = tenant.map((t) => ({ type, tenant: t }));
  const attach = (side: "base" | "repo", entries: SnapshotEntry[]) => {
    const byId = new Map<string, Triple>();
    for (const x of triples) for (const e of [x.tenant, x.base]) if (e?.id && !byId.has(e.id)) byId.set(e.id, x);
    const unpaired: SnapshotEntry[] = [];
    for (const e of entries) {
      const match = e.id ? byId.get(e.id) : undefined;
      if (match && !match[side]) match[side] = e;
      else unpaired.push(e);
    }
    const candidatesByName = byName(
      triples.filter((x) => !x[side]).map((x) => (x.tenant ?? x.base ?? x.repo) as SnapshotEntry),
    );
    for (const e of unpaired) {
      const candidates = (candidatesByName.get(e.name) ?? [])
        .map((c) => triples.find((x) => (x.tenant ?? x.base ?? x.repo) === c && !x[side]))
        .filter((x): x is Triple => Boolean(x));
      if (candidates.length === 1) candidates[0][side] = e;
      else {
        if (candidates.length > 1)
          problems.push({
            type,
            kind: "duplicateName",
            name: e.name,
            message: `${candidates.length} objects of ${type} are named "${e.name}"; the ${side} object cannot be paired by name. Rename them so names are unique, or keep the tenant id in the file.`,
          });
        triples.push({ type, [side]: e });
      }
    }
  };
  attach("base", base);
  attach("repo", repo);
  return { triples, problems };
}
