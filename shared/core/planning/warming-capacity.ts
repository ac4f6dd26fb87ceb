import type { LaunchDuration } from './estimate-lead-time';

/** A completed launch and, when the activity named it, the instance it launched. */
export interface WarmingLaunch extends LaunchDuration {
  /** The launched instance (`i-…`), when known. */
  readonly instanceId?: string;
}

/**
 * Capacity still inside its warmup at `nowMs`, in the group's capacity units: launches that
 * reached InService (`endMs`) within the last `warmupSeconds`, each counted at its instance's
 * weight in `weightByInstanceId` (a mixed-instances group's `WeightedCapacity`; DesiredCapacity is
 * in the same units), or 1 when the group gives no weights or the instance is not listed. Auto
 * Scaling counts these instances as InService, so they fill DesiredCapacity, but they serve no load
 * and report no metrics until the warmup ends; and a lower DesiredCapacity can terminate ready
 * instances (the default termination policy chooses by Availability Zone balance, launch template
 * and billing hour, never warming ones first). Launches of instances terminated since still count,
 * at 1 when their weight is no longer listed (the activity history does not say), which errs toward
 * keeping capacity. Launches still pending (`endMs` after `nowMs`) are not counted: they are not
 * InService yet.
 * @throws RangeError when `warmupSeconds` is negative or not finite, or a weight is not a finite
 * number > 0.
 */
export function warmingCapacity(
  launches: readonly WarmingLaunch[],
  nowMs: number,
  warmupSeconds: number,
  weightByInstanceId?: Readonly<Record<string, number>>,
): number {
  if (!(Number.isFinite(warmupSeconds) && warmupSeconds >= 0)) {
    throw new RangeError(`warmupSeconds must be a finite number ≥ 0, got ${warmupSeconds}`);
  }
  const warmSinceMs = nowMs - warmupSeconds * 1000;
  let capacityUnits = 0;
  for (const launch of launches) {
    if (!(launch.endMs > warmSinceMs && launch.endMs <= nowMs)) continue;
    capacityUnits += launchWeight(launch, weightByInstanceId);
  }
  return capacityUnits;
}

/** The launch's instance weight, 1 when unknown. */
function launchWeight(launch: WarmingLaunch, weightByInstanceId?: Readonly<Record<string, number>>): number {
  if (weightByInstanceId === undefined || launch.instanceId === undefined) return 1;
  if (!Object.hasOwn(weightByInstanceId, launch.instanceId)) return 1;
  const weight = weightByInstanceId[launch.instanceId];
  if (!(weight !== undefined && Number.isFinite(weight) && weight > 0)) {
    throw new RangeError(
      `weightByInstanceId["${launch.instanceId}"] must be a finite number > 0, got ${weight}`,
    );
  }
  return weight;
}
