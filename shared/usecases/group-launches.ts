import { estimateLeadTime } from '../core/planning/estimate-lead-time';
import { groupWarmupSeconds } from '../core/planning/group-lead-time';
import { warmingCapacity } from '../core/planning/warming-capacity';
import type { GroupSnapshot, LaunchFailure, LaunchFailures, ScalingTarget } from '../ports/scaling-target';
import type { ResolvedGroupSettings } from './resolve-group-settings';

/** Launches the lead time is learned from (the newest). */
const LEAD_TIME_LAUNCHES = 20;
/** Launches read to count the warming instances: more than one burst's launches within a warmup. */
const RECENT_LAUNCHES = 50;

/** What a group's run learns from its launch activities. */
export interface GroupLaunches {
  readonly leadTime: ReturnType<typeof estimateLeadTime>;
  readonly warmingCapacity: (nowMs: number) => number;
  /** Launches that failed since the previous run; undefined when none did. */
  readonly failures: LaunchFailures | undefined;
}

/**
 * The group's newest launches, read once: the lead time learned from them (`estimateLeadTime`),
 * the capacity they still have warming at a given instant (`warmingCapacity`), and the launches
 * that failed since `sinceMs` (the previous run): capacity the plan asked for that is not coming.
 */
export async function groupLaunches(
  scalingTarget: ScalingTarget,
  settings: ResolvedGroupSettings['settings'],
  group: GroupSnapshot,
  sinceMs: number,
): Promise<GroupLaunches> {
  const warmupSeconds = groupWarmupSeconds(group);
  const { launches, failures } = await scalingTarget.recentLaunches(group.name, RECENT_LAUNCHES);
  const failed = failures.filter((f) => f.atMs > sinceMs);
  return {
    failures:
      failed.length > 0
        ? { count: failed.length, newestReason: (failed[0] as LaunchFailure).reason }
        : undefined,
    leadTime: estimateLeadTime(
      launches.slice(0, LEAD_TIME_LAUNCHES),
      warmupSeconds,
      settings.defaultLeadTimeSeconds,
    ),
    warmingCapacity: (nowMs) => warmingCapacity(launches, nowMs, warmupSeconds, group.instanceWeights),
  };
}
