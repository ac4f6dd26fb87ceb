import {
  isTimeZone,
  onWallClockAxis,
  sameLocalTimeDaysBefore,
  wallClock,
  wallClockHistory,
  zoneOffsetMs,
} from '../../../../shared/core/forecast/wall-clock-time';

const HOUR_MS = 3_600_000;
const at = (iso: string) => Date.parse(iso);

describe('isTimeZone', () => {
  it('takes IANA names and UTC, refuses typos and fixed offsets', () => {
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('America/New_York')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Europe/Berlni')).toBe(false);
    expect(isTimeZone('+01:00')).toBe(false);
    expect(isTimeZone('')).toBe(false);
  });
});

describe('zoneOffsetMs', () => {
  it.each([
    // EU spring-forward 2027-03-28 01:00Z: +1 h before, +2 h from it.
    ['Europe/Berlin', '2027-03-28T00:59:00Z', 1],
    ['Europe/Berlin', '2027-03-28T01:00:00Z', 2],
    // EU fall-back 2027-10-31 01:00Z: +2 h before, +1 h from it.
    ['Europe/Berlin', '2027-10-31T00:59:00Z', 2],
    ['Europe/Berlin', '2027-10-31T01:00:00Z', 1],
    // US spring-forward 2027-03-14 02:00 EST = 07:00Z: −5 h before, −4 h from it.
    ['America/New_York', '2027-03-14T06:59:00Z', -5],
    ['America/New_York', '2027-03-14T07:00:00Z', -4],
    ['UTC', '2027-03-28T01:00:00Z', 0],
  ])('%s at %s is %d h', (zone, iso, hours) => {
    expect(zoneOffsetMs(zone, at(iso))).toBe(hours * HOUR_MS);
  });
});

describe('wallClock', () => {
  const berlin = wallClock('Europe/Berlin');
  const newYork = wallClock('America/New_York');

  it('shows the same instant as the local clock does', () => {
    expect(berlin.toWallClockMs(at('2027-03-28T00:30:00Z'))).toBe(at('2027-03-28T01:30:00Z'));
    expect(berlin.toWallClockMs(at('2027-03-28T01:00:00Z'))).toBe(at('2027-03-28T03:00:00Z'));
    expect(berlin.toWallClockMs(at('2027-03-29T07:00:00Z'))).toBe(at('2027-03-29T09:00:00Z'));
    expect(newYork.toWallClockMs(at('2027-03-15T13:00:00Z'))).toBe(at('2027-03-15T09:00:00Z'));
  });

  it('maps wall-clock times back to instants, earlier for a repeated one, forward for a skipped one', () => {
    // Ordinary times round-trip.
    expect(berlin.toInstantMs(at('2027-03-29T09:00:00Z'))).toBe(at('2027-03-29T07:00:00Z'));
    expect(berlin.toInstantMs(at('2027-03-27T09:00:00Z'))).toBe(at('2027-03-27T08:00:00Z'));
    // 02:30 on 2027-03-28 never shows in Berlin: the instant it would be at +1 h, 03:30 CEST.
    expect(berlin.toInstantMs(at('2027-03-28T02:30:00Z'))).toBe(at('2027-03-28T01:30:00Z'));
    // 02:30 on 2027-10-31 shows twice (00:30Z in CEST, 01:30Z in CET): the earlier.
    expect(berlin.toInstantMs(at('2027-10-31T02:30:00Z'))).toBe(at('2027-10-31T00:30:00Z'));
    // New York's 02:30 on 2027-03-14 is skipped: at −5 h, 07:30Z (03:30 EDT).
    expect(newYork.toInstantMs(at('2027-03-14T02:30:00Z'))).toBe(at('2027-03-14T07:30:00Z'));
  });

  it('refuses an unknown zone', () => {
    expect(() => wallClock('Mars/Olympus')).toThrow(RangeError);
  });
});

describe('wallClockHistory', () => {
  const berlin = wallClock('Europe/Berlin');
  /** Hourly observations from `startIso`, values from `valueAt(h)`. */
  const hourly = (startIso: string, hours: number, valueAt: (h: number) => number) =>
    Array.from({ length: hours }, (_, h) => ({
      timestampMs: at(startIso) + h * HOUR_MS,
      value: valueAt(h),
    }));

  it('fills the skipped spring hour by interpolating its neighbours', () => {
    // 23:00Z..03:00Z on 2027-03-27/28: local 00:00, 01:00, [02:00 skipped], 03:00, 04:00, 05:00.
    const local = wallClockHistory(
      hourly('2027-03-27T23:00:00Z', 5, (h) => 10 * (h + 1)),
      3600,
      berlin,
    );
    expect(local).toEqual([
      { timestampMs: at('2027-03-28T00:00:00Z'), value: 10 },
      { timestampMs: at('2027-03-28T01:00:00Z'), value: 20 },
      { timestampMs: at('2027-03-28T02:00:00Z'), value: 25 },
      { timestampMs: at('2027-03-28T03:00:00Z'), value: 30 },
      { timestampMs: at('2027-03-28T04:00:00Z'), value: 40 },
      { timestampMs: at('2027-03-28T05:00:00Z'), value: 50 },
    ]);
  });

  it('merges the repeated autumn hour by its mean', () => {
    // 23:00Z..02:00Z on 2027-10-30/31: local 01:00, 02:00 (CEST), 02:00 (CET), 03:00.
    const local = wallClockHistory(
      hourly('2027-10-30T23:00:00Z', 4, (h) => [10, 20, 40, 50][h] as number),
      3600,
      berlin,
    );
    expect(local).toEqual([
      { timestampMs: at('2027-10-31T01:00:00Z'), value: 10 },
      { timestampMs: at('2027-10-31T02:00:00Z'), value: 30 },
      { timestampMs: at('2027-10-31T03:00:00Z'), value: 50 },
    ]);
  });

  it('fills the skipped hour on a 5-minute grid, and leaves a real gap and unusable values to cleaning', () => {
    const fiveMinutes = Array.from({ length: 4 }, (_, k) => ({
      timestampMs: at('2027-03-28T00:50:00Z') + k * 300_000,
      value: [0, 13, 26, 39][k] as number,
    }));
    const local = wallClockHistory(
      [...fiveMinutes, { timestampMs: at('2027-03-28T02:00:00Z'), value: Number.NaN }],
      300,
      berlin,
    );
    // 00:55Z is 01:55 local, 01:00Z is 03:00 local: the 12 steps 02:00..02:55 are filled, 13 → 26.
    const skipped = local.filter(
      (o) => o.timestampMs >= at('2027-03-28T02:00:00Z') && o.timestampMs < at('2027-03-28T03:00:00Z'),
    );
    expect(skipped.map((o) => o.value)).toEqual(Array.from({ length: 12 }, (_, k) => 14 + k));
    expect(local.at(-1)?.timestampMs).toBe(at('2027-03-28T04:00:00Z'));
    expect(local.at(-1)?.value).toBeNaN();
    expect(local).toHaveLength(4 + 12 + 1);
  });
});

describe('onWallClockAxis', () => {
  const history = [
    { timestampMs: Date.UTC(2027, 2, 28, 0, 55), value: 1 },
    { timestampMs: Date.UTC(2027, 2, 28, 1, 0), value: 3 },
  ];

  it('leaves the history unmoved without a zone or with "UTC"', () => {
    expect(onWallClockAxis(history, 300, undefined)).toBe(history);
    expect(onWallClockAxis(history, 300, 'UTC')).toBe(history);
  });

  it("moves it onto the zone's wall clock, the skipped hour filled", () => {
    const moved = onWallClockAxis(history, 300, 'Europe/Berlin');
    expect(moved[0]).toEqual({ timestampMs: Date.UTC(2027, 2, 28, 1, 55), value: 1 });
    expect(moved[moved.length - 1]).toEqual({ timestampMs: Date.UTC(2027, 2, 28, 3, 0), value: 3 });
    expect(moved).toHaveLength(14);
  });
});

describe('sameLocalTimeDaysBefore', () => {
  const berlin = wallClock('Europe/Berlin');

  it('goes 23 hours back across spring-forward and 25 across fall-back', () => {
    // 09:00 CEST on the 29th is 07:00Z, 09:00 CET on the 27th 08:00Z.
    expect(sameLocalTimeDaysBefore(berlin, at('2027-03-29T07:00:00Z'), 2)).toBe(at('2027-03-27T08:00:00Z'));
    expect(sameLocalTimeDaysBefore(berlin, at('2027-11-01T08:00:00Z'), 1)).toBe(at('2027-10-31T08:00:00Z'));
    expect(sameLocalTimeDaysBefore(berlin, at('2027-10-30T07:00:00Z'), 1)).toBe(at('2027-10-29T07:00:00Z'));
    expect(sameLocalTimeDaysBefore(berlin, at('2027-03-27T08:00:00Z'), -2)).toBe(at('2027-03-29T07:00:00Z'));
  });

  it('reads a skipped local time an hour later, a repeated one at its first instant', () => {
    // 02:30 local on the 29th (00:30Z): 02:30 on the 28th is skipped; the clock shows 03:30 at 01:30Z.
    expect(sameLocalTimeDaysBefore(berlin, at('2027-03-29T00:30:00Z'), 1)).toBe(at('2027-03-28T01:30:00Z'));
    // 02:30 local on 1 November (01:30Z): 02:30 on 31 October is first shown at 00:30Z (CEST).
    expect(sameLocalTimeDaysBefore(berlin, at('2027-11-01T01:30:00Z'), 1)).toBe(at('2027-10-31T00:30:00Z'));
  });

  it('is k whole days on UTC', () => {
    expect(sameLocalTimeDaysBefore(wallClock('UTC'), at('2027-03-29T07:00:00Z'), 3)).toBe(
      at('2027-03-26T07:00:00Z'),
    );
  });
});
