import type { GroupCapacity } from './plan-prewarm';

/** What a pre-warm changed on a group: the bounds before and after it. */
export interface PrewarmChange {
  readonly before: { readonly minSize: number; readonly desiredCapacity: number };
  readonly after: { readonly minSize: number; readonly desiredCapacity: number };
}

/** The group's own rules at release time, as the loop reads them now. */
export interface ReleaseRules {
  /** The group's scaling policies own scale-in, so DesiredCapacity is left to them. */
  readonly hasScalingPolicies: boolean;
  /** The group's floor now (`floorCapacity` or `prescale:floor`), in instances. */
  readonly floorCapacity: number;
}

/** The bounds the release sets, or why it leaves the group alone. Never raises anything. */
export type ReleasePlan =
  | {
      readonly kind: 'lower';
      readonly minSize: number;
      readonly desiredCapacity: number;
      /** True when the group's floor, not the MinSize before the campaign, stopped the lowering. */
      readonly heldAtFloor: boolean;
    }
  | { readonly kind: 'unchanged'; readonly reason: string };

/**
 * Plans the release of a pre-warm: lower MinSize by exactly what the pre-warm added (after −
 * before), never below the MinSize from before it, so a raise the loop made on its own since is
 * kept (and the loop restores its plan on its next run anyway), and never below the group's floor
 * as it is now (within MaxSize): a floor raised during the campaign, or one MinSize had not reached
 * yet at the pre-warm, holds, and the next run does not have to launch back what the release
 * would have terminated. DesiredCapacity comes down by what the pre-warm added too when Prescale
 * owns it; when the group has scaling policies they own scale-in, so DesiredCapacity is left to them.
 */
export function planRelease(change: PrewarmChange, current: GroupCapacity, rules: ReleaseRules): ReleasePlan {
  const addedMin = Math.max(0, change.after.minSize - change.before.minSize);
  const addedDesired = Math.max(0, change.after.desiredCapacity - change.before.desiredCapacity);
  const floor = Math.min(rules.floorCapacity, current.maxSize);
  const minSize = Math.min(
    current.minSize,
    Math.max(change.before.minSize, floor, current.minSize - addedMin),
  );
  const desiredCapacity = rules.hasScalingPolicies
    ? Math.max(current.desiredCapacity, minSize)
    : Math.min(
        current.desiredCapacity,
        Math.max(minSize, change.before.desiredCapacity, current.desiredCapacity - addedDesired),
      );
  if (minSize === current.minSize && desiredCapacity === current.desiredCapacity) {
    return { kind: 'unchanged', reason: 'nothing the pre-warm added is left to release' };
  }
  const heldAtFloor = minSize > change.before.minSize && minSize === floor;
  return { kind: 'lower', minSize, desiredCapacity, heldAtFloor };
}

/**
 * The MinSize the group comes down to when the loop performs pre-warm releases left to it: each
 * lowers what its pre-warm added (`planRelease`, within the same rules), from the group's bounds
 * now, a raise made on top of another (from a higher MinSize) first, so neither's `before` stops
 * the other. The run lowers to its own need, never below this.
 */
export function releasedMinSize(
  changes: readonly PrewarmChange[],
  current: GroupCapacity,
  rules: ReleaseRules,
): number {
  let group = current;
  for (const change of [...changes].sort((a, b) => b.before.minSize - a.before.minSize)) {
    const plan = planRelease(change, group, rules);
    if (plan.kind === 'lower')
      group = { ...group, minSize: plan.minSize, desiredCapacity: plan.desiredCapacity };
  }
  return group.minSize;
}
