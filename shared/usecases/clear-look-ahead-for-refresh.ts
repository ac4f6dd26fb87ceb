import { isLookAheadAction } from '../core/planning/diff-look-ahead';
import { giveBackCandidate } from '../core/planning/look-ahead-give-back';
import { takenStartMinutes } from '../core/planning/place-look-ahead-starts';
import { lookAheadActionName } from '../core/planning/plan-look-ahead';
import { SCHEDULED_ACTION_SETTLE_MS } from '../core/rolling-update/look-ahead-due';
import type { GroupSnapshot } from '../ports/scaling-target';
import type { ScheduledCapacity } from '../ports/scheduled-capacity';

/** What clearing the look-ahead for a refresh did. */
export interface LookAheadClearedForRefresh {
  /** `prescale-` actions deleted: each was due before the refresh deadline. */
  readonly removed: number;
  /**
   * The look-ahead's give-back of the group's own MinSize among them (`giveBackCandidate`), by
   * when it was due: the restore gives that MinSize back in its place.
   */
  readonly keptGiveBack?: { readonly minSize: number; readonly atMs: number };
  /**
   * That give-back also ended Prescale's raise of MaxSize: put again (`name`) at `atMs`, when the
   * lock expires, since the restore sets no MaxSize.
   */
  readonly movedGiveBack?: { readonly name: string; readonly atMs: number; readonly maxSize: number };
}

/**
 * Under a rolling update's lock, before its headroom: deletes the group's `prescale-` scheduled
 * actions due before `untilMs` (the refresh deadline), which would otherwise set the loop's
 * MinSize (and, on a group without scaling policies, DesiredCapacity) under the headroom while the
 * refresh runs. The loop's next run would delete them too (a lock holds it), but not when the loop
 * is down (its Lambda failing, throttled, its schedule disabled): its look-ahead then runs as the
 * fail-static plan, and the refresh is what an operator can still ship. The headroom covers the
 * forecast peak of the refresh instead. Actions due after `untilMs` stay as that plan's rest; the
 * owner's are never touched. The look-ahead's give-back among those deleted is returned
 * (`keptGiveBack`) for the restore to give back its MinSize; one that also gives a raised MaxSize
 * back is put again at `lockExpiresAtMs` (`movedGiveBack`), after which no restore comes, so the
 * raise does not stay for good while the loop is down (its next run deletes it like the rest);
 * the first minute from then that no other action holds (AWS refuses two at one start time;
 * without a lock's expiry, none is put).
 * @throws what `ScheduledCapacity` throws.
 */
export async function clearLookAheadForRefresh(
  scheduledCapacity: ScheduledCapacity,
  group: Pick<GroupSnapshot, 'name' | 'minSize' | 'maxSize'>,
  {
    nowMs,
    untilMs,
    lockExpiresAtMs,
  }: { readonly nowMs: number; readonly untilMs: number; readonly lockExpiresAtMs?: number },
): Promise<LookAheadClearedForRefresh> {
  const actions = await scheduledCapacity.scheduledActions(group.name);
  const due = actions.filter((a) => isLookAheadAction(a.name) && (a.startMs ?? nowMs) < untilMs);
  if (due.length === 0) return { removed: 0 };
  // Still listed a few minutes past its start, it has not run yet (as `giveBackDue` counts it).
  const candidate = giveBackCandidate(actions, group, nowMs - SCHEDULED_ACTION_SETTLE_MS);
  const giveBack = candidate && due.some((a) => a.name === candidate.name) ? candidate : undefined;
  const atMs =
    giveBack?.maxSize !== undefined && lockExpiresAtMs !== undefined
      ? freeMinuteFrom(actions, lockExpiresAtMs)
      : undefined;
  const moved =
    atMs !== undefined && giveBack?.maxSize !== undefined
      ? { name: lookAheadActionName(atMs), atMs, maxSize: giveBack.maxSize }
      : undefined;
  // Put before the deletion: a deletion failing after it leaves the give-back twice, never none.
  if (moved && giveBack)
    await scheduledCapacity.putScheduledActions(group.name, [
      { name: moved.name, startMs: moved.atMs, minSize: giveBack.minSize, maxSize: moved.maxSize },
    ]);
  await scheduledCapacity.deleteScheduledActions(
    group.name,
    due.map((a) => a.name),
  );
  return {
    removed: due.length,
    ...(giveBack ? { keptGiveBack: { minSize: giveBack.minSize, atMs: giveBack.startMs } } : {}),
    ...(moved ? { movedGiveBack: moved } : {}),
  };
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
