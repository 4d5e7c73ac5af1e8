/**
 * clock — the emulators' time: the real clock moved on by the control API (`POST /_emulator/clock
 * {advanceMs}`), so token and device-code expiry can be tested without waiting. Same shape as the
 * engine's Clock (src/core/clock.ts); sleeping waits real time.
 */
import { realClock, type Clock } from "../../src/core/clock";

export class EmulatorClock implements Clock {
  constructor(
    /** How far the emulator's time is ahead of the real time. */
    public offsetMs = 0,
    private readonly base: Clock = realClock,
  ) {}

  now(): number {
    return this.base.now() + this.offsetMs;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return this.base.sleep(ms, signal);
  }

  private readonly advanceListeners = new Set<(now: number) => void>();

  /** Moves the emulator's time forward (or back, with a negative value); listeners hear the new time. */
  advance(ms: number): number {
    this.offsetMs += ms;
    const now = this.now();
    for (const listener of this.advanceListeners) listener(now);
    return now;
  }

  /** Called after each advance (what times out on the emulator's clock, e.g. approvals); returns the unsubscribe. */
  onAdvance(listener: (now: number) => void): () => void {
    this.advanceListeners.add(listener);
    return () => this.advanceListeners.delete(listener);
  }

  iso(): string {
    return new Date(this.now()).toISOString();
  }
}
