import fc from 'fast-check';
import {
  placeLookAheadStarts,
  recurringClock,
  takenStartMinutes,
} from '../../../../shared/core/planning/place-look-ahead-starts';

const MIN_MS = 60_000;
const HOUR_MS = 3_600_000;
const T0 = Date.UTC(2026, 2, 2, 2);
const bounds = { earliestMs: T0 - 30 * MIN_MS, currentMinSize: 4, lastActionSlackMs: HOUR_MS };
const at = (...ms: number[]) => takenStartMinutes(ms.map((startMs) => ({ startMs })));

/** MinSize in effect at `t` under `actions` (oldest first), starting from `current`. */
function inEffect(actions: readonly { startMs: number; minSize: number }[], current: number, t: number) {
  return actions.filter((a) => a.startMs <= t).at(-1)?.minSize ?? current;
}

describe('takenStartMinutes', () => {
  it('takes the minute of a one-time start, seconds and all', () => {
    const taken = at(T0 + 20_000);
    expect(taken(T0)).toBe(true);
    expect(taken(T0 + 59_999)).toBe(true);
    expect(taken(T0 + MIN_MS)).toBe(false);
  });

  it("takes every minute a recurring action's cron matches, and its start", () => {
    const taken = takenStartMinutes([{ recurrence: '0 * * * *', startMs: T0 + 7 * MIN_MS }]);
    expect(taken(T0 + 5 * HOUR_MS)).toBe(true);
    expect(taken(T0 + 7 * MIN_MS)).toBe(true);
    expect(taken(T0 + 30 * MIN_MS)).toBe(false);
  });

  it("reads a recurring action's cron in its time zone", () => {
    // T0 is 2026-03-02 02:00Z: 08:00 in Paris is 07:00Z that day, 09:30 in Kolkata is 04:00Z.
    const paris = takenStartMinutes([{ recurrence: '0 8 * * *', timeZone: 'Europe/Paris' }]);
    expect(paris(Date.UTC(2026, 2, 2, 7))).toBe(true);
    expect(paris(Date.UTC(2026, 2, 2, 8))).toBe(false);
    // Summer time: 08:00 in Paris is 06:00Z.
    expect(paris(Date.UTC(2026, 6, 2, 6))).toBe(true);
    const kolkata = takenStartMinutes([{ recurrence: '30 9 * * *', timeZone: 'Asia/Kolkata' }]);
    expect(kolkata(Date.UTC(2026, 2, 2, 4))).toBe(true);
    expect(kolkata(Date.UTC(2026, 2, 2, 9, 30))).toBe(false);
  });

  it('counts a cron in a zone the runtime does not know by its start only', () => {
    const taken = takenStartMinutes([{ recurrence: '0 * * * *', timeZone: 'Mars/Olympus', startMs: T0 }]);
    expect(taken(T0)).toBe(true);
    expect(taken(T0 + HOUR_MS)).toBe(false);
  });

  it('counts an unreadable cron by its start only', () => {
    const taken = takenStartMinutes([{ recurrence: 'every hour', startMs: T0 }]);
    expect(taken(T0)).toBe(true);
    expect(taken(T0 + HOUR_MS)).toBe(false);
  });
});

describe('recurringClock', () => {
  /** A zone's wall clock read straight off the runtime's own formatter, to the minute. */
  function formatterWallClock(timeZone: string): (ms: number) => number {
    const formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    return (ms) => {
      const part = Object.fromEntries(formatter.formatToParts(ms).map((p) => [p.type, Number(p.value)]));
      return Date.UTC(part.year ?? 0, (part.month ?? 1) - 1, part.day ?? 1, part.hour ?? 0, part.minute ?? 0);
    };
  }

  it.each([
    // EU spring-forward 2026-03-29 01:00Z and fall-back 2026-10-25 01:00Z.
    ['Europe/Berlin', '2026-03-28T12:00:00Z'],
    ['Europe/Berlin', '2026-10-24T12:00:00Z'],
    // US spring-forward 2026-03-08 07:00Z.
    ['America/New_York', '2026-03-07T18:00:00Z'],
    // Lord Howe moves by 30 minutes: back 2026-04-04 15:00Z, forward 2026-10-03 15:30Z.
    ['Australia/Lord_Howe', '2026-04-04T03:00:00Z'],
    ['Australia/Lord_Howe', '2026-10-03T03:00:00Z'],
  ])("reads %s's wall clock as the runtime shows it, every minute of the day from %s", (timeZone, iso) => {
    const clock = recurringClock({ recurrence: '* * * * *', timeZone });
    const reference = formatterWallClock(timeZone);
    const fromMs = Date.parse(iso);
    const toMs = fromMs + 24 * HOUR_MS;
    // The day holds an offset change: its wall clock does not run 24 hours.
    expect(reference(toMs) - reference(fromMs)).not.toBe(24 * HOUR_MS);
    for (let ms = fromMs; ms <= toMs; ms += MIN_MS) {
      // Any instant in a minute reads that minute.
      expect(clock?.local(ms)).toBe(reference(ms));
      expect(clock?.local(ms + 59_999)).toBe(reference(ms));
    }
  });

  it('takes no minute for a skipped local time, and both for a repeated one', () => {
    const taken = takenStartMinutes([{ recurrence: '30 2 * * *', timeZone: 'Europe/Berlin' }]);
    const takenOn = (fromMs: number) =>
      Array.from({ length: 6 * 60 }, (_, m) => fromMs + m * MIN_MS).filter((ms) => taken(ms));
    // 02:30 never shows in Berlin on 2026-03-29; it shows at 00:30Z (CEST) and 01:30Z (CET) on 2026-10-25.
    expect(takenOn(Date.UTC(2026, 2, 28, 22))).toEqual([]);
    expect(takenOn(Date.UTC(2026, 9, 24, 22))).toEqual([
      Date.UTC(2026, 9, 25, 0, 30),
      Date.UTC(2026, 9, 25, 1, 30),
    ]);
    // The days either side take it once, at 01:30Z in winter and 00:30Z in summer.
    expect(takenOn(Date.UTC(2026, 2, 27, 22))).toEqual([Date.UTC(2026, 2, 28, 1, 30)]);
    expect(takenOn(Date.UTC(2026, 2, 29, 22))).toEqual([Date.UTC(2026, 2, 30, 0, 30)]);
  });
});

describe('placeLookAheadStarts', () => {
  it('leaves actions on free minutes where they were planned', () => {
    const actions = [{ startMs: T0, minSize: 9 }];
    expect(placeLookAheadStarts(actions, at(T0 + HOUR_MS), bounds)).toMatchObject({ actions, moved: 0 });
  });

  it('moves a raise earlier: its capacity arrives sooner, never later', () => {
    const placed = placeLookAheadStarts([{ startMs: T0, minSize: 9 }], at(T0, T0 - MIN_MS), bounds);
    expect(placed.actions).toEqual([{ startMs: T0 - 2 * MIN_MS, minSize: 9 }]);
    expect(placed.moved).toBe(1);
  });

  it('moves a lower (or an unchanged value) later: the higher value before it holds longer', () => {
    const placed = placeLookAheadStarts(
      [
        { startMs: T0, minSize: 2 },
        { startMs: T0 + HOUR_MS, minSize: 2, maxSize: 10 },
      ],
      at(T0, T0 + HOUR_MS),
      bounds,
    );
    expect(placed.actions.map((a) => a.startMs)).toEqual([T0 + MIN_MS, T0 + HOUR_MS + MIN_MS]);
  });

  it('folds a raise with no free minute before it into the action before', () => {
    const placed = placeLookAheadStarts(
      [
        { name: 'bridge', startMs: T0 - MIN_MS, minSize: 5, desiredCapacity: 5 },
        { name: 'step', startMs: T0, minSize: 9, desiredCapacity: 9 },
      ],
      at(T0),
      bounds,
    );
    expect(placed.actions).toEqual([
      { name: 'bridge', startMs: T0 - MIN_MS, minSize: 9, desiredCapacity: 9 },
    ]);
    expect(placed.merged).toBe(1);
  });

  it('runs a first raise late only when every minute from the earliest is taken, and says so', () => {
    const placed = placeLookAheadStarts([{ startMs: T0, minSize: 9 }], at(T0), { ...bounds, earliestMs: T0 });
    expect(placed.actions).toEqual([{ startMs: T0 + MIN_MS, minSize: 9 }]);
    expect(placed.late).toBe(1);
  });

  it('leaves out a lower with no free minute before the next action', () => {
    const taken = (ms: number) => ms >= T0 && ms < T0 + HOUR_MS;
    const placed = placeLookAheadStarts(
      [
        { startMs: T0, minSize: 2 },
        { startMs: T0 + HOUR_MS, minSize: 1 },
      ],
      taken,
      bounds,
    );
    expect(placed.actions).toEqual([{ startMs: T0 + HOUR_MS, minSize: 1 }]);
    expect(placed.dropped).toBe(1);
  });

  it('never meets a taken minute, never shares one, and never holds less than the plan did', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.integer({ min: -30, max: 8 * 60 }), { maxLength: 40 }),
        (sizes, takenMinutes) => {
          const planned = sizes.map((minSize, i) => ({ startMs: T0 + i * HOUR_MS, minSize }));
          const taken = at(...takenMinutes.map((m) => T0 + m * MIN_MS));
          const placed = placeLookAheadStarts(planned, taken, bounds);
          const minutes = placed.actions.map((a) => Math.floor(a.startMs / MIN_MS));
          expect(new Set(minutes).size).toBe(minutes.length);
          for (const a of placed.actions) expect(taken(a.startMs)).toBe(false);
          if (placed.late > 0) return;
          for (let t = bounds.earliestMs; t < T0 + 9 * HOUR_MS; t += MIN_MS) {
            expect(inEffect(placed.actions, 4, t)).toBeGreaterThanOrEqual(inEffect(planned, 4, t));
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
