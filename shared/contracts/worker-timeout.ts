/**
 * The scale-groups worker's Lambda timeout: just under one schedule interval (so a tick's work
 * ends before the next tick starts), between 1 and 15 minutes. The construct sets it and the loop
 * uses it as the lease of a run claim, so an abandoned claim expires exactly when its run is dead.
 */
export function workerTimeoutSeconds(scheduleRateMinutes: number): number {
  return Math.min(900, Math.max(60, scheduleRateMinutes * 60 - 30));
}
