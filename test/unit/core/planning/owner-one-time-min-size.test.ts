import {
  type OwnerOneTimeMinSize,
  ownerOneTimeMinSizes,
  ranOwnerActions,
} from '../../../../shared/core/planning/owner-one-time-min-size';
import type { OwnerScheduledAction } from '../../../../shared/core/planning/owner-scheduled-min-size';

const MINUTE_MS = 60_000;
/** Monday 2026-03-02 12:00 UTC. */
const NOON = Date.UTC(2026, 2, 2, 12);
const LAUNCH: OwnerScheduledAction = { name: 'launch-day', startMs: NOON + 30 * MINUTE_MS, minSize: 12 };
const PENDING: OwnerOneTimeMinSize = { name: 'launch-day', atMs: NOON + 30 * MINUTE_MS, minSize: 12 };
const at = (minutes: number, groupMinSize: number) => ({
  nowMs: NOON + minutes * MINUTE_MS,
  groupMinSize,
  graceMs: 10 * MINUTE_MS,
});

describe('ownerOneTimeMinSizes', () => {
  it('passes on a one-time action the group lists, and only those that set MinSize', () => {
    const maxOnly = { name: 'max-only', startMs: NOON + MINUTE_MS, maxSize: 30 };
    const recurring = { name: 'open', recurrence: '0 8 * * *', minSize: 8 };
    expect(ownerOneTimeMinSizes(undefined, [LAUNCH, maxOnly, recurring], at(0, 2))).toEqual([PENDING]);
  });

  it('holds it once it has run and left the list, in effect when the group has its MinSize', () => {
    expect(ownerOneTimeMinSizes([PENDING], [], at(35, 12))).toEqual([{ ...PENDING, inEffect: true }]);
    // Prescale's own pre-warm above it is no owner's change.
    expect(ownerOneTimeMinSizes([{ ...PENDING, inEffect: true }], [], at(600, 15))).toEqual([
      { ...PENDING, inEffect: true },
    ]);
  });

  it('waits for it after its time while the group does not show it yet (it ran after the describe)', () => {
    expect(ownerOneTimeMinSizes([PENDING], [], at(31, 2))).toEqual([PENDING]);
    // Never seen in effect past the grace: it failed, or the owner deleted it then.
    expect(ownerOneTimeMinSizes([PENDING], [], at(45, 2))).toEqual([]);
  });

  it('ends it when the owner lowers MinSize below it after it took effect', () => {
    expect(ownerOneTimeMinSizes([{ ...PENDING, inEffect: true }], [], at(120, 4))).toEqual([]);
  });

  it('ends it when the owner deletes it before its time', () => {
    expect(ownerOneTimeMinSizes([PENDING], [], at(20, 2))).toEqual([]);
  });

  it("ends it once the owner's next scheduled action that sets MinSize has run", () => {
    const close = { name: 'close', recurrence: '0 20 * * *', minSize: 3 };
    const held = [{ ...PENDING, inEffect: true }];
    expect(ownerOneTimeMinSizes(held, [close], at(7 * 60, 12))).toEqual(held);
    expect(ownerOneTimeMinSizes(held, [close], at(8 * 60 + 5, 12))).toEqual([]);
  });

  it('keeps the latest of those that ran: a later one-time action supersedes an earlier one', () => {
    const earlier = { name: 'warm-up', atMs: NOON, minSize: 6, inEffect: true };
    expect(ownerOneTimeMinSizes([earlier, PENDING], [], at(35, 12))).toEqual([
      { ...PENDING, inEffect: true },
    ]);
  });
});

describe('ranOwnerActions', () => {
  it('reads those that ran as one-time owner actions, not those the group still lists', () => {
    const ran = { name: 'warm-up', atMs: NOON, minSize: 6, inEffect: true };
    expect(ranOwnerActions([PENDING, ran], [LAUNCH])).toEqual([
      { name: 'warm-up', startMs: NOON, minSize: 6 },
    ]);
  });
});
