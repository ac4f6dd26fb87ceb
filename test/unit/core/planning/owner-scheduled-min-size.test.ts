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

  it('reads days of week by name, as owners often write them: the business-hours floor holds', () => {
    const named = BUSINESS_HOURS.map((a) => ({
      ...a,
      recurrence: (a.recurrence ?? '').replace('1-5', 'MON-FRI'),
    }));
    const noon = WED + 12 * HOUR_MS;
    expect(ownerMinSizeAt(ownerMinSizeRuns(named, noon, noon), noon)).toMatchObject({
      minSize: 10,
      actionName: 'open',
    });
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

  it('reads every minute of an hour in which the zone changes at the half hour (St. John’s, 8 March 2026)', () => {
    // 02:00 NST (05:30 UTC) becomes 03:00 NDT: 03:15 that day is 05:45 UTC, the day before 06:45 UTC.
    const runs = ownerMinSizeRuns(
      [{ name: 'early', recurrence: '15 3 * * *', timeZone: 'America/St_Johns', minSize: 5 }],
      Date.UTC(2026, 2, 8, 12),
      Date.UTC(2026, 2, 8, 12),
    );
    expect(runs.slice(-2).map((r) => new Date(r.atMs).toISOString())).toEqual([
      '2026-03-07T06:45:00.000Z',
      '2026-03-08T05:45:00.000Z',
    ]);
  });

  it('leaves out actions that set no MinSize and an unreadable cron', () => {
    const runs = ownerMinSizeRuns(
      [
        { name: 'max-only', recurrence: '0 * * * *' },
        { name: 'broken', recurrence: '61 * * * *', minSize: 30 },
        { name: 'once-max-only', startMs: WED + HOUR_MS },
      ],
      WED + 12 * HOUR_MS,
      WED + 36 * HOUR_MS,
    );
    expect(runs).toEqual([]);
  });

  it('counts a one-time action once, at its StartTime, up to `toMs` however long ago', () => {
    const runs = ownerMinSizeRuns(
      [
        { name: 'launch-day', startMs: WED + 30 * HOUR_MS, minSize: 12 },
        { name: 'last-month', startMs: WED - 30 * 24 * HOUR_MS, minSize: 6 },
        { name: 'next-week', startMs: WED + 7 * 24 * HOUR_MS, minSize: 30 },
      ],
      WED + 12 * HOUR_MS,
      WED + 36 * HOUR_MS,
    );
    expect(runs).toEqual([
      { atMs: WED - 30 * 24 * HOUR_MS, minSize: 6, actionName: 'last-month' },
      { atMs: WED + 30 * HOUR_MS, minSize: 12, actionName: 'launch-day' },
    ]);
  });
});

describe('ownerMinSizeRuns within a recurring action’s StartTime and EndTime', () => {
  const NOON = WED + 12 * HOUR_MS;
  const at = (runs: readonly { atMs: number }[]) =>
    runs.map((r) => new Date(r.atMs).toISOString().slice(0, 16));
  const holiday = (bounds: { startMs?: number; endMs?: number }): OwnerScheduledAction[] => [
    { name: 'holiday', recurrence: '0 8 * * *', minSize: 20, ...bounds },
  ];

  it('counts no run after the EndTime, past or ahead', () => {
    const runs = ownerMinSizeRuns(holiday({ endMs: WED - 12 * HOUR_MS }), NOON, NOON + 48 * HOUR_MS);
    expect(at(runs).at(-1)).toBe('2026-12-01T08:00');
    expect(ownerMinSizeAt(runs, NOON + 48 * HOUR_MS)?.atMs).toBe(Date.UTC(2026, 11, 1, 8));
  });

  it('counts no run of a schedule that starts later, off its cron, and runs it at its StartTime', () => {
    const startMs = WED + 3 * 24 * HOUR_MS; // Saturday 00:00, when no run is due
    expect(ownerMinSizeRuns(holiday({ startMs }), NOON, NOON)).toEqual([]);
    expect(at(ownerMinSizeRuns(holiday({ startMs }), NOON, startMs + 24 * HOUR_MS))).toEqual([
      '2026-12-05T00:00',
      '2026-12-05T08:00',
    ]);
  });

  it('counts no run of a schedule whose StartTime is on its cron but after another of its runs', () => {
    const startMs = WED + (2 * 24 + 8) * HOUR_MS; // Friday 08:00; Thursday 08:00 comes first
    expect(ownerMinSizeRuns(holiday({ startMs }), NOON, NOON)).toEqual([]);
    expect(at(ownerMinSizeRuns(holiday({ startMs }), NOON, startMs))).toEqual(['2026-12-04T08:00']);
  });

  it('counts the past runs when the StartTime is the next run, as AWS describes a started schedule', () => {
    const startMs = WED + (24 + 8) * HOUR_MS; // Thursday 08:00, the next run
    const runs = ownerMinSizeRuns(holiday({ startMs }), NOON, NOON);
    expect(at(runs)).toHaveLength(8);
    expect(ownerMinSizeAt(runs, NOON)?.atMs).toBe(WED + 8 * HOUR_MS);
  });

  it('counts a past StartTime as a run and nothing before it', () => {
    const startMs = WED - 30 * HOUR_MS; // Monday 18:00
    expect(at(ownerMinSizeRuns(holiday({ startMs }), NOON, NOON))).toEqual([
      '2026-11-30T18:00',
      '2026-12-01T08:00',
      '2026-12-02T08:00',
    ]);
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
