import type { Clock } from '../ports/clock';

let clockOverride: Clock | undefined;
let sleepOverride: ((ms: number) => Promise<void>) | undefined;

/** Replaces the wall clock for everything wired after this call (the simulation's virtual clock). */
export function overrideRuntimeClock(clock: Clock | undefined): void {
  clockOverride = clock;
}

/**
 * Replaces the timer `runtimeSleep` waits on (the simulation's, which moves its virtual clock on
 * instead): a handler that sleeps on a real timer while reading a virtual clock would see no time
 * pass.
 */
export function overrideRuntimeSleep(sleep: ((ms: number) => Promise<void>) | undefined): void {
  sleepOverride = sleep;
}

/** The clock handlers wire into use cases: the wall clock in AWS, the virtual one in a simulation. */
export const runtimeClock: Clock = {
  nowMs: () => (clockOverride ? clockOverride.nowMs() : Date.now()),
};

/** Resolves after `ms` on `runtimeClock`: a timer in AWS, the virtual clock moved on in a simulation. */
export const runtimeSleep = (ms: number): Promise<void> =>
  sleepOverride ? sleepOverride(ms) : new Promise<void>((resolve) => setTimeout(resolve, ms));
