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
 * What Prescale last left on the group, as its state records it (`GroupState`): a give-back lowers
 * only bounds still at these, since a bound at another value is the operator's (or their
 * schedule's) and giving it "back" would undo their change.
 */
export interface BoundsPrescaleLeft {
  /**
   * The MinSize Prescale's last run left on the group; absent in states written before it was
   * kept, where MinSize is not checked.
   */
  readonly prescaleMinSize?: number;
  /**
   * The look-ahead's actions that may run (or have run) after it, where they change MinSize
   * (`lookAheadMinSizes`).
   */
  readonly lookAheadMinSizes?: readonly (readonly [startMs: number, minSize: number])[];
  /** The group's own MaxSize while Prescale's raise of it stands. */
  readonly originalMaxSize?: number;
  /** The MaxSize Prescale's raise put on the group; absent in states written before it was kept. */
  readonly raisedMaxSize?: number;
}

/**
 * Which of the group's `prescale-` actions a held run (or a dry run) keeps when it deletes the
 * look-ahead: only the look-ahead's last action, the one that gives the group back its own MinSize
 * (and MaxSize under a raise) when the look-ahead ends, so a hold does not leave Prescale's last
 * pre-warm on the group for good (as Prescale being down would not). Kept only while it is still
 * ahead, is one-time, sets no DesiredCapacity and lowers MinSize from the group's `minSize` now,
 * raises no MaxSize, and gives back no less than the MinSize the owner's recurring actions hold at
 * its time (a schedule changed since it was written); and only while the group still holds what
 * Prescale left (`left`, `undoesOperator`). Undefined otherwise (without `left`, the group's state,
 * too), and every action goes.
 */
export function lookAheadGiveBack(
  existing: readonly HeldScheduledAction[],
  group: { readonly minSize: number; readonly maxSize: number },
  nowMs: number,
  left: BoundsPrescaleLeft | undefined,
): LookAheadGiveBack | undefined {
  if (left === undefined) return undefined;
  const candidate = giveBackCandidate(existing, group, nowMs);
  if (!candidate || undoesOperator(group, { maxSize: candidate.maxSize, nowMs }, left)) return undefined;
  return candidate;
}

/**
 * The look-ahead's last action when it is one a hold may keep (`lookAheadGiveBack`) by what the
 * group's actions and bounds tell, before the group's state is asked whether its bounds are still
 * Prescale's: ahead of `nowMs`, one-time, no DesiredCapacity, lowering MinSize, raising no MaxSize,
 * not below the owner's recurring floor at its time.
 */
export function giveBackCandidate(
  existing: readonly HeldScheduledAction[],
  group: { readonly minSize: number; readonly maxSize: number },
  nowMs: number,
): LookAheadGiveBack | undefined {
  const last = lastLookAheadAction(existing);
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

/**
 * The look-ahead's last action among the group's (its `prescale-` ones but the bridge, latest start
 * time): the one that gives the group its own MinSize back when the look-ahead ends.
 */
export function lastLookAheadAction<A extends ExistingScheduledAction>(
  existing: readonly A[],
): A | undefined {
  const ours = existing.filter((a) => isLookAheadAction(a.name) && a.name !== LOOK_AHEAD_BRIDGE_NAME);
  return ours.reduce<A | undefined>(
    (latest, a) => ((a.startMs ?? 0) > (latest?.startMs ?? Number.NEGATIVE_INFINITY) ? a : latest),
    undefined,
  );
}

/**
 * Whether the give-back would lower a bound that is no longer Prescale's: a MinSize none of
 * Prescale's own changes may have left (`prescaleMinSizesAt`: the operator's, set by hand while
 * Prescale stood down, or their schedule's; one set by hand to exactly such a value cannot be told
 * apart), or a MaxSize other than Prescale's raise (the DemandAboveMaxSize runbook has the operator
 * set one). A state written before the raised MaxSize was kept cannot tell, and keeps its raise (as
 * `withOperatorsMaxSize` does).
 */
function undoesOperator(
  group: { readonly minSize: number; readonly maxSize: number },
  { maxSize, nowMs }: { readonly maxSize: number | undefined; readonly nowMs: number },
  left: BoundsPrescaleLeft,
): boolean {
  const prescales = prescaleMinSizesAt(left, nowMs);
  if (prescales !== undefined && !prescales.includes(group.minSize)) return true;
  if (maxSize === undefined || maxSize === group.maxSize) return false;
  const raiseStands =
    left.raisedMaxSize !== undefined
      ? group.maxSize === left.raisedMaxSize
      : left.originalMaxSize !== undefined;
  return !raiseStands;
}

/**
 * The MinSizes Prescale's own changes may hold at `nowMs`: the one its last run left, and each one
 * a look-ahead action due by then set (Prescale down, they pre-warm as the loop would; one a held
 * run deleted first never ran, which the state cannot always tell). Undefined where the state
 * predates them.
 */
export function prescaleMinSizesAt(left: BoundsPrescaleLeft, nowMs: number): number[] | undefined {
  if (left.prescaleMinSize === undefined) return undefined;
  const due = (left.lookAheadMinSizes ?? []).filter(([startMs]) => startMs <= nowMs);
  return [left.prescaleMinSize, ...due.map(([, minSize]) => minSize)];
}

/**
 * The look-ahead's actions (oldest first) where each changes MinSize from the one before it,
 * starting from `fromMinSize` (the run's), as `[startMs, minSize]`: what the group's state keeps
 * of a look-ahead, so that a later run knows the MinSizes its actions may have set
 * (`prescaleMinSizesAt`).
 */
export function lookAheadMinSizes(
  actions: readonly { readonly startMs: number; readonly minSize: number }[],
  fromMinSize: number,
): [startMs: number, minSize: number][] {
  const changes: [number, number][] = [];
  let minSize = fromMinSize;
  for (const action of actions) {
    if (action.minSize !== minSize) changes.push([action.startMs, action.minSize]);
    minSize = action.minSize;
  }
  return changes;
}
