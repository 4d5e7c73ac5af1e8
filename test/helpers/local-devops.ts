/**
 * local-devops — a local Azure DevOps organisation (emulators/local-devops) for tests that drive
 * whole pipeline runs as a person or the hub would: only through the REST API (the published
 * clients, or plain fetch where no client exists), the Graph emulator's control API and git over
 * smart HTTP. The agent runs the task bundles of dist/tasks (scripts/test.ts builds them when
 * stale). Waiting is polling with a deadline that says what never happened.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as azdev from "azure-devops-node-api";
import type { IBuildApi } from "azure-devops-node-api/BuildApi";
import type { IGitApi } from "azure-devops-node-api/GitApi";
import type { Build, Timeline, TimelineRecord } from "azure-devops-node-api/interfaces/BuildInterfaces";
import { BuildStatus } from "azure-devops-node-api/interfaces/BuildInterfaces";
import type { BuildRestClient as BuildRestClientType } from "azure-devops-extension-api/Build";
import type { PipelinesRestClient as PipelinesRestClientType } from "azure-devops-extension-api/Pipelines";
import {
  LocalDevOps,
  type LocalDevOpsOptions,
  type LocalDevOpsReadyInfo,
} from "../../emulators/local-devops/organization";
import { runFact } from "../../src/core/status/run-facts";
import { gitOk } from "./azdo-git";

// The extension clients' fetch polyfill looks for a browser's `self`; Node's own fetch stays in use.
(globalThis as { self?: unknown }).self ??= globalThis;
const { BuildRestClient } = require("azure-devops-extension-api/Build") as {
  BuildRestClient: typeof BuildRestClientType;
};
const { PipelinesRestClient } = require("azure-devops-extension-api/Pipelines") as {
  PipelinesRestClient: typeof PipelinesRestClientType;
};

/** An approval as `GET …/pipelines/approvals?$expand=steps` answers it (the fields the tests read). */
export interface ApprovalJson {
  id: string;
  status: string;
  instructions?: string;
  steps: { assignedApprover: { id: string; displayName: string }; status: string; comment?: string }[];
  pipeline: { owner: { id: number; name: string }; id: string; name: string };
}

export interface TestDevOps {
  devops: LocalDevOps;
  info: LocalDevOpsReadyInfo;
  /** azure-devops-node-api's clients (with the organisation user's token). */
  buildApi: IBuildApi;
  gitApi: IGitApi;
  /** azure-devops-extension-api's clients, as the hub makes them. */
  builds: BuildRestClientType;
  pipelines: PipelinesRestClientType;
  /** A temporary folder for clones, removed by stop(). */
  scratch: string;
  /** A REST call relative to the project's URL ({collection}{project}/), with the user's token. */
  rest(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  stop(): Promise<void>;
}

/** Starts a local organisation (after making sure the task bundles are current) and its REST clients. */
export async function startTestDevOps(options: LocalDevOpsOptions = {}): Promise<TestDevOps> {
  const devops = new LocalDevOps({ caDir: process.env.TENANT_SYNC_CA_DIR, ...options });
  const info = await devops.start();
  const webApi = new azdev.WebApi(info.collectionUrl, azdev.getBearerHandler(info.token));
  const clientOptions = {
    rootPath: info.collectionUrl,
    authTokenProvider: { getAuthorizationHeader: async () => `Bearer ${info.token}` },
  };
  const scratch = mkdtempSync(join(tmpdir(), "tenant-sync-devops-test-"));
  return {
    devops,
    info,
    buildApi: await webApi.getBuildApi(),
    gitApi: await webApi.getGitApi(),
    builds: new BuildRestClient(clientOptions),
    pipelines: new PipelinesRestClient(clientOptions),
    scratch,
    async rest(method, path, body) {
      const res = await fetch(`${info.collectionUrl}${info.project}/${path}`, {
        method,
        headers: {
          authorization: `Bearer ${info.token}`,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON: keep the text
      }
      return { status: res.status, body: parsed };
    },
    async stop() {
      await devops.stop();
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}

/** Polls `probe` until it returns something other than undefined; fails saying `what` never happened. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs / 1000} s waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The build once it completed (read through the builds route). */
export function waitForCompletion(t: TestDevOps, buildId: number, timeoutMs = 90_000): Promise<Build> {
  return waitFor(
    `build ${buildId} to complete`,
    async () => {
      const build = await t.buildApi.getBuild(t.info.project, buildId);
      return build.status === BuildStatus.Completed ? build : undefined;
    },
    timeoutMs,
  );
}

export async function timeline(t: TestDevOps, buildId: number): Promise<TimelineRecord[]> {
  const read: Timeline | null = await t.buildApi.getBuildTimeline(t.info.project, buildId);
  return read?.records ?? [];
}

/** The first timeline record matching `match`, waited for. */
export function waitForRecord(
  t: TestDevOps,
  buildId: number,
  what: string,
  match: (r: TimelineRecord, all: TimelineRecord[]) => boolean,
  timeoutMs = 60_000,
): Promise<TimelineRecord> {
  return waitFor(
    `${what} in the timeline of build ${buildId}`,
    async () => {
      const records = await timeline(t, buildId);
      return records.find((r) => match(r, records));
    },
    timeoutMs,
  );
}

/** A stage's record by its name (Backup, Plan, Deploy). */
export function stageOf(records: TimelineRecord[], name: string): TimelineRecord | undefined {
  return records.find((r) => r.type === "Stage" && r.name === name);
}

/** Pending approvals, as the hub lists them. */
export async function pendingApprovals(t: TestDevOps): Promise<ApprovalJson[]> {
  const res = await t.rest("GET", "_apis/pipelines/approvals?state=pending&$expand=steps&api-version=7.1-preview.1");
  if (res.status !== 200) throw new Error(`The approvals list answered ${res.status}: ${JSON.stringify(res.body)}`);
  return (res.body as { value: ApprovalJson[] }).value;
}

/** The pending approval of one build, waited for. */
export function waitForApproval(t: TestDevOps, buildId: number): Promise<ApprovalJson> {
  return waitFor(`a pending approval of build ${buildId}`, async () =>
    (await pendingApprovals(t)).find((a) => Number(a.pipeline.owner.id) === buildId),
  );
}

/** Approves or rejects; answers the service's status and body. */
export function decide(t: TestDevOps, approvalId: string, status: "approved" | "rejected", comment: string) {
  return t.rest("PATCH", "_apis/pipelines/approvals?api-version=7.1-preview.1", [{ approvalId, status, comment }]);
}

/** Queues a run of the tenant's pipeline through the Pipelines API; answers the run's (build's) id. */
export async function runPipeline(
  t: TestDevOps,
  tenant: string,
  body: {
    templateParameters?: Record<string, string>;
    variables?: Record<string, { value: string; isSecret?: boolean }>;
  } = {},
): Promise<number> {
  const run = await t.pipelines.runPipeline(body as never, t.info.project, t.devops.tenant(tenant).definition.id);
  return run.id;
}

/** A clone of the tenant's repository over smart HTTP with the user's token (a PAT-like Basic answer). */
export async function cloneTenantRepository(t: TestDevOps, tenant: string): Promise<string> {
  const repository = await t.gitApi.getRepository(t.devops.tenant(tenant).repository.id, t.info.project);
  const dir = mkdtempSync(join(t.scratch, `${tenant}-`));
  await gitOk(t.info.caCertPath, dir, ["clone", "-q", repository.remoteUrl!, "."], { basic: t.info.token });
  return dir;
}

/** git in a clone made by cloneTenantRepository (the user's token answers the server's challenge). */
export function gitIn(t: TestDevOps, dir: string, ...args: string[]): Promise<string> {
  return gitOk(t.info.caCertPath, dir, args, { basic: t.info.token });
}

/** The compliance policy of the demo tenant the tests change: its file in the repository and its name. */
export const compliancePolicy = {
  file: join("intune.compliancePolicy", "Windows - Compliance baseline.json"),
  displayName: "Windows - Compliance baseline",
};

/** Clones the tenant's repository, raises the compliance policy's minimum password length by 2, pushes main. */
export async function commitPolicyChange(t: TestDevOps, tenant: string) {
  const dir = await cloneTenantRepository(t, tenant);
  const file = join(dir, compliancePolicy.file);
  const doc = JSON.parse(readFileSync(file, "utf8")) as { object: { passwordMinimumLength: number } };
  const before = doc.object.passwordMinimumLength;
  doc.object.passwordMinimumLength = before + 2;
  writeFileSync(file, `${JSON.stringify(doc, null, 2)}\n`);
  await gitIn(t, dir, "commit", "-q", "-am", "Longer passwords on Windows");
  await gitIn(t, dir, "push", "-q", "origin", "main");
  return { dir, before, wanted: before + 2, pushed: (await gitIn(t, dir, "rev-parse", "HEAD")).trim() };
}

/** The objects of one resource of a Graph tenant, as the Graph control API lists them. */
export async function graphObjects(t: TestDevOps, tenant: string, key: string): Promise<Record<string, unknown>[]> {
  return (await t.devops.graphControl("GET", `/tenants/${t.devops.tenant(tenant).tenantId}/objects/${key}`)) as Record<
    string,
    unknown
  >[];
}

/** The hub's builds query: the latest run of each pipeline with the run facts as properties. */
export function latestRunsWithFacts(t: TestDevOps, definitionIds: number[]) {
  const args: Parameters<BuildRestClientType["getBuilds"]> = [t.info.project, definitionIds];
  args[11] = Object.values(runFact); // properties
  args[14] = 1; // maxBuildsPerDefinition
  return t.builds.getBuilds(...args);
}

/** The hub's definitions query for one pipeline: the definition with its latest builds. */
export async function definitionWithLatestBuilds(t: TestDevOps, definitionId: number) {
  const args: Parameters<BuildRestClientType["getDefinitions"]> = [t.info.project];
  args[8] = [definitionId]; // definitionIds
  args[13] = true; // includeLatestBuilds
  const [definition] = await t.builds.getDefinitions(...args);
  return definition;
}

/** What deriveTenantStatus gets from the hub's three overview calls for one tenant. */
export async function overviewOf(t: TestDevOps, tenant: string) {
  const definition = await definitionWithLatestBuilds(t, t.devops.tenant(tenant).definition.id);
  return {
    definition: {
      id: definition.id,
      name: definition.name,
      path: definition.path,
      queueStatus: definition.queueStatus,
    },
    latestBuildId: definition.latestBuild?.id,
    runs: await latestRunsWithFacts(t, [definition.id]),
    approvals: await pendingApprovals(t),
    now: Date.now(),
  };
}
