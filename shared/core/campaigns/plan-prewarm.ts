import { planCapacity } from '../planning/plan-capacity';

/** A group's capacity bounds as they stand. */
export interface GroupCapacity {
  readonly minSize: number;
  readonly maxSize: number;
  readonly desiredCapacity: number;
}

/** Input of {@link planPrewarm}. Load is in the group's metric unit; times in epoch ms. */
export interface PlanPrewarmInput {
  /** Planned load per step (the planning quantile, campaigns applied), from `forecastStartMs`. */
  readonly plannedLoad: readonly number[];
  readonly forecastStartMs: number;
  readonly stepSeconds: number;
  /** The campaign's start; the plan covers it, or now when the campaign has started. */
  readonly windowStartMs: number;
  readonly nowMs: number;
  readonly targetLoadPerInstance: number;
  readonly leadTimeSeconds: number;
  readonly tickIntervalSeconds: number;
  readonly floorCapacity: number;
  readonly hasScalingPolicies: boolean;
  readonly current: GroupCapacity;
}

/** What the pre-warm sets, or why it leaves the group alone. Never lowers anything. */
export type PrewarmPlan =
  | {
      readonly kind: 'raise';
      readonly minSize: number;
      readonly desiredCapacity: number;
      /** Instances the plan asked for, before bounds. */
      readonly requiredCapacity: number;
      readonly limits: readonly string[];
    }
  | { readonly kind: 'unchanged'; readonly requiredCapacity: number; readonly reason: string };

/**
 * Plans the pre-warm of one group: the capacity the loop would plan at the campaign's start
 * (covering start … start + lead time + one tick), set at once. It reuses `planCapacity` with no
 * pace limit upward, no scale-in and no MaxSize raise, so the result is bounded by the floor and
 * MaxSize only, and MinSize and DesiredCapacity only ever go up.
 */
export function planPrewarm(input: PlanPrewarmInput): PrewarmPlan {
  const { current } = input;
  const plan = planCapacity({
    plannedLoad: input.plannedLoad,
    forecastStartMs: input.forecastStartMs,
    stepSeconds: input.stepSeconds,
    nowMs: Math.max(input.nowMs, input.windowStartMs),
    targetLoadPerInstance: input.targetLoadPerInstance,
    leadTimeSeconds: input.leadTimeSeconds,
    tickIntervalSeconds: input.tickIntervalSeconds,
    bounds: {
      currentMinSize: current.minSize,
      currentMaxSize: current.maxSize,
      currentDesiredCapacity: current.desiredCapacity,
      floorCapacity: input.floorCapacity,
      maxChangePerTick: Number.MAX_SAFE_INTEGER,
      scaleInPerTick: 0,
      maxRaiseOverMaxSize: 0,
      hasScalingPolicies: input.hasScalingPolicies,
    },
  });
  const minSize = Math.max(current.minSize, plan.minSize);
  const desiredCapacity = Math.min(current.maxSize, Math.max(current.desiredCapacity, minSize));
  if (minSize === current.minSize && desiredCapacity === current.desiredCapacity) {
    return {
      kind: 'unchanged',
      requiredCapacity: plan.requiredNow,
      reason: `MinSize ${current.minSize} already covers the ${plan.requiredNow} instances planned`,
    };
  }
  return {
    kind: 'raise',
    minSize,
    desiredCapacity,
    requiredCapacity: plan.requiredNow,
    limits: plan.limits.filter((l) => !l.startsWith('scale-in limited')),
  };
}
