/**
 * import-drift — brings changes made in the tenant since the last sync into the repository
 * (DESIGN §2.2): each imported object's file is rewritten to the tenant's version (or removed when
 * the tenant deleted it) and the files are committed on the current branch with a message listing
 * them. Only those files are committed; anything else in the working tree is left alone. When the
 * audit logs said who made the changes, the commit carries a Changed-By trailer per object, and
 * that person as its author when one person made them all.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { canonicalJson } from "../snapshot/canonical-json";
import { commitIdentity, git } from "../snapshot/git";
import { getResourceType } from "../resources/registry";
import { freeFileName } from "../snapshot/layout";
import { objectDocument, type SnapshotEntry } from "../snapshot/snapshot";
import { type Attribution, changedByTrailers, soleAuthor } from "./attribution";
import type { Import } from "./make-plan";

/** Suffixes of the files attached to a type's objects (".ps1"), as declared. */
function attachedSuffixes(type: string): string[] {
  return (getResourceType(type).files ?? []).map((f) => f.suffix);
}

/**
 * The files of one object: its JSON and its attached files (the declared suffixes and those its
 * JSON names), never another object's (object "X.ps1"'s "X.ps1.ps1" is not object X's).
 */
function filesOf(root: string, entry: SnapshotEntry, base: string): string[] {
  const folder = join(root, entry.type);
  if (!existsSync(folder)) return [];
  const own = new Set([
    `${base}.json`,
    ...[...attachedSuffixes(entry.type), ...Object.keys(entry.files)]
      .filter((s) => !s.endsWith(".json"))
      .map((s) => `${base}${s}`),
  ]);
  return readdirSync(folder)
    .filter((f) => own.has(f))
    .map((f) => `${entry.type}/${f}`);
}

/**
 * The object's file name (its old one, once its old files are gone, or a new one) sharing no fold key
 * with any other file of the folder, hand-named ones included: an import never writes over another's file.
 */
function freeName(root: string, entry: SnapshotEntry, old?: string): string {
  const existing = existsSync(join(root, entry.type)) ? readdirSync(join(root, entry.type)) : [];
  return freeFileName(
    { id: entry.id, name: entry.name },
    existing,
    [...new Set([...attachedSuffixes(entry.type), ...Object.keys(entry.files)])],
    old,
  );
}

export function describeImport(i: Import): string {
  if (i.reason === "recordId") return `${i.address}: tenant id ${i.tenant?.id ?? ""} recorded`;
  if (i.reason === "revert")
    return `${i.address}: ${!i.tenant ? "removed (not in the tenant)" : !i.repo ? "restored from the tenant" : "reset to the tenant's version"}`;
  const what = !i.tenant ? "deleted in the tenant" : !i.repo ? "added in the tenant" : "changed in the tenant";
  return `${i.address}: ${what}${i.reason === "tenantWins" ? " (conflict: the tenant wins)" : ""}`;
}

/**
 * Writes the imports into the working tree and commits them; returns the commit (or undefined when
 * none). `title` replaces the first line of the commit message; `changedBy` (by address) names who
 * made each tenant change.
 */
export async function importDrift(
  repoDir: string,
  imports: Import[],
  tenantId: string,
  title?: string,
  changedBy: Map<string, Attribution> = new Map(),
): Promise<string | undefined> {
  if (imports.length === 0) return undefined;
  const touched = new Set<string>();
  for (const i of imports) {
    const old = i.repo?.file ? filesOf(repoDir, i.repo, i.repo.file) : [];
    for (const f of old) {
      rmSync(join(repoDir, f), { force: true });
      touched.add(f);
    }
    if (!i.tenant) continue;
    const base = freeName(repoDir, i.tenant, i.repo?.file);
    mkdirSync(join(repoDir, i.type), { recursive: true });
    const entry = { ...i.tenant, file: base };
    writeFileSync(join(repoDir, i.type, `${base}.json`), canonicalJson(objectDocument(entry)));
    touched.add(`${i.type}/${base}.json`);
    for (const [suffix, content] of Object.entries(entry.files)) {
      writeFileSync(join(repoDir, i.type, `${base}${suffix}`), content);
      touched.add(`${i.type}/${base}${suffix}`);
    }
  }
  const paths = [...touched].sort();
  await git(["add", "-A", "--", ...paths], { cwd: repoDir });
  const staged = (await git(["diff", "--cached", "--name-only", "--", ...paths], { cwd: repoDir })).trim();
  if (!staged) return undefined;
  const message = [
    title ??
      `Import ${imports.length} change${imports.length === 1 ? "" : "s"} made in tenant ${tenantId} since the last sync`,
    "",
    ...imports.map((i) => `- ${describeImport(i)}`),
    "",
  ];
  const trailers = changedByTrailers(imports, changedBy);
  if (trailers.length) message.push(...trailers, "");
  await git(["commit", "-q", "-F", "-", "--", ...paths], {
    cwd: repoDir,
    input: message.join("\n"),
    env: { ...(await commitIdentity(repoDir)), ...soleAuthor(imports, changedBy) },
  });
  return (await git(["rev-parse", "HEAD"], { cwd: repoDir })).trim();
}
