/**
 * bench-plan — `npm run bench:plan`: the plan computation for a 50,000-object tenant. The tenant is
 * the emulator's synthetic seed, normalised; base is the same; the repository changes 1 % of the
 * objects, the tenant drifts on 0.2 % and 0.1 % change on both sides (conflicts). Timed: reading
 * and checking the repository's files (JSON parse, schema), pairing, the three-way decision,
 * gates, and writing plan.json and plan.md. Prints wall time and peak RSS.
 * Target: ≤ 3 s and ≤ 1 GB at N = 50,000.
 * Usage: npm run bench:plan [-- --objects 53500]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { syntheticTenant } from "../emulators/graph/seeds";
import { resourceModels } from "../emulators/graph/service-model";
import { allResourceTypes } from "../src/core/resources/registry";
import type { ResourceType } from "../src/core/resources/resource-type";
import { normalizeObject, type ReferenceIndex } from "../src/core/snapshot/normalize";
import type { JsonObject } from "../src/core/snapshot/pointer";
import { snapshotFromFiles } from "../src/core/snapshot/read-snapshot";
import { Snapshot, type SnapshotEntry, snapshotFiles } from "../src/core/snapshot/snapshot";
import { makePlan } from "../src/core/sync/make-plan";
import { writePlanFile } from "../src/core/sync/plan-file";
import { renderMarkdown, summaryLine } from "../src/core/sync/render-plan";
import { pairObjects, type Triple } from "../src/core/sync/three-way";

// synthetic:53500 holds just over 50,000 managed objects (built-ins and singletons aside).
const { values } = parseArgs({ options: { objects: { type: "string", default: "53500" } } });
const n = Number(values.objects);

function tenantSnapshot(): Snapshot {
  const state = syntheticTenant(n, 1);
  const typeOf = new Map<string, ResourceType>();
  for (const m of resourceModels) {
    const type = allResourceTypes.find((t) => t.collection.toLowerCase() === m.path.toLowerCase());
    if (type) typeOf.set(m.key, type);
  }
  const raw = Object.entries(state.collections).flatMap(([key, objects]) => {
    const type = typeOf.get(key);
    if (!type) return [];
    return objects
      .filter((o) => !Object.entries(type.skip ?? {}).some(([k, v]) => o.props[k] === v))
      .map((o) => ({
        type,
        object: {
          id: o.id,
          ...o.props,
          ...Object.fromEntries(Object.entries(o.nav).map(([k, v]) => [k, v.map((c) => ({ id: c.id, ...c.props }))])),
        } as JsonObject,
      }));
  });
  const index: ReferenceIndex = new Map();
  for (const r of raw) {
    const names = index.get(r.type.id) ?? new Map<string, string>();
    names.set(String(r.object.id), String(r.object[r.type.naturalKey] ?? r.object.id));
    index.set(r.type.id, names);
  }
  const snapshot = new Snapshot();
  for (const r of raw) {
    const o = normalizeObject(r.type, r.object, index);
    snapshot.add({ type: o.type, id: o.id, name: o.name, object: o.object, files: o.files });
  }
  return snapshot;
}

/** A rename: a change every type can have, paired by tenant id (an update, not delete + create). */
function edited(entry: SnapshotEntry, mark: string): SnapshotEntry {
  const key = allResourceTypes.find((t) => t.id === entry.type)?.naturalKey ?? "displayName";
  if (typeof entry.object[key] !== "string") return entry;
  const name = `${entry.name} (${mark})`;
  return { ...entry, name, object: { ...entry.object, [key]: name } };
}

async function main(): Promise<void> {
  const tenant0 = tenantSnapshot();
  const entries = [...tenant0.entries.values()];
  const base = tenant0;
  const repo = new Snapshot();
  const tenant = new Snapshot();
  let repoChanged = 0;
  let drift = 0;
  let conflicts = 0;
  entries.forEach((e, i) => {
    const r = i % 100 === 0 ? edited(e, "repo") : e;
    const t = i % 500 === 1 ? edited(e, "portal") : i % 1000 === 0 ? edited(e, "portal") : e;
    if (r !== e && t !== e) conflicts++;
    else if (r !== e) repoChanged++;
    else if (t !== e) drift++;
    repo.add(r);
    tenant.add(t);
  });
  const repoFiles = snapshotFiles(
    repo,
    allResourceTypes.map((t) => t.id),
  );
  const dir = mkdtempSync(join(tmpdir(), "tenant-sync-bench-plan-"));
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  const started = performance.now();
  const phases: Record<string, number> = {};
  let mark = performance.now();
  const phase = (name: string) => {
    const now = performance.now();
    phases[`${name} s`] = Number(((now - mark) / 1000).toFixed(2));
    mark = now;
  };
  const parsed = snapshotFromFiles(repoFiles, allResourceTypes, { strict: true });
  phase("read repo");
  if (parsed.problems.length)
    throw new Error(
      `repository problems: ${parsed.problems
        .slice(0, 3)
        .map((p) => `${p.file} ${p.message}`)
        .join("; ")}`,
    );
  const triples: Triple[] = [];
  for (const type of allResourceTypes)
    triples.push(
      ...pairObjects(type.id, base.byType(type.id), parsed.snapshot.byType(type.id), tenant.byType(type.id)).triples,
    );
  phase("pair");
  const { plan, imports } = makePlan({
    triples,
    tenantId: "bench",
    createdAt: new Date().toISOString(),
    conflictPolicy: "stop",
  });
  phase("decide");
  writePlanFile(join(dir, "plan.json"), plan);
  const markdown = renderMarkdown(plan);
  phase("write");
  const wallMs = performance.now() - started;
  rmSync(dir, { recursive: true, force: true });
  console.log(
    `\nbench:plan — ${entries.length} objects in ${tenant0.types().length} resource types (synthetic:${n}); repo changes ${repoChanged}, drift ${drift}, conflicts ${conflicts}`,
  );
  console.table([
    {
      objects: entries.length,
      "repo files": repoFiles.size,
      changes: plan.changes.length,
      imports: imports.length,
      conflicts: plan.conflicts.length,
      "plan.md KB": Math.round(markdown.length / 1024),
      "wall s": (wallMs / 1000).toFixed(2),
      "peak RSS MB": Math.round(process.resourceUsage().maxRSS / 1024),
      "RSS before MB": Math.round(rssBefore / 1024 / 1024),
      ...phases,
    },
  ]);
  console.log(
    `${summaryLine(plan)}\nTarget: wall ≤ 3 s, peak RSS ≤ 1 GB (the RSS includes generating the synthetic tenant).`,
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
