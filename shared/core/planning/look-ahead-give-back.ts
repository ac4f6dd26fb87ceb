import type { ExistingScheduledAction } from './diff-look-ahead';
import { isLookAheadAction } from './diff-look-ahead';
import { type OwnerScheduledAction, ownerMinSizeAt, ownerMinSizeRuns } from './owner-scheduled-min-size';
import { LOOK_AHEAD_BRIDGE_NAME } from './plan-look-ahead';

/** A scheduled action as the group holds it, with what reading the owner's schedule needs. */
export type HeldScheduledAction = ExistingScheduledAction & OwnerScheduledAction;

/** The look-ahead action a hold keeps: the one that gives the group its own bounds back. */
export interface LookAheadGiveBack {
  readonly name: string;
  readonly startMs: number;
  /** The group's own MinSize (the owner's schedule's at `startMs`, else the one Prescale first saw). */
  readonly minSize: number;
  /** The group's own MaxSize, when the action also ends Prescale's raise of it. */
  readonly maxSize?: number;
}

/**
 * Which of the group's `prescale-` actions a held run (or a dry run) keeps when it deletes the
 * look-ahead: only the look-ahead's last action, the one that gives the group back its own MinSize
 * (and MaxSize under a raise) when the look-ahead ends, so a hold does not leave Prescale's last
 * pre-warm on the group for good (as Prescale being down would not). Kept only while it is still
 * ahead, is one-time, sets no DesiredCapacity and lowers MinSize from the group's `minSize` now,
 * raises no MaxSize, and gives back no less than the MinSize the owner's recurring actions hold at
 * its time (a schedule changed since it was written); undefined otherwise, and every action goes.
 */
export function lookAheadGiveBack(
  existing: readonly HeldScheduledAction[],
  group: { readonly minSize: number; readonly maxSize: number },
  nowMs: number,
): LookAheadGiveBack | undefined {
  const ours = existing.filter((a) => isLookAheadAction(a.name) && a.name !== LOOK_AHEAD_BRIDGE_NAME);
  const last = ours.reduce<HeldScheduledAction | undefined>(
    (latest, a) => ((a.startMs ?? 0) > (latest?.startMs ?? Number.NEGATIVE_INFINITY) ? a : latest),
    undefined,
  );
  if (last?.startMs === undefined || last.minSize === undefined) return undefined;
  const { startMs, minSize, maxSize } = last;
  if (startMs <= nowMs || last.recurrence !== undefined || last.desiredCapacity !== undefined)
    return undefined;
  if (minSize >= group.minSize || (maxSize !== undefined && maxSize > group.maxSize)) return undefined;
  const owners = existing.filter((a) => !isLookAheadAction(a.name));
  const ownerFloor = ownerMinSizeAt(ownerMinSizeRuns(owners, nowMs, startMs), startMs)?.minSize;
  if (ownerFloor !== undefined && minSize < Math.min(ownerFloor, maxSize ?? group.maxSize)) return undefined;
  return { name: last.name, startMs, minSize, ...(maxSize !== undefined ? { maxSize } : {}) };
}
