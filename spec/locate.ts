/**
 * locate — finds the published Graph specification data (spec/graph/*.json) from wherever the code
 * runs: the source tree, or a bundle in dist/ that has a copy beside it.
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";

export function graphSpecDir(from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    for (const candidate of [join(dir, "graph"), join(dir, "spec", "graph")]) {
      if (existsSync(join(candidate, "entities.json"))) return candidate;
    }
    if (dirname(dir) === dir) throw new Error(`The Graph specification data (spec/graph/entities.json) was not found above ${from}.`);
  }
}
