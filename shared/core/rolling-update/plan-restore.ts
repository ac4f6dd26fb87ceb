import type { CapacityBounds } from './types';

/** Input of {@link planRestore}. */
export interface RestoreInput {
  /** Bounds before the workflow added headroom. */
  readonly original: CapacityBounds;
  /** What the workflow set as headroom (min/desired); undefined when it set none. */
  readonly headroom?: { readonly minSize: number; readonly desiredCapacity: number };
  /** The group now. */
  readonly current: CapacityBounds;
  /** Capacity the scaling loop plans for now when it scales this group; undefined otherwise. */
  readonly loopNeed?: number;
}

/** Min/desired to set after the refresh. */
export interface RestorePlan {
  readonly minSize: number;
  readonly desiredCapacity: number;
  readonly reason: string;
}

/**
 * Capacity after a refresh (or its rollback): MinSize goes back to the original, but not below what
 * the scaling loop plans for now; desired goes back to the larger of the original, the new MinSize
 * and the loop's need — unless something else (target tracking, a person) raised desired above the
 * headroom meanwhile, which is kept. Without headroom the group's current values stay. Always
 * within [0, MaxSize] and MinSize ≤ desired.
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
  const loopNeed = input.loopNeed;
  const clamp = (v: number) => Math.max(0, Math.min(current.maxSize, v));
  const minSize = clamp(Math.max(original.minSize, loopNeed ?? 0));
  const raisedByOthers = current.desiredCapacity > input.headroom.desiredCapacity;
  const desiredCapacity = raisedByOthers
    ? clamp(Math.max(current.desiredCapacity, minSize))
    : clamp(Math.max(original.desiredCapacity, minSize, loopNeed ?? 0));
  const parts = [
    `min ${current.minSize} → ${minSize} (original ${original.minSize}${loopNeed !== undefined ? `, loop needs ${loopNeed}` : ''})`,
    `desired ${current.desiredCapacity} → ${desiredCapacity}${raisedByOthers ? ' (kept: raised by others during the refresh)' : ` (original ${original.desiredCapacity})`}`,
  ];
  return { minSize, desiredCapacity, reason: parts.join('; ') };
}
