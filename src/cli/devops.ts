/**
 * devops — `tenant-sync devops …`: the tenant pipelines of an Azure DevOps project from the
 * terminal. status (the hub's fleet view), approve / reject / run / pause / resume (the hub's
 * actions) and install (a tenant set up in one command). Only the declaration lives here;
 * devops-run.ts, loaded when the command runs, does the work (and loads azure-devops-node-api).
 */
import type { Command, OptionSpec } from "./command";
import { connectionOptions } from "./connection";

/** The engine's sign-in flags, for the identity install --tenant-admin signs in to the tenant with. */
const adminCredentialOptions: Record<string, OptionSpec> = Object.fromEntries(
  (["client-secret", "certificate", "federated-token-file", "managed-identity", "device-code"] as const).map((flag) => [
    flag,
    { ...connectionOptions[flag], description: `install --tenant-admin: ${connectionOptions[flag].description}` },
  ]),
);

export const devopsCommand: Command = {
  name: "devops",
  summary:
    "Tenant pipelines in Azure DevOps. Sub-commands: status (every tenant's status and what to do next), approve / reject TENANT… (the pending approval), run TENANT… (queue a sync), pause / resume TENANT… (the pipeline's queue), install (set a tenant up: repository, pipeline, environment with approval and lock, service connection, permissions; with --tenant-admin also the tenant's app registration). Signs in with --pat or AZURE_DEVOPS_EXT_PAT (a personal access token), --token (a bearer token), else an Entra token from DefaultAzureCredential (az login, managed or workload identity).",
  usage:
    "tenant-sync devops status|approve|reject|run|pause|resume|install [TENANT…] --org URL --project NAME [options]",
  options: {
    org: {
      type: "string",
      value: "URL",
      description: "The organisation, https://dev.azure.com/<org> (default: $SYSTEM_COLLECTIONURI).",
    },
    project: { type: "string", value: "NAME", description: "The project (default: $SYSTEM_TEAMPROJECT)." },
    pat: {
      type: "string",
      value: "PAT",
      description: "Personal access token (or AZURE_DEVOPS_EXT_PAT; prefer the variable: flags show in process lists).",
    },
    token: { type: "string", value: "TOKEN", description: "A bearer token (an Entra access token for Azure DevOps)." },
    json: { type: "boolean", description: "status, install: print JSON for scripts." },
    watch: { type: "boolean", description: "status: refresh every --interval seconds until stopped (Ctrl+C)." },
    interval: { type: "string", value: "S", description: "status --watch: seconds between refreshes.", default: "10" },
    count: { type: "string", value: "N", description: "status --watch: stop after N refreshes (default: never)." },
    comment: { type: "string", value: "TEXT", description: "approve, reject: the comment recorded with the decision." },
    revert: {
      type: "boolean",
      description: "reject: then queue a revert run (the repository's pending changes reset to the tenant).",
    },
    "all-pending": { type: "boolean", description: "approve, reject: every tenant waiting for an approval." },
    mode: { type: "string", value: "MODE", description: "run: sync (default), backupOnly or revert." },
    confirm: {
      type: "string",
      value: "LIST",
      description: "run: confirmations on top of the approval: deletes,mass,secrets (comma-separated).",
    },
    "conflict-policy": {
      type: "string",
      value: "POLICY",
      description: "run: config (default), stop, repo-wins or tenant-wins.",
    },
    tenant: {
      type: "string",
      value: "NAME",
      description: "install: the tenant's short name (letters, digits, dashes).",
    },
    "tenant-id": { type: "string", value: "ID", description: "install: the tenant's directory (tenant) id." },
    "client-id": {
      type: "string",
      value: "ID",
      description: "install: the app registration's client id (without it, the service connection waits for it).",
    },
    approvers: {
      type: "string",
      value: "LIST",
      description: "install: approvers' sign-in names, comma-separated (default: you).",
    },
    "approvers-group": { type: "string", value: "NAME", description: "install: a group as the approver instead." },
    repo: { type: "string", value: "NAME", description: "install: the git repository (default tenant-sync-<tenant>)." },
    schedule: {
      type: "string",
      value: "CRON",
      description: "install: the sync schedule, cron in UTC (default daily 03:00).",
    },
    "approval-timeout": {
      type: "string",
      value: "MIN",
      description: "install: minutes before an approval times out.",
      default: "10080",
    },
    "graph-url": {
      type: "string",
      value: "URL",
      description: "install: Microsoft Graph for the tasks, for a national cloud (default the public one).",
    },
    "authority-host": {
      type: "string",
      value: "URL",
      description: "install: the sign-in host for the tasks, for a national cloud (default login.microsoftonline.com).",
    },
    "dry-run": { type: "boolean", description: "install: print what would be created or changed; change nothing." },
    "no-run": { type: "boolean", description: "install: do not queue the first run." },
    "tenant-admin": {
      type: "boolean",
      description:
        "install: sign in to the tenant and register the app yourself (app, federated credential, service principal) instead of printing the administrator's steps; consent stays a person's act. Needs Application.ReadWrite.All (or .OwnedBy).",
    },
    "admin-client-id": {
      type: "string",
      value: "ID",
      description:
        "install --tenant-admin: the app (client) id the tenant sign-in uses (or AZURE_CLIENT_ID); with --device-code, the public client app a person signs in through.",
    },
    ...adminCredentialOptions,
  },
  // azure-devops-node-api loads only when this command runs.
  run: async (values, positionals) =>
    (require("./devops-run") as typeof import("./devops-run")).runDevOpsCommand(values, positionals),
};
