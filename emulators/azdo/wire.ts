/**
 * wire — how a request asks to be answered, as azure-devops-extension-api and plain REST clients
 * send it: the api-version (query or Accept header) checked against the route's released state,
 * and the Accept options enumsAsNumbers, msDateFormat, noArrayWrap and excludeUrls
 * of the service's web clients. Lists are {count, value} unless noArrayWrap=true.
 */
import { fail } from "../http/response";
import { badRequest } from "./errors";

export interface WireFormat {
  apiVersion: string;
  enumsAsNumbers: boolean;
  msDateFormat: boolean;
  noArrayWrap: boolean;
  /** excludeUrls=true: every `url` field is left out; `_links` stay (they are how a client builds links). */
  excludeUrls?: boolean;
}

/** The newest REST API version the emulator claims to serve (7.2 exists only as a preview). */
const latest = { major: 7, minor: 2 };
const latestReleased = { major: 7, minor: 1 };

function acceptOptions(accept: string | undefined): Record<string, string> {
  const options: Record<string, string> = {};
  for (const part of (accept ?? "").split(";").slice(1)) {
    const [k, v] = part.split("=").map((s) => s.trim());
    if (k) options[k.toLowerCase()] = v ?? "";
  }
  return options;
}

/**
 * Reads the wire format of a request to a versioned route. A route that is only a preview
 * (`isReleased: false`, like build properties) needs "-preview" at every version, as the service's
 * VssInvalidPreviewVersionException says; 7.2 needs it for every route.
 */
export function readWireFormat(
  method: string,
  query: URLSearchParams,
  accept: string | undefined,
  isReleased: boolean,
): WireFormat {
  const options = acceptOptions(accept);
  const requested = query.get("api-version") ?? options["api-version"];
  if (!requested) {
    fail(
      badRequest(
        `No api-version was supplied for the "${method}" request. The version must be supplied either as part of the Accept header (e.g. "application/json; api-version=1.0") or as a query parameter (e.g. "?api-version=1.0").`,
        "VssVersionNotSpecifiedException",
        "Microsoft.VisualStudio.Services.WebApi.VssVersionNotSpecifiedException, Microsoft.VisualStudio.Services.WebApi",
      ),
    );
  }
  const m = /^(\d+)\.(\d+)(-preview(\.\d+)?)?$/.exec(requested.trim());
  if (!m) {
    fail(
      badRequest(
        `The following api-version is not in a valid format: ${requested}.`,
        "VssInvalidApiVersionException",
        "Microsoft.VisualStudio.Services.WebApi.VssInvalidApiVersionException, Microsoft.VisualStudio.Services.WebApi",
      ),
    );
  }
  const major = Number(m[1]);
  const minor = Number(m[2]);
  const isPreview = m[3] !== undefined;
  if (major > latest.major || (major === latest.major && minor > latest.minor)) {
    fail(
      badRequest(
        `The requested REST API version of ${major}.${minor} is out of range for this server. The latest REST API version this server supports is ${latest.major}.${latest.minor}.`,
        "VssVersionOutOfRangeException",
        "Microsoft.VisualStudio.Services.WebApi.VssVersionOutOfRangeException, Microsoft.VisualStudio.Services.WebApi",
      ),
    );
  }
  const beyondReleased =
    major > latestReleased.major || (major === latestReleased.major && minor > latestReleased.minor);
  if (!isPreview && (beyondReleased || !isReleased)) {
    fail(
      badRequest(
        `The requested version "${major}.${minor}" of the resource is under preview. The -preview flag must be supplied in the api-version for such requests. For example: "${major}.${minor}-preview"`,
        "VssInvalidPreviewVersionException",
        "Microsoft.VisualStudio.Services.WebApi.VssInvalidPreviewVersionException, Microsoft.VisualStudio.Services.WebApi",
      ),
    );
  }
  return {
    apiVersion: requested,
    enumsAsNumbers: options.enumsasnumbers === "true",
    msDateFormat: options.msdateformat === "true",
    noArrayWrap: options.noarraywrap === "true",
    excludeUrls: options.excludeurls === "true",
  };
}

/** A list as the service answers it: {count, value} unless the client asked for noArrayWrap. */
export function listBody<T>(items: T[], format: WireFormat): unknown {
  return shaped(format.noArrayWrap ? items : { count: items.length, value: items }, format);
}

/**
 * The body as the client asked for it: without its `url` fields with excludeUrls=true (`_links` are
 * kept), and with msDateFormat=true serialized here, since the service writes its dates as
 * "\\/Date(ms)\\/" (escaped slashes) and the clients' date revivers look for exactly that text.
 */
export function shaped(body: unknown, format: WireFormat): unknown {
  const value = format.excludeUrls ? withoutUrls(body) : body;
  if (!format.msDateFormat) return value;
  return JSON.stringify(value).replace(/"\/Date\((-?\d+)\)\/"/g, '"\\/Date($1)\\/"');
}

function withoutUrls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutUrls);
  if (typeof value !== "object" || value === null || Buffer.isBuffer(value)) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([k]) => k !== "url")
      .map(([k, v]) => [k, k === "_links" ? v : withoutUrls(v)]),
  );
}

/** Enum values as numbers (enumsAsNumbers=true), per the published enums. */
const enumNumbers: Record<string, Record<string, number>> = {
  status: { none: 0, inProgress: 1, completed: 2, cancelling: 4, postponed: 8, abandoned: 16, notStarted: 32, all: 63 },
  result: { none: 0, succeeded: 2, partiallySucceeded: 4, failed: 8, canceled: 32 },
  priority: { low: 1, belowNormal: 2, normal: 3, aboveNormal: 4, high: 5 },
  reason: {
    none: 0,
    manual: 1,
    individualCI: 2,
    batchedCI: 4,
    schedule: 8,
    scheduleForced: 16,
    userCreated: 32,
    validateShelveset: 64,
    checkInShelveset: 128,
    pullRequest: 256,
    buildCompletion: 512,
    resourceTrigger: 1024,
    triggered: 1967,
    all: 2031,
  },
  definitionType: { xaml: 1, build: 2 },
  definitionQuality: { definition: 1, draft: 2 },
  recordState: { pending: 0, inProgress: 1, completed: 2 },
  taskResult: {
    succeeded: 0,
    succeededWithIssues: 1,
    failed: 2,
    canceled: 3,
    skipped: 4,
    abandoned: 5,
    manuallyQueued: 6,
    dependentOnManualQueue: 7,
  },
  issueType: { error: 1, warning: 2 },
  buildQueryOrder: {
    finishTimeAscending: 2,
    finishTimeDescending: 3,
    queueTimeDescending: 4,
    queueTimeAscending: 5,
    startTimeDescending: 6,
    startTimeAscending: 7,
  },
  definitionQueryOrder: {
    none: 0,
    lastModifiedAscending: 1,
    lastModifiedDescending: 2,
    definitionNameAscending: 3,
    definitionNameDescending: 4,
  },
  jobAuthorizationScope: { projectCollection: 1, project: 2 },
  queueStatus: { enabled: 0, paused: 1, disabled: 2 },
  projectState: { new: 0, wellFormed: 1, deleting: 2, createPending: 3, deleted: 4 },
  visibility: { private: 0, public: 2 },
};

export function enumValue(kind: keyof typeof enumNumbers, value: string, format: WireFormat): string | number {
  return format.enumsAsNumbers ? (enumNumbers[kind][value] ?? 0) : value;
}

/**
 * The names a numeric enum filter stands for: clients that send enums as numbers (azure-devops-node-api)
 * send flag values, so 10 is failed (8) and succeeded (2).
 */
export function enumNamesOf(kind: keyof typeof enumNumbers, flags: number): string[] {
  return Object.entries(enumNumbers[kind])
    .filter(([, v]) => v > 0 && (v & (v - 1)) === 0 && (flags & v) === v)
    .map(([name]) => name);
}

/** An enum query value by name, or by its number as clients that send enums as numbers do. */
export function enumName(kind: keyof typeof enumNumbers, text: string | null): string | null {
  if (text === null || !/^\d+$/.test(text)) return text;
  return Object.entries(enumNumbers[kind]).find(([, v]) => v === Number(text))?.[0] ?? text;
}

/** An ISO date, or "/Date(ms)/" with msDateFormat=true. */
export function dateValue(iso: string | undefined, format: WireFormat): string | undefined {
  if (iso === undefined) return undefined;
  return format.msDateFormat ? `/Date(${Date.parse(iso)})/` : iso;
}
