/**
 * mock-runner-offline — lets azure-pipelines-task-lib's MockTestRunner run without a network. Before it
 * spawns a task it looks for a Node of the task's handler version under
 * $HOME/azure-pipelines-task-lib/_download and downloads one from nodejs.org if it is missing. HOME
 * goes to a fresh temporary folder, where every version mock-test.js knows is pre-seeded as a link to
 * the running node with its ".completed" marker. The versions are read from the installed library
 * (they change between releases), never written here. Must run before mock-test.js is loaded: it
 * reads HOME once, when loaded.
 */
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Node versions mock-test.js downloads, by major: { "20": "v20.13.1", … }. */
export function mockRunnerNodeVersions(): Record<string, string> {
  const source = readFileSync(require.resolve("azure-pipelines-task-lib/mock-test.js"), "utf8");
  const versions: Record<string, string> = {};
  for (const match of source.matchAll(/(\d+)\s*:\s*['"](v(\d+)\.\d+\.\d+)['"]/g)) {
    if (match[1] === match[3]) versions[match[1]] = match[2];
  }
  if (!versions["20"])
    throw new Error(
      "mock-runner-offline: found no Node versions in azure-pipelines-task-lib/mock-test.js; its download map changed shape",
    );
  return versions;
}

/** Points HOME at a temporary folder holding the pre-seeded Node copies; returns that folder. */
export function seedMockRunnerNode(): string {
  const home = mkdtempSync(join(tmpdir(), "tenant-sync-test-home-"));
  const download = join(home, "azure-pipelines-task-lib", "_download");
  const platform = process.platform === "darwin" ? "darwin" : "linux";
  for (const [major, version] of Object.entries(mockRunnerNodeVersions())) {
    const bin = join(download, `node${major}`, `node-${version}-${platform}-x64`, "bin");
    mkdirSync(bin, { recursive: true });
    symlinkSync(process.execPath, join(bin, "node"));
    writeFileSync(join(download, `node${major}.completed`), "");
  }
  process.env.HOME = home;
  return home;
}
