/**
 * faults — injected latency and failures: a fixed latency plus jitter per HTTP request, a rate of
 * 500/502/503/504 answers, connection resets, slow bodies, and scripted faults ("the next 3
 * requests to X return 429"), on single requests, on $batch items or on the outer $batch request.
 * Randomness comes from a seed so a run can be repeated.
 */
import { seededRandom } from "./tenant-store";

export interface FaultSettings {
  latencyMs: number;
  jitterMs: number;
  /** Share of Graph requests (batch items included) answered with a 5xx. */
  errorRate: number;
  /** Share of HTTP requests whose connection is reset before an answer. */
  resetRate: number;
  /** Share of HTTP responses whose body is sent slowly, in pieces, over slowBodyMs. */
  slowBodyRate: number;
  slowBodyMs: number;
  seed: number;
}

export type ScriptedAction =
  | {
      kind: "status";
      status: number;
      /** Rounded up to whole seconds; omitted: the service's default; null: no Retry-After at all. */
      retryAfterSeconds?: number | null;
      code?: string;
      message?: string;
    }
  | { kind: "reset" }
  | { kind: "slowBody"; ms: number }
  /** The request waits (unanswered) until the faults are cleared: a run that stays "in progress". */
  | { kind: "hold" };

export interface ScriptedFault {
  method?: string;
  /** Matches when the request path (version included, e.g. /beta/deviceManagement/…) contains it. */
  pathContains?: string;
  /** Matches only calls of this tenant (Graph calls; the token's tenant). */
  tenantId?: string;
  /**
   * A status or hold fault for the outer POST $batch itself (the whole batch is answered with it),
   * rather than for single requests and batch items. Set when pathContains names "$batch".
   */
  outer?: boolean;
  remaining: number;
  action: ScriptedAction;
}

export const defaultFaultSettings: FaultSettings = {
  latencyMs: 0,
  jitterMs: 0,
  errorRate: 0,
  resetRate: 0,
  slowBodyRate: 0,
  slowBodyMs: 0,
  seed: 1,
};

export class FaultInjector {
  private random: () => number;
  readonly scripted: ScriptedFault[] = [];

  constructor(public settings: FaultSettings) {
    this.random = seededRandom(settings.seed);
  }

  update(settings: Partial<FaultSettings>): void {
    this.settings = { ...this.settings, ...settings };
    if (settings.seed !== undefined) this.random = seededRandom(settings.seed);
  }

  clear(): void {
    this.scripted.length = 0;
    for (const release of this.held) release();
    this.held.clear();
    this.update(defaultFaultSettings);
  }

  latencyMs(): number {
    const { latencyMs, jitterMs } = this.settings;
    return latencyMs + (jitterMs > 0 ? this.random() * jitterMs : 0);
  }

  /** The scripted fault for this request, consumed; undefined when none matches. */
  takeScripted(
    method: string,
    path: string,
    kinds: ScriptedAction["kind"][],
    /** For Graph calls (status and hold faults): the token's tenant, and whether this is the outer $batch. */
    call?: { tenantId: string; outer: boolean },
  ): ScriptedAction | undefined {
    const fault = this.scripted.find(
      (f) =>
        f.remaining > 0 &&
        kinds.includes(f.action.kind) &&
        (!call || Boolean(f.outer) === call.outer) &&
        (!f.tenantId || f.tenantId.toLowerCase() === call?.tenantId.toLowerCase()) &&
        (!f.method || f.method.toUpperCase() === method.toUpperCase()) &&
        (!f.pathContains || path.toLowerCase().includes(f.pathContains.toLowerCase())),
    );
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining === 0) this.scripted.splice(this.scripted.indexOf(fault), 1);
    return fault.action;
  }

  private readonly held = new Set<() => void>();

  /** Waits until the faults are cleared (a "hold" fault). */
  hold(): Promise<void> {
    return new Promise((resolve) => this.held.add(resolve));
  }

  /** Requests waiting on a "hold" fault. */
  get holding(): number {
    return this.held.size;
  }

  randomServerError(): number | undefined {
    if (this.settings.errorRate <= 0 || this.random() >= this.settings.errorRate) return undefined;
    return [500, 502, 503, 504][Math.floor(this.random() * 4)];
  }

  shouldReset(): boolean {
    return this.settings.resetRate > 0 && this.random() < this.settings.resetRate;
  }

  slowBodyMs(): number {
    return this.settings.slowBodyRate > 0 && this.random() < this.settings.slowBodyRate ? this.settings.slowBodyMs : 0;
  }
}

export const serverErrorBodies: Record<number, { code: string; message: string }> = {
  500: { code: "generalException", message: "An unexpected error occurred." },
  502: { code: "badGateway", message: "Bad gateway." },
  503: {
    code: "serviceNotAvailable",
    message: "The service is temporarily unavailable. Please retry after some time.",
  },
  504: { code: "gatewayTimeout", message: "The operation timed out." },
};
