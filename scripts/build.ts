/**
 * build — esbuild bundles of the command line into dist/, with the data files the bundle reads
 * beside it, then a smoke run of the bundle (bundlers can drop runtime files).
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";

const root = join(__dirname, "..");
const dist = join(root, "dist");

async function main(): Promise<void> {
  rmSync(dist, { recursive: true, force: true });
  mkdirSync(join(dist, "cli"), { recursive: true });
  await build({
    entryPoints: [join(root, "src/cli/main.ts")],
    outfile: join(dist, "cli/main.js"),
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    sourcemap: true,
    logLevel: "warning",
  });
  // The engine and the emulator read the published Graph schema at run time (spec/locate.ts).
  cpSync(join(root, "spec/graph"), join(dist, "spec/graph"), { recursive: true });
  const help = execFileSync(process.execPath, ["-e", `require(${JSON.stringify(join(dist, "cli/main.js"))}).main(["--help"])`], { encoding: "utf8" });
  if (!help.includes("Usage: tenant-sync")) throw new Error(`bundle smoke run printed no usage:\n${help}`);
  console.log(`built ${join("dist", "cli", "main.js")} (smoke run ok)`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
