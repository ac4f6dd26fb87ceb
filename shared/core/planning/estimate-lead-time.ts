import { groupLeadTimeSeconds } from './group-lead-time';

/** A completed launch: when Auto Scaling started it and when the instance was InService. */
export interface LaunchDuration {
  readonly startMs: number;
  readonly endMs: number;
  /** The instance came out of the group's warm pool (a warm start: seconds, not minutes). */
  readonly fromWarmPool?: boolean;
}

/** Lead time and where it came from. */
export interface LeadTimeEstimate {
  /** Of a launch no warm pool serves (a cold start), warmup included. */
  readonly leadTimeSeconds: number;
  readonly source: 'learned' | 'default';
  /** The cold starts it was learned from (or found too few of). */
  readonly samples: number;
  /**
   * Of a launch out of the group's warm pool, warmup included, when at least three were seen;
   * never above `leadTimeSeconds`.
   */
  readonly warmLeadTimeSeconds?: number;
}

/** Fewest launches a lead time is learned from. */
const MIN_SAMPLES = 3;

/**
 * Estimates launch-to-ready time as the 90th percentile of recent launch durations plus the
 * group's instance warmup (metrics from a warming instance do not count yet), cold and warm starts
 * apart: one out of a warm pool takes seconds, a cold one minutes, and a percentile over both is
 * whichever most launches were, too short for the cold ones once the pool is drawn down. Fewer than
 * three cold starts fall back to the configured default plus warmup.
 */
export function estimateLeadTime(
  launches: readonly LaunchDuration[],
  warmupSeconds: number,
  defaultLeadTimeSeconds: number,
): LeadTimeEstimate {
  const coldDurations = validDurations(launches.filter((l) => l.fromWarmPool !== true));
  const cold = p90Seconds(coldDurations);
  const warm = p90Seconds(validDurations(launches.filter((l) => l.fromWarmPool === true)));
  const coldLeadTimeSeconds =
    cold === undefined
      ? groupLeadTimeSeconds({ defaultLeadTimeSeconds, warmupSeconds })
      : Math.ceil(cold.p90 + warmupSeconds);
  const warmLeadTimeSeconds =
    warm === undefined ? undefined : Math.min(coldLeadTimeSeconds, Math.ceil(warm.p90 + warmupSeconds));
  return {
    leadTimeSeconds: coldLeadTimeSeconds,
    source: cold === undefined ? 'default' : 'learned',
    samples: coldDurations.length,
    ...(warmLeadTimeSeconds !== undefined ? { warmLeadTimeSeconds } : {}),
  };
}

/** Durations in seconds that can be a launch's (finite, within an hour), ascending. */
function validDurations(launches: readonly LaunchDuration[]): number[] {
  return launches
    .map((l) => (l.endMs - l.startMs) / 1000)
    .filter((s) => Number.isFinite(s) && s > 0 && s < 3600)
    .sort((a, b) => a - b);
}

/** The 90th percentile of ascending durations; undefined below {@link MIN_SAMPLES}. */
function p90Seconds(durations: readonly number[]): { readonly p90: number } | undefined {
  if (durations.length < MIN_SAMPLES) return undefined;
  const index = Math.min(durations.length - 1, Math.ceil(0.9 * durations.length) - 1);
  return { p90: durations[index] as number };
}
