/**
 * The .vsix `npm run package` makes, opened as a zip: the two manifests tfx writes, the overview,
 * the logo, and for every task its task.json stamped with the package.json version, its bundle and
 * its icon (what else a task folder holds, and why, is bundles.test.ts's). Each task bundle is run from the unpacked .vsix with no inputs and
 * must stop at its own "input required" error, which catches a runtime file left out of the package.
 * `npm run check` packages; if no .vsix of this version is in dist/, this test packages first.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import type AdmZip from "adm-zip";
import {
  packageVersion,
  pngSize,
  readManifest,
  readTaskJson,
  taskFolders,
  type Manifest,
  type TaskJson,
} from "./extension-files";
import { dist, openVsix, unpackVsix, vsixName as vsixFileName } from "./packaged";

describe("extension package (.vsix)", function () {
  this.timeout(180_000);
  const version = packageVersion();
  const manifest = readManifest();
  const vsixName = vsixFileName();
  let zip: AdmZip;
  let names: string[];
  const text = (name: string) => {
    const entry = zip.getEntry(name);
    assert.ok(entry, `${name} is in the .vsix (it has: ${names.join(", ")})`);
    return entry.getData().toString("utf8");
  };

  before(() => {
    zip = openVsix();
    assert.deepEqual(
      readdirSync(dist).filter((f) => f.endsWith(".vsix")),
      [vsixName],
    );
    names = zip.getEntries().map((e) => e.entryName);
  });

  it("holds tfx's manifests with the package.json version, the logo and the overview", () => {
    const vsixManifest = text("extension.vsixmanifest");
    assert.ok(names.includes("[Content_Types].xml"));
    assert.match(
      vsixManifest,
      new RegExp(
        `<Identity [^>]*Id="${manifest.id}" Publisher="${manifest.publisher}" Version="${version.text.replace(/\./g, "\\.")}"`,
      ),
    );
    assert.match(
      vsixManifest,
      /Type="Microsoft\.VisualStudio\.Services\.Icons\.Default" [^>]*Path="static\/logo\.png"/,
    );
    assert.match(vsixManifest, /Type="Microsoft\.VisualStudio\.Services\.Content\.Details" [^>]*Path="overview\.md"/);
    assert.deepEqual(pngSize(zip.getEntry("static/logo.png")?.getData() ?? Buffer.alloc(0)), {
      width: 128,
      height: 128,
    });
    assert.ok(text("overview.md").startsWith("# Tenant Sync"));
  });

  it("contributes the tasks and asks for the scopes vss-extension.json declares", () => {
    const contributions = JSON.parse(text("extension.vsomanifest")) as Pick<Manifest, "contributions" | "scopes">;
    assert.deepEqual(contributions.contributions, manifest.contributions);
    assert.deepEqual(contributions.scopes, manifest.scopes);
  });

  it("carries every task with its task.json stamped with the package.json version, its bundle and icon", () => {
    for (const task of taskFolders()) {
      const source = readTaskJson(task);
      const packaged = JSON.parse(text(`tasks/${task}/task.json`)) as TaskJson;
      assert.deepEqual(
        packaged.version,
        { Major: version.Major, Minor: version.Minor, Patch: version.Patch },
        `${task}'s version`,
      );
      assert.deepEqual(
        { ...packaged, version: source.version },
        source,
        `${task}'s task.json is the source's, version aside`,
      );
      const targets = Object.values(packaged.execution as Record<string, { target: string }>).map((h) => h.target);
      for (const target of new Set(targets))
        assert.ok(names.includes(`tasks/${task}/${target}`), `${task}'s handler target ${target}`);
      const { width, height } = pngSize(zip.getEntry(`tasks/${task}/icon.png`)?.getData() ?? Buffer.alloc(0));
      assert.ok(width === height && [32, 128].includes(width), `${task}'s icon is ${width}×${height}`);
    }
  });

  it("carries the hub page: its html, script, styles and every font the styles load, no source maps, no local host page", () => {
    const html = text("hub/hub.html");
    assert.match(html, /<script src="hub\.js"><\/script>/);
    assert.match(html, /<link rel="stylesheet" href="hub\.css" \/>/);
    assert.ok(names.includes("hub/hub.js"));
    const fonts = [...text("hub/hub.css").matchAll(/url\("?\.\/(fonts\/[^")]+)"?\)/g)].map((m) => `hub/${m[1]}`);
    assert.ok(fonts.length > 0, "hub.css loads the icon fonts");
    for (const font of fonts) assert.ok(names.includes(font), `${font} is in the .vsix`);
    assert.ok(!names.some((n) => n.startsWith("hub/") && n.endsWith(".map")), "no source maps");
    assert.ok(!names.some((n) => n.startsWith("hub-host/")), "the local host page stays out of the .vsix");
    const vsixManifest = text("extension.vsixmanifest");
    assert.match(
      vsixManifest,
      /<Asset [^>]*Path="hub\/hub\.html"[^>]*Addressable="true"|Addressable="true"[^>]*Path="hub\/hub\.html"/,
    );
  });

  it("has task bundles that run from the unpacked .vsix and stop at their own 'input required' error", () => {
    const unpacked = unpackVsix(zip);
    try {
      const env = Object.fromEntries(
        Object.entries(process.env).filter(([key]) => !/^(INPUT_|ENDPOINT_|SYSTEM_|AGENT_|BUILD_|TF_BUILD)/.test(key)),
      );
      for (const task of taskFolders()) {
        const run = spawnSync(process.execPath, [join(unpacked, "tasks", task, "index.js")], {
          cwd: unpacked,
          env,
          encoding: "utf8",
          timeout: 60_000,
        });
        const output = `${run.stdout}${run.stderr}`;
        assert.doesNotMatch(output, /Cannot find module|ENOENT/, task);
        assert.match(output, /##vso\[task\.complete result=Failed;\][^\n]*input\b[^\n]*\brequired/i, task);
      }
    } finally {
      rmSync(unpacked, { recursive: true, force: true });
    }
  });
});
