/**
 * types — `tenant-sync types`: the resource types Tenant Sync manages, with their Graph collection
 * and the permissions backup (read) and deploy (write) need. --markdown prints the README table.
 */
import { allResourceTypes } from "../core/resources/registry";
import type { ResourceType } from "../core/resources/resource-type";
import { safeJson, safeOutput } from "../core/safe-text";
import type { Command } from "./command";

/** A type whose writes are restricted says so: backed up only, or updated but never created or deleted. */
function deployNeeds(t: ResourceType): string {
  if (t.writes?.allowed === "none") return "— (backup only)";
  return `${t.permissions.write.join(", ")}${t.writes?.allowed === "update" ? " (updates only)" : ""}`;
}

export function permissionsTable(): string {
  const rows = allResourceTypes.map(
    (t) =>
      `| \`${t.id}\` | ${t.title} | \`${t.version}${t.collection}\` | ${t.permissions.read.join(", ")} | ${deployNeeds(t)} |`,
  );
  return [
    "| resource type | what | Graph | backup needs | deploy needs |",
    "| --- | --- | --- | --- | --- |",
    ...rows,
  ].join("\n");
}

export const typesCommand: Command = {
  name: "types",
  summary: "List the resource types Tenant Sync manages and the permissions each needs.",
  usage: "tenant-sync types [--markdown] [--json]",
  options: {
    markdown: { type: "boolean", description: "Print a Markdown table (as in the README)." },
    json: { type: "boolean", description: "Print the declarations as JSON." },
  },
  async run(values) {
    if (values.json) process.stdout.write(`${safeJson(allResourceTypes, 2)}\n`);
    else if (values.markdown) process.stdout.write(safeOutput(`${permissionsTable()}\n`));
    else {
      const width = Math.max(...allResourceTypes.map((t) => t.id.length)) + 2;
      for (const t of allResourceTypes)
        process.stdout.write(safeOutput(`${t.id.padEnd(width)}${t.title} — ${t.version}${t.collection}\n`));
    }
    return 0;
  },
};
