/**
 * pipeline-yaml — the azure-pipelines.yml `install` writes into a tenant's repository: the product's
 * template with the default of its `tenant` parameter and its schedule set and, for a sovereign
 * cloud (or a local Graph), the sign-in host and Graph URL the three tasks use. The template is
 * edited as text so its comments stay; each edit checks that its anchor is there exactly as expected.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

export interface PipelineYamlOptions {
  tenant: string;
  /** Five-field cron (UTC); the template's daily 03:00 when absent. */
  schedule?: string;
  /** Inputs of every Tenant Sync task, for clouds other than the public one. */
  authorityHost?: string;
  graphUrl?: string;
}

/** Next to src/ in a checkout and next to dist/ in the package: two folders up either way. */
export const templatePath = join(__dirname, "..", "..", "templates", "azure-pipelines.yml");

export function readTemplate(): string {
  return readFileSync(templatePath, "utf8");
}

export function isTenantName(name: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9-]{0,62}$/.test(name);
}

export function isCron(text: string): boolean {
  return /^\S+( \S+){4}$/.test(text.trim()) && /^[0-9*,/\- A-Za-z]+$/.test(text);
}

/** The tenant's pipeline YAML made from the template. */
export function pipelineYaml(o: PipelineYamlOptions, template = readTemplate()): string {
  if (!isTenantName(o.tenant))
    throw new Error(`The tenant name '${o.tenant}' is not usable in a pipeline: use letters, digits and dashes.`);
  const tenantDefault = /(- name: tenant\n(?: {4}.*\n)*? {4}default: )\S+/;
  if (!tenantDefault.test(template)) throw new Error("The template has no default for its tenant parameter.");
  let yaml = template.replace(tenantDefault, `$1${o.tenant}`);
  if (o.schedule !== undefined) {
    if (!isCron(o.schedule)) throw new Error(`The schedule '${o.schedule}' is not a five-field cron expression.`);
    const cron = /^( +- cron: )"[^"]*"(.*)$/m;
    if (!cron.test(yaml)) throw new Error("The template has no schedule to set.");
    yaml = yaml.replace(cron, `$1"${o.schedule.trim()}" # UTC, set by tenant-sync devops install`);
  }
  if (o.authorityHost || o.graphUrl) {
    const connection = /^( +)serviceConnection: tenant-sync-\$\{\{ parameters\.tenant \}\}\n/gm;
    const found = yaml.match(connection)?.length ?? 0;
    if (found !== 3) throw new Error(`The template names the service connection in ${found} tasks, not 3.`);
    yaml = yaml.replace(connection, (line, indent: string) => {
      const extra = [
        ...(o.authorityHost ? [`authorityHost: ${o.authorityHost}`] : []),
        ...(o.graphUrl ? [`graphUrl: ${o.graphUrl}`] : []),
      ];
      return line + extra.map((l) => `${indent}${l}\n`).join("");
    });
  }
  return yaml;
}
