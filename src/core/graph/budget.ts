/**
 * budget — the client side of Graph's throttling limits, so an export runs near the limit instead
 * of into it. One token bucket per service family and read/write, sized from the published limits
 * (Intune 1000 requests and 100 writes per 20 s per app per tenant; Entra 3,500 resource units per
 * 10 s for the smallest tenants and 3,000 writes per 150 s; conditional access 1 request per
 * second), at 98 % to leave room for timing skew. `scale` multiplies every rate, as the emulator's
 * --throttle-scale does. A 429 pauses the family until its Retry-After has passed.
 */
import type { Clock } from "../clock";

export type ServiceFamily = "intune" | "entra" | "conditionalAccess";

export function familyOf(path: string): ServiceFamily {
  const p = path.toLowerCase().replace(/^\/(v1\.0|beta)/, "");
  if (p.startsWith("/devicemanagement") || p.startsWith("/deviceappmanagement")) return "intune";
  if (p.startsWith("/identity/conditionalaccess")) return "conditionalAccess";
  return "entra";
}

interface Limit {
  capacity: number;
  windowMs: number;
}

const limits: Record<ServiceFamily, { any: Limit; write?: Limit }> = {
  intune: { any: { capacity: 1000, windowMs: 20_000 }, write: { capacity: 100, windowMs: 20_000 } },
  entra: { any: { capacity: 3500, windowMs: 10_000 }, write: { capacity: 3000, windowMs: 150_000 } },
  conditionalAccess: { any: { capacity: 1, windowMs: 1_000 } },
};

class Bucket {
  private tokens: number;
  private last: number;
  readonly rate: number;
  constructor(
    readonly capacity: number,
    windowMs: number,
    now: number,
  ) {
    this.tokens = capacity;
    this.last = now;
    this.rate = capacity / windowMs;
  }
  /** Takes `cost` (going into debt) and returns how long the caller must wait for it. */
  reserve(cost: number, now: number): number {
    this.tokens = Math.min(this.capacity, this.tokens + (now - this.last) * this.rate);
    this.last = now;
    this.tokens -= cost;
    return this.tokens >= 0 ? 0 : -this.tokens / this.rate;
  }
}

export interface BudgetOptions {
  scale?: number;
  headroom?: number;
  disabled?: boolean;
}

export class GraphBudget {
  private readonly buckets = new Map<string, Bucket>();
  private readonly pausedUntil = new Map<ServiceFamily, number>();
  constructor(
    private readonly clock: Clock,
    private readonly options: BudgetOptions = {},
  ) {}

  private bucket(family: ServiceFamily, kind: "any" | "write"): Bucket | undefined {
    const limit = limits[family][kind];
    if (!limit) return undefined;
    const key = `${family}|${kind}`;
    let b = this.buckets.get(key);
    if (!b) {
      // 2 % below the published limits: enough for the service counting a request a little earlier or
      // later than it was sent (a 429 costs a whole second of Retry-After), little enough that a large
      // tenant is read at nearly the pace the service allows.
      const headroom = this.options.headroom ?? 0.98;
      const capacity = Math.max(1, Math.floor(limit.capacity * headroom));
      // Rate = published rate × headroom × scale; the capacity keeps the published burst (less headroom).
      const windowMs = (capacity * limit.windowMs) / (limit.capacity * headroom * (this.options.scale ?? 1));
      b = new Bucket(capacity, windowMs, this.clock.now());
      this.buckets.set(key, b);
    }
    return b;
  }

  /**
   * Waits until `cost` requests of this family may be sent; call the returned release when the
   * answer has arrived. A family limited to one request at a time (conditional access) is sent
   * serially, each request one interval after the previous answer: the service counts a request
   * when it handles it, which the client only knows has happened once the answer is back.
   */
  async acquire(family: ServiceFamily, isWrite: boolean, cost = 1, signal?: AbortSignal): Promise<() => void> {
    if (this.options.disabled) return () => undefined;
    if (limits[family].any.capacity === 1) return this.acquireSerial(family, signal);
    const now = this.clock.now();
    const waits = [this.bucket(family, "any")?.reserve(cost, now) ?? 0];
    if (isWrite) waits.push(this.bucket(family, "write")?.reserve(cost, now) ?? 0);
    const paused = (this.pausedUntil.get(family) ?? 0) - now;
    const wait = Math.max(paused, ...waits);
    if (wait > 0) await this.clock.sleep(wait, signal);
    return () => undefined;
  }

  private readonly serial = new Map<ServiceFamily, { queue: Promise<void>; lastAnswer: number }>();

  private async acquireSerial(family: ServiceFamily, signal?: AbortSignal): Promise<() => void> {
    const state = this.serial.get(family) ?? { queue: Promise.resolve(), lastAnswer: -Infinity };
    this.serial.set(family, state);
    let release!: () => void;
    const turn = state.queue;
    let released = false;
    state.queue = new Promise<void>(
      (resolve) =>
        (release = () => {
          if (released) return;
          released = true;
          state.lastAnswer = this.clock.now();
          resolve();
        }),
    );
    await turn;
    const limit = limits[family].any;
    const interval = limit.windowMs / limit.capacity / (this.options.scale ?? 1);
    const wait = Math.max(state.lastAnswer + interval, this.pausedUntil.get(family) ?? 0) - this.clock.now();
    if (wait > 0) await this.clock.sleep(wait, signal);
    return release;
  }

  /** The service said to wait: hold every request of the family until then. */
  pause(family: ServiceFamily, ms: number): void {
    const until = this.clock.now() + ms;
    if (until > (this.pausedUntil.get(family) ?? 0)) this.pausedUntil.set(family, until);
  }
}
