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

/** One release the loop performs: the MinSize it lowers the group from, and to (`releaseSteps`). */
export interface ReleaseStep<C extends PrewarmChange> {
  readonly change: C;
  readonly fromMinSize: number;
  readonly toMinSize: number;
}

/**
 * The steps by which the loop performs pre-warm releases left to it: each lowers what its pre-warm
 * added (`planRelease`, within the same rules), from the group's bounds now, a raise made on top
 * of another (from a higher MinSize) first, so neither's `before` stops the other.
 */
export function releaseSteps<C extends PrewarmChange>(
  changes: readonly C[],
  current: GroupCapacity,
  rules: ReleaseRules,
): ReleaseStep<C>[] {
  const steps: ReleaseStep<C>[] = [];
  let group = current;
  for (const change of [...changes].sort((a, b) => b.before.minSize - a.before.minSize)) {
    const plan = planRelease(change, group, rules);
    const toMinSize = plan.kind === 'lower' ? plan.minSize : group.minSize;
    steps.push({ change, fromMinSize: group.minSize, toMinSize });
    if (plan.kind === 'lower')
      group = { ...group, minSize: plan.minSize, desiredCapacity: plan.desiredCapacity };
  }
  return steps;
}

/** The MinSize the releases' steps come down to; the group's own with none. The run lowers to its need, never below. */
export function releasedMinSize<C extends PrewarmChange>(
  steps: readonly ReleaseStep<C>[],
  currentMinSize: number,
): number {
  return steps.at(-1)?.toMinSize ?? currentMinSize;
}

/**
 * What is left of a release step once the run set MinSize to `minSize`: nothing when it came down
 * to the step's end (`done`); the step untouched when it did not come down into it; else the
 * release owing the rest, its `after` rewritten so that `planRelease` from `minSize` ends where
 * the step ends (a run held up by its own need leaves the rest to a later one, where only a
 * release lowers MinSize, instead of keeping the raise for good), and `settledAtMinSize` the
 * MinSize it was left at, from which alone the rest is performed.
 */
export function settleReleaseStep<C extends PrewarmChange & { readonly settledAtMinSize?: number }>(
  step: ReleaseStep<C>,
  minSize: number,
):
  | { readonly kind: 'done' }
  | { readonly kind: 'untouched' }
  | { readonly kind: 'owing'; readonly change: C } {
  if (minSize <= step.toMinSize) return { kind: 'done' };
  if (minSize >= step.fromMinSize) return { kind: 'untouched' };
  const owed = minSize - step.toMinSize;
  const after = { ...step.change.after, minSize: step.change.before.minSize + owed };
  return { kind: 'owing', change: { ...step.change, after, settledAtMinSize: minSize } };
}

/**
 * A run's release step under way, written on the release before the run's capacity change: the
 * MinSize the step lowers from and ends at (`ReleaseStep`), the MinSize the run sets, and the
 * group's MinSize the run started from (before its change; a stacked release's step starts lower).
 */
export interface ReleaseUnderWay {
  readonly fromMinSize: number;
  readonly toMinSize: number;
  readonly minSize: number;
  /** Absent on a step marked before 2026-12-06: its `fromMinSize` stands for it. */
  readonly startMinSize?: number;
}

/**
 * The release as a run finds it on a group at MinSize `minSize` when another run's step was under
 * way (`underWay`) and never settled (a throttle or a timeout after its capacity change). The group
 * still at the MinSize that run started from: the change never landed, and the release is as it was
 * (a stacked release's too, whose step starts lower). Else the change landed (or MinSize moved since,
 * a raise back to a later step's start included): the release is settled as that run would have (`settleReleaseStep`),
 * so what it took back is never taken again, a raise the loop made above the pre-warm's `after`
 * included, and the rest is owed only from where that run left MinSize; one fully taken owes nothing.
 */
export function resumedRelease<
  C extends PrewarmChange & { readonly settledAtMinSize?: number; readonly underWay?: ReleaseUnderWay },
>(release: C, minSize: number): C {
  const { underWay, ...rest } = release;
  if (underWay === undefined) return release;
  const change = rest as C;
  if (minSize === (underWay.startMinSize ?? underWay.fromMinSize)) return change;
  const settled = settleReleaseStep({ ...underWay, change }, underWay.minSize);
  if (settled.kind === 'owing') return settled.change;
  if (settled.kind === 'untouched') return change;
  return { ...change, after: change.before, settledAtMinSize: underWay.minSize };
}
