/** A target-tracking policy's settings, as EC2 Auto Scaling has them. */
export interface TargetTrackingSettings {
  /** Target of the metric (e.g. 60 for 60 % average CPU). */
  readonly targetValue: number;
  /** Consecutive 1-minute datapoints above target before scaling out (AWS alarm: 3). */
  readonly scaleOutDatapoints: number;
  /** Consecutive 1-minute datapoints below the low threshold before scaling in (AWS alarm: 15). */
  readonly scaleInDatapoints: number;
  /** Low alarm threshold as a share of the target (the low alarm sits below the target: 0.9). */
  readonly scaleInThresholdRatio: number;
  readonly disableScaleIn: boolean;
}

/** AWS's defaults for a target-tracking policy on a 1-minute metric. */
export const AWS_TARGET_TRACKING: Omit<TargetTrackingSettings, 'targetValue'> = {
  scaleOutDatapoints: 3,
  scaleInDatapoints: 15,
  scaleInThresholdRatio: 0.9,
  disableScaleIn: false,
};

/** What the policy sees at one evaluation. */
export interface TargetTrackingState {
  /** The metric's latest 1-minute datapoints, oldest first (NaN where missing). */
  readonly recentMetric: readonly number[];
  /** Instances past their warmup (the metric aggregates only these). */
  readonly readyCapacity: number;
  /** Instances launched and still pending or warming up. */
  readonly warmingCapacity: number;
  /**
   * Instances scale-in took out that still run (draining through a deregistration delay, or held by
   * a termination hook): part of the current capacity when the policy scales in.
   */
  readonly terminatingCapacity: number;
  readonly desiredCapacity: number;
  readonly minSize: number;
  readonly maxSize: number;
}

/** The policy's decision: a new desired capacity, or nothing. */
export type TargetTrackingDecision =
  | { readonly kind: 'scale-out' | 'scale-in'; readonly desiredCapacity: number; readonly reason: string }
  | { readonly kind: 'none' };

/**
 * One evaluation of a target-tracking policy with AWS semantics. The high alarm fires after
 * `scaleOutDatapoints` consecutive datapoints above the target and asks for
 * ceil(ready × metric / target): "While scaling out, we do not consider instances that are warming
 * up as part of the current capacity of the group", so it only adds beyond the capacity on the way.
 * The low alarm fires after `scaleInDatapoints` datapoints below target × `scaleInThresholdRatio`
 * and asks for ceil((ready + terminating) × metric / target): "While scaling in, we consider
 * instances that are terminating as part of the current capacity of the group. Therefore, we don't
 * remove more instances from the Auto Scaling group than necessary", and "A scale-in activity
 * can't start while a scale-out activity is in progress" (EC2 Auto Scaling user guide, *Target
 * tracking scaling policies*, Instance warm-up), so scale-in waits until no instance is warming
 * ("This blocks scale-in activities initiated by scaling policies until the instances finish
 * warming up", *Set the default instance warmup*). Rounding removes less, never more: "if we
 * determine that removing 1.5 instances increases your CPU utilization to above 50 percent, we
 * remove just one instance" (*Considerations*). Each alarm invokes the policy again every minute
 * it stays in ALARM ("Except for Auto Scaling actions, the actions happen only on state
 * transitions", CloudWatch, *Alarm actions*), so the caller evaluates every minute. The result is
 * clamped to [minSize, maxSize]. Pure.
 */
export function targetTrackingDecision(
  settings: TargetTrackingSettings,
  state: TargetTrackingState,
): TargetTrackingDecision {
  const { targetValue } = settings;
  const clamp = (n: number) => Math.min(state.maxSize, Math.max(state.minSize, n));
  const latest = state.recentMetric[state.recentMetric.length - 1];
  const lastN = (n: number) => (state.recentMetric.length >= n ? state.recentMetric.slice(-n) : undefined);
  const high = lastN(settings.scaleOutDatapoints);
  if (latest !== undefined && high?.every((v) => v > targetValue) && state.readyCapacity > 0) {
    const wanted = clamp(Math.ceil((state.readyCapacity * latest) / targetValue - 1e-9));
    if (wanted > state.desiredCapacity) {
      return {
        kind: 'scale-out',
        desiredCapacity: wanted,
        reason: `metric ${latest.toFixed(1)} > target ${targetValue} for ${settings.scaleOutDatapoints} min`,
      };
    }
    return { kind: 'none' };
  }
  const low = lastN(settings.scaleInDatapoints);
  if (
    !settings.disableScaleIn &&
    latest !== undefined &&
    low?.every((v) => v < targetValue * settings.scaleInThresholdRatio) &&
    state.warmingCapacity === 0 &&
    state.readyCapacity > 0
  ) {
    const currentCapacity = state.readyCapacity + state.terminatingCapacity;
    const wanted = clamp(Math.max(1, Math.ceil((currentCapacity * latest) / targetValue - 1e-9)));
    if (wanted < state.desiredCapacity) {
      return {
        kind: 'scale-in',
        desiredCapacity: wanted,
        reason: `metric ${latest.toFixed(1)} < ${(targetValue * settings.scaleInThresholdRatio).toFixed(1)} for ${settings.scaleInDatapoints} min`,
      };
    }
  }
  return { kind: 'none' };
}
