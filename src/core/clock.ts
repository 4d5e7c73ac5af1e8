/**
 * clock — time as a dependency, so retries, budgets and device-code timeouts can be tested
 * without waiting. Every wait takes an AbortSignal.
 */
export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer = setTimeout(
        () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        },
        Math.max(0, ms),
      );
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
    }),
};

/** A clock that moves only when told; sleepers wake when time passes their deadline. */
export class FakeClock implements Clock {
  private sleepers: { until: number; resolve: () => void }[] = [];
  constructor(private time = 0) {}
  now(): number {
    return this.time;
  }
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.sleepers.push({ until: this.time + Math.max(0, ms), resolve });
      this.sleepers.sort((a, b) => a.until - b.until);
    });
  }
  /** Moves time forward, waking sleepers in order and letting their continuations run. */
  async advance(ms: number): Promise<void> {
    const target = this.time + ms;
    for (;;) {
      const next = this.sleepers[0];
      if (!next || next.until > target) break;
      this.sleepers.shift();
      this.time = next.until;
      next.resolve();
      await new Promise((r) => setImmediate(r));
    }
    this.time = target;
  }
  /** Moves time to the next sleeper's deadline. */
  async advanceToNext(): Promise<boolean> {
    const next = this.sleepers[0];
    if (!next) return false;
    await this.advance(next.until - this.time);
    return true;
  }
  get pending(): number {
    return this.sleepers.length;
  }
}
