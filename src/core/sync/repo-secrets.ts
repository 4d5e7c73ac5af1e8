/**
 * repo-secrets — secret values written in the repository. Read for planning, each one becomes, in
 * memory, a reference {"$secret": pointer, "sha256": hash, "file": object file} so the diff, the plan
 * and every rendering hold no clear value; deploy reads the value back from git at the plan's repo
 * commit and checks its hash; base records the hash deployed, so the same value is not planned again.
 */
import { createHash } from "node:crypto";
import { SyncError } from "../errors";
import { getResourceType } from "../resources/registry";
import { secretConditionHolds } from "../resources/resource-type";
import { canonicalCompact } from "../snapshot/canonical-json";
import { git } from "../snapshot/git";
import {
  formatPointer,
  getAt,
  isJsonObject,
  type JsonObject,
  type JsonValue,
  matchPattern,
  parsePointer,
} from "../snapshot/pointer";
import type { SnapshotEntry } from "../snapshot/snapshot";
import { sameValue } from "./diff";
import type { Import } from "./make-plan";
import type { Change, Plan, PlannedObject } from "./plan";

/** A secret written in the repository, as the plan carries it: where to find it and its hash. */
export interface SecretReference {
  $secret: string;
  sha256: string;
  file: string;
}

/** A secret reference made from a repository value (it names the file it came from). */
export function isSecretReference(
  v: JsonValue | undefined,
): v is JsonObject & { $secret: string; sha256: string; file: string } {
  return isJsonObject(v) && typeof v.$secret === "string" && typeof v.sha256 === "string" && typeof v.file === "string";
}

/** The tenant's placeholder (from an export), possibly with the hash base recorded beside it. */
export function isTenantPlaceholder(v: JsonValue | undefined): v is JsonObject & { $secret: string } {
  return isJsonObject(v) && typeof v.$secret === "string" && !("file" in v);
}

/** sha256 (hex) of a value's compact canonical JSON. */
export function secretHash(value: JsonValue): string {
  return createHash("sha256").update(canonicalCompact(value)).digest("hex");
}

/** The repository-relative path of an entry's object file. */
export function objectFileOf(entry: Pick<SnapshotEntry, "type" | "file" | "name">): string {
  return `${entry.type}/${entry.file ?? entry.name}.json`;
}

const objectFilePath = /^(entra|intune)\.[A-Za-z0-9]+\/[^/\\]+\.json$/;

/** Every secret reference or placeholder in a value, with its pointer. */
export function secretNodes(
  value: JsonValue | undefined,
  path: (string | number)[] = [],
  out: { pointer: string; node: JsonObject }[] = [],
): { pointer: string; node: JsonObject }[] {
  if (Array.isArray(value)) value.forEach((v, i) => secretNodes(v, [...path, i], out));
  else if (isJsonObject(value)) {
    if (typeof value.$secret === "string") out.push({ pointer: formatPointer(path), node: value });
    else for (const [k, v] of Object.entries(value)) secretNodes(v, [...path, k], out);
  }
  return out;
}

function setAtPointer(root: JsonObject, pointer: string, value: JsonValue): void {
  const segments = parsePointer(pointer);
  const parent = getAt(root, formatPointer(segments.slice(0, -1)));
  const key = segments[segments.length - 1];
  if (Array.isArray(parent)) parent[Number(key)] = value;
  else if (isJsonObject(parent)) parent[key] = value;
}

/** The sibling settings of the value at `pointer` (the setting it belongs to), without the value. */
function settingOf(root: JsonObject, pointer: string): JsonValue | undefined {
  const segments = parsePointer(pointer);
  const parent = getAt(root, formatPointer(segments.slice(0, -1)));
  if (!isJsonObject(parent)) return null;
  const { [segments[segments.length - 1]]: _value, ...rest } = parent;
  return rest;
}

/**
 * A repository entry with each secret value it writes replaced by a secret reference (a copy; the
 * entry itself is left alone). Placeholders, null and "" are no values and stay as they are.
 */
export function maskRepoEntry(entry: SnapshotEntry): SnapshotEntry {
  const type = getResourceType(entry.type);
  if (!type.secrets?.length) return entry;
  let object: JsonObject | undefined;
  for (const pattern of type.secrets) {
    for (const m of matchPattern(entry.object, pattern)) {
      if (!secretConditionHolds(type, pattern, m.parent)) continue;
      if (m.value === null || m.value === "" || (isJsonObject(m.value) && "$secret" in m.value)) continue;
      object ??= structuredClone(entry.object);
      const pointer = formatPointer(m.path);
      setAtPointer(object, pointer, { $secret: pointer, sha256: secretHash(m.value), file: objectFileOf(entry) });
    }
  }
  return object ? { ...entry, object } : entry;
}

/** The same entry without the hashes base records beside its placeholders (what the tenant shows). */
export function stripRecordedHashes(entry: SnapshotEntry): SnapshotEntry {
  const recorded = secretNodes(entry.object).filter((s) => isTenantPlaceholder(s.node) && "sha256" in s.node);
  if (!recorded.length) return entry;
  const object = structuredClone(entry.object);
  for (const s of recorded) {
    const { sha256: _hash, ...placeholder } = s.node;
    setAtPointer(object, s.pointer, placeholder);
  }
  return { ...entry, object };
}

const deployedSecrets = new WeakMap<SnapshotEntry, string[]>();

/**
 * One object's three sides, made comparable: a repository secret whose hash base recorded as deployed
 * at that place (for the same setting) becomes base's placeholder, which is what the tenant shows
 * while it keeps that value; base loses its recorded hashes. A different value stays a reference, so
 * it is planned ("(secret changed)").
 */
export function equaliseSecrets<T extends { base?: SnapshotEntry; repo?: SnapshotEntry; tenant?: SnapshotEntry }>(
  triple: T,
): T {
  const { base, repo } = triple;
  if (!base) return triple;
  const out = { ...triple, base: stripRecordedHashes(base) };
  if (!repo) return out;
  const refs = secretNodes(repo.object).filter((s) => isSecretReference(s.node));
  let object: JsonObject | undefined;
  const equalised: string[] = [];
  for (const { pointer, node } of refs) {
    const recorded = getAt(base.object, pointer);
    if (!isTenantPlaceholder(recorded) || recorded.sha256 !== node.sha256) continue;
    if (!sameValue(settingOf(base.object, pointer), settingOf(repo.object, pointer))) continue;
    object ??= structuredClone(repo.object);
    const { sha256: _hash, ...placeholder } = recorded;
    setAtPointer(object, pointer, placeholder);
    equalised.push(pointer);
  }
  if (!object) return out;
  const next = { ...repo, object };
  deployedSecrets.set(next, equalised);
  return { ...out, repo: next };
}

/** Base's recorded hashes carried to the tenant's fresh version of an object, where it still shows the same setting's placeholder. */
export function carryRecordedHashes(old: SnapshotEntry | undefined, fresh: SnapshotEntry): SnapshotEntry {
  if (!old) return fresh;
  const recorded = secretNodes(old.object).filter(
    (s) => isTenantPlaceholder(s.node) && typeof s.node.sha256 === "string",
  );
  return recordHashes(
    fresh,
    recorded.map((s) => ({
      pointer: s.pointer,
      sha256: String(s.node.sha256),
      setting: settingOf(old.object, s.pointer),
    })),
  );
}

/** The tenant's object after a deploy, with the hash of each repository secret the change deployed recorded beside its placeholder. */
export function recordDeployedHashes(fresh: SnapshotEntry, after: PlannedObject): SnapshotEntry {
  const refs = secretNodes(after.object).filter((s) => isSecretReference(s.node));
  return recordHashes(
    fresh,
    refs.map((s) => ({
      pointer: s.pointer,
      sha256: String(s.node.sha256),
      setting: settingOf(after.object, s.pointer),
    })),
  );
}

function recordHashes(
  fresh: SnapshotEntry,
  hashes: { pointer: string; sha256: string; setting: JsonValue | undefined }[],
): SnapshotEntry {
  let object: JsonObject | undefined;
  for (const h of hashes) {
    const now = getAt(fresh.object, h.pointer);
    if (!isTenantPlaceholder(now) || !sameValue(settingOf(fresh.object, h.pointer), h.setting)) continue;
    object ??= structuredClone(fresh.object);
    setAtPointer(object, h.pointer, { ...now, sha256: h.sha256 });
  }
  return object ? { ...fresh, object } : fresh;
}

/**
 * What importing these objects does to secrets the repository wrote (drift, tenant-wins, revert):
 * the file gets the tenant's placeholder, never a clear value. One line per secret, for the log.
 */
export function secretsReplacedByImports(imports: Import[], repoCommit: string | undefined): string[] {
  const lines: string[] = [];
  for (const i of imports) {
    if (!i.repo || i.reason === "recordId") continue;
    const file = objectFileOf(i.repo);
    for (const pointer of deployedSecrets.get(i.repo) ?? []) {
      lines.push(
        `${i.address}: the secret written at ${pointer} in ${file} is deployed; the file now holds the tenant's placeholder for it, which keeps that value.`,
      );
    }
    for (const { pointer } of secretNodes(i.repo.object).filter((s) => isSecretReference(s.node))) {
      lines.push(
        `${i.address}: the secret written at ${pointer} in ${file} was not deployed and the file now holds the tenant's version${repoCommit ? `; the value is still in commit ${repoCommit.slice(0, 12)}` : ""}. Write it again to deploy it.`,
      );
    }
  }
  return lines;
}

/**
 * Secrets the plan sets whose value the plan's commit does not hold (written but not committed):
 * deploy reads the commit and would refuse them. One warning line per secret.
 */
export async function uncommittedSecrets(plan: Plan, repoDir: string): Promise<string[]> {
  const lines: string[] = [];
  const docs = new Map<string, JsonObject | undefined>();
  for (const change of plan.changes) {
    for (const { pointer, node } of secretNodes(change.after?.object).filter((s) => isSecretReference(s.node))) {
      const file = String(node.file);
      if (!docs.has(file))
        docs.set(file, plan.repoCommit ? await committedObject(repoDir, plan.repoCommit, file) : undefined);
      const doc = docs.get(file);
      const value = doc ? getAt(doc, pointer) : undefined;
      if (value !== undefined && secretHash(value) === node.sha256) continue;
      lines.push(
        `${change.address}: the secret written at ${pointer} in ${file} is not committed${plan.repoCommit ? ` (commit ${plan.repoCommit.slice(0, 12)} holds another value or none)` : ""}; deploy reads secrets from the plan's commit and will refuse it. Commit the file and plan again.`,
      );
    }
  }
  return lines;
}

/** The "object" of a file at a commit; undefined when the commit has no such file. */
async function committedObject(repoDir: string, commit: string, file: string): Promise<JsonObject | undefined> {
  if (!(await git(["ls-tree", "--name-only", commit, "--", file], { cwd: repoDir })).trim()) return undefined;
  try {
    const doc = JSON.parse(await git(["show", `${commit}:${file}`], { cwd: repoDir })) as unknown;
    return isJsonObject(doc) && isJsonObject(doc.object) ? doc.object : undefined;
  } catch (e) {
    if (e instanceof SyntaxError) return undefined;
    throw e;
  }
}

/** Key of a secret value read for deploy. */
export function secretKey(ref: { file: string; $secret: string }): string {
  return `${ref.file}\u0000${ref.$secret}`;
}

export type SecretValues = ReadonlyMap<string, JsonValue>;

function unavailable(change: Change, pointer: string, file: string, message: string, hint: string): never {
  throw new SyncError(
    "secret.unavailable",
    `${change.address} sets the secret at ${pointer} from ${file}, but ${message} Nothing was written.`,
    { object: change.address, hint },
  );
}

/** Lines of a value to register as log secrets (each line, and the whole). */
export function secretTexts(value: JsonValue): string[] {
  const text = typeof value === "string" ? value : canonicalCompact(value);
  return [...new Set([text, ...text.split(/\r?\n/)])].filter((t) => t.trim() !== "");
}

/**
 * The value of every secret reference in the plan's changes, read from the repository at the plan's
 * commit (`git show <commit>:<file>`) and checked against its hash. Each value is handed to
 * `setSecret` before anything else sees it. Throws secret.unavailable, naming the object, the pointer
 * and the file, when the repository, the commit or the file cannot give that exact value.
 */
export async function readRepoSecrets(
  plan: Plan,
  repoDir: string | undefined,
  setSecret: (text: string) => void = () => undefined,
): Promise<Map<string, JsonValue>> {
  const values = new Map<string, JsonValue>();
  const files = new Map<string, JsonObject>();
  for (const change of plan.changes) {
    if (change.action === "delete") continue;
    for (const { pointer, node } of secretNodes(change.after?.object).filter((s) => isSecretReference(s.node))) {
      const file = String(node.file);
      if (!objectFilePath.test(file))
        unavailable(
          change,
          pointer,
          JSON.stringify(file),
          "that is not the path of an object file of the repository.",
          "Make a new plan from the repository.",
        );
      if (!repoDir)
        unavailable(
          change,
          pointer,
          file,
          "deploy was not given the repository the value is written in.",
          "Run deploy with the repository the plan was made from (--repo DIR, or the task's repositoryPath).",
        );
      if (!plan.repoCommit)
        unavailable(
          change,
          pointer,
          file,
          "the plan names no repository commit to read it from.",
          "Commit the repository and make a new plan.",
        );
      const commit = plan.repoCommit;
      let doc = files.get(file);
      if (!doc) {
        const text = await git(["show", `${commit}:${file}`], { cwd: repoDir }).catch((e: unknown) =>
          unavailable(
            change,
            pointer,
            file,
            `the repository ${repoDir} cannot show that file at the plan's commit ${commit.slice(0, 12)} (${e instanceof Error ? e.message : String(e)}).`,
            "Commit the file before planning (deploy reads secrets from the plan's commit, not the working tree), fetch that commit if this is another clone, then make a new plan.",
          ),
        );
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = undefined;
        }
        if (!isJsonObject(parsed) || !isJsonObject(parsed.object))
          unavailable(
            change,
            pointer,
            file,
            `that file is not an object file at commit ${commit.slice(0, 12)}.`,
            "Fix the file, commit it and make a new plan.",
          );
        doc = parsed.object as JsonObject;
        files.set(file, doc);
      }
      const value = getAt(doc, pointer);
      if (value === undefined || secretHash(value) !== node.sha256) {
        unavailable(
          change,
          pointer,
          file,
          `the value that file holds there at commit ${commit.slice(0, 12)} is not the one planned (its hash differs: the file changed after it was committed, or the plan was edited).`,
          "Commit the repository as you want it and make a new plan; deploy reads secrets from the plan's commit.",
        );
      }
      for (const text of secretTexts(value)) setSecret(text);
      values.set(secretKey({ file, $secret: pointer }), value);
    }
  }
  return values;
}

/** Text with every secret value read for deploy replaced by "***" (Graph may echo a body in its error). */
export function redactSecretValues(text: string, values: SecretValues): string {
  let out = text;
  for (const value of values.values())
    for (const t of secretTexts(value).sort((a, b) => b.length - a.length)) out = out.split(t).join("***");
  return out;
}
