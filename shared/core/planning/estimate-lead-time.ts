import { groupLeadTimeSeconds } from './group-lead-time';

/** A completed launch: when Auto Scaling started it and when the instance was InService. */
export interface LaunchDuration {
  readonly startMs: number;
  readonly endMs: number;
}

/** Lead time and where it came from. */
export interface LeadTimeEstimate {
  readonly leadTimeSeconds: number;
  readonly source: 'learned' | 'default';
  readonly samples: number;
}

/**
 * Estimates launch-to-ready time as the 90th percentile of recent launch durations plus the
 * group's instance warmup (metrics from a warming instance do not count yet). Fewer than three
 * valid samples fall back to the configured default plus warmup.
 */
export function estimateLeadTime(
  launches: readonly LaunchDuration[],
  warmupSeconds: number,
  defaultLeadTimeSeconds: number,
): LeadTimeEstimate {
  const durations = launches
    .map((l) => (l.endMs - l.startMs) / 1000)
    .filter((s) => Number.isFinite(s) && s > 0 && s < 3600)
    .sort((a, b) => a - b);
  if (durations.length < 3) {
    return {
      leadTimeSeconds: groupLeadTimeSeconds({ defaultLeadTimeSeconds, warmupSeconds }),
      source: 'default',
      samples: durations.length,
    };
  }
  const index = Math.min(durations.length - 1, Math.ceil(0.9 * durations.length) - 1);
  const p90 = durations[index] ?? defaultLeadTimeSeconds;
  return { leadTimeSeconds: Math.ceil(p90 + warmupSeconds), source: 'learned', samples: durations.length };
}
