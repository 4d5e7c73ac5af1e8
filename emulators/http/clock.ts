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

  /** Moves the emulator's time forward (or back, with a negative value). */
  advance(ms: number): number {
    this.offsetMs += ms;
    return this.now();
  }

  iso(): string {
    return new Date(this.now()).toISOString();
  }
}
