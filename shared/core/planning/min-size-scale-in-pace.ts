/**
 * How far one run of the loop lowers a group's MinSize at most. With reactive policies on the
 * group, lowering the floor removes no instance by itself: the policy scales in when its own alarm
 * says so. The floor then follows a falling forecast at the raise pace, so it stops holding
 * capacity the forecast no longer needs. Without policies `scaleInPerTick` alone (0: never).
 */
export function minSizeScaleInPace(group: {
  readonly hasScalingPolicies: boolean;
  readonly scaleInPerTick: number;
  readonly maxChangePerTick: number;
}): number {
  return group.hasScalingPolicies
    ? Math.max(group.scaleInPerTick, group.maxChangePerTick)
    : group.scaleInPerTick;
}
