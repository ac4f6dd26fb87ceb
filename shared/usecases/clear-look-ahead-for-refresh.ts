import {
  type HeldHeadroom,
  lookAheadClearing,
  type MovedGiveBack,
} from '../core/rolling-update/look-ahead-due';
import type { GroupSnapshot } from '../ports/scaling-target';
import type { ScheduledCapacity } from '../ports/scheduled-capacity';

/** What clearing the look-ahead for a refresh did. */
export interface LookAheadClearedForRefresh {
  /** `prescale-` actions deleted: each was due before the refresh deadline and would cut the headroom. */
  readonly removed: number;
  /**
   * The look-ahead's give-back of the group's own MinSize among them (`giveBackCandidate`), put
   * again (`name`) at `atMs`, the first free minute once the lock expires.
   */
  readonly movedGiveBack?: MovedGiveBack;
}

/**
 * Under a rolling update's lock, before its headroom: deletes the group's `prescale-` scheduled
 * actions due before `untilMs` (the refresh deadline) that would cut the headroom while the
 * refresh runs, and moves the look-ahead's give-back among them past the lock's expiry
 * (`lookAheadClearing` decides which). The loop's next run would delete them too (a lock holds
 * it), but not when the loop is down (its Lambda failing, throttled, its schedule disabled): its
 * look-ahead then runs as the fail-static plan, and the refresh is what an operator can still
 * ship. Never cut capacity, at a bounded cost: the steps that hold or raise the headroom stay and
 * fire as planned (the pre-warm of a peak during or after the refresh). The give-back is put again
 * before the deletion (a deletion failing after it leaves the give-back twice, never none), so it
 * still fires while the loop is down and the restore need not give anything back early (a loop
 * that runs deletes it like the rest).
 * @throws what `ScheduledCapacity` throws.
 */
export async function clearLookAheadForRefresh(
  scheduledCapacity: ScheduledCapacity,
  group: Pick<GroupSnapshot, 'name' | 'minSize' | 'maxSize'>,
  headroom: HeldHeadroom,
  span: { readonly nowMs: number; readonly untilMs: number; readonly lockExpiresAtMs?: number },
): Promise<LookAheadClearedForRefresh> {
  const actions = await scheduledCapacity.scheduledActions(group.name);
  const { cutting, movedGiveBack } = lookAheadClearing(actions, group, headroom, span);
  if (cutting.length === 0) return { removed: 0 };
  if (movedGiveBack) {
    const { atMs: startMs, ...action } = movedGiveBack;
    await scheduledCapacity.putScheduledActions(group.name, [{ ...action, startMs }]);
  }
  await scheduledCapacity.deleteScheduledActions(group.name, cutting);
  return { removed: cutting.length, ...(movedGiveBack ? { movedGiveBack } : {}) };
}
