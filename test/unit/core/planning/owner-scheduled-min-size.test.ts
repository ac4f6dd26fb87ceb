import {
  type OwnerScheduledAction,
  ownerMinSizeAt,
  ownerMinSizeRuns,
} from '../../../../shared/core/planning/owner-scheduled-min-size';

const HOUR_MS = 3_600_000;
/** Wednesday 2026-12-02 00:00 UTC. */
const WED = Date.UTC(2026, 11, 2);

const BUSINESS_HOURS: OwnerScheduledAction[] = [
  { name: 'open', recurrence: '0 8 * * 1-5', minSize: 10 },
  { name: 'close', recurrence: '0 20 * * 1-5', minSize: 2 },
];

describe('ownerMinSizeRuns', () => {
  it('lists every run of the recurring actions that set MinSize, oldest first, eight days back', () => {
    const runs = ownerMinSizeRuns(BUSINESS_HOURS, WED + 12 * HOUR_MS, WED + 12 * HOUR_MS);
    // From Tuesday 2026-11-24 noon to Wednesday noon, weekends left out.
    expect(runs.map((r) => [new Date(r.atMs).toISOString().slice(0, 16), r.actionName])).toEqual([
      ['2026-11-24T20:00', 'close'],
      ['2026-11-25T08:00', 'open'],
      ['2026-11-25T20:00', 'close'],
      ['2026-11-26T08:00', 'open'],
      ['2026-11-26T20:00', 'close'],
      ['2026-11-27T08:00', 'open'],
      ['2026-11-27T20:00', 'close'],
      ['2026-11-30T08:00', 'open'],
      ['2026-11-30T20:00', 'close'],
      ['2026-12-01T08:00', 'open'],
      ['2026-12-01T20:00', 'close'],
      ['2026-12-02T08:00', 'open'],
    ]);
  });

  // 08:00 in New York is 13:00 UTC in December (EST); 09:00 in India (UTC+05:30) is 03:30 UTC.
  it.each([
    ['America/New_York', '0 8 * * *', '2026-12-02T13:00:00.000Z'],
    ['Asia/Kolkata', '0 9 * * *', '2026-12-02T03:30:00.000Z'],
  ])('reads a cron in its time zone (%s), once a day', (timeZone, recurrence, latest) => {
    const runs = ownerMinSizeRuns(
      [{ name: 'open', recurrence, timeZone, minSize: 10 }],
      WED + 23 * HOUR_MS,
      WED + 23 * HOUR_MS,
    );
    expect(new Date(runs.at(-1)?.atMs ?? 0).toISOString()).toBe(latest);
    expect(runs).toHaveLength(8);
  });

  it('leaves out one-time actions, actions that set no MinSize and an unreadable cron', () => {
    const runs = ownerMinSizeRuns(
      [
        { name: 'once', startMs: WED + HOUR_MS, minSize: 30 },
        { name: 'max-only', recurrence: '0 * * * *' },
        { name: 'broken', recurrence: '61 * * * *', minSize: 30 },
      ],
      WED + 12 * HOUR_MS,
      WED + 36 * HOUR_MS,
    );
    expect(runs).toEqual([]);
  });
});

describe('ownerMinSizeAt', () => {
  const runs = ownerMinSizeRuns(BUSINESS_HOURS, WED, WED + 24 * HOUR_MS);

  it.each([
    [7, 2, 'close'],
    [8, 10, 'open'],
    [19.99, 10, 'open'],
    [20, 2, 'close'],
  ])('at %s h Wednesday the schedule holds MinSize %s (%s)', (hour, minSize, name) => {
    expect(ownerMinSizeAt(runs, WED + hour * HOUR_MS)).toMatchObject({ minSize, actionName: name });
  });

  it('is undefined before any run', () => {
    expect(ownerMinSizeAt([], WED)).toBeUndefined();
  });
});
