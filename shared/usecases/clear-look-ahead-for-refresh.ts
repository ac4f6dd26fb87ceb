import { isLookAheadAction } from '../core/planning/diff-look-ahead';
import { giveBackCandidate } from '../core/planning/look-ahead-give-back';
import { takenStartMinutes } from '../core/planning/place-look-ahead-starts';
import { lookAheadActionName } from '../core/planning/plan-look-ahead';
import { SCHEDULED_ACTION_SETTLE_MS } from '../core/rolling-update/look-ahead-due';
import type { GroupSnapshot } from '../ports/scaling-target';
import type { ScheduledCapacity, ScheduledCapacityAction } from '../ports/scheduled-capacity';

/** What clearing the look-ahead for a refresh did. */
export interface LookAheadClearedForRefresh {
  /** `prescale-` actions deleted: each was due before the refresh deadline and would cut the headroom. */
  readonly removed: number;
  /**
   * The look-ahead's give-back of the group's own MinSize among them (`giveBackCandidate`), put
   * again (`name`) at `atMs`, the first free minute once the lock expires.
   */
  readonly movedGiveBack?: {
    readonly name: string;
    readonly atMs: number;
    readonly minSize: number;
    readonly maxSize?: number;
  };
}

/** The capacity the refresh holds: what a look-ahead action must not set lower while it runs. */
export interface HeldHeadroom {
  readonly minSize: number;
  readonly desiredCapacity: number;
}

/**
 * Under a rolling update's lock, before its headroom: deletes the group's `prescale-` scheduled
 * actions due before `untilMs` (the refresh deadline) that would cut the headroom while the
 * refresh runs: a MinSize below its MinSize, a DesiredCapacity or MaxSize below its desired. The
 * loop's next run would delete them too (a lock holds it), but not when the loop is down (its
 * Lambda failing, throttled, its schedule disabled): its look-ahead then runs as the fail-static
 * plan, and the refresh is what an operator can still ship. Never cut capacity, at a bounded cost:
 * the look-ahead's steps that hold or raise the headroom stay and fire as planned (the pre-warm of
 * a peak during or after the refresh), and so do actions due after `untilMs`; the owner's are
 * never touched. The look-ahead's give-back among those deleted is moved, not dropped: put again
 * (its MinSize, and MaxSize if it has one) at the first minute from `lockExpiresAtMs` that no other
 * action holds (AWS refuses two at one start time), before the deletion (a deletion failing after
 * it leaves the give-back twice, never none), so it still fires while the loop is down and the
 * restore need not give anything back early (a loop that runs deletes it like the rest). A retry
 * moves it no second time: the moved one, due after the deadline, is then the look-ahead's last
 * action, and the one left behind is deleted. Without a lock's expiry none is put.
 * @throws what `ScheduledCapacity` throws.
 */
export async function clearLookAheadForRefresh(
  scheduledCapacity: ScheduledCapacity,
  group: Pick<GroupSnapshot, 'name' | 'minSize' | 'maxSize'>,
  headroom: HeldHeadroom,
  {
    nowMs,
    untilMs,
    lockExpiresAtMs,
  }: { readonly nowMs: number; readonly untilMs: number; readonly lockExpiresAtMs?: number },
): Promise<LookAheadClearedForRefresh> {
  const actions = await scheduledCapacity.scheduledActions(group.name);
  const cutting = actions.filter(
    (a) => isLookAheadAction(a.name) && (a.startMs ?? nowMs) < untilMs && cutsHeadroom(a, headroom),
  );
  if (cutting.length === 0) return { removed: 0 };
  // Still listed a few minutes past its start, it has not run yet (as `giveBackDue` counts it).
  const candidate = giveBackCandidate(actions, group, nowMs - SCHEDULED_ACTION_SETTLE_MS);
  const giveBack = candidate && cutting.some((a) => a.name === candidate.name) ? candidate : undefined;
  const atMs =
    giveBack && lockExpiresAtMs !== undefined ? freeMinuteFrom(actions, lockExpiresAtMs) : undefined;
  const moved =
    giveBack && atMs !== undefined
      ? {
          name: lookAheadActionName(atMs),
          atMs,
          minSize: giveBack.minSize,
          ...(giveBack.maxSize !== undefined ? { maxSize: giveBack.maxSize } : {}),
        }
      : undefined;
  if (moved) {
    const { atMs: startMs, ...action } = moved;
    await scheduledCapacity.putScheduledActions(group.name, [{ ...action, startMs }]);
  }
  await scheduledCapacity.deleteScheduledActions(
    group.name,
    cutting.map((a) => a.name),
  );
  return { removed: cutting.length, ...(moved ? { movedGiveBack: moved } : {}) };
}

/** Whether `action`, when it runs, sets the group below the headroom: MinSize, desired, or MaxSize under desired. */
function cutsHeadroom(action: ScheduledCapacityAction, headroom: HeldHeadroom): boolean {
  const below = (value: number | undefined, floor: number) => value !== undefined && value < floor;
  return (
    below(action.minSize, headroom.minSize) ||
    below(action.desiredCapacity, headroom.desiredCapacity) ||
    below(action.maxSize, headroom.desiredCapacity)
  );
}

/** The first whole minute from `fromMs` that none of `actions` starts at (or recurs at), within a day. */
function freeMinuteFrom(
  actions: Parameters<typeof takenStartMinutes>[0],
  fromMs: number,
): number | undefined {
  const taken = takenStartMinutes(actions);
  const first = Math.ceil(fromMs / 60_000) * 60_000;
  for (let ms = first; ms < first + 24 * 3_600_000; ms += 60_000) if (!taken(ms)) return ms;
  return undefined;
}
