import { isLookAheadAction } from '../planning/diff-look-ahead';

/**
 * How long after its start a scheduled action may still be listed before it has run: Auto Scaling
 * starts it at about its time, not at the second, and a refresh started before it ran would meet it.
 */
export const SCHEDULED_ACTION_SETTLE_MS = 5 * 60_000;

/** A scheduled action as the window choice reads it. */
export interface ListedScheduledAction {
  readonly name: string;
  readonly startMs?: number;
  readonly recurrence?: string;
}

/**
 * When the last of Prescale's own one-time `prescale-` actions listed on the group will have run
 * (its start plus `SCHEDULED_ACTION_SETTLE_MS`), if that is still ahead of `nowMs`: on a group the
 * scaling loop stands down on, that is the look-ahead's give-back of the group's own MinSize.
 */
export function lookAheadSettledAtMs(
  actions: readonly ListedScheduledAction[],
  nowMs: number,
): number | undefined {
  const settles = actions
    .filter((a) => isLookAheadAction(a.name) && a.recurrence === undefined && a.startMs !== undefined)
    .map((a) => (a.startMs as number) + SCHEDULED_ACTION_SETTLE_MS)
    .filter((ms) => ms > nowMs);
  return settles.length > 0 ? Math.max(...settles) : undefined;
}
