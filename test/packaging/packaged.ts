/**
 * packaged — the .vsix `npm run package` made for this version, packaging first when dist/ has none
 * (so a packaging test runs on its own), and unpacking it for tests that run what ships.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import AdmZip from "adm-zip";
import { packageVersion, readManifest, root } from "./extension-files";

export const dist = join(root, "dist");

/** dist/'s .vsix file name for the manifest's publisher and id and the package.json version. */
export function vsixName(): string {
  const manifest = readManifest();
  return `${manifest.publisher}.${manifest.id}-${packageVersion().text}.vsix`;
}

/** Builds and packages when the .vsix of this version is missing. */
export function packageIfMissing(): void {
  if (existsSync(join(dist, vsixName()))) return;
  const tsx = require.resolve("tsx/cli");
  for (const script of ["scripts/build.ts", "scripts/package.ts"]) {
    const run = spawnSync(process.execPath, [tsx, script], { cwd: root, encoding: "utf8" });
    assert.equal(run.status, 0, `${script} failed:\n${run.stdout}${run.stderr}`);
  }
}

export function openVsix(): AdmZip {
  packageIfMissing();
  return new AdmZip(join(dist, vsixName()));
}

/** The .vsix unpacked into a fresh temporary folder (the caller removes it). */
export function unpackVsix(zip: AdmZip = openVsix()): string {
  const unpacked = mkdtempSync(join(tmpdir(), "tenant-sync-vsix-"));
  zip.extractAllTo(unpacked, true);
  return unpacked;
}
