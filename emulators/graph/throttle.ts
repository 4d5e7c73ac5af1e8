/**
 * throttle — Microsoft Graph's published throttling limits as token buckets per (tenant, app,
 * service family, read/write): Intune 1000 requests / 100 writes per 20 s per app per tenant and
 * 2000 / 200 per tenant; Entra resource units per app+tenant by tenant size with its write quota;
 * conditional access and named locations 1 request/s per tenant, answered without Retry-After.
 * `scale` multiplies every rate (a shorter window, the same capacity); `off` disables throttling.
 * Every Retry-After the emulator sends is made by `retryAfterHeader`: whole seconds.
 */
import type { ServiceFamily } from "./service-model";

interface BucketSpec {
  name: string;
  key: string;
  capacity: number;
  windowMs: number;
  cost: number;
}

class Bucket {
  tokens: number;
  last: number;
  constructor(
    readonly capacity: number,
    readonly windowMs: number,
    now: number,
  ) {
    this.tokens = capacity;
    this.last = now;
  }
  refill(now: number): void {
    const rate = this.capacity / this.windowMs;
    this.tokens = Math.min(this.capacity, this.tokens + Math.max(0, now - this.last) * rate);
    this.last = now;
  }
  /** Milliseconds until `cost` tokens are there (0 when they are). */
  waitFor(cost: number): number {
    if (this.tokens >= cost) return 0;
    return ((cost - this.tokens) * this.windowMs) / this.capacity;
  }
}

export interface ThrottleRequest {
  tenantId: string;
  appId: string;
  family: ServiceFamily;
  isWrite: boolean;
  /** Entra resource-unit cost of the request. */
  resourceUnits: number;
  tenantSize: "S" | "M" | "L";
}

export type ThrottleDecision =
  | { ok: true; headers: Record<string, string> }
  | {
      ok: false;
      retryAfterMs: number;
      sendRetryAfter: boolean;
      headers: Record<string, string>;
      scope: string;
      reason: string;
    };

const entraRuPerTenantApp = { S: 3500, M: 5000, L: 8000 } as const;

export interface ThrottleSettings {
  mode: "realistic" | "off";
  scale: number;
}

export class Throttler {
  private readonly buckets = new Map<string, Bucket>();
  constructor(public settings: ThrottleSettings) {}

  reset(): void {
    this.buckets.clear();
  }

  private specs(r: ThrottleRequest): BucketSpec[] {
    const { tenantId: t, appId: a } = r;
    switch (r.family) {
      case "intune": {
        const specs: BucketSpec[] = [
          { name: "Tenant_Application/Any", key: `intune|${t}|${a}|any`, capacity: 1000, windowMs: 20_000, cost: 1 },
          { name: "Tenant/Any", key: `intune|${t}|any`, capacity: 2000, windowMs: 20_000, cost: 1 },
        ];
        if (r.isWrite)
          specs.push(
            {
              name: "Tenant_Application/Write",
              key: `intune|${t}|${a}|write`,
              capacity: 100,
              windowMs: 20_000,
              cost: 1,
            },
            { name: "Tenant/Write", key: `intune|${t}|write`, capacity: 200, windowMs: 20_000, cost: 1 },
          );
        return specs;
      }
      case "conditionalAccess":
        return [{ name: "Tenant/Any", key: `ca|${t}`, capacity: 1, windowMs: 1_000, cost: 1 }];
      case "directory":
      case "identityPolicy": {
        const specs: BucketSpec[] = [
          {
            name: `Tenant_Application/ReadWrite/${a}/${t}`,
            key: `entra|${t}|${a}|ru`,
            capacity: entraRuPerTenantApp[r.tenantSize],
            windowMs: 10_000,
            cost: r.resourceUnits,
          },
          {
            name: `Application/ReadWrite/${a}`,
            key: `entra|${a}|ru`,
            capacity: 150_000,
            windowMs: 20_000,
            cost: r.resourceUnits,
          },
        ];
        if (r.isWrite)
          specs.push(
            {
              name: `Tenant_Application/Write/${a}/${t}`,
              key: `entra|${t}|${a}|write`,
              capacity: 3000,
              windowMs: 150_000,
              cost: 1,
            },
            { name: `Application/Write/${a}`, key: `entra|${a}|write`, capacity: 35_000, windowMs: 300_000, cost: 1 },
            { name: `Tenant/Write/${t}`, key: `entra|${t}|write`, capacity: 18_000, windowMs: 300_000, cost: 1 },
          );
        return specs;
      }
    }
  }

  /** Takes the request's cost from every bucket it draws on, or none and says how long to wait. */
  take(r: ThrottleRequest, now: number): ThrottleDecision {
    const isEntra = r.family === "directory" || r.family === "identityPolicy";
    const baseHeaders: Record<string, string> = isEntra ? { "x-ms-resource-unit": String(r.resourceUnits) } : {};
    if (this.settings.mode === "off") return { ok: true, headers: baseHeaders };
    const buckets = this.specs(r).map((spec) => {
      let bucket = this.buckets.get(spec.key);
      if (!bucket) {
        bucket = new Bucket(spec.capacity, spec.windowMs / this.settings.scale, now);
        this.buckets.set(spec.key, bucket);
      }
      bucket.refill(now);
      return { spec, bucket, wait: bucket.waitFor(spec.cost) };
    });
    const blocking = buckets.filter((b) => b.wait > 0).sort((x, y) => y.wait - x.wait)[0];
    if (blocking) {
      const headers: Record<string, string> = { ...baseHeaders };
      if (isEntra) {
        headers["x-ms-throttle-scope"] = blocking.spec.name;
        headers["x-ms-throttle-information"] = blocking.spec.key.endsWith("write")
          ? "WriteLimitExceeded"
          : "ResourceUnitLimitExceeded";
      }
      return {
        ok: false,
        retryAfterMs: blocking.wait,
        sendRetryAfter: r.family !== "conditionalAccess",
        headers,
        scope: blocking.spec.name,
        reason: blocking.spec.key,
      };
    }
    for (const b of buckets) b.bucket.tokens -= b.spec.cost;
    if (isEntra) {
      const ru = buckets[0];
      const used = 1 - ru.bucket.tokens / ru.bucket.capacity;
      if (used >= 0.8) baseHeaders["x-ms-throttle-limit-percentage"] = used.toFixed(1);
    }
    return { ok: true, headers: baseHeaders };
  }
}

/** Entra resource-unit cost: GET 1, writes 1 (+1 write quota), $select −1, $expand +1, $top < 20 −1, minimum 1. */
export function resourceUnitCost(method: string, query: URLSearchParams): number {
  let cost = 1;
  if (method === "GET") {
    if (query.has("$select")) cost -= 1;
    if (query.has("$expand")) cost += 1;
    const top = Number(query.get("$top"));
    if (query.has("$top") && top < 20) cost -= 1;
  }
  return Math.max(1, cost);
}

/**
 * Retry-After as HTTP's delay-seconds (RFC 9110 §10.2.3: a non-negative integer) for a wait of `ms`:
 * rounded up, at least 1, so a client that honours it is never early — also under a throttle scale,
 * where the buckets refill within fractions of a second. Every Retry-After the emulator sends
 * (throttled requests and batch items, scripted 429/503 faults, the outer $batch) comes from here.
 */
export function retryAfterSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

export function retryAfterHeader(ms: number): { "Retry-After": string } {
  return { "Retry-After": String(retryAfterSeconds(ms)) };
}
