import type { CapacityBounds } from './types';

/** Input of {@link planRestore}. */
export interface RestoreInput {
  /** Bounds before the workflow added headroom. */
  readonly original: CapacityBounds;
  /**
   * What the workflow set: the MinSize it wrote last (headroom or a later raise) and the most
   * desired it set; undefined when it set no headroom.
   */
  readonly headroom?: { readonly minSize: number; readonly desiredCapacity: number };
  /** The group now. */
  readonly current: CapacityBounds;
  /** Capacity the scaling loop plans for now when it scales this group; undefined otherwise. */
  readonly loopNeed?: number;
  /**
   * The MinSize the group owner's own scheduled actions hold now (the loop's owner floor), when
   * they set one: a floor Prescale never goes below.
   */
  readonly ownerMinSize?: number;
  /**
   * Whether the owner's action that set `ownerMinSize` ran during the refresh (after the headroom
   * was added): the owner rescheduled the group meanwhile (a night's scale-down), so their MinSize
   * now goes back in place of the original, and desired goes no higher than the group holds now.
   */
  readonly ownerSetDuringRefresh?: boolean;
  /**
   * The group's own MinSize that the scaling loop's kept look-ahead was to give back, and which a
   * forced update's lock had it delete: the original MinSize was a pre-warm the loop no longer
   * holds, so this one goes back in its place.
   */
  readonly keptGiveBack?: number;
}

/** Why desired goes where it goes, as the restore's reason says it. */
function desiredWhy(raisedByOthers: boolean, capped: boolean, originalDesired: number): string {
  if (raisedByOthers) return ' (kept: raised by others during the refresh)';
  if (capped) return ` (original ${originalDesired}, no higher than the owner's schedule left it)`;
  return ` (original ${originalDesired})`;
}

/** Min/desired to set after the refresh. */
export interface RestorePlan {
  readonly minSize: number;
  readonly desiredCapacity: number;
  readonly reason: string;
}

/**
 * Capacity after a refresh (or its rollback): MinSize goes back to the original (the group's own
 * MinSize instead where a kept look-ahead give-back was deleted, `keptGiveBack`), but not below
 * what the scaling loop plans for now, the MinSize the owner's scheduled actions hold now, or a
 * MinSize someone else set during the refresh (any value but the workflow's own: a person, the
 * owner's scheduled action); desired goes back to the larger of the original, the new MinSize
 * and the loop's need — unless something else (target tracking, a person) raised desired above
 * the headroom meanwhile, which is kept. An owner's action that ran during the refresh
 * (`ownerSetDuringRefresh`) rescheduled the group: its MinSize replaces the original, and desired
 * stays at most what the group holds now (or that MinSize, or the loop's need), so the restore
 * launches no instance the owner's schedule took away. Without headroom the group's current
 * values stay.
 * Always within [0, MaxSize] and MinSize ≤ desired.
 */
export function planRestore(input: RestoreInput): RestorePlan {
  const { original, current } = input;
  if (input.headroom === undefined) {
    // Nothing was raised: the original values may be hours old, the group's own are current.
    return {
      minSize: current.minSize,
      desiredCapacity: current.desiredCapacity,
      reason: `no headroom was added; min ${current.minSize} and desired ${current.desiredCapacity} stay`,
    };
  }
  const { loopNeed, ownerMinSize, keptGiveBack } = input;
  const rescheduled = ownerMinSize !== undefined && input.ownerSetDuringRefresh === true;
  const originalMinSize = Math.min(original.minSize, keptGiveBack ?? original.minSize);
  const baseMinSize = rescheduled ? ownerMinSize : originalMinSize;
  const clamp = (v: number) => Math.max(0, Math.min(current.maxSize, v));
  // The workflow set MinSize to its headroom's (and raises') last: another value is someone else's.
  const minSetByOthers = current.minSize !== input.headroom.minSize;
  const minSize = clamp(
    Math.max(baseMinSize, loopNeed ?? 0, ownerMinSize ?? 0, minSetByOthers ? current.minSize : 0),
  );
  const raisedByOthers = current.desiredCapacity > input.headroom.desiredCapacity;
  const backToOriginal = Math.max(original.desiredCapacity, minSize, loopNeed ?? 0);
  // After the owner's action, no higher than the group holds: the original would launch what it took away.
  const ownerCap = Math.max(current.desiredCapacity, minSize, loopNeed ?? 0);
  const capped = rescheduled && ownerCap < backToOriginal;
  const desiredCapacity = raisedByOthers
    ? clamp(Math.max(current.desiredCapacity, minSize))
    : clamp(capped ? ownerCap : backToOriginal);
  const minWhy = [
    `original ${original.minSize}`,
    ...(originalMinSize !== original.minSize && !rescheduled
      ? [`given back to ${originalMinSize} in place of the look-ahead's give-back the update's lock deleted`]
      : []),
    ...(loopNeed !== undefined ? [`loop needs ${loopNeed}`] : []),
    ...(ownerMinSize !== undefined
      ? [
          `owner's scheduled MinSize ${ownerMinSize}${rescheduled ? ', set by their action during the refresh: in place of the original' : ''}`,
        ]
      : []),
    ...(minSetByOthers ? [`set to ${current.minSize} by others during the refresh`] : []),
  ];
  const parts = [
    `min ${current.minSize} → ${minSize} (${minWhy.join(', ')})`,
    `desired ${current.desiredCapacity} → ${desiredCapacity}${desiredWhy(raisedByOthers, capped, original.desiredCapacity)}`,
  ];
  return { minSize, desiredCapacity, reason: parts.join('; ') };
}
