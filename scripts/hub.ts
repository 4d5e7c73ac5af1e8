/**
 * hub — `npm run hub`: the Tenant Sync hub to look at and click through locally. Builds dist/ (the
 * hub page, its local host page, the task bundles the pipelines run), starts `tenant-sync emulate
 * devops` with a scenario (demo by default; `npm run hub -- --scenario statuses` for every status;
 * other arguments go to that command too) and prints the hub's address once the organisation is
 * ready. Ctrl+C stops it.
 */
import { spawn, spawnSync } from "node:child_process";
import { join } from "node:path";

const root = join(__dirname, "..");
const args = process.argv.slice(2);
if (!args.includes("--scenario")) args.push("--scenario", "demo");

const build = spawnSync(process.execPath, [require.resolve("tsx/cli"), join(__dirname, "build.ts")], {
  stdio: ["ignore", "ignore", "inherit"],
});
if (build.status !== 0) {
  console.error("npm run hub: building dist/ failed (above); fix it, then run npm run hub again.");
  process.exit(build.status ?? 1);
}

const child = spawn(process.execPath, [join(root, "bin/tenant-sync.js"), "emulate", "devops", ...args], {
  stdio: ["ignore", "pipe", "inherit"],
});
let stdout = "";
child.stdout.on("data", (chunk: Buffer) => {
  if (stdout.includes("\n")) return;
  stdout += chunk.toString("utf8");
  if (!stdout.includes("\n")) return;
  const ready = JSON.parse(stdout.split("\n")[0]) as {
    hubUrl: string;
    caCertPath: string;
    user: { displayName: string };
  };
  const line = "─".repeat(Math.max(ready.hubUrl.length + 4, 40));
  process.stdout.write(
    [
      "",
      line,
      `  Tenant Sync hub, signed in as ${ready.user.displayName}:`,
      "",
      `  ${ready.hubUrl}`,
      `  dark theme: ${ready.hubUrl}?theme=dark`,
      line,
      `Your browser does not know the local CA (${ready.caCertPath}): trust it, or accept the certificate`,
      "warning of both origins (the page's and the hub's files on https://localhost:<port>/, opened once directly).",
      "Ctrl+C stops the local Azure DevOps.",
      "",
    ].join("\n"),
  );
});
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
child.on("exit", (code) => process.exit(code ?? 0));
