import type { LaunchDuration } from './estimate-lead-time';

/**
 * Instances still inside their warmup at `nowMs`: launches that reached InService (`endMs`) within
 * the last `warmupSeconds`. Auto Scaling counts them as InService, so they fill DesiredCapacity,
 * but they serve no load and report no metrics until the warmup ends; and a lower
 * DesiredCapacity can terminate ready instances (the default termination policy chooses by
 * Availability Zone balance, launch template and billing hour, never warming ones first). Launches of
 * instances terminated since still count (the activity history does not say), which errs toward
 * keeping capacity. Launches still pending (`endMs` after `nowMs`) are not counted: they are not
 * InService yet.
 * @throws RangeError when `warmupSeconds` is negative or not finite.
 */
export function warmingCapacity(
  launches: readonly LaunchDuration[],
  nowMs: number,
  warmupSeconds: number,
): number {
  if (!(Number.isFinite(warmupSeconds) && warmupSeconds >= 0)) {
    throw new RangeError(`warmupSeconds must be a finite number ≥ 0, got ${warmupSeconds}`);
  }
  const warmSinceMs = nowMs - warmupSeconds * 1000;
  return launches.filter((l) => l.endMs > warmSinceMs && l.endMs <= nowMs).length;
}
