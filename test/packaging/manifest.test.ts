/**
 * vss-extension.json against the source tree: every task contribution points at a task folder with
 * a task.json and an entry, every task folder is contributed, the scopes are exactly the ones the
 * README justifies (each naming the calls that need it), versions come from package.json only, and
 * the icons are PNGs of the sizes the marketplace and the task picker use.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pngSize, readManifest, root, taskContributionType, taskFolders } from "./extension-files";

/** The scope table in the README's "Setting up a real organisation": scope → what needs it. */
function justifiedScopes(): Map<string, string> {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Setting up a real organisation"));
  const lines = section
    .slice(section.indexOf("| scope |"))
    .split("\n")
    .map((line) => line.trim());
  const end = lines.findIndex((line) => !line.startsWith("|"));
  const rows = lines.slice(2, end);
  return new Map(
    rows.map((row) => {
      const [scope, neededBy] = row
        .split("|")
        .slice(1, 3)
        .map((cell) => cell.trim());
      return [scope.replace(/`/g, ""), neededBy];
    }),
  );
}

describe("extension manifest (vss-extension.json)", () => {
  const manifest = readManifest();
  const taskContributions = manifest.contributions.filter((c) => c.type === taskContributionType);

  it("contributes every task folder, each from a folder with a task.json and an index.ts", () => {
    assert.deepEqual(
      taskContributions.map((c) => c.properties.name).sort(),
      taskFolders().map((t) => `tasks/${t}`),
    );
    for (const c of taskContributions) {
      assert.deepEqual(c.targets, ["ms.vss-distributed-task.tasks"], c.id);
      for (const file of ["task.json", "index.ts"])
        assert.ok(existsSync(join(root, c.properties.name ?? "", file)), `${c.properties.name}/${file}`);
      assert.ok(
        manifest.files.some((f) => f.path === c.properties.name),
        `files lists ${c.properties.name}`,
      );
    }
  });

  it("contributes the hub under Pipelines, including every host service hub/main.tsx asks for", () => {
    const hubs = manifest.contributions.filter((c) => c.type === "ms.vss-web.hub");
    assert.deepEqual(
      hubs.map((c) => c.id),
      ["tenant-sync-hub"],
    );
    const [hub] = hubs;
    assert.deepEqual(hub.targets, ["ms.vss-build-web.build-release-hub-group"]);
    assert.deepEqual(hub.properties, {
      name: "Tenant Sync",
      uri: "hub/hub.html",
      icon: "asset://static/logo.png",
      order: 100,
    });
    const asked = [...readFileSync(join(root, "hub/main.tsx"), "utf8").matchAll(/"(ms\.vss-[a-z-]+\.[a-z-]+)"/g)].map(
      (m) => m[1],
    );
    assert.ok(asked.length > 0, "hub/main.tsx names the host services it uses");
    assert.deepEqual([...(hub.includes ?? [])].sort(), [...new Set(asked)].sort());
    // The hub's folder is addressable (the browser fetches it), and its source page exists.
    assert.ok(manifest.files.some((f) => f.path === "hub" && f.addressable));
    assert.ok(existsSync(join(root, "hub/hub.html")));
  });

  it("declares exactly the scopes the README justifies, each naming the REST calls that need it", () => {
    const justified = justifiedScopes();
    assert.deepEqual([...manifest.scopes].sort(), [...justified.keys()].sort());
    for (const [scope, neededBy] of justified)
      assert.match(neededBy, /_apis\//, `${scope}: name the call (route) that needs it`);
  });

  it("leaves the version to the build, which takes it from package.json", () => {
    assert.equal(manifest.version, undefined, "vss-extension.json carries no version of its own");
  });

  it("has a 128×128 logo and an overview, and an icon for every task", () => {
    assert.deepEqual(pngSize(readFileSync(join(root, manifest.icons.default))), { width: 128, height: 128 });
    assert.ok(readFileSync(join(root, manifest.content.details.path), "utf8").startsWith("# Tenant Sync"));
    for (const task of taskFolders()) {
      const icon = [join(root, "tasks", task, "icon.png"), join(root, "static/tasks", `${task}.png`)].find(existsSync);
      assert.ok(icon, `an icon for ${task}`);
      const { width, height } = pngSize(readFileSync(icon));
      assert.ok(width === height && [32, 128].includes(width), `${task}'s icon is ${width}×${height}`);
    }
  });
});
