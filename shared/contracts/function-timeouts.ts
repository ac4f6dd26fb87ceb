/**
 * The timeout of a Prescale function that sets none. `PrescaleFunction` deploys it and the
 * simulation gives it to the invocations it makes, so both agree.
 */
export const DEFAULT_FUNCTION_TIMEOUT_SECONDS = 60;

/** The memory of a Prescale function that sets none (`PrescaleFunction`, and the simulated context). */
export const DEFAULT_FUNCTION_MEMORY_MB = 512;

/** The scale-groups worker's memory: it forecasts every enrolled group of a tick. */
export const WORKER_MEMORY_MB = 1024;

/**
 * The instance-type selector's Lambda timeout: one run selects for every enrolled group, and stops
 * starting groups a minute before it (its handler reads the time left), so the simulation must
 * give its invocations the same.
 */
export const SELECTOR_TIMEOUT_SECONDS = 300;

/** The dispatcher's Lambda timeout: it lists groups and queues one message each. */
export const DISPATCHER_TIMEOUT_SECONDS = 60;

/**
 * The scale-groups worker's Lambda timeout: just under one schedule interval (so a tick's work
 * ends before the next tick starts), between 1 and 15 minutes. The construct sets it and the loop
 * uses it as the lease of a run claim, so an abandoned claim expires exactly when its run is dead.
 */
export function workerTimeoutSeconds(scheduleRateMinutes: number): number {
  return Math.min(900, Math.max(60, scheduleRateMinutes * 60 - 30));
}
