import type { Clock } from '../ports/clock';

let clockOverride: Clock | undefined;

/** Replaces the wall clock for everything wired after this call (the simulation's virtual clock). */
export function overrideRuntimeClock(clock: Clock | undefined): void {
  clockOverride = clock;
}

/** The clock handlers wire into use cases: the wall clock in AWS, the virtual one in a simulation. */
export const runtimeClock: Clock = {
  nowMs: () => (clockOverride ? clockOverride.nowMs() : Date.now()),
};
