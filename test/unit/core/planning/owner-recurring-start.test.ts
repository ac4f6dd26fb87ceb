import {
  ownerRecurringStarts,
  withOwnerRecurringStarts,
} from '../../../../shared/core/planning/owner-recurring-start';
import {
  type OwnerScheduledAction,
  ownerMinSizeNow,
} from '../../../../shared/core/planning/owner-scheduled-min-size';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Monday 2024-03-04 07:00 UTC. */
const MON = Date.UTC(2024, 2, 4, 7);
const WED_0600 = MON + 2 * DAY_MS - HOUR_MS;
const WED_0800 = MON + 2 * DAY_MS + HOUR_MS;

const holiday = (startMs: number): OwnerScheduledAction => ({
  name: 'holiday',
  recurrence: '0 8 * * *',
  startMs,
  minSize: 15,
});
const nightly: OwnerScheduledAction = { name: 'nightly', recurrence: '0 20 * * *', minSize: 1 };

describe('ownerRecurringStarts', () => {
  // Auto Scaling describes a started schedule's StartTime as its next run: Wednesday 06:05 lists
  // the holiday at 08:00, though it ran at 06:00.
  it('reads a started schedule from the own StartTime a run saw while it was ahead', () => {
    const seen = ownerRecurringStarts(undefined, [holiday(WED_0600), nightly], MON);
    expect(seen).toEqual([{ name: 'holiday', recurrence: '0 8 * * *', startMs: WED_0600 }]);
    const nowMs = WED_0600 + 5 * 60_000;
    const listed = [holiday(WED_0800), nightly];
    expect(ownerMinSizeNow(listed, nowMs)?.minSize).toBe(1);
    const kept = ownerRecurringStarts(seen, listed, nowMs);
    expect(kept).toEqual(seen);
    const known = withOwnerRecurringStarts(listed, kept, nowMs);
    expect(ownerMinSizeNow(known, nowMs)).toMatchObject({
      minSize: 15,
      atMs: WED_0600,
      actionName: 'holiday',
    });
  });

  it('remembers no StartTime that could be the next run, and forgets one whose action is gone or changed', () => {
    expect(ownerRecurringStarts(undefined, [holiday(MON + HOUR_MS)], MON)).toEqual([]);
    const seen = ownerRecurringStarts(undefined, [holiday(WED_0600)], MON);
    const nowMs = WED_0800 - HOUR_MS;
    expect(ownerRecurringStarts(seen, [nightly], nowMs)).toEqual([]);
    expect(
      ownerRecurringStarts(seen, [{ ...holiday(WED_0800 + HOUR_MS), recurrence: '0 9 * * *' }], nowMs),
    ).toEqual([]);
    // Put again to start later: its new StartTime ahead is the one kept.
    const later = WED_0600 + 2 * DAY_MS;
    expect(ownerRecurringStarts(seen, [holiday(later)], nowMs)).toEqual([
      { name: 'holiday', recurrence: '0 8 * * *', startMs: later },
    ]);
  });
});
