import type { Clock } from '../ports/clock';

/** Simulated time: starts where told and moves only when the simulation moves it, never backwards. */
export class VirtualClock implements Clock {
  private currentMs: number;

  constructor(startMs: number) {
    this.currentMs = startMs;
  }

  nowMs(): number {
    return this.currentMs;
  }

  /**
   * Moves the clock to `ms`.
   * @throws RangeError when `ms` is before the current time.
   */
  advanceTo(ms: number): void {
    if (ms < this.currentMs) {
      throw new RangeError(
        `virtual time cannot go back from ${new Date(this.currentMs).toISOString()} to ${new Date(ms).toISOString()}`,
      );
    }
    this.currentMs = ms;
  }
}
