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
  /**
   * The loop's largest MinSize raise per run (`maxChangePerTick`), in instances. It bounds only a
   * pre-warm that runs once the campaign has started (an update sent during it, a late event): the
   * loop has been planning the window since before the start, so that pre-warm raises like one
   * more run of the loop rather than jumping to its whole plan at once.
   */
  readonly maxChangePerTick: number;
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
 * scale-in and no MaxSize raise, and before the start with no pace limit upward, so the result is
 * bounded by the floor and MaxSize only; once the campaign has started it plans from now and
 * raises at most `maxChangePerTick`, as a run of the loop would. MinSize and DesiredCapacity only
 * ever go up.
 */
export function planPrewarm(input: PlanPrewarmInput): PrewarmPlan {
  const { current } = input;
  const started = input.nowMs >= input.windowStartMs;
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
      maxChangePerTick: started ? input.maxChangePerTick : Number.MAX_SAFE_INTEGER,
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

/** The pre-warm's raise as set on the group read again right before the change (`rebasePrewarm`). */
export type RebasedPrewarm =
  | {
      readonly kind: 'raise';
      readonly minSize: number;
      /** What DesiredCapacity is after the change, set by it or (`setsDesired` false) by Auto Scaling. */
      readonly desiredCapacity: number;
      /** False where scaling policies own DesiredCapacity: the change leaves it out. */
      readonly setsDesired: boolean;
    }
  | { readonly kind: 'unchanged'; readonly reason: string };

/**
 * The planned raise (`planPrewarm`) rebased on the group as it is now, read again right before the
 * change: a rolling update's headroom or a policy's scale-out may have landed since the plan read
 * it. MinSize and DesiredCapacity never go below what they are now (nothing another actor raised
 * is lowered), and stay within MaxSize now (and `ceiling`, where lower) and above the floor. Where scaling policies own
 * DesiredCapacity it is left out of the change: Auto Scaling lifts it to a new MinSize itself, and
 * a value sent from an earlier read would terminate what the policies launched since.
 */
export function rebasePrewarm(
  planned: { readonly minSize: number; readonly desiredCapacity: number },
  current: GroupCapacity,
  rules: {
    readonly hasScalingPolicies: boolean;
    readonly floorCapacity: number;
    /** A lower MaxSize the raise must stay under while it stands (the owner's schedule), if any. */
    readonly ceiling?: number;
  },
): RebasedPrewarm {
  const cap = Math.min(current.maxSize, rules.ceiling ?? Number.POSITIVE_INFINITY);
  const wanted = Math.min(cap, Math.max(planned.minSize, rules.floorCapacity));
  const minSize = Math.max(current.minSize, wanted);
  // Never below what DesiredCapacity is now, even above the ceiling: a pre-warm only raises.
  const desiredCapacity = Math.max(
    current.desiredCapacity,
    Math.min(cap, Math.max(minSize, rules.hasScalingPolicies ? 0 : planned.desiredCapacity)),
  );
  if (minSize === current.minSize && desiredCapacity === current.desiredCapacity) {
    const holds = `MinSize ${current.minSize}, DesiredCapacity ${current.desiredCapacity}`;
    return { kind: 'unchanged', reason: `the group, read again, already holds the raise planned (${holds})` };
  }
  return { kind: 'raise', minSize, desiredCapacity, setsDesired: !rules.hasScalingPolicies };
}
