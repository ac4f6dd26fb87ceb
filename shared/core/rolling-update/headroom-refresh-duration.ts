import { estimateRefreshDuration, type RefreshDurationInput } from './estimate-refresh-duration';
import { type HeadroomNeed, headroomDesiredCapacity } from './plan-headroom';
import { type RefreshedGroup, refreshedInstances } from './refreshed-instances';

/** Input of {@link headroomRefreshDuration}. */
export interface HeadroomRefreshInput extends Omit<HeadroomNeed, 'minHealthyPercentage' | 'current'> {
  /** The group now; its warm pool's instances are replaced too (`refreshedInstances`). */
  readonly current: HeadroomNeed['current'] & Pick<RefreshedGroup, 'warmPool'>;
  /** The refresh's preferences; its MinHealthyPercentage also sizes the headroom. */
  readonly refresh: Omit<RefreshDurationInput, 'instances'>;
}

/**
 * How long the refresh of a group with headroom takes, beside the refresh of its capacity now (each
 * with the warm pool's instances, which the refresh replaces as well).
 */
export interface HeadroomRefreshEstimate {
  /** Desired capacity once the headroom is added (`headroomDesiredCapacity`): what the refresh replaces. */
  readonly desiredCapacity: number;
  /** Estimated refresh of the desired capacity now, in seconds. */
  readonly currentSeconds: number;
  /** Estimated refresh with the headroom, in seconds, never below `currentSeconds`. */
  readonly durationSeconds: number;
}

/**
 * The refresh that runs once headroom for `peakLoad` is added: the refresh replaces the capacity
 * the headroom raised the group to, not the desired capacity now, so a window or an update-plan
 * slot checked on today's capacity can be too short for it (desired 4 raised to 6: 42 minutes,
 * not 28, at 90–110 % healthy and 300 s warmup). The estimate is never below the refresh of
 * today's capacity: batches grow in steps with the capacity (9 instances go one at a time, 10 two
 * at a time), and headroom only adds instances to replace. Pure.
 */
export function headroomRefreshDuration(input: HeadroomRefreshInput): HeadroomRefreshEstimate {
  const { refresh } = input;
  const desiredCapacity = headroomDesiredCapacity({
    ...input,
    minHealthyPercentage: refresh.minHealthyPercentage,
  });
  const seconds = (desired: number) =>
    estimateRefreshDuration({ ...refresh, instances: refreshedInstances(input.current, desired) })
      .durationSeconds;
  const currentSeconds = seconds(input.current.desiredCapacity);
  return {
    desiredCapacity,
    currentSeconds,
    durationSeconds: Math.max(currentSeconds, seconds(desiredCapacity)),
  };
}
