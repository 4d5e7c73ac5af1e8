/**
 * tenant-pipeline — the azure-pipelines.yml a tenant's repository holds in the local Azure DevOps:
 * the product's template with its `tenant` default set, and the two inputs that point the tasks at
 * the local Microsoft Graph and its sign-in endpoint instead of the public cloud (what a sovereign
 * cloud's pipeline sets too). A tenant may sign in with a device code instead of the service
 * connection. The template is edited as text, so its comments stay; each edit checks its anchor.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

export interface TenantPipelineOptions {
  tenant: string;
  graphUrl: string;
  authorityHost: string;
  /** Sign in with a device code (a person enters it) instead of the service connection. */
  deviceCode?: { tenantId: string; clientId: string; timeoutSeconds?: number };
}

export const templatePath = join(__dirname, "..", "..", "templates", "azure-pipelines.yml");

/** The template's text (read once per call; it is small). */
export function readTemplate(): string {
  return readFileSync(templatePath, "utf8");
}

/** The tenant's pipeline YAML made from the template. */
export function tenantPipelineYaml(o: TenantPipelineOptions, template = readTemplate()): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9-]*$/.test(o.tenant))
    throw new Error(`The tenant name '${o.tenant}' is not usable in a pipeline: use letters, digits and dashes.`);
  const defaults = /(- name: tenant\n(?: {4}.*\n)*? {4}default: )\S+/;
  if (!defaults.test(template)) throw new Error("The template has no default for its tenant parameter.");
  let yaml = template.replace(defaults, `$1${o.tenant}`);
  const connection = /^( +)serviceConnection: tenant-sync-\$\{\{ parameters\.tenant \}\}\n/gm;
  const found = yaml.match(connection)?.length ?? 0;
  if (found !== 3) throw new Error(`The template names the service connection in ${found} tasks, not 3.`);
  yaml = yaml.replace(connection, (_line, indent: string) => {
    const lines = o.deviceCode
      ? [
          "authentication: deviceCode",
          `tenantId: ${o.deviceCode.tenantId}`,
          `clientId: ${o.deviceCode.clientId}`,
          ...(o.deviceCode.timeoutSeconds ? [`deviceCodeTimeout: ${o.deviceCode.timeoutSeconds}`] : []),
        ]
      : ["serviceConnection: tenant-sync-${{ parameters.tenant }}"];
    lines.push(`authorityHost: ${o.authorityHost} # the local Microsoft Graph`, `graphUrl: ${o.graphUrl}`);
    return lines.map((l) => `${indent}${l}\n`).join("");
  });
  return yaml;
}

/** The names the template declares under `parameters:` (a run passing another is refused). */
export function declaredParameters(template = readTemplate()): string[] {
  const block = /^parameters:\n((?:[ #].*\n|\n)*)/m.exec(template)?.[1] ?? "";
  return [...block.matchAll(/^ {2}- name: (\S+)/gm)].map((m) => m[1]);
}
