/**
 * The StartTime of the group owner's recurring actions (a holiday schedule from Wednesday 06:00,
 * then daily at 08:00), followed across runs. Auto Scaling describes a recurring action's StartTime
 * as its own start only while that is ahead, then as its next run: once the schedule has started, a
 * run can no longer tell that it ran at its StartTime (Wednesday 06:00 ran, DescribeScheduledActions
 * now says 08:00), nor that its cron's earlier matches never ran. Each run passes on the StartTimes
 * it saw as a schedule's own start (`startsLater`), and reads the action from that start once it
 * has passed.
 */

import { type OwnerScheduledAction, startsLater } from './owner-scheduled-min-size';
import { recurringClock } from './place-look-ahead-starts';

/** A recurring owner action's own StartTime, as a run passes it to the next. */
export interface OwnerRecurringStart {
  readonly name: string;
  /** The cron it was seen with: a changed schedule is another one. */
  readonly recurrence: string;
  readonly startMs: number;
}

/** The start passed on for `action` that still holds: its own, passed, with a described next run not before it. */
function heldStart(
  starts: readonly OwnerRecurringStart[] | undefined,
  action: OwnerScheduledAction,
  nowMs: number,
): OwnerRecurringStart | undefined {
  return starts?.find(
    (s) =>
      s.name === action.name &&
      s.recurrence === action.recurrence &&
      s.startMs <= nowMs &&
      (action.startMs === undefined || action.startMs >= s.startMs),
  );
}

/**
 * The recurring actions' own StartTimes to pass on after this run: each listed one whose StartTime
 * ahead is its schedule's own start (off its cron, or after another of its runs), else each passed
 * on that still holds (same name and cron, passed, the action still listed with its next run not
 * before it). One passed on but still ahead that the listed StartTime no longer is was put again.
 */
export function ownerRecurringStarts(
  passedOn: readonly OwnerRecurringStart[] | undefined,
  listed: readonly OwnerScheduledAction[],
  nowMs: number,
): OwnerRecurringStart[] {
  return listed.flatMap((action): OwnerRecurringStart[] => {
    const { name, recurrence, startMs } = action;
    if (!recurrence || name === undefined) return [];
    const clock = recurringClock(action);
    if (!clock) return [];
    if (startMs !== undefined && startMs > nowMs && startsLater(clock, startMs, nowMs))
      return [{ name, recurrence, startMs }];
    const held = heldStart(passedOn, action, nowMs);
    return held ? [held] : [];
  });
}

/**
 * The listed actions with each started schedule's own StartTime in place of the next run Auto
 * Scaling describes (`starts` from `ownerRecurringStarts`), so its runs are read from that start.
 */
export function withOwnerRecurringStarts<T extends OwnerScheduledAction>(
  listed: readonly T[],
  starts: readonly OwnerRecurringStart[],
  nowMs: number,
): T[] {
  return listed.map((action) => {
    if (!action.recurrence) return action;
    const held = heldStart(starts, action, nowMs);
    return held ? { ...action, startMs: held.startMs } : action;
  });
}
