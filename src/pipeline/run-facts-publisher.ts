/**
 * run-facts-publisher — publishes a run's facts (core/status/run-facts.ts) as build properties and
 * tags through the Azure DevOps REST API with the job's access token, so the hub reads every
 * tenant's state in one call (DESIGN §3). Publishing is best effort: a failure rejects with a
 * RunFactsPublishError, which the caller logs as a warning; it never fails the task.
 */
import { factsPatch, parseFacts, redact, type RunFactName, type RunFacts } from "../core/index";

/**
 * Build properties exist only as a preview resource (every published version documents them as
 * "x.y-preview.1"), and the service refuses a GA api-version for a preview-only resource. A
 * "-preview" version is accepted for tags whether or not they are released, so both ask for it.
 */
const propertiesApiVersion = "7.1-preview.1";
const tagsApiVersion = "7.1-preview.3";
const defaultTimeoutMs = 30_000;

export interface RunFactsPublisherOptions {
  /** System.CollectionUri, e.g. https://dev.azure.com/contoso/ (a missing trailing "/" is added). */
  collectionUri: string;
  /** System.TeamProjectId. */
  projectId: string;
  /** Build.BuildId. */
  buildId: number | string;
  /** The job's access token (System.AccessToken, from the SYSTEMVSSCONNECTION endpoint). */
  accessToken: string;
  fetch?: typeof fetch;
  /** Per request; default 30 s. */
  timeoutMs?: number;
}

export interface RunFactsPublisher {
  /**
   * Writes the facts that are set (undefined leaves a property alone, null removes it), values as
   * strings. Rejects with RunFactsPublishError; nothing is sent when there is nothing to write.
   */
  publish(facts: RunFacts): Promise<void>;
  /** Adds tags to the build (existing tags stay). Rejects with RunFactsPublishError. */
  addTags(tags: string[]): Promise<void>;
  /** Reads the named facts back from the build's properties. Rejects with RunFactsPublishError. */
  read(names: RunFactName[]): Promise<RunFacts>;
}

/** Publishing facts or tags failed. A warning for the run, never its result. */
export class RunFactsPublishError extends Error {
  override readonly name = "RunFactsPublishError";
  constructor(
    readonly target: "properties" | "tags",
    message: string,
    readonly detail: { status?: number; hint: string; cause?: unknown },
  ) {
    super(message, { cause: detail.cause });
  }
}

export function isRunFactsPublishError(e: unknown): e is RunFactsPublishError {
  return e instanceof Error && e.name === "RunFactsPublishError";
}

export function createRunFactsPublisher(options: RunFactsPublisherOptions): RunFactsPublisher {
  const doFetch = options.fetch ?? fetch;
  const collectionUri = options.collectionUri.endsWith("/") ? options.collectionUri : `${options.collectionUri}/`;
  const buildUrl = `${collectionUri}${encodeURIComponent(options.projectId)}/_apis/build/builds/${encodeURIComponent(String(options.buildId))}`;
  const build = `build ${options.buildId}`;

  async function send(
    target: "properties" | "tags",
    request: { method: string; url: string; contentType?: string; body?: unknown; what: string; verb?: string },
  ): Promise<string> {
    const verb = request.verb ?? "publish";
    const preposition = verb === "publish" ? "to" : "of";
    let response: Response;
    try {
      response = await doFetch(request.url, {
        method: request.method,
        headers: {
          Authorization: `Bearer ${options.accessToken}`,
          ...(request.contentType ? { "Content-Type": request.contentType } : {}),
          Accept: "application/json",
          // Without it the service may answer an expired token with a sign-in page instead of 401.
          "X-TFS-FedAuthRedirect": "Suppress",
        },
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal: AbortSignal.timeout(options.timeoutMs ?? defaultTimeoutMs),
      });
    } catch (e) {
      throw new RunFactsPublishError(
        target,
        `Could not ${verb} ${request.what} ${preposition} ${build}: ${redact((e as Error).message)}.`,
        { hint: `Check that the agent can reach ${collectionUri}.`, cause: e },
      );
    }
    const text = await response.text().catch(() => "");
    if (response.ok && response.status !== 203) return text;
    throw new RunFactsPublishError(
      target,
      `Could not ${verb} ${request.what} ${preposition} ${build}: ${response.status} ${serverMessage(text, response.status)}.`,
      { status: response.status, hint: hintFor(response.status) },
    );
  }

  return {
    async publish(facts) {
      const patch = factsPatch(facts);
      if (patch.length === 0) return;
      await send("properties", {
        method: "PATCH",
        url: `${buildUrl}/properties?api-version=${propertiesApiVersion}`,
        contentType: "application/json-patch+json",
        body: patch.map((op) => (op.op === "add" ? { ...op, value: String(op.value) } : op)),
        what: `the run's facts (${patch.map((op) => op.path.slice(1)).join(", ")})`,
      });
    },
    async addTags(tags) {
      const unique = [...new Set(tags.map((t) => t.trim()).filter(Boolean))];
      if (unique.length === 0) return;
      await send("tags", {
        method: "POST",
        url: `${buildUrl}/tags?api-version=${tagsApiVersion}`,
        contentType: "application/json",
        body: unique,
        what: `the tags ${unique.join(", ")}`,
      });
    },
    async read(names) {
      const what = `the run's facts (${names.join(", ")})`;
      const text = await send("properties", {
        method: "GET",
        url: `${buildUrl}/properties?api-version=${propertiesApiVersion}&filter=${encodeURIComponent(names.join(","))}`,
        what,
        verb: "read",
      });
      try {
        return parseFacts((JSON.parse(text) as { value?: Record<string, unknown> }).value);
      } catch (e) {
        throw new RunFactsPublishError("properties", `Could not read ${what} of ${build}: the answer is not JSON.`, {
          hint: "Check System.CollectionUri: it must be the organisation's Azure DevOps URL.",
          cause: e,
        });
      }
    },
  };
}

/** The service's own message ({"message": …}) when there is one; a sign-in page is named as such. */
function serverMessage(text: string, status: number): string {
  if (status === 203) return "the server answered with a sign-in page (the access token was not accepted)";
  try {
    const body = JSON.parse(text) as { message?: unknown };
    if (typeof body.message === "string") return redact(body.message);
  } catch {
    // not JSON: fall through to the text itself
  }
  return redact(text.replace(/\s+/g, " ").trim().slice(0, 200)) || "(no message)";
}

function hintFor(status: number): string {
  if (status === 401 || status === 203)
    return "The job's access token was refused: it may have expired. The hub shows this run from its result alone.";
  if (status === 403)
    return "Allow the project's build service identity to 'Update build information' on this pipeline, so the hub can show live status.";
  if (status === 404)
    return "The build or project was not found: check System.CollectionUri, System.TeamProjectId and Build.BuildId.";
  return "The hub shows this run from its result alone; the next publish tries again.";
}
